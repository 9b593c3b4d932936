// Hostile row sources for bulkCopy: throwing getters and iterators, Proxies, odd values and arrays, and cancels from inside a load.

import type { Client, SluiceError } from '@sluice/native'
import { around, type Case, detach, good, revokedProxy, rowWithGetter, throwingObject } from './shared'

export function rowCases(): Case[] {
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
export function cancelCases(): Case[] {
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
