// Sluice: `bulkCopy` fed by the lazy generator (rows are produced as the encoder pulls them, in
// chunks of 1024 — nothing holds the whole data set), or with --prebuilt from an array built
// before the clock starts.
const { connect } = require('@sluice/native')
const { rows } = require('../gen.js')
const { run, DROP, SCHEMA, TABLE, PASSWORD, parseArgs, timed, report } = require('./common.js')

async function main() {
  const a = parseArgs(process.argv.slice(2))
  const encrypt = a.encrypt === 'off' ? 'False' : 'True;TrustServerCertificate=True'
  const c = await connect(`Server=${a.host},${a.port};User ID=sa;Password=${PASSWORD};Encrypt=${encrypt}`)
  await c.query(DROP)
  await c.query(SCHEMA)
  // --prebuilt: all rows are generated into an array first, outside the timed load.
  const source = a.prebuilt ? Array.from(rows(a.rows)) : rows(a.rows)
  const r = await timed(async () => {
    const s = await c.bulkCopy(TABLE, source, { batchSize: a.batch, tableLock: true })
    return { rows: s.rowsCopied, batches: s.batchCount }
  })
  await c.close()
  if (r.rows !== a.rows) throw new Error(`loaded ${r.rows} rows, expected ${a.rows}`)
  report({ client: 'sluice', prebuilt: a.prebuilt, ...r })
}
run(main)
