// The Electron side of the e2e suite: where the Electron binary is (what `require('electron')`
// answers in Node), or why the specs cannot run through Playwright's Electron launcher here.
// Electron's binary is downloaded by its npm package's install script, which these machines
// cannot do: then every spec of the Electron project is skipped with the reason below.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { REPO } from '../test/helpers/server'

/** The built main process (`npm run build:app`), as `npm start` launches it. */
export const ELECTRON_MAIN = path.join(REPO, 'dist', 'main', 'main.js')

export type ElectronBinary = { path: string } | { skip: string }

/** The Electron binary to launch, or the written reason the Electron project is skipped. */
export function electronBinary(): ElectronBinary {
  let bin: unknown
  try {
    bin = createRequire(path.join(REPO, 'package.json'))('electron')
  } catch (err) {
    return {
      skip: `Electron's binary is not installed (require('electron') failed: ${(err as Error).message}); its npm package downloads it at install time, which this machine cannot do — the web project runs the same specs in Chromium`,
    }
  }
  if (typeof bin !== 'string' || !fs.existsSync(bin)) {
    return { skip: `require('electron') gave ${JSON.stringify(bin)}, which is not an existing file` }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { skip: 'no display for Electron (DISPLAY is not set): run under xvfb-run' }
  }
  if (!fs.existsSync(ELECTRON_MAIN)) return { skip: `${ELECTRON_MAIN} is missing: run npm run build:app first` }
  return { path: bin }
}
