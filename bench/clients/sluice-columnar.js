// Sluice, columnar input: `bulkCopyColumns` fed by the lazy columnar generator (batches of
// 1,000 rows, typed arrays where the type allows; see gen.js `columns`), or with --prebuilt
// from batches built before the clock starts. The same values as the row clients load.
const { connect } = require('@sluice/native')
const { columns } = require('../gen.js')
const { run, DROP, SCHEMA, TABLE, PASSWORD, parseArgs, timed, report } = require('./common.js')

async function main() {
  const a = parseArgs(process.argv.slice(2))
  const encrypt = a.encrypt === 'off' ? 'False' : 'True;TrustServerCertificate=True'
  const c = await connect(`Server=${a.host},${a.port};User ID=sa;Password=${PASSWORD};Encrypt=${encrypt}`)
  await c.query(DROP)
  await c.query(SCHEMA)
  const source = a.prebuilt ? Array.from(columns(a.rows)) : columns(a.rows)
  const r = await timed(async () => {
    const s = await c.bulkCopyColumns(TABLE, source, { batchSize: a.batch, tableLock: true })
    return { rows: s.rowsCopied, batches: s.batchCount }
  })
  await c.close()
  if (r.rows !== a.rows) throw new Error(`loaded ${r.rows} rows, expected ${a.rows}`)
  report({ client: 'sluice-columnar', prebuilt: a.prebuilt, ...r })
}
run(main)
