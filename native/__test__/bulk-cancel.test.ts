// Cancelling bulkCopy at every moment a hostile caller can pick — while the socket is busy,
// while the table's metadata is read, after the last row, with a source stuck in next(), with a
// server that never answers — never crashes, settles promptly, and leaves an account that
// matches the table. Also: a load never starves the event loop, and a throwing onProgress does
// not fail a committed load.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type Client, connect, type SluiceError } from '@sluice/native'
import { startServer, type TestServer } from '../../test/helpers/server'

let server: TestServer
let slow: TestServer
let slower: TestServer
let hung: TestServer

before(async () => {
  ;[server, slow, slower, hung] = await Promise.all([
    startServer(['--encrypt', 'optional']),
    startServer(['--encrypt', 'optional', '--reply-delay-ms', '5']),
    startServer(['--encrypt', 'optional', '--reply-delay-ms', '300']),
    startServer(['--encrypt', 'optional', '--reply-delay-ms', '30000']),
  ])
})
after(async () => {
  await Promise.all([server, slow, slower, hung].map((s) => s?.stop()))
})

async function client(s: TestServer = server): Promise<Client> {
  return connect(s.connectionString('Encrypt=True;TrustServerCertificate=True'))
}

/** What the table holds must be what the account says, or the named in-doubt batch is all the difference. */
async function assertAccount(c: Client, table: string, e: SluiceError, batchSize: number) {
  const held = (await c.query(`SELECT COUNT(*) FROM ${table}`)).rows[0]![0] as number
  if (e.inDoubtBatch == null) assert.equal(held, e.rowsCommitted, JSON.stringify(e))
  else assert.ok(held === e.rowsCommitted || held === e.rowsCommitted! + batchSize, `${held} ${JSON.stringify(e)}`)
  if (e.failedBatch != null) assert.equal(e.failedBatch, e.batchesCommitted! + 1)
}

function* generated(n: number) {
  for (let i = 0; i < n; i++) yield [i, `value ${i}`, i / 7]
}

test('aborting while the load waits for the socket rejects with ECANCEL instead of killing Node', async () => {
  const c = await client(slow)
  await c.query('CREATE TABLE dbo.abort_waiting (id int, v nvarchar(20), f float)')
  const ac = new AbortController()
  setTimeout(() => ac.abort(), 30)
  const e = (await c.bulkCopy('dbo.abort_waiting', generated(200_000), { batchSize: 10_000, signal: ac.signal }).then(
    () => assert.fail('the load was not cancelled'),
    (err) => err,
  )) as SluiceError
  assert.equal(e.code, 'ECANCEL', e.message)
  await assertAccount(c, 'dbo.abort_waiting', e, 10_000)
  assert.deepEqual((await c.query('SELECT 1')).rows, [[1]])
  await c.close()
})

test('cancels at many moments leave rowsCommitted equal to what the table holds', async () => {
  const c = await client(slow)
  for (let delay = 0; delay <= 120; delay += 8) {
    const table = `dbo.abort_at_${delay}`
    await c.query(`CREATE TABLE ${table} (id int, v nvarchar(20), f float)`)
    const ac = new AbortController()
    setTimeout(() => ac.abort(), delay)
    try {
      const s = await c.bulkCopy(table, generated(20_000), { batchSize: 1024, signal: ac.signal })
      assert.deepEqual((await c.query(`SELECT COUNT(*) FROM ${table}`)).rows, [[s.rowsCopied]])
    } catch (err) {
      const e = err as SluiceError
      assert.equal(e.code, 'ECANCEL', `abort at ${delay} ms: ${e.message}`)
      await assertAccount(c, table, e, 1024)
    }
  }
  await c.close()
})

test('cancels of a columnar load at many moments leave rowsCommitted equal to what the table holds', async () => {
  const c = await client(slow)
  function* batches(n: number) {
    for (let b = 0; b < n; b++) {
      const ids = Int32Array.from({ length: 1000 }, (_, i) => b * 1000 + i)
      yield [ids, Array.from(ids, (i) => `value ${i}`), Float64Array.from(ids, (i) => i / 7)]
    }
  }
  for (let delay = 0; delay <= 90; delay += 15) {
    const table = `dbo.abort_columns_${delay}`
    await c.query(`CREATE TABLE ${table} (id int, v nvarchar(20), f float)`)
    const ac = new AbortController()
    setTimeout(() => ac.abort(), delay)
    try {
      const s = await c.bulkCopyColumns(table, batches(20), { batchSize: 1500, signal: ac.signal })
      assert.deepEqual((await c.query(`SELECT COUNT(*) FROM ${table}`)).rows, [[s.rowsCopied]])
    } catch (err) {
      const e = err as SluiceError
      assert.equal(e.code, 'ECANCEL', `abort at ${delay} ms: ${e.message}`)
      await assertAccount(c, table, e, 1500)
    }
  }
  await c.close()
})

test('an abort while the table metadata is read rejects with ECANCEL, not success', async () => {
  const c = await client(slower)
  await c.query('CREATE TABLE dbo.abort_begin (id int)')
  const ac = new AbortController()
  setTimeout(() => ac.abort(), 100) // the metadata query takes 300 ms to answer
  await assert.rejects(c.bulkCopy('dbo.abort_begin', [[1], [2]], { signal: ac.signal }), (e: SluiceError) => {
    assert.equal(e.code, 'ECANCEL')
    assert.equal(e.rowsCommitted, 0)
    return true
  })
  assert.deepEqual((await c.query('SELECT COUNT(*) FROM dbo.abort_begin')).rows, [[0]])
  await c.close()
})

