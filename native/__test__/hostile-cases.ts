// Hostile inputs for the binding, run in a child process (see hostile.test.ts and
// bulk-columns.test.ts): a crash (SIGSEGV, an abort on a panic) or a hang must not take the test
// runner with it, so the parent forks this file once per group, asserts it exits cleanly in
// time, and checks what each case reported.
//
// Usage: node --import tsx hostile-cases.ts <group> [name filter], with SLUICE_TEST_CS set to a connection
// string. Prints one line `CASE <json>` per case: its name and the problems found (none = pass).
// Every case loads into a table of its own, and after every case the child checks that the
// connection still answers and that what the load reported committed (rowsCommitted on a
// failure, rowsCopied on success) is exactly what the table holds (SELECT COUNT(*)).

import { type Client, connect, type SluiceError } from '@sluice/native'
import type { BulkSession, Client as NativeClient } from '../index'

type Outcome = { settled: 'resolved'; value: unknown } | { settled: 'rejected'; error: unknown } | { settled: 'hung' }

interface Expect {
  /** 'resolve', or what the rejection must be: a constructor name ('TypeError', 'Error') or a SluiceError code. */
  outcome: 'resolve' | 'TypeError' | 'RangeError' | 'Error' | 'EVALUE' | 'ECANCEL' | 'EBUSY' | 'any'
  /** The message must match. */
  message?: RegExp
  /** EVALUE: the row and column named. */
  row?: number
  column?: string
  /** Rows the table must hold afterwards (checked against the reported account too). */
  rows?: number
  /** The very value thrown must come back (identity kept). */
  same?: unknown
}

interface Case {
  name: string
  /** Table definition (columns) for this case's table; default TABLE. */
  table?: string
  run(c: Client, table: string): Promise<unknown>
  expect: Expect
}

const TABLE = '(id int NULL, v nvarchar(40) NULL, f float NULL, b varbinary(16) NULL, d datetime2(3) NULL)'
const CASE_TIMEOUT_MS = 20_000

/** Good rows `from..from+n-1` for TABLE. */
function* good(n: number, from = 1): Generator<unknown[]> {
  for (let i = from; i < from + n; i++) yield [i, `v${i}`, i / 2, Buffer.from([i & 255]), new Date(Date.UTC(2020, 0, 1) + i * 1000)]
}

/**
 * 2,500 good rows, then `bad` (a row, or a function making it) as row 2,501, then 50 more. With
 * batches of 1,000 two batches commit before the bad row (the JS lane pushes 1,024 rows a call).
 */
function* around(bad: unknown): Generator<unknown> {
  yield* good(2500)
  yield typeof bad === 'function' ? (bad as () => unknown)() : bad
  yield* good(50, 2502)
}

