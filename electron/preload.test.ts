// A sandboxed preload may require only `electron` (Electron's sandbox docs): any other runtime
// import would break the window at start-up, on a machine this suite cannot run Electron on.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

test('the preload imports nothing at run time but electron (everything else is import type)', () => {
  const source = fs.readFileSync(path.join(__dirname, 'preload.ts'), 'utf8')
  const runtime = [...source.matchAll(/^import\s+(?!type\s)[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1])
  assert.deepEqual(runtime, ['electron'])
  assert.doesNotMatch(source, /\brequire\(/)
})

test('the main window is locked down as the contract says', () => {
  const source = fs.readFileSync(path.join(__dirname, 'main.ts'), 'utf8')
  for (const setting of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webviewTag: false']) {
    assert.ok(source.includes(setting), setting)
  }
  assert.match(source, /setWindowOpenHandler\([^)]*\)[\s\S]*action: 'deny'/)
  assert.match(source, /'will-navigate', \(e\) => e\.preventDefault\(\)/)
  assert.match(source, /if \(!trusted\(event\)\)/)
})
