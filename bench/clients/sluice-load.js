// What both Sluice clients do around the load: connect, (re)create the table, time one bulk
// copy from `source` (lazy, or built before the clock with --prebuilt), check the row count,
// print the RESULT line.
const { connect } = require('@sluice/native')
const { run, DROP, SCHEMA, TABLE, PASSWORD, parseArgs, timed, report } = require('./common.js')

/**
 * @param client  the name in the RESULT line
 * @param makeSource  (rowCount) => the rows or batches, lazily
 * @param load  (connection, table, source, options) => the summary
 */
function sluiceClient(client, makeSource, load) {
  run(async () => {
    const a = parseArgs(process.argv.slice(2))
    const encrypt = a.encrypt === 'off' ? 'False' : 'True;TrustServerCertificate=True'
    const c = await connect(`Server=${a.host},${a.port};User ID=sa;Password=${PASSWORD};Encrypt=${encrypt}`)
    await c.query(DROP)
    await c.query(SCHEMA)
    // --prebuilt: all rows are generated first, outside the timed load.
    const source = a.prebuilt ? Array.from(makeSource(a.rows)) : makeSource(a.rows)
    const r = await timed(async () => {
      const s = await load(c, TABLE, source, { batchSize: a.batch, tableLock: true })
      return { rows: s.rowsCopied, batches: s.batchCount }
    })
    await c.close()
    if (r.rows !== a.rows) throw new Error(`loaded ${r.rows} rows, expected ${a.rows}`)
    report({ client, prebuilt: a.prebuilt, ...r })
  })
}

module.exports = { sluiceClient }