/** A row of TABLE whose value `index` is a getter running `get`. */
function rowWithGetter(index: number, get: () => unknown): unknown[] {
  const row: unknown[] = [2501, 'x', 1, null, null]
  Object.defineProperty(row, index, { get, enumerable: true })
  return row
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

const throwingObject = {
  toString(): string {
    throw new Error('toString was called')
  },
  valueOf(): number {
    throw new Error('valueOf was called')
  },
}

/** An ArrayBuffer that can shrink (ES2024; typed here as the lib in use predates it). */
type Resizable = ArrayBuffer & { resize(bytes: number): void }
function resizable(bytes: number): Resizable {
  const Ctor = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => Resizable
  return new Ctor(bytes, { maxByteLength: bytes })
}

/** Detaches `buf` (moves its memory away), as postMessage would. */
function detach(buf: ArrayBuffer): void {
  structuredClone(buf, { transfer: [buf] })
}

/** A batch for (a float, b float): column 0 `first`, column 1 a getter running `onRead(k)` on its k-th read. */
function batchWithGetter(first: unknown, n: number, onRead: (k: number) => void): never {
  const second = new Float64Array(n).fill(2)
  const batch: unknown[] = [first]
  let reads = 0
  Object.defineProperty(batch, 1, {
    enumerable: true,
    get() {
      onRead(++reads)
      return second
    },
  })
  return batch as never
}

const AB = '(a float NULL, b float NULL)'
const ROWS = 5000

/** Buffer tricks a getter plays on a column already read: the k-th read of column 1 does it. */
function bufferCases(): Case[] {
  const cases: Case[] = []
  for (const k of [1, 2, 3]) {
    cases.push({
      name: `a getter shrinks a resizable buffer a column already read (read ${k})`,
      table: AB,
      run: (c, t) => {
        const buf = resizable(ROWS * 8)
        const first = new Float64Array(buf).fill(1)
        return c.bulkCopyColumns(t, [batchWithGetter(first, ROWS, (r) => r === k && buf.resize(0))], { batchSize: 1000 })
      },
      expect: { outcome: 'any' },
    })
    cases.push({
      name: `a getter detaches (transfers) a buffer a column already read (read ${k})`,
      table: AB,
      run: (c, t) => {
        const first = new Float64Array(ROWS).fill(1)
        return c.bulkCopyColumns(t, [batchWithGetter(first, ROWS, (r) => r === k && detach(first.buffer as ArrayBuffer))], {
          batchSize: 1000,
        })
      },
      expect: { outcome: 'any' },
    })
    cases.push({
      name: `a getter detaches the null mask of a { values, nulls } column (read ${k})`,
      table: AB,
      run: (c, t) => {
        const nulls = new Uint8Array(ROWS)
        const first = { values: new Float64Array(ROWS), nulls }
        return c.bulkCopyColumns(t, [batchWithGetter(first, ROWS, (r) => r === k && detach(nulls.buffer as ArrayBuffer))], {
          batchSize: 1000,
        })
      },
      expect: { outcome: 'any' },
    })
  }
  cases.push({
    name: 'a plain column’s element getter detaches a typed column mid-batch: refused, earlier batches stay',
    table: AB,
    run: (c, t) => {
      const first = new Float64Array(2000).fill(1)
      const plain: unknown[] = Array.from({ length: 2000 }, () => 2)
      Object.defineProperty(plain, 1500, {
        get: () => {
          detach(first.buffer as ArrayBuffer)
          return 2
        },
      })
      return c.bulkCopyColumns(t, [[first, plain]], { batchSize: 100 })
    },
    expect: { outcome: 'TypeError', message: /detached/, rows: 1000 },
  })
  cases.push({
    name: 'a column over a SharedArrayBuffer is refused',
    table: AB,
    run: (c, t) => c.bulkCopyColumns(t, [[new Float64Array(new SharedArrayBuffer(80)), new Float64Array(10)]]),
    expect: { outcome: 'TypeError', message: /SharedArrayBuffer/, rows: 0 },
  })
  cases.push({
    name: 'a detached column with maxErrors: Infinity fails once, not row by row',
    table: AB,
    run: (c, t) => {
      const first = new Float64Array(200_000)
      const batch = batchWithGetter(first, 200_000, (r) => r === 1 && detach(first.buffer as ArrayBuffer))
      return c.bulkCopyColumns(t, [batch], { maxErrors: Number.POSITIVE_INFINITY })
    },
    expect: { outcome: 'TypeError', message: /detached/, rows: 0 },
  })
  cases.push({
    name: 'a typed column whose own length property lies is refused by its real length',
    table: AB,
    run: (c, t) => {
      const first = new Float64Array(3)
      Object.defineProperty(first, 'length', { value: 1_000_000 })
      return c.bulkCopyColumns(t, [[first, Array.from({ length: 1_000_000 }, () => 1)]])
    },
    expect: { outcome: 'TypeError', message: /has 3 values/, rows: 0 },
  })
  return cases
}

/** The raw session (the generated binding), for what the JS wrapper never does: re-entrant pushes. */
async function rawSession(c: Client, t: string): Promise<BulkSession> {
  const inner = (c as unknown as { _inner: NativeClient })._inner
  return inner.bulkBegin(t, {}, undefined)
}

async function finishRaw(s: BulkSession): Promise<unknown> {
  s.end()
  while (!s.flush()) await s.ready()
  s.close()
  return s.result()
}

/** The raw binding's errors carry their details as JSON behind a marker (js_error.rs); sluice.js unpacks them, and so does this. */
function detailed(e: unknown): object {
  const marker = 'SLUICE_ERROR:'
  if (e instanceof Error && e.message.startsWith(marker)) {
    const detail = JSON.parse(e.message.slice(marker.length)) as { message: string }
    return Object.assign(new Error(detail.message), detail)
  }
  return e as object
}

/** Runs `push`, then ends the session whatever happened, and settles like a load would. */
async function rawLoad(s: BulkSession, push: () => void): Promise<unknown> {
  let thrown: unknown = null
  let threw = false
  try {
    push()
  } catch (e) {
    thrown = e
    threw = true
  }
  const summary = (await finishRaw(s)) as { rowsCopied: number }
  if (threw) throw Object.assign(detailed(thrown), { rowsCommitted: summary.rowsCopied })
  return summary
}

function rawCases(): Case[] {
  const shrinkInGather = (detachIt: boolean): Case => ({
    name: `pushColumns: a getter on the columns array ${detachIt ? 'detaches' : 'shrinks'} a column read before it`,
    table: AB,
    run: async (c, t) => {
      const s = await rawSession(c, t)
      const buf = resizable(ROWS * 8)
      const first = new Float64Array(buf)
      const batch = batchWithGetter(first, ROWS, () => (detachIt ? detach(buf) : buf.resize(0)))
      return rawLoad(s, () => s.columnPusher()(batch, 0, ROWS))
    },
    expect: { outcome: 'TypeError', rows: 0 },
  })
  return [
    shrinkInGather(false),
    shrinkInGather(true),
    {
      name: 'pushColumns: a getter on the columns array pushes rows into the same session',
      table: AB,
      run: async (c, t) => {
        const s = await rawSession(c, t)
        const pushValues = s.valuePusher()
        const batch = batchWithGetter(new Float64Array(10), 10, () => pushValues(1, 7, 7))
        return rawLoad(s, () => s.columnPusher()(batch, 0, 10))
      },
      expect: { outcome: 'resolve', rows: 11 },
    },
    {
      name: 'pushRows: a row value getter pushes rows into the same session',
      table: AB,
      run: async (c, t) => {
        const s = await rawSession(c, t)
        const pushValues = s.valuePusher()
        const row: unknown[] = [1]
        Object.defineProperty(row, 1, {
          get: () => {
            pushValues(2, 5, 5, 6, 6)
            return 1
          },
        })
        return rawLoad(s, () => s.pushRows([[0, 0], row]))
      },
      expect: { outcome: 'resolve', rows: 4 },
    },
    {
      name: 'pushColumns: a getter that pushes the same batch again, until the stack runs out',
      table: AB,
      run: async (c, t) => {
        const s = await rawSession(c, t)
        const push = s.columnPusher()
        const batch = batchWithGetter(new Float64Array(1), 1, () => push(batch, 0, 1))
        return rawLoad(s, () => push(batch, 0, 1))
      },
      expect: { outcome: 'RangeError', rows: 0 },
    },
    {
      name: 'pushRows: a getter that pushes its own row again, until the stack runs out',
      table: AB,
      run: async (c, t) => {
        const s = await rawSession(c, t)
        const row: unknown[] = [1]
        Object.defineProperty(row, 1, {
          get: () => {
            s.pushRows([row])
            return 1
          },
        })
        return rawLoad(s, () => s.pushRows([row]))
      },
      expect: { outcome: 'RangeError', rows: 0 },
    },
    {
      name: 'pushRows: a malformed row is named by number after the rows before it were encoded',
      table: AB,
      run: async (c, t) => {
        const s = await rawSession(c, t)
        return rawLoad(s, () => s.pushRows([[1, 1], [2, 2], 'not a row' as never, [3, 3]]))
      },
      expect: { outcome: 'EVALUE', row: 3, rows: 2 },
    },
    {
      name: 'pushRows: a row value getter cancels the session',
      table: AB,
      run: async (c, t) => {
        const s = await rawSession(c, t)
        const row: unknown[] = [1]
        Object.defineProperty(row, 1, {
          get: () => {
            s.cancel()
            return 1
          },
        })
        return rawLoad(s, () => s.pushRows([row]))
      },
      expect: { outcome: 'any' },
    },
    {
      name: 'pushRows: a row value getter throws undefined',
      table: AB,
      run: async (c, t) => {
        const s = await rawSession(c, t)
        const row: unknown[] = [1]
        Object.defineProperty(row, 1, {
          get: () => {
            throw undefined
          },
        })
        try {
          s.pushRows([row])
        } catch (e) {
          await finishRaw(s)
          if (e !== undefined) throw new Error(`pushRows threw ${String(e)}, not the getter's undefined`)
          return { rowsCopied: 0 }
        }
        throw new Error('pushRows did not throw')
      },
      expect: { outcome: 'resolve', rows: 0 },
    },
    ...(
      [
        ['NaN rows', [Number.NaN]],
        ['-1 rows', [-1]],
        ['2^40 rows', [2 ** 40]],
        ['a Symbol row count', [Symbol('n')]],
        ['too few values', [3, 1, 2], 'Error'],
      ] as [string, unknown[], Expect['outcome']?][]
    ).map(
      ([what, args, outcome]): Case => ({
        name: `pushValues refuses ${what}`,
        table: AB,
        run: async (c, t) => {
          const s = await rawSession(c, t)
          return rawLoad(s, () => Reflect.apply(s.valuePusher(), undefined, args))
        },
        expect: { outcome: outcome ?? 'TypeError', rows: 0 },
      }),
    ),
    ...(
      [
        ['a Proxy of columns', [new Proxy([new Float64Array(1), new Float64Array(1)], {}), 0, 1]],
        ['a revoked Proxy', [revokedProxy(), 0, 1]],
        ['a start past the end', [[new Float64Array(1), new Float64Array(1)], 2 ** 31, 1]],
        ['a column that is a string', [[new Float64Array(1), 'ab'], 0, 1]],
        ['a DataView column', [[new Float64Array(1), new DataView(new ArrayBuffer(8))], 0, 1]],
      ] as [string, unknown[]][]
    ).map(
      ([what, args]): Case => ({
        name: `pushColumns refuses ${what}`,
        table: AB,
        run: async (c, t) => {
          const s = await rawSession(c, t)
          return rawLoad(s, () => Reflect.apply(s.columnPusher(), undefined, args))
        },
        expect: { outcome: 'TypeError', rows: 0 },
      }),
    ),
  ]
}

function rowCases(): Case[] {
  const boom = new Error('boom')
  const frozen = Object.freeze(new Error('frozen'))
  const trapsThrow = new Proxy(
    {},
    {
      get() {
        throw new Error('trap')
      },
      set() {
        throw new Error('trap')
      },
    },
  )
  const load =
    (bad: unknown, options = {}) =>
    (c: Client, t: string) =>
      c.bulkCopy(t, around(bad) as Iterable<unknown[]>, { batchSize: 1000, ...options })
  const throwing = (value: unknown) =>
    rowWithGetter(1, () => {
      throw value
    })
  class SneakyDate extends Date {
    override getTime(): number {
      throw new Error('getTime was called')
    }
  }
  const detachedBytes = new Uint8Array(4)
  detach(detachedBytes.buffer as ArrayBuffer)
  const sparseRows: unknown[] = []
  sparseRows.length = 2 ** 32 - 1
  const sparseRow: unknown[] = []
  sparseRow.length = 2 ** 32 - 1
  sparseRow[0] = 7
  let nested: Promise<unknown> | undefined
  return [
    {
      name: 'a row value getter throws an Error: that very error, with the account',
      run: load(throwing(boom)),
      expect: { outcome: 'Error', same: boom, rows: 2000 },
    },
    {
      name: 'a row value getter throws undefined',
      run: load(throwing(undefined)),
      expect: { outcome: 'Error', message: /not an Error: undefined/, rows: 2000 },
    },
    {
      name: 'a row value getter throws a Symbol',
      run: load(throwing(Symbol('s'))),
      expect: { outcome: 'Error', message: /Symbol\(s\)/, rows: 2000 },
    },
    {
      name: 'a row value getter throws a frozen Error',
      run: load(throwing(frozen)),
      expect: { outcome: 'Error', message: /not an Error/, rows: 2000 },
    },
    {
      name: 'a row value getter throws a Proxy whose traps throw',
      run: load(throwing(trapsThrow)),
      expect: { outcome: 'Error', rows: 2000 },
    },
    {
      name: 'the row iterator throws null',
      run: (c, t) =>
        c.bulkCopy(
          t,
          (function* () {
            yield* good(2500)
            throw null
          })(),
          { batchSize: 1000 },
        ),
      expect: { outcome: 'Error', message: /null/, rows: 2000 },
    },
    {
      name: 'an async row source rejects with undefined',
      run: (c, t) =>
        c.bulkCopy(
          t,
          (async function* () {
            yield* good(2500)
            await Promise.reject(undefined)
          })(),
          { batchSize: 1000 },
        ),
      expect: { outcome: 'Error', message: /undefined/, rows: 2000 },
    },
    {
      name: 'a row that is a Proxy whose get trap throws',
      run: load(
        () =>
          new Proxy([1, 2, 3, 4, 5], {
            get(target, key) {
              if (key === '2') throw boom
              return Reflect.get(target, key)
            },
          }),
      ),
      expect: { outcome: 'Error', same: boom, rows: 2000 },
    },
    { name: 'a revoked Proxy as a row', run: load(revokedProxy), expect: { outcome: 'TypeError', rows: 2000 } },
    {
      name: 'a revoked Proxy as the rows',
      run: (c, t) => c.bulkCopy(t, revokedProxy() as never),
      expect: { outcome: 'TypeError', rows: 0 },
    },
    {
      name: 'a Symbol value',
      run: load([2501, Symbol('v'), 1, null, null]),
      expect: { outcome: 'EVALUE', row: 2501, column: 'v', rows: 2000 },
    },
    {
      name: 'a value whose toString and valueOf throw',
      run: load([2501, 'x', throwingObject, null, null]),
      expect: { outcome: 'EVALUE', row: 2501, column: 'f', rows: 2000 },
    },
    {
      name: 'a Date subclass whose getTime throws loads its time value',
      run: load([2501, 'x', 1, null, new SneakyDate(0)]),
      expect: { outcome: 'resolve', rows: 2551 },
    },
    {
      name: 'an invalid Date',
      run: load([2501, 'x', 1, null, new Date(Number.NaN)]),
      expect: { outcome: 'EVALUE', row: 2501, column: 'd', rows: 2000 },
    },
    {
      name: 'a Uint8Array over a detached buffer',
      run: load([2501, 'x', 1, detachedBytes, null]),
      expect: { outcome: 'EVALUE', row: 2501, column: 'b', message: /detached/, rows: 2000 },
    },
    {
      name: 'a Uint8Array over a SharedArrayBuffer',
      run: load([2501, 'x', 1, new Uint8Array(new SharedArrayBuffer(2)), null]),
      expect: { outcome: 'EVALUE', row: 2501, column: 'b', message: /SharedArrayBuffer/, rows: 2000 },
    },
    {
      name: 'a huge sparse array as the rows',
      run: (c, t) => c.bulkCopy(t, sparseRows as unknown[][]),
      expect: { outcome: 'EVALUE', row: 1, rows: 0 },
    },
    { name: 'a huge sparse row loads its holes as NULL', run: load(sparseRow), expect: { outcome: 'resolve', rows: 2551 } },
    {
      name: 'a mapping to source index 2^31 is refused',
      run: (c, t) => c.bulkCopy(t, [sparseRow], { columnMappings: [[2 ** 31, 'id']] }),
      expect: { outcome: 'TypeError', rows: 0 },
    },
    {
      name: 'a row value getter starts another load on the same client: that load is refused (EBUSY), this one goes on',
      run: async (c, t) => {
        const outer = await c.bulkCopy(
          t,
          around(
            rowWithGetter(1, () => {
              nested = c.bulkCopy(`${t}_nested`, good(10))
              nested.catch(() => {})
              return 'x'
            }),
          ) as Iterable<unknown[]>,
          { batchSize: 1000 },
        )
        const refused = await (nested as Promise<unknown>).then(
          () => 'loaded',
          (e: SluiceError) => e.code,
        )
        if (refused !== 'EBUSY') throw new Error(`the nested load was not refused: ${refused}`)
        return outer
      },
      expect: { outcome: 'resolve', rows: 2551 },
    },
    {
      name: 'an async row source awaits a query on the loading connection: EBUSY, not a hang',
      run: (c, t) =>
        c.bulkCopy(
          t,
          (async function* () {
            yield* good(2500)
            await c.query('SELECT 1')
          })(),
          { batchSize: 1000 },
        ),
      expect: { outcome: 'EBUSY', rows: 2000 },
    },
    {
      name: 'an async row source awaits close() of the loading connection: EBUSY, not a hang',
      run: (c, t) =>
        c.bulkCopy(
          t,
          (async function* () {
            yield* good(2500)
            await c.close()
          })(),
          { batchSize: 1000 },
        ),
      expect: { outcome: 'EBUSY', rows: 2000 },
    },
    {
      name: 'onReject throws undefined',
      run: load([2501, Symbol('v'), 1, null, null], {
        maxErrors: 5,
        onReject: () => {
          throw undefined
        },
      }),
      expect: { outcome: 'Error', message: /undefined/, rows: 2000 },
    },
    {
      name: 'maxErrors: Infinity over rows of Symbols skips each',
      run: (c, t) =>
        c.bulkCopy(
          t,
          Array.from({ length: 300 }, () => [Symbol('x')]),
          { maxErrors: Number.POSITIVE_INFINITY },
        ),
      expect: { outcome: 'resolve', rows: 0 },
    },
  ]
}

/** Cancels from inside a load's own reads (the account after a cancel is issue 8 item 3). */
function cancelCases(): Case[] {
  const load =
    (bad: unknown, options = {}) =>
    (c: Client, t: string) =>
      c.bulkCopy(t, around(bad) as Iterable<unknown[]>, { batchSize: 1000, ...options })
  const ac = new AbortController()
  const evilSignal = new AbortController().signal
  Object.defineProperty(evilSignal, 'addEventListener', {
    value: () => {
      throw new Error('addEventListener')
    },
  })
  return [
    {
      name: 'an AbortSignal whose own addEventListener throws: an error, and the connection is not left held',
      run: async (c, t) => {
        await c.bulkCopy(t, [[1, 'x', 1, null, null]], { signal: evilSignal }).catch(() => {})
        // The next load on the connection must not wait for the first one's session forever.
        await c.bulkCopy(t, [[1, 'x', 1, null, null]])
        return undefined
      },
      expect: { outcome: 'resolve' },
    },
    {
      name: 'onProgress throws undefined: the process survives and the account holds',
      run: load([2501, 'x', 1, null, null], {
        onProgress: () => {
          throw undefined
        },
      }),
      expect: { outcome: 'any' },
    },
    {
      name: 'a row value getter aborts the load',
      run: load(
        rowWithGetter(1, () => {
          ac.abort()
          return 'x'
        }),
        { signal: ac.signal },
      ),
      // How many batches committed before the cancel landed depends on timing: the account
      // must match the table either way.
      expect: { outcome: 'ECANCEL' },
    },
  ]
}

function columnCases(): Case[] {
  const boom = new Error('boom')
  const ints = (n: number) => Int32Array.from({ length: n }, (_, i) => i)
  const huge: unknown[] = []
  huge.length = 2 ** 32 - 1
  const load =
    (batches: unknown, options = {}) =>
    (c: Client, t: string) =>
      c.bulkCopyColumns(t, batches as never, { batchSize: 100, ...options })
  const batchThrowing = (value: unknown) => {
    const batch: unknown[] = [ints(10)]
    Object.defineProperty(batch, 1, {
      get() {
        throw value
      },
    })
    return batch
  }
  const cases: Case[] = [
    {
      name: 'a batch getter throws undefined',
      run: load([[ints(250), ints(250)], batchThrowing(undefined)]),
      expect: { outcome: 'Error', message: /undefined/, rows: 200 },
    },
    {
      name: 'a batch getter throws an Error',
      run: load([[ints(250), ints(250)], batchThrowing(boom)]),
      expect: { outcome: 'Error', same: boom, rows: 200 },
    },
    {
      name: 'a { values } getter throws',
      run: load([
        [
          ints(10),
          {
            get values() {
              throw boom
            },
          },
        ],
      ]),
      expect: { outcome: 'Error', same: boom, rows: 0 },
    },
    {
      name: 'a Proxy of an array as a plain column loads through its traps',
      run: load([
        [
          ints(250),
          new Proxy(
            Array.from({ length: 250 }, (_, i) => i),
            {},
          ),
        ],
      ]),
      expect: { outcome: 'resolve', rows: 250 },
    },
    {
      name: 'a plain column Proxy whose get trap throws',
      run: load([
        [
          ints(250),
          new Proxy(
            Array.from({ length: 250 }, (_, i) => i),
            {
              get(target, key) {
                if (key === '240') throw boom
                return Reflect.get(target, key)
              },
            },
          ),
        ],
      ]),
      expect: { outcome: 'Error', same: boom, rows: 0 },
    },
    { name: 'a revoked Proxy as a column', run: load([[ints(3), revokedProxy()]]), expect: { outcome: 'TypeError', rows: 0 } },
    {
      name: 'a revoked Proxy as the batches',
      run: (c, t) => c.bulkCopyColumns(t, revokedProxy() as never),
      expect: { outcome: 'TypeError', rows: 0 },
    },
    {
      name: 'a huge sparse column beside a short one',
      run: load([[ints(3), huge]]),
      expect: { outcome: 'TypeError', message: /column 1 has/, rows: 0 },
    },
    {
      name: 'Symbols and throwing objects in a plain column are skipped as bad values',
      table: '(a int NULL, b nvarchar(20) NULL)',
      run: load([[ints(3), ['ok', Symbol('x'), throwingObject]]], { maxErrors: 5 }),
      expect: { outcome: 'resolve', rows: 1 },
    },
  ]
  return [...bufferCases(), ...cases.map((k) => ({ table: AB, ...k }))]
}

function optionCases(): Case[] {
  const rejects = (name: string, f: (c: Client, t: string) => Promise<unknown>, outcome: Expect['outcome'] = 'TypeError'): Case => ({
    name,
    run: f,
    expect: { outcome, rows: 0 },
  })
  const connectWith = (v: unknown) => () => connect(v as string)
  const queryWith = (v: unknown) => (c: Client) => c.query(v as string)
  const optionsWith = (o: unknown) => (c: Client, t: string) => c.bulkCopy(t, [[1]], o as never)
  return [
    rejects('connect(Symbol)', connectWith(Symbol('c'))),
    rejects('connect(undefined)', connectWith(undefined)),
    rejects('connect(object whose toString throws)', connectWith(throwingObject)),
    rejects('connect(revoked Proxy)', connectWith(revokedProxy())),
    rejects('query(Symbol)', queryWith(Symbol('q'))),
    rejects('query(object whose toString throws)', queryWith(throwingObject)),
    rejects('query(revoked Proxy)', queryWith(revokedProxy())),
    rejects('query(new String)', queryWith(new String('SELECT 1'))),
    rejects('bulkCopy into a Symbol table', (c) => c.bulkCopy(Symbol('t') as never, [[1]]), 'Error'),
    rejects('batchSize: -1', optionsWith({ batchSize: -1 })),
    rejects('batchSize: NaN', optionsWith({ batchSize: Number.NaN })),
    rejects('batchSize: 1.5', optionsWith({ batchSize: 1.5 })),
    rejects('batchSize: 2^40', optionsWith({ batchSize: 2 ** 40 })),
    rejects('batchSize: an object whose valueOf throws', optionsWith({ batchSize: throwingObject })),
    rejects('rowsPerBatch: a Symbol', optionsWith({ rowsPerBatch: Symbol('r') })),
    rejects("tableLock: 'yes'", optionsWith({ tableLock: 'yes' })),
    rejects('order: [Symbol]', optionsWith({ order: [Symbol('o')] })),
    rejects('columnMappings: an object whose toString throws', optionsWith({ columnMappings: throwingObject })),
    rejects('columnMappings: [[-1, "id"]]', optionsWith({ columnMappings: [[-1, 'id']] })),
    rejects('signal: an object that is not an AbortSignal', optionsWith({ signal: { aborted: false, addEventListener: () => {} } })),
    rejects('onProgress: a string', optionsWith({ onProgress: 'yes' })),
    rejects('options: a revoked Proxy', optionsWith(revokedProxy())),
    rejects('options: null', optionsWith(null)),
    rejects(
      'maxErrors: a getter that throws',
      optionsWith(
        Object.defineProperty({}, 'maxErrors', {
          get: () => {
            throw new TypeError('no')
          },
        }),
      ),
    ),
  ]
}

const GROUPS: Record<string, () => Case[]> = {
  buffers: bufferCases,
  raw: rawCases,
  rows: rowCases,
  cancel: cancelCases,
  columns: columnCases,
  options: optionCases,
}

function settle(p: Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ settled: 'hung' }), CASE_TIMEOUT_MS)
  })
  const done = p.then(
    (value): Outcome => ({ settled: 'resolved', value }),
    (error): Outcome => ({ settled: 'rejected', error }),
  )
  return Promise.race([done, hung]).finally(() => clearTimeout(timer))
}

