#!/usr/bin/env node

// `npx sluice …`: the command line lives in Rust (native/cli); this only hands it the arguments.
const { runCli } = require('@sluice/native')

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    console.error(err?.message ? err.message : err)
    process.exitCode = 1
  },
)
