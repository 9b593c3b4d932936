// bulkCopy against the test server: every type lands exactly, batches commit one by one with a
// precise account on every kind of failure, cancellation, progress and column mappings.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type BulkProgressInfo, type Client, connect, type SluiceError } from '@sluice/native'
import { startServer, type TestServer } from '../../test/helpers/server'

let server: TestServer
let failing: TestServer
let dropping: TestServer

before(async () => {
  ;[server, failing, dropping] = await Promise.all([
    startServer(['--encrypt', 'optional']),
    startServer(['--encrypt', 'optional', '--fail-batch', '3']),
    startServer(['--encrypt', 'optional', '--drop-after-rows', '2500']),
  ])
})
after(async () => {
  await Promise.all([server, failing, dropping].map((s) => s?.stop()))
})

async function client(s: TestServer = server): Promise<Client> {
  return connect(s.connectionString('Encrypt=True;TrustServerCertificate=True'))
}

const ALL_TYPES = `(
  b bit NULL, ti tinyint NULL, si smallint NULL, i int NULL, bi bigint NULL, r real NULL, f float NULL,
  d decimal(18,4) NULL, n numeric(38,10) NULL, m money NULL, sm smallmoney NULL, dt date NULL, t time(7) NULL,
  dtm datetime NULL, sdt smalldatetime NULL, dt2 datetime2(7) NULL, dto datetimeoffset(3) NULL, g uniqueidentifier NULL,
  c char(5) NULL, vc varchar(20) NULL, vcu varchar(20) COLLATE Latin1_General_100_CI_AS_SC_UTF8 NULL, nc nchar(3) NULL,
  nvc nvarchar(100) NULL, bin binary(4) NULL, vb varbinary(10) NULL,
  vcm varchar(max) NULL, nvcm nvarchar(max) NULL, vbm varbinary(max) NULL)`

test('every type is bulk-loaded and reads back exactly', async () => {
  const c = await client()
  await c.query(`CREATE TABLE dbo.all_types ${ALL_TYPES}`)
  const long = 'é'.repeat(5000)
  const row = [
    true,
    255,
    -32768,
    2147483647,
    9223372036854775807n,
    1.5,
    1e308,
    '-12345678901234.5678',
    '1234567890123456789012345678.0123456789',
    '922337203685477.5807',
    -214748.3648,
    '2024-02-29',
    '23:59:59.9999999',
    new Date(Date.UTC(2024, 1, 29, 13, 45, 1, 997)),
    '2079-06-06 23:59:00',
    '9999-12-31 23:59:59.9999999',
    '2024-06-01 12:30:00.123 +05:30',
    '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    'ab',
    'plain ascii',
    'Grüße 東京',
    'äöü',
    'Ünïcödé 😀 text',
    Buffer.from([1, 2, 3, 4]),
    Buffer.from([0xff]),
    'x'.repeat(10000),
    long,
    Buffer.alloc(9000, 7),
  ]
  const nulls = row.map(() => null)
  const summary = await c.bulkCopy('dbo.all_types', [row, nulls])
  assert.equal(summary.rowsCopied, 2)
  assert.equal(summary.batchCount, 1)
  const { rows } = await c.query('SELECT * FROM dbo.all_types')
  assert.deepEqual(rows[0], [
    true,
    255,
    -32768,
    2147483647,
    9223372036854775807n,
    1.5,
    1e308,
    '-12345678901234.5678',
    '1234567890123456789012345678.0123456789',
    '922337203685477.5807',
    '-214748.3648',
    '2024-02-29',
    '23:59:59.9999999',
    '2024-02-29 13:45:01.997',
    '2079-06-06 23:59:00',
    '9999-12-31 23:59:59.9999999',
    '2024-06-01 12:30:00.123 +05:30',
    '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    'ab   ',
    'plain ascii',
    'Grüße 東京',
    'äöü',
    'Ünïcödé 😀 text',
    Buffer.from([1, 2, 3, 4]),
    Buffer.from([0xff]),
    'x'.repeat(10000),
    long,
    Buffer.alloc(9000, 7),
  ])
  assert.deepEqual(rows[1], nulls)
  await c.close()
})

