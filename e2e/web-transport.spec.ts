// The web transport refuses what is not the page it served: no token, a foreign Origin (from a
// real browser page of another origin, token and all), a foreign Host.
import http from 'node:http'
import { expect, test } from './fixtures'

test.skip(({ transport }) => transport === 'electron', 'these specs test the web transport; the Electron app does not use it')

test('a request without the token is refused', async ({ page, web }) => {
  const res = await page.goto(`${web.origin}/`)
  expect(res?.status()).toBe(401)
  await expect(page.locator('body')).toContainText('missing or wrong token')
})

test('the page served with the token drops it from the address bar and still works', async ({ page, web }) => {
  await page.goto(web.url)
  await expect(page.getByRole('heading', { name: 'Sluice' })).toBeVisible()
  expect(page.url()).toBe(`${web.origin}/`)
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Sluice' })).toBeVisible()
})

test('a request with a foreign Origin is refused even with the token', async ({ request, web }) => {
  const res = await request.get(web.url, { headers: { Origin: 'http://evil.example' } })
  expect(res.status()).toBe(403)
})

test('a page of another origin cannot open the socket, even knowing the token', async ({ page, web }) => {
  await page.goto('data:text/html,<p>elsewhere</p>')
  const outcome = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url)
        ws.onopen = () => resolve('open')
        ws.onclose = (e) => resolve(`closed ${e.code}`)
      }),
    `ws://127.0.0.1:${web.port}/api/socket?token=${web.token}`,
  )
  expect(outcome).toBe('closed 1006')
})

test('a foreign Host header (DNS rebinding) is refused', async ({ web }) => {
  const status = await new Promise<number>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: web.port, path: `/?token=${web.token}`, headers: { host: `rebind.example:${web.port}` } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      .on('error', reject)
  })
  expect(status).toBe(421)
})
