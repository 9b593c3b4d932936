// tedious 19 BulkLoad fed by csv-parse: the file streamed through csv-parse's Node stream
// parser, each record converted to typed values (typed-row.js), one BulkLoad (= one INSERT
// BULK) per `--batch` records as bench/clients/tedious.js does, since tedious has no batch size.
const fs = require('node:fs')
const { parse } = require('csv-parse')
const { run, DROP, SCHEMA, timed, report } = require('../../clients/common.js')
const { open, batch, bulkLoad } = require('../../clients/tedious.js')
const { parseFileArgs } = require('./file-args.js')
const { typedRow } = require('./typed-row.js')

async function* records(file) {
  const parser = fs.createReadStream(file).pipe(parse({ from_line: 2 }))
  for await (const fields of parser) yield typedRow(fields)
}

/** The next `n` records of the async iterator `it` (shared across batches). */
async function* take(it, n) {
  for (let i = 0; i < n; i++) {
    const r = await it.next()
    if (r.done) return
    yield r.value
  }
}

run(async () => {
  const a = parseFileArgs(process.argv.slice(2))
  const c = await open(a)
  await batch(c, DROP)
  await batch(c, SCHEMA)
  const source = records(a.file)
  const r = await timed(async () => {
    let total = 0
    let batches = 0
    for (let left = a.rows; left > 0; left -= a.batch) {
      total += await bulkLoad(c, take(source, Math.min(a.batch, left)))
      batches++
    }
    if (!(await source.next()).done) throw new Error(`the file holds more than the ${a.rows} rows expected`)
    return { rows: total, batches }
  })
  await new Promise((resolve) => {
    c.on('end', resolve)
    c.close()
  })
  if (r.rows !== a.rows) throw new Error(`loaded ${r.rows} rows, expected ${a.rows}`)
  report({ client: 'csv-parse-tedious', bytes: fs.statSync(a.file).size, ...r })
})
