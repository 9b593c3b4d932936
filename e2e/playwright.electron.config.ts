// The same specs through Playwright's Electron launcher (`npm run e2e:electron`): the built app
// (`dist/main/main.js`) in the Electron binary that `require('electron')` names. Where that binary
// does not exist (it cannot be downloaded on these machines) or there is no display, every spec
// is skipped with the reason (e2e/electron-app.ts); `npm run e2e` stays the web project.
import { defineConfig } from '@playwright/test'
import { electronBinary } from './electron-app'
import type { Transport } from './fixtures'
import web from './playwright.config'

// Said once, by the runner (workers load this file too): why every spec will be skipped.
const bin = electronBinary()
if ('skip' in bin && process.env.TEST_WORKER_INDEX === undefined) console.log(`Electron project: every spec is skipped: ${bin.skip}`)

export default defineConfig<{ transport: Transport }>({
  ...web,
  outputDir: '../test-results/e2e-electron',
  use: { ...web.use, transport: 'electron' },
})
