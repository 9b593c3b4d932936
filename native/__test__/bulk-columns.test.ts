// bulkCopyColumns (columnar batches: typed arrays read in place, plain arrays, null masks)
// against the test server, checked against the row path: the same data loaded both ways reads
// back the same. Also the row lane's edges (rows laid side by side as call arguments).

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Client, connect, type SluiceError } from '@sluice/native'
import { startServer, type TestServer } from '../../test/helpers/server'
import { ending, runGroup } from './hostile-run'

let server: TestServer

before(async () => {
  server = await startServer(['--encrypt', 'optional'])
})
after(async () => {
  await server?.stop()
})

async function client(): Promise<Client> {
  return connect(server.connectionString('Encrypt=True;TrustServerCertificate=True'))
}

const NUMBERS = `(id int NOT NULL, ti tinyint NULL, si smallint NULL, bi bigint NULL, u32 bigint NULL, r real NULL,
  f float NULL, d decimal(20,0) NULL, m money NULL, b bit NULL, dt date NULL, dt2 datetime2(3) NULL,
  dto datetimeoffset(3) NULL, name nvarchar(20) NULL, code varchar(8) NULL)`

function* numberRows(n: number): Generator<unknown[]> {
  for (let i = 0; i < n; i++) {
    const ms = Date.UTC(2000, 0, 1) + i * 86_399_001
    yield [
      i,
      i % 256,
      (i % 65536) - 32768,
      i % 7 === 0 ? null : BigInt(i) * 1_000_000_007n - 9_000_000_000n,
      4_000_000_000 + i,
      i % 5 === 0 ? null : i / 8,
      i * 0.1,
      BigInt(i) * 10n ** 15n,
      i * 1.25,
      i % 2 === 1,
      new Date(Math.floor(ms / 86_400_000) * 86_400_000),
      new Date(ms),
      new Date(ms),
      i % 3 === 0 ? null : `n${i} é`,
      `c${i % 1000}`,
    ]
  }
}

/** The same values as numberRows, as one columnar batch of typed arrays and plain arrays. */
function numberColumns(n: number): unknown[] {
  const rows = [...numberRows(n)]
  const col = (k: number) => rows.map((r) => r[k])
  const bigNulls = new Uint8Array(n)
  const bi = new BigInt64Array(n)
  const rNulls = new Uint8Array(n)
  const r = new Float32Array(n)
  rows.forEach((row, i) => {
    if (row[3] === null) bigNulls[i] = 1
    else bi[i] = row[3] as bigint
    if (row[5] === null) rNulls[i] = 1
    else r[i] = row[5] as number
  })
  return [
    Int32Array.from(col(0) as number[]),
    Uint8Array.from(col(1) as number[]),
    Int16Array.from(col(2) as number[]),
    { values: bi, nulls: bigNulls },
    Uint32Array.from(col(4) as number[]),
    { values: r, nulls: rNulls },
    Float64Array.from(col(6) as number[]),
    BigUint64Array.from(col(7) as bigint[]),
    Float64Array.from(col(8) as number[]),
    Uint8Array.from(col(9) as boolean[], (b) => (b ? 1 : 0)),
    Float64Array.from(col(10) as Date[], (d) => d.getTime()),
    Float64Array.from(col(11) as Date[], (d) => d.getTime()),
    col(12), // Date objects in a plain array
    col(13), // strings and nulls
    col(14),
  ]
}