test('batches commit one by one and progress is reported', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.batched (id int NOT NULL, name nvarchar(50) NULL, amount decimal(10,2) NULL)')
  const seen: BulkProgressInfo[] = []
  function* rows() {
    for (let i = 1; i <= 25_000; i++) yield [i, `name ${i}`, (i % 1000) / 100]
  }
  const summary = await c.bulkCopy('dbo.batched', rows(), { batchSize: 10_000, tableLock: true, onProgress: (p) => seen.push(p) })
  assert.deepEqual([summary.rowsCopied, summary.batchCount], [25_000, 3])
  assert.ok(summary.elapsedMs >= 0)
  const last = seen.at(-1)!
  assert.deepEqual([last.rowsCommitted, last.rowsSent, last.batch], [25_000, 25_000, 3])
  assert.ok(last.bytesSent > 25_000 * 10)
  const { rows: back } = await c.query('SELECT COUNT(*) FROM dbo.batched')
  assert.deepEqual(back, [[25_000]])
  await c.close()
})

test('async iterables and column mappings', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.mapped (id int IDENTITY(1,1) NOT NULL, amount money NULL, label varchar(10) NULL)')
  async function* rows() {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r))
      yield [`L${i}`, i * 1.25]
    }
  }
  const s = await c.bulkCopy('dbo.mapped', rows(), {
    columnMappings: [
      [1, 'amount'],
      [0, 'label'],
    ],
  })
  assert.equal(s.rowsCopied, 3)
  const { rows: back } = await c.query('SELECT * FROM dbo.mapped')
  assert.deepEqual(back, [
    [1, '0.0000', 'L0'],
    [2, '1.2500', 'L1'],
    [3, '2.5000', 'L2'],
  ])
  await assert.rejects(c.bulkCopy('dbo.mapped', [[1]], { columnMappings: [[0, 'nope']] }), (e: SluiceError) => {
    assert.match(e.message, /nope/)
    assert.match(e.message, /amount/)
    return true
  })
  await c.close()
})

test('a value that does not fit names row, column and value, and earlier batches stay committed', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.strict_values (id int NOT NULL, code varchar(3) NULL)')
  const rows = Array.from({ length: 250 }, (_, i) => [i + 1, i === 211 ? 'TOOLONG' : 'ok'])
  await assert.rejects(c.bulkCopy('dbo.strict_values', rows, { batchSize: 100 }), (e: SluiceError) => {
    assert.equal(e.code, 'EVALUE')
    assert.equal(e.row, 212)
    assert.equal(e.column, 'code')
    assert.match(String(e.value), /TOOLONG/)
    assert.equal(e.rowsCommitted, 200)
    assert.equal(e.batchesCommitted, 2)
    assert.equal(e.failedBatch, 3)
    return true
  })
  const { rows: back } = await c.query('SELECT COUNT(*) FROM dbo.strict_values')
  assert.deepEqual(back, [[200]])
  // The connection is still usable after the abandoned batch.
  assert.deepEqual((await c.query('SELECT 1')).rows, [[1]])
  await c.close()
})

test('a batch the server refuses is reported with the server error and the committed account', async () => {
  const c = await client(failing)
  await c.query('CREATE TABLE dbo.refused (id int NOT NULL)')
  const rows = Array.from({ length: 50 }, (_, i) => [i])
  await assert.rejects(c.bulkCopy('dbo.refused', rows, { batchSize: 10 }), (e: SluiceError) => {
    assert.equal(e.code, 'EREQUEST')
    assert.equal(e.number, 4891)
    assert.deepEqual([e.batchesCommitted, e.rowsCommitted, e.failedBatch], [2, 20, 3])
    return true
  })
  const { rows: back } = await c.query('SELECT COUNT(*) FROM dbo.refused')
  assert.deepEqual(back, [[20]])
  await c.close()
})

test('NULL into a NOT NULL column is caught before the row is sent', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.not_null (id int NOT NULL, v int NOT NULL)')
  await assert.rejects(
    c.bulkCopy('dbo.not_null', [
      [1, 1],
      [2, null],
    ]),
    (e: SluiceError) => {
      assert.equal(e.code, 'EVALUE')
      assert.equal(e.row, 2)
      assert.equal(e.column, 'v')
      assert.equal(e.rowsCommitted, 0)
      return true
    },
  )
  await c.close()
})