test('an abort settles the load promptly even when the server never answers the metadata query', async () => {
  // Every answer takes 30 s: the connection is opened before, the load's first query hangs.
  const c = await connect(hung.connectionString('Encrypt=True;TrustServerCertificate=True'))
  const ac = new AbortController()
  setTimeout(() => ac.abort(), 50)
  const started = performance.now()
  await assert.rejects(c.bulkCopy('dbo.whatever', [[1]], { signal: ac.signal }), (e: SluiceError) => {
    assert.equal(e.code, 'ECANCEL')
    assert.deepEqual([e.rowsCommitted, e.failedBatch, e.inDoubtBatch], [0, null, null])
    return true
  })
  const took = performance.now() - started
  assert.ok(took < 5_000, `settled after ${took.toFixed(0)} ms`)
  // The client is left to the server's stop: its metadata query is still awaiting the answer.
})

test('an abort after the last row was fed cancels the batch awaiting its answer; the account says it committed', async () => {
  const c = await client(slower)
  await c.query('CREATE TABLE dbo.abort_last (id int)')
  const ac = new AbortController()
  function* rows() {
    for (let i = 0; i < 100; i++) yield [i]
    // The last row is fed; INSERT BULK takes 300 ms, the batch's answer 300 ms more: the
    // abort lands while that answer is awaited, after the server stored the batch.
    setTimeout(() => ac.abort(), 450)
  }
  await assert.rejects(c.bulkCopy('dbo.abort_last', rows(), { signal: ac.signal }), (e: SluiceError) => {
    assert.equal(e.code, 'ECANCEL')
    assert.deepEqual([e.rowsCommitted, e.batchesCommitted, e.failedBatch, e.inDoubtBatch], [100, 1, null, null])
    return true
  })
  assert.deepEqual((await c.query('SELECT COUNT(*) FROM dbo.abort_last')).rows, [[100]])
  await c.close()
})

test('a source whose next() never settles is cancelled promptly', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.stuck_source (id int)')
  const ac = new AbortController()
  const stuck: AsyncIterable<unknown[]> = {
    [Symbol.asyncIterator]() {
      let i = 0
      return { next: () => (i < 10 ? Promise.resolve({ value: [i++], done: false }) : new Promise(() => {})) }
    },
  }
  setTimeout(() => ac.abort(), 50)
  let timer: NodeJS.Timeout | undefined
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('still pending 5 s after the abort')), 5_000)
  })
  await assert.rejects(Promise.race([c.bulkCopy('dbo.stuck_source', stuck, { signal: ac.signal }), late]), (e: SluiceError) => {
    assert.equal(e.code, 'ECANCEL')
    assert.equal(e.rowsCommitted, 0)
    return true
  })
  clearTimeout(timer)
  assert.deepEqual((await c.query('SELECT COUNT(*) FROM dbo.stuck_source')).rows, [[0]])
  await c.close()
})

test('a synchronous load that never waits for the socket lets timers run while it goes', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.fast_sync (id int, v nvarchar(20), f float)')
  // A source that works a little for each row (as a parser does): the server keeps up, so
  // the load never waits for the socket, and only the wrapper's own yielding lets timers run.
  function* working(n: number) {
    for (let i = 0; i < n; i++) {
      const until = performance.now() + 0.02
      while (performance.now() < until) {}
      yield [i, `value ${i}`, i / 7]
    }
  }
  let ticks = 0
  let last = performance.now()
  let maxGap = 0
  const interval = setInterval(() => {
    const now = performance.now()
    maxGap = Math.max(maxGap, now - last)
    last = now
    ticks++
  }, 10)
  const started = performance.now()
  try {
    await c.bulkCopy('dbo.fast_sync', working(20_000), { batchSize: 50_000 })
  } finally {
    clearInterval(interval)
  }
  const elapsed = performance.now() - started
  // A 10 ms interval fires about every 10 ms when the loop turns (the wrapper yields after
  // at most ~15 ms of work). One tick per 100 ms on average is a bound a busy machine keeps;
  // without yielding there is none at all until the load ends.
  assert.ok(ticks * 100 >= elapsed, `${ticks} ticks in ${elapsed.toFixed(0)} ms (longest gap ${maxGap.toFixed(0)} ms)`)
  assert.deepEqual((await c.query('SELECT COUNT(*) FROM dbo.fast_sync')).rows, [[20_000]])
  await c.close()
})

test('a throwing onProgress neither fails nor loses a committed load', async () => {
  const c = await client()
  await c.query('CREATE TABLE dbo.progress_throws (id int NOT NULL)')
  const boom = new Error('the progress bar broke')
  let calls = 0
  const summary = await c.bulkCopy(
    'dbo.progress_throws',
    Array.from({ length: 25_000 }, (_, i) => [i]),
    {
      batchSize: 10_000,
      onProgress: () => {
        calls++
        throw boom
      },
    },
  )
  assert.deepEqual([summary.rowsCopied, summary.batchCount], [25_000, 3])
  assert.equal(summary.progressError, boom)
  assert.equal(calls, 1, 'not called again after it threw')
  assert.deepEqual((await c.query('SELECT COUNT(*) FROM dbo.progress_throws')).rows, [[25_000]])
  await c.close()
})
