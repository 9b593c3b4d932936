// Hostile column batches for bulkCopyColumns: buffers shrunk, transferred or shared under the reader, throwing getters, Proxies, sparse columns.

import type { Client } from '@sluice/native'
import { AB, batchWithGetter, type Case, detach, ROWS, resizable, revokedProxy, throwingObject } from './shared'

/** Buffer tricks a getter plays on a column already read: the k-th read of column 1 does it. */
export function bufferCases(): Case[] {
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

export function columnCases(): Case[] {
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