test('without keepNulls a NULL takes the column default, even in a NOT NULL column', async () => {
  const c = await client()
  await c.query("CREATE TABLE dbo.defaults (id int NOT NULL, v int NOT NULL DEFAULT 7, w nvarchar(5) NULL DEFAULT N'dflt')")
  const s = await c.bulkCopy('dbo.defaults', [
    [1, null, null],
    [2, 3, 'x'],
  ])
  assert.equal(s.rowsCopied, 2)
  assert.deepEqual((await c.query('SELECT * FROM dbo.defaults ORDER BY id')).rows, [
    [1, 7, 'dflt'],
    [2, 3, 'x'],
  ])
  // With keepNulls the NULL stays NULL: refused for the NOT NULL column before it is sent,
  // stored as NULL in the nullable one.
  await assert.rejects(c.bulkCopy('dbo.defaults', [[3, null, 'y']], { keepNulls: true }), (e: SluiceError) => {
    assert.deepEqual([e.code, e.row, e.column], ['EVALUE', 1, 'v'])
    return true
  })
  await c.bulkCopy('dbo.defaults', [[4, 4, null]], { keepNulls: true })
  assert.deepEqual((await c.query('SELECT w FROM dbo.defaults WHERE id = 4')).rows, [[null]])
  // The same for a #temp table (its catalog is tempdb's).
  await c.query('CREATE TABLE #defaults (id int NOT NULL, v int NOT NULL DEFAULT 9)')
  await c.bulkCopy('#defaults', [[1, null]])
  assert.deepEqual((await c.query('SELECT * FROM #defaults')).rows, [[1, 9]])
  // A NOT NULL column without a default still refuses NULL up front.
  await assert.rejects(c.bulkCopy('dbo.defaults', [[null, 1, 'z']]), (e: SluiceError) => {
    assert.deepEqual([e.code, e.row, e.column], ['EVALUE', 1, 'id'])
    return true
  })
  await c.close()
})

test('a dropped connection leaves a precise account', async () => {
  const c = await client(dropping)
  await c.query('CREATE TABLE dbo.dropped (id int NOT NULL)')
  const rows = Array.from({ length: 5000 }, (_, i) => [i])
  await assert.rejects(c.bulkCopy('dbo.dropped', rows, { batchSize: 1000 }), (e: SluiceError) => {
    assert.ok(['ESOCKET', 'ECLOSED', 'EPROTOCOL'].includes(e.code), e.code)
    assert.equal(e.batchesCommitted, 2)
    assert.equal(e.rowsCommitted, 2000)
    // Batch 3 was being sent when the server dropped the connection: it did not commit, or, if
    // all of it had been sent, its fate is in doubt; either way it is named.
    assert.ok(e.failedBatch === 3 || e.inDoubtBatch === 3, JSON.stringify(e))
    return true
  })
})

test('an AbortSignal cancels the load; committed batches stay, the one in flight does not', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.cancelled (id int NOT NULL)')
  const ac = new AbortController()
  let seenCommitted = 0
  async function* rows() {
    for (let i = 0; i < 1_000_000; i++) {
      if (i === 3500) {
        // Abort only once a batch is known to have committed (a slow machine may not have had
        // batch 1's answer yet at row 3500); the wait is bounded.
        for (let t = 0; t < 200 && seenCommitted < 1000; t++) await new Promise((r) => setTimeout(r, 50))
        ac.abort()
        await new Promise((r) => setTimeout(r, 20))
      }
      yield [i]
    }
  }
  let committed = -1
  const onProgress = (p: { rowsCommitted: number }) => {
    seenCommitted = Math.max(seenCommitted, p.rowsCommitted)
  }
  await assert.rejects(c.bulkCopy('dbo.cancelled', rows(), { batchSize: 1000, signal: ac.signal, onProgress }), (e: SluiceError) => {
    assert.equal(e.code, 'ECANCEL')
    committed = e.rowsCommitted!
    assert.equal(e.rowsCommitted, e.batchesCommitted! * 1000)
    assert.ok(e.batchesCommitted! >= 1 && e.batchesCommitted! <= 3, String(e.batchesCommitted))
    return true
  })
  const { rows: back } = await c.query('SELECT COUNT(*) FROM dbo.cancelled')
  assert.equal((back[0]![0]! as number) % 1000, 0)
  assert.equal(back[0]![0], committed)
  assert.deepEqual((await c.query('SELECT 1')).rows, [[1]])
  await c.close()
})
