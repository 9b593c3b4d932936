// Sluice `bulkCopy` fed by papaparse: the file streamed through Papa.parse's Node stream
// (NODE_STREAM_INPUT, one array of strings per record), each record converted to typed values
// (typed-row.js) and handed over as an AsyncIterable — the way a JS application would load a
// CSV with Sluice's row API. Prints one RESULT line like the bulk clients.
const fs = require('node:fs')
const Papa = require('papaparse')
const { connect } = require('@sluice/native')
const { run, DROP, SCHEMA, TABLE, PASSWORD, timed, report } = require('../../clients/common.js')
const { parseFileArgs } = require('./file-args.js')
const { typedRow } = require('./typed-row.js')

async function* records(file) {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: true })
  fs.createReadStream(file).pipe(parser)
  let header = true
  for await (const fields of parser) {
    if (header) {
      header = false
      continue
    }
    yield typedRow(fields)
  }
}

run(async () => {
  const a = parseFileArgs(process.argv.slice(2))
  const c = await connect(`Server=${a.host},${a.port};User ID=sa;Password=${PASSWORD};Encrypt=False`)
  await c.query(DROP)
  await c.query(SCHEMA)
  const r = await timed(async () => {
    const s = await c.bulkCopy(TABLE, records(a.file), { batchSize: a.batch, tableLock: true })
    return { rows: s.rowsCopied, batches: s.batchCount }
  })
  await c.close()
  if (r.rows !== a.rows) throw new Error(`loaded ${r.rows} rows, expected ${a.rows}`)
  report({ client: 'papaparse-bulkcopy', bytes: fs.statSync(a.file).size, ...r })
})
