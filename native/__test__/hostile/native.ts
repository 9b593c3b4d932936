// The raw native session (re-entrant pushes, refused arguments) and hostile query/connect/bulk options.

import { type Client, connect } from '@sluice/native'
import type { BulkSession, Client as NativeClient } from '../../index'
import { AB, batchWithGetter, type Case, detach, type Expect, ROWS, resizable, revokedProxy, throwingObject } from './shared'

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

export function rawCases(): Case[] {
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

export function optionCases(): Case[] {
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
