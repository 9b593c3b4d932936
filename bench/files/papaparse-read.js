#!/usr/bin/env node
// papaparse over a CSV file as a stream, with its type detection (dynamicTyping) and a header:
// what a JS importer would do. Prints one JSON line with the rows read.
//   node bench/files/papaparse-read.js FILE

const fs = require('node:fs')
const Papa = require('papaparse')

const file = process.argv[2]
const start = process.hrtime.bigint()
let rows = 0
Papa.parse(fs.createReadStream(file), {
  header: true,
  dynamicTyping: true,
  skipEmptyLines: true,
  step: () => {
    rows++
  },
  complete: () => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    console.log(JSON.stringify({ mode: 'papaparse', seconds, rows }))
  },
  error: (e) => {
    console.error(e.message)
    process.exit(1)
  },
})
