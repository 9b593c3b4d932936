// What the hostile case groups share: the case shape, the tables, good rows and the tricks.

import type { Client } from '@sluice/native'

export type Outcome = { settled: 'resolved'; value: unknown } | { settled: 'rejected'; error: unknown } | { settled: 'hung' }

export interface Expect {
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

export interface Case {
  name: string
  /** Table definition (columns) for this case's table; default TABLE. */
  table?: string
  run(c: Client, table: string): Promise<unknown>
  expect: Expect
}

export const TABLE = '(id int NULL, v nvarchar(40) NULL, f float NULL, b varbinary(16) NULL, d datetime2(3) NULL)'
export const CASE_TIMEOUT_MS = 20_000

/** Good rows `from..from+n-1` for TABLE. */
export function* good(n: number, from = 1): Generator<unknown[]> {
  for (let i = from; i < from + n; i++) yield [i, `v${i}`, i / 2, Buffer.from([i & 255]), new Date(Date.UTC(2020, 0, 1) + i * 1000)]
}

/**
 * 2,500 good rows, then `bad` (a row, or a function making it) as row 2,501, then 50 more. With
 * batches of 1,000 two batches commit before the bad row (the JS lane pushes 1,024 rows a call).
 */
export function* around(bad: unknown): Generator<unknown> {
  yield* good(2500)
  yield typeof bad === 'function' ? (bad as () => unknown)() : bad
  yield* good(50, 2502)
}

/** A row of TABLE whose value `index` is a getter running `get`. */
export function rowWithGetter(index: number, get: () => unknown): unknown[] {
  const row: unknown[] = [2501, 'x', 1, null, null]
  Object.defineProperty(row, index, { get, enumerable: true })
  return row
}

export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

export const throwingObject = {
  toString(): string {
    throw new Error('toString was called')
  },
  valueOf(): number {
    throw new Error('valueOf was called')
  },
}

/** An ArrayBuffer that can shrink (ES2024; typed here as the lib in use predates it). */
export type Resizable = ArrayBuffer & { resize(bytes: number): void }
export function resizable(bytes: number): Resizable {
  const Ctor = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => Resizable
  return new Ctor(bytes, { maxByteLength: bytes })
}

/** Detaches `buf` (moves its memory away), as postMessage would. */
export function detach(buf: ArrayBuffer): void {
  structuredClone(buf, { transfer: [buf] })
}

/** A batch for (a float, b float): column 0 `first`, column 1 a getter running `onRead(k)` on its k-th read. */
export function batchWithGetter(first: unknown, n: number, onRead: (k: number) => void): never {
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

export const AB = '(a float NULL, b float NULL)'
export const ROWS = 5000