test('columnar batches load exactly what the same rows load', async () => {
  const c = await client()
  await c.query(`CREATE TABLE dbo.by_rows ${NUMBERS}`)
  await c.query(`CREATE TABLE dbo.by_columns ${NUMBERS}`)
  const n = 3000
  const a = await c.bulkCopy('dbo.by_rows', numberRows(n), { batchSize: 1000 })
  // Two batches of columns, split unevenly, with a batch size that cuts across them.
  const cols = numberColumns(n)
  const slice = (from: number, to: number) =>
    cols.map((col) => {
      if (Array.isArray(col)) return col.slice(from, to)
      if (ArrayBuffer.isView(col)) return (col as Int32Array).subarray(from, to)
      const { values, nulls } = col as { values: Int32Array; nulls: Uint8Array }
      return { values: values.subarray(from, to), nulls: nulls.subarray(from, to) }
    })
  const b = await c.bulkCopyColumns('dbo.by_columns', [slice(0, 1234), slice(1234, n)], { batchSize: 1000 })
  assert.deepEqual([a.rowsCopied, a.batchCount], [n, 3])
  assert.deepEqual([b.rowsCopied, b.batchCount], [n, 3])
  const x = await c.query('SELECT * FROM dbo.by_rows ORDER BY id')
  const y = await c.query('SELECT * FROM dbo.by_columns ORDER BY id')
  assert.equal(x.rows.length, n)
  assert.deepEqual(y.rows, x.rows)
  // Spot checks that the columns meant what they say.
  assert.deepEqual(y.rows[7], [
    7,
    7,
    -32761,
    null,
    4000000007n,
    0.875,
    0.7000000000000001,
    '7000000000000000',
    '8.7500',
    true,
    '2000-01-07',
    '2000-01-07 23:59:53.007',
    '2000-01-07 23:59:53.007 +00:00',
    'n7 é',
    'c7',
  ])
  await c.close()
})

test('one in-memory batch, async batches, and column mappings', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.col_mapped (id int IDENTITY(1,1) NOT NULL, amount money NULL, label varchar(10) NULL)')
  const s = await c.bulkCopyColumns('dbo.col_mapped', [[['a', 'b', 'c'], new Float64Array([1.5, 2.25, -3])]], {
    columnMappings: [
      [1, 'amount'],
      [0, 'label'],
    ],
  })
  assert.equal(s.rowsCopied, 3)
  async function* batches() {
    for (let k = 0; k < 3; k++) {
      await new Promise((r) => setImmediate(r))
      yield [[`x${k}`], { values: new Float64Array([k]), nulls: new Uint8Array([k === 1 ? 1 : 0]) }]
    }
  }
  const t = await c.bulkCopyColumns('dbo.col_mapped', batches(), {
    columnMappings: [
      [1, 'amount'],
      [0, 'label'],
    ],
  })
  assert.equal(t.rowsCopied, 3)
  const { rows } = await c.query('SELECT * FROM dbo.col_mapped ORDER BY id')
  assert.deepEqual(rows, [
    [1, '1.5000', 'a'],
    [2, '2.2500', 'b'],
    [3, '-3.0000', 'c'],
    [4, '0.0000', 'x0'],
    [5, null, 'x1'],
    [6, '2.0000', 'x2'],
  ])
  await c.close()
})

test('a columnar value that does not fit names its row across batches and calls', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.col_strict (id int NOT NULL, small tinyint NULL, label nvarchar(4) NULL)')
  const batch = (from: number, n: number, bad: number | null) => {
    const ids = new Int32Array(n).map((_, i) => from + i)
    const small = new Int16Array(n).fill(1)
    if (bad !== null) small[bad - from] = 300
    const labels = Array.from({ length: n }, (_, i) => `r${(from + i) % 100}`)
    return [ids, small, labels]
  }
  await assert.rejects(
    c.bulkCopyColumns('dbo.col_strict', [batch(1, 1500, null), batch(1501, 1500, 2600)], { batchSize: 1000 }),
    (e: SluiceError) => {
      assert.equal(e.code, 'EVALUE')
      assert.equal(e.row, 2600)
      assert.equal(e.column, 'small')
      assert.equal(e.value, '300')
      assert.deepEqual([e.rowsCommitted, e.batchesCommitted, e.failedBatch], [2000, 2, 3])
      return true
    },
  )
  // A plain column's bad value, and NaN in a typed float column, are named the same way.
  await assert.rejects(c.bulkCopyColumns('dbo.col_strict', [[new Int32Array([1, 2]), [1, 2], ['ok', 'too long']]]), (e: SluiceError) => {
    assert.deepEqual([e.code, e.row, e.column], ['EVALUE', 2, 'label'])
    return true
  })
  await assert.rejects(c.bulkCopyColumns('dbo.col_strict', [[new Float64Array([1, Number.NaN]), [1, 2], ['a', 'b']]]), (e: SluiceError) => {
    assert.deepEqual([e.code, e.row, e.column], ['EVALUE', 2, 'id'])
    return true
  })
  const { rows } = await c.query('SELECT COUNT(*) FROM dbo.col_strict')
  assert.deepEqual(rows, [[2000]])
  await c.close()
})

