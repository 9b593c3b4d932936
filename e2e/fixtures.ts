// Worker-wide fixtures: `web` runs `node dist/main/web/run-web.js` exactly as `npm run web` does
// after its build (the e2e script builds first), on a free port passed through SLUICE_WEB_PORT;
// `tds` runs the project's TDS test server (`sluice serve --port 0`) on 127.0.0.1.
// `transport` (a project option) picks how `openApp` opens the app: `web` (the default: the page
// of `npm run web` in Chromium) or `electron` (the built app through Playwright's Electron
// launcher, e2e/playwright.electron.config.ts; skipped with the reason when Electron is absent).
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { _electron, test as base, type ElectronApplication, expect, type Page } from '@playwright/test'
import { REPO, startServer, type TestServer } from '../test/helpers/server'
import { ELECTRON_MAIN, electronBinary } from './electron-app'

export type Transport = 'web' | 'electron'
/** Where screenshots go: the web project's are the committed ones. */
let screenshotDir = path.join(REPO, 'e2e', 'screenshots')

export interface WebApp {
  /** The printed `ready at` URL, token included. */
  url: string
  origin: string
  token: string
  port: number
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

async function startWeb(): Promise<{ app: WebApp; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'main', 'web', 'run-web.js')], {
    env: { ...process.env, SLUICE_WEB_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run web did not print ready within 20 s: ${out}`)), 20_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /^ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/m.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`run-web exited with ${code}: ${out}`))
    })
  })
  const parsed = new URL(url)
  return { app: { url, origin: parsed.origin, token: parsed.searchParams.get('token') ?? '', port: Number(parsed.port) }, child }
}

export const test = base.extend<{ openApp: () => Promise<Page> }, { web: WebApp; tds: TestServer; transport: Transport }>({
  transport: ['web', { option: true, scope: 'worker' }],
  web: [
    async ({ transport }, use) => {
      // The Electron project does not go through the web transport (its specs skip themselves).
      if (transport === 'electron') return use({ url: '', origin: '', token: '', port: 0 })
      const { app, child } = await startWeb()
      await use(app)
      child.kill('SIGTERM')
    },
    { scope: 'worker' },
  ],
  tds: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this destructuring
    async ({}, use) => {
      const server = await startServer()
      await use(server)
      await server.stop()
    },
    { scope: 'worker' },
  ],
  openApp: async ({ page, web, transport }, use, testInfo) => {
    if (transport === 'electron') {
      const bin = electronBinary()
      if ('skip' in bin) return testInfo.skip(true, bin.skip)
      screenshotDir = path.join(REPO, 'e2e', 'screenshots', 'electron')
      let app: ElectronApplication | null = null
      let window: Page | null = null
      // The second call within a spec ("a fresh session") reloads the window: a new renderer.
      await use(async () => {
        if (!app || !window) {
          app = await _electron.launch({ executablePath: bin.path, args: [ELECTRON_MAIN] })
          window = await app.firstWindow()
        } else await window.reload()
        await expect(window.getByRole('heading', { name: 'Sluice' })).toBeVisible()
        return window
      })
      await (app as ElectronApplication | null)?.close()
      return
    }
    await use(async () => {
      await page.goto(web.url)
      await expect(page.getByRole('heading', { name: 'Sluice' })).toBeVisible()
      return page
    })
  },
})

export { expect }

/** Saves a screenshot of a main screen where a person can look at it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true })
}
