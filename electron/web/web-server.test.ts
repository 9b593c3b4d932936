// The web transport's gatekeeping, over real sockets: the token on every request and socket,
// Host and Origin checked, static files confined to the renderer folder, and calls validated by
// the same dispatcher as Electron IPC.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import WebSocket from 'ws'
import { startWebServer, type WebServer } from './web-server'

let server: WebServer
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-web-'))
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Sluice</title>')
fs.writeFileSync(path.join(os.tmpdir(), 'sluice-web-secret.txt'), 'outside')

before(async () => {
  server = await startWebServer({ port: 0, staticDir: root })
})
after(async () => {
  await server.close()
  fs.rmSync(root, { recursive: true, force: true })
})

function get(pathAndQuery: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET', body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathAndQuery, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

function socket(query: string, headers: Record<string, string>) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/socket${query}`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

test('the printed URL is loopback with a long random token', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/)
})

test('a request without the token, or with a wrong one, is refused', async () => {
  assert.equal((await get('/')).status, 401)
  assert.equal((await get('/?token=nope')).status, 401)
  assert.equal((await get(`/?token=${server.token.slice(1)}`)).status, 401)
})

test('with the token the page is served with a strict CSP, and the token moves into a SameSite=Strict cookie', async () => {
  const res = await get(`/?token=${server.token}`)
  assert.equal(res.status, 200)
  assert.match(res.body, /<title>Sluice<\/title>/)
  assert.match(String(res.headers['content-security-policy']), /default-src 'self'; script-src 'self'/)
  assert.equal(res.headers['referrer-policy'], 'no-referrer')
  const cookie = String(res.headers['set-cookie'])
  assert.match(cookie, /HttpOnly; SameSite=Strict/)
  const byCookie = await get('/index.html', { cookie: cookie.split(';')[0] })
  assert.equal(byCookie.status, 200)
})

test('a foreign Host (DNS rebinding) is refused even with the token', async () => {
  const res = await get(`/?token=${server.token}`, { host: `evil.example:${server.port}` })
  assert.equal(res.status, 421)
})

test('a foreign Origin is refused even with the token', async () => {
  const res = await get(`/?token=${server.token}`, { origin: 'http://evil.example' })
  assert.equal(res.status, 403)
  const post = await get(`/api/files?name=a.csv&token=${server.token}`, { origin: 'http://evil.example' }, 'POST', 'a,b\n')
  assert.equal(post.status, 403)
})

test('paths outside the renderer folder are not served', async () => {
  assert.equal((await get(`/..%2Fsluice-web-secret.txt?token=${server.token}`)).status, 404)
  assert.equal((await get(`/%2e%2e/sluice-web-secret.txt?token=${server.token}`)).status, 404)
  assert.equal((await get(`/%E0%A4%A?token=${server.token}`)).status, 400, 'a malformed escape is a 400, not a crash')
  assert.equal((await get(`/?token=${server.token}`)).status, 200, 'and the server is still up')
})

test('a socket needs the token and this page’s Origin', async () => {
  const origin = `http://127.0.0.1:${server.port}`
  await assert.rejects(socket('', { origin }), /HTTP 401/)
  await assert.rejects(socket(`?token=${server.token}`, { origin: 'http://evil.example' }), /HTTP 403/)
  await assert.rejects(socket(`?token=${server.token}`, {}), /HTTP 403/)
  const ws = await socket(`?token=${server.token}`, { origin })
  ws.close()
})

test('calls over the socket are validated by the contract and answered by id', async () => {
  const ws = await socket(`?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` })
  const replies: unknown[] = []
  const got = new Promise<void>((resolve) =>
    ws.on('message', (d) => {
      replies.push(JSON.parse(d.toString()))
      if (replies.length === 3) resolve()
    }),
  )
  ws.send(JSON.stringify({ id: 1, method: 'job.cancel', payload: { jobId: 5 } }))
  ws.send(JSON.stringify({ id: 2, method: 'connection.listSaved', payload: {} }))
  ws.send('not json')
  await got
  ws.close()
  const byId = new Map(
    replies.map((r) => [(r as { id: unknown }).id, (r as { reply: { ok: boolean; error?: { code: string }; result?: unknown } }).reply]),
  )
  assert.equal(byId.get(1)?.error?.code, 'EINVALID')
  assert.deepEqual(byId.get(2), { ok: true, result: { secretStorage: 'none', connections: [] } })
  assert.equal(byId.get(null)?.error?.code, 'EINVALID')
})

test('an upload with the token and this Origin becomes a file entry', async () => {
  const res = await get(`/api/files?name=sales.csv&token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` }, 'POST', 'id\n1\n')
  assert.equal(res.status, 200)
  const body = JSON.parse(res.body) as { ok: boolean; result: { name: string; size: number; origin: string }[] }
  assert.equal(body.ok, true)
  assert.deepEqual(
    body.result.map(({ name, size, origin }) => ({ name, size, origin })),
    [{ name: 'sales.csv', size: 5, origin: 'upload' }],
  )
})