function describe(e: unknown): string {
  try {
    return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)
  } catch {
    return typeof e
  }
}

async function count(c: Client, table: string): Promise<number> {
  const { rows } = await c.query(`SELECT COUNT(*) FROM ${table}`)
  return rows[0]?.[0] as number
}

/** What is wrong with how `k` ended; empty when it behaved. */
function judge(k: Case, o: Outcome, held: number): string[] {
  const p: string[] = []
  const want = k.expect
  if (o.settled === 'hung') return [`did not settle within ${CASE_TIMEOUT_MS} ms`]
  if (o.settled === 'resolved') {
    if (want.outcome !== 'resolve' && want.outcome !== 'any') p.push(`resolved; expected ${want.outcome}`)
    const copied = (o.value as { rowsCopied?: number } | undefined)?.rowsCopied
    if (copied !== undefined && copied !== held) p.push(`rowsCopied ${copied} but the table holds ${held}`)
  } else {
    const e = o.error as SluiceError
    if (e === null || typeof e !== 'object') return [`rejected with a non-object: ${describe(e)}`]
    if (want.outcome === 'resolve') p.push(`rejected: ${describe(e)}`)
    else if (want.outcome !== 'any' && e.constructor?.name !== want.outcome && e.code !== want.outcome) {
      p.push(`rejected with ${describe(e)} (code ${String(e.code)}); expected ${want.outcome}`)
    }
    if (typeof e.message !== 'string' || e.message === '') p.push('the error has no message')
    if (want.message && !want.message.test(e.message)) p.push(`message ${JSON.stringify(e.message)} does not match ${want.message}`)
    if (want.same !== undefined && e !== want.same) p.push(`the error thrown was replaced: ${describe(e)}`)
    if (want.row !== undefined && e.row !== want.row) p.push(`row ${e.row}; expected ${want.row}`)
    if (want.column !== undefined && e.column !== want.column) p.push(`column ${e.column}; expected ${want.column}`)
    if (e.rowsCommitted !== undefined && e.rowsCommitted !== held) p.push(`rowsCommitted ${e.rowsCommitted} but the table holds ${held}`)
    if (e.rowsCommitted === undefined && held !== 0) p.push(`no rowsCommitted on the error, and the table holds ${held}`)
  }
  if (want.rows !== undefined && held !== want.rows) p.push(`the table holds ${held} rows; expected ${want.rows}`)
  return p
}

