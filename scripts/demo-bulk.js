// The bulk half of `npm run demo`: streams 200,000 generated orders into dbo.demo_orders with
// bulkCopy (batches of 50,000 rows, live progress), skipping and reporting the few rows whose
// values do not fit their columns. Reads SLUICE_CONNECTION (set by scripts/demo.sh).
const { connect } = require('@sluice/native')

const ROWS = 200_000
const REGIONS = ['Nord', 'Süd', 'Ost', 'West', 'Zentrum']

function* orders() {
  const t0 = Date.UTC(2026, 0, 1)
  for (let id = 1; id <= ROWS; id++) {
    // Every 40,000th order carries an amount too large for decimal(18,2): it is reported, not loaded.
    const amount = id % 40_000 === 0 ? '99999999999999999.99' : ((id * 7919) % 1_000_000) / 100
    yield [id, REGIONS[id % REGIONS.length], amount, new Date(t0 + id * 60_000), id % 3 === 0 ? null : `order #${id}`]
  }
}

async function main() {
  const c = await connect(process.env.SLUICE_CONNECTION)
  try {
    await c.query('DROP TABLE IF EXISTS dbo.demo_orders')
    await c.query(
      'CREATE TABLE dbo.demo_orders (id int NOT NULL, region nvarchar(40) NOT NULL, amount decimal(18,2) NULL, ' +
        'ordered_at datetime2(3) NULL, note varchar(50) NULL)',
    )
    let last = 0
    const summary = await c.bulkCopy('dbo.demo_orders', orders(), {
      batchSize: 50_000,
      tableLock: true,
      maxErrors: 10,
      onReject: (r) => console.log(`  skipped row ${r.row}: column ${r.column}, value ${r.value}: ${r.reason}`),
      onProgress: (p) => {
        if (p.rowsSent - last >= 50_000 || p.rowsCommitted === p.rowsSent) {
          last = p.rowsSent
          console.log(`  sent ${p.rowsSent} rows (${p.bytesSent} bytes), committed ${p.rowsCommitted}, batch ${p.batch}`)
        }
      },
    })
    const rate = Math.round(summary.rowsCopied / (summary.elapsedMs / 1000))
    console.log(
      `bulkCopy: ${summary.rowsCopied} rows in ${summary.batchCount} batches, ${Math.round(summary.elapsedMs)} ms ` +
        `(${rate} rows/s), ${summary.rowsRejected} rejected`,
    )
  } finally {
    await c.close()
  }
}

main().catch((e) => {
  console.error(`demo: ${e.message}`)
  process.exit(1)
})
