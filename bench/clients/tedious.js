// tedious 19: `newBulkLoad` + `execBulkLoad` fed by the same lazy generator (the very same row
// arrays Sluice gets). tedious sends one INSERT BULK per BulkLoad, so batches are one BulkLoad
// per `--batch` rows, run one after another, as Sluice commits one batch per `batchSize`.
const { Connection, Request, TYPES } = require('tedious')
const { rows } = require('../gen.js')
const { run, DROP, SCHEMA, TABLE, PASSWORD, parseArgs, timed, report } = require('./common.js')

const COLUMNS = [
  ['id', TYPES.Int, { nullable: false }],
  ['big', TYPES.BigInt, { nullable: true }],
  ['amount', TYPES.Decimal, { nullable: true, precision: 18, scale: 4 }],
  ['ratio', TYPES.Float, { nullable: true }],
  ['flag', TYPES.Bit, { nullable: true }],
  ['born', TYPES.Date, { nullable: true }],
  ['created', TYPES.DateTime2, { nullable: true, scale: 7 }],
  ['guid', TYPES.UniqueIdentifier, { nullable: true }],
  ['code', TYPES.VarChar, { nullable: true, length: 20 }],
  ['name', TYPES.NVarChar, { nullable: true, length: 100 }],
  ['note', TYPES.NVarChar, { nullable: true, length: Infinity }],
  ['price', TYPES.Money, { nullable: true }],
]

function open(a) {
  return new Promise((resolve, reject) => {
    const c = new Connection({
      server: a.host,
      authentication: { type: 'default', options: { userName: 'sa', password: PASSWORD } },
      options: { port: a.port, encrypt: a.encrypt !== 'off', trustServerCertificate: true, connectTimeout: 15_000 },
    })
    c.on('connect', (err) => (err ? reject(err) : resolve(c)))
    c.connect()
  })
}

function batch(c, sql) {
  return new Promise((resolve, reject) => c.execSqlBatch(new Request(sql, (err) => (err ? reject(err) : resolve()))))
}

/** The next `n` rows of `it` (an iterator shared across batches). */
function* take(it, n) {
  for (let i = 0; i < n; i++) {
    const r = it.next()
    if (r.done) return
    yield r.value
  }
}

/** One BulkLoad (one INSERT BULK, TABLOCK) of `rows`, an Iterable or AsyncIterable; resolves the row count. */
function bulkLoad(c, rows) {
  return new Promise((resolve, reject) => {
    const bl = c.newBulkLoad(TABLE, { lockTable: true }, (err, rowCount) => (err ? reject(err) : resolve(rowCount ?? 0)))
    for (const [name, type, opts] of COLUMNS) bl.addColumn(name, type, opts)
    c.execBulkLoad(bl, rows)
  })
}

const bulk = (c, source, n) => bulkLoad(c, take(source, n))

async function main() {
  const a = parseArgs(process.argv.slice(2))
  const c = await open(a)
  await batch(c, DROP)
  await batch(c, SCHEMA)
  // --prebuilt: all rows are generated into an array first, outside the timed load.
  const source = a.prebuilt ? Array.from(rows(a.rows)).values() : rows(a.rows)
  const r = await timed(async () => {
    let total = 0
    let batches = 0
    for (let left = a.rows; left > 0; left -= a.batch) {
      total += await bulk(c, source, Math.min(a.batch, left))
      batches++
    }
    return { rows: total, batches }
  })
  await new Promise((resolve) => {
    c.on('end', resolve)
    c.close()
  })
  if (r.rows !== a.rows) throw new Error(`loaded ${r.rows} rows, expected ${a.rows}`)
  report({ client: 'tedious', prebuilt: a.prebuilt, ...r })
}
// bench/files/clients/csv-parse-tedious.js reuses the connection and the BulkLoad.
if (require.main === module) run(main)

module.exports = { open, batch, bulkLoad }