async function main(): Promise<void> {
  const group = process.argv[2] ?? ''
  const make = GROUPS[group]
  const cs = process.env.SLUICE_TEST_CS
  if (!make || !cs) throw new Error(`usage: hostile-cases.ts <${Object.keys(GROUPS).join('|')}> with SLUICE_TEST_CS set`)
  // An optional second argument keeps only the cases whose name contains it (for debugging).
  const only = process.argv[3]
  const cases = make().filter((k) => only === undefined || k.name.includes(only))
  console.log(`CASES ${JSON.stringify(cases.map((k) => k.name))}`)
  let c = await connect(cs)
  for (const [i, k] of cases.entries()) {
    const table = `dbo.hostile_${group}_${i}`
    console.log(`START ${JSON.stringify(k.name)}`)
    await c.query(`CREATE TABLE ${table} ${k.table ?? TABLE}`)
    let outcome: Outcome
    try {
      outcome = await settle(k.run(c, table))
    } catch (error) {
      outcome = { settled: 'rejected', error }
    }
    const problems: string[] = []
    if (outcome.settled === 'hung') {
      // The connection may be stuck behind the hung call: count on a fresh one.
      c = await connect(cs)
    }
    let held = -1
    try {
      held = await count(c, table)
    } catch (e) {
      problems.push(`the connection no longer answers: ${describe(e)}`)
      c = await connect(cs)
      held = await count(c, table)
    }
    problems.push(...judge(k, outcome, held))
    console.log(`CASE ${JSON.stringify({ name: k.name, problems })}`)
  }
  await c.close()
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(describe(e))
    process.exit(2)
  },
)