test('malformed columnar batches are refused before anything is sent', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.col_shape (a int NULL, b int NULL)')
  const cases: [unknown, RegExp][] = [
    [[[new Int32Array(2), new Int32Array(3)]], /column 1 has 3 values, column 0 has 2/],
    [[[new Int32Array(2)]], /has 1 columns; the column mapping needs 2/],
    [[[new Int32Array(2), new DataView(new ArrayBuffer(8))]], /column 1 must be/],
    [[[new Int32Array(2), { values: new Int32Array(2), nulls: [0, 1] }]], /nulls must be a Uint8Array/],
    [[[new Int32Array(2), { values: new Int32Array(2), nulls: new Uint8Array(1) }]], /nulls has 1 entries for 2 rows/],
    [[[new Int32Array(2), 'ab']], /column 1 must be/],
    [[{ a: 1 }], /batch 0 must be an array of columns/],
    [42, /batches must be an Iterable/],
  ]
  for (const [batches, message] of cases) {
    await assert.rejects(c.bulkCopyColumns('dbo.col_shape', batches as never), (e: Error) => {
      assert.ok(e instanceof TypeError, String(e))
      assert.match(e.message, message)
      return true
    })
  }
  const { rows } = await c.query('SELECT COUNT(*) FROM dbo.col_shape')
  assert.deepEqual(rows, [[0]])
  assert.deepEqual((await c.query('SELECT 1')).rows, [[1]])
  await c.close()
})

test('rows: a short or non-array row among good ones is named, the rows before it land', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.row_shape (a int NULL, b nvarchar(10) NULL)')
  for (const bad of [[1], 'not a row', null]) {
    await c.query('TRUNCATE TABLE dbo.row_shape')
    const rows: unknown[] = Array.from({ length: 2000 }, (_, i) => [i, `v${i}`])
    rows[1499] = bad
    await assert.rejects(c.bulkCopy('dbo.row_shape', rows as unknown[][], { batchSize: 500 }), (e: SluiceError) => {
      assert.equal(e.code, 'EVALUE')
      assert.equal(e.row, 1500)
      assert.deepEqual([e.rowsCommitted, e.batchesCommitted, e.failedBatch], [1000, 2, 3])
      return true
    })
    const { rows: back } = await c.query('SELECT COUNT(*) FROM dbo.row_shape')
    assert.deepEqual(back, [[1000]])
  }
  // Extra values beyond the mapping are ignored, as before.
  const s = await c.bulkCopy('dbo.row_shape', [[1, 'x', 'ignored', 4]])
  assert.equal(s.rowsCopied, 1)
  await c.close()
})

