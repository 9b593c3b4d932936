#!/usr/bin/env node
// Runs on `npm install`: builds the native addon from source with cargo (there is no prebuilt
// binary to download). Set SLUICE_SKIP_NATIVE_BUILD=1 to skip, e.g. when only JS is needed.

const { spawnSync } = require('node:child_process')

if (process.env.SLUICE_SKIP_NATIVE_BUILD === '1') {
  console.log('@sluice/native: SLUICE_SKIP_NATIVE_BUILD=1, not building the addon')
  process.exit(0)
}
const cargo = spawnSync('cargo', ['--version'], { encoding: 'utf8' })
if (cargo.status !== 0) {
  console.error('@sluice/native: cargo was not found. Install Rust (https://rustup.rs) and run npm install again.')
  process.exit(1)
}
const r = spawnSync('npm', ['run', 'build'], { cwd: __dirname, stdio: 'inherit', shell: process.platform === 'win32' })
process.exit(r.status ?? 1)