test('maxErrors skips bad rows, reports each to onReject, and counts them; past the limit the load fails', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.rejects (id int NOT NULL, small tinyint NULL, label nvarchar(4) NULL)')
  const bad = new Map<number, unknown[]>([
    [700, [700, 300, 'a']], // small overflows
    [701, [701, 1, 'too long']], // two bad rows in a row
    [1500, [1500]], // malformed: too short
    [2500, [null, 1, 'x']], // NULL into NOT NULL
  ])
  function* rows() {
    for (let i = 1; i <= 3000; i++) yield bad.get(i) ?? [i, i % 200, `r${i % 100}`]
  }
  const seen: { row: number; column: string; values: unknown[] }[] = []
  const s = await c.bulkCopy('dbo.rejects', rows(), {
    batchSize: 1000,
    maxErrors: 10,
    onReject: (r) => seen.push({ row: r.row, column: r.column, values: r.values }),
  })
  assert.deepEqual([s.rowsCopied, s.rowsRejected, s.batchCount], [2996, 4, 3])
  assert.deepEqual(
    seen.map((r) => [r.row, r.column]),
    [
      [700, 'small'],
      [701, 'label'],
      [1500, ''],
      [2500, 'id'],
    ],
  )
  assert.deepEqual(seen[0]!.values, [700, 300, 'a'])
  assert.deepEqual(seen[2]!.values, [1500])
  const { rows: back } = await c.query('SELECT COUNT(*), MIN(id), MAX(id) FROM dbo.rejects')
  assert.deepEqual(back, [[2996, 1, 3000]])

  // The same through columns: the bad cells are named by row across batches.
  await c.query('TRUNCATE TABLE dbo.rejects')
  const ids = Int32Array.from({ length: 2000 }, (_, i) => i + 1)
  const small = Int16Array.from({ length: 2000 }, (_, i) => (i + 1 === 1234 || i + 1 === 1999 ? -1 : 1))
  const labels = Array.from({ length: 2000 }, (_, i) => (i + 1 === 1500 ? 'far too long' : 'ok'))
  const cs: number[] = []
  const t = await c.bulkCopyColumns(
    'dbo.rejects',
    [
      [ids.subarray(0, 1300), small.subarray(0, 1300), labels.slice(0, 1300)],
      [ids.subarray(1300), small.subarray(1300), labels.slice(1300)],
    ],
    { maxErrors: Number.POSITIVE_INFINITY, onReject: (r) => cs.push(r.row) },
  )
  assert.deepEqual([t.rowsCopied, t.rowsRejected], [1997, 3])
  assert.deepEqual(cs, [1234, 1500, 1999])
  assert.deepEqual((await c.query('SELECT COUNT(*) FROM dbo.rejects')).rows, [[1997]])

  // Past the limit: the error is the row that broke it, with the account.
  await c.query('TRUNCATE TABLE dbo.rejects')
  await assert.rejects(c.bulkCopy('dbo.rejects', rows(), { batchSize: 1000, maxErrors: 1 }), (e: SluiceError) => {
    assert.deepEqual([e.code, e.row, e.column, e.rowsRejected], ['EVALUE', 701, 'label', 1])
    assert.deepEqual([e.rowsCommitted, e.batchesCommitted, e.failedBatch], [0, 0, 1])
    return true
  })
  await assert.rejects(c.bulkCopy('dbo.rejects', [[1, 1, 'a']], { maxErrors: -1 }), /maxErrors must be/)
  await c.close()
})

test('rows: binary values are Buffers and Uint8Arrays; other typed arrays are refused, not loaded as raw bytes', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.row_bytes (id int NOT NULL, b varbinary(16) NULL)')
  await c.bulkCopy('dbo.row_bytes', [
    [1, Buffer.from([1, 2])],
    [2, new Uint8Array([3, 4, 5])],
    [3, new Uint8Array(0)],
  ])
  assert.deepEqual((await c.query('SELECT * FROM dbo.row_bytes ORDER BY id')).rows, [
    [1, Buffer.from([1, 2])],
    [2, Buffer.from([3, 4, 5])],
    [3, Buffer.alloc(0)],
  ])
  for (const bad of [new Float64Array([1]), new Uint16Array([1]), new DataView(new ArrayBuffer(2))]) {
    await assert.rejects(c.bulkCopy('dbo.row_bytes', [[4, bad]]), (e: SluiceError) => {
      assert.deepEqual([e.code, e.row, e.column], ['EVALUE', 1, 'b'])
      assert.match(e.message, /Date, Buffer and Uint8Array/)
      return true
    })
  }
  await c.close()
})

test('a getter that shrinks or detaches a column’s buffer after it was read is refused, never read (child process: it was a SIGSEGV)', async () => {
  // hostile-cases.ts "buffers": the k-th read of a batch's column 1 shrinks the resizable buffer
  // behind column 0, or transfers it or a null mask away; for every k the load must end in a
  // load or a TypeError, with rowsCommitted equal to what the table holds.
  const r = await runGroup('buffers', server.connectionString('Encrypt=True;TrustServerCertificate=True'))
  assert.ok(!r.timedOut && r.signal === null && r.code === 0, ending(r))
  assert.deepEqual(
    r.cases.map((k) => k.name),
    r.names,
  )
  assert.ok(r.names.length >= 9)
  assert.deepEqual(
    r.cases.filter((k) => k.problems.length > 0),
    [],
  )
})
