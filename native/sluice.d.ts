// Public types of @sluice/native. Data shapes come from the generated index.d.ts (the Rust
// side is their source); this file adds what the JS wrapper adds: the error type, bulkCopy
// options and results, and the columnar input types.
import type {
  BulkProgressInfo,
  ColumnInfo,
  BulkCopySummary as NativeBulkCopySummary,
  NativeQueryResult,
  QueryOptions,
  ResultSet,
} from './index'

export type { BulkProgressInfo, ColumnInfo, QueryOptions, ResultSet }

/** What `query` resolves to: every result set, and the first one's columns and rows. */
export interface QueryResult extends NativeQueryResult {
  /** The first result set's columns (`resultSets[0].columns`), or [] when there is none. */
  columns: ColumnInfo[]
  /** The first result set's rows (the same array as `resultSets[0].rows`), or []. */
  rows: unknown[][]
}

/** What a bulk copy resolves to. */
export interface BulkCopySummary extends NativeBulkCopySummary {
  /** Rows skipped as bad (see `maxErrors`), each reported to `onReject`. */
  rowsRejected: number
  /** What `onProgress` threw, if it threw (the load went on without further progress calls). */
  progressError?: unknown
}

/** A row skipped because a value did not fit (`maxErrors` > 0). */
export interface BulkReject {
  /** The 1-based source row, counted over every row given (skipped ones included). */
  row: number
  /** The column, the value (as text) and why it does not fit; column is '' for a malformed row. */
  column: string
  value: string
  reason: string
  /** The row's source values, as given (for a columnar batch: the row's cell of each column). */
  values: unknown[]
}

/** Stable error codes. Server errors (EREQUEST, ELOGIN) also carry the server's details. */
export type SluiceErrorCode =
  | 'ECONFIG'
  | 'EUNSUPPORTED'
  | 'ECONNECT'
  | 'ETIMEOUT'
  | 'ETLS'
  | 'EENCRYPT'
  | 'ELOGIN'
  | 'EREQUEST'
  | 'EPROTOCOL'
  | 'ESOCKET'
  | 'ECANCEL'
  | 'ECLOSED'
  | 'EVALUE'
  | 'ESTOPPED'
  /** A query, load or close() on a connection while a bulk load runs on it. */
  | 'EBUSY'

export declare class SluiceError extends Error {
  code: SluiceErrorCode
  number?: number
  state?: number
  class?: number
  lineNumber?: number
  serverName?: string
  procName?: string
  /** EVALUE: the 1-based source row, the column, the value and why it does not fit. */
  row?: number
  column?: string
  value?: string
  reason?: string
  /** bulkCopy failures: what committed before it stopped, and the rows skipped as bad. */
  rowsCommitted?: number
  rowsRejected?: number
  batchesCommitted?: number
  /** The batch in flight that did not commit. */
  failedBatch?: number | null
  /**
   * The batch whose outcome is unknown (the connection broke, or a cancel or timeout got no
   * acknowledgement, while its answer was awaited): the table holds `rowsCommitted` rows, or
   * those plus this batch's.
   */
  inDoubtBatch?: number | null
  /** What `onProgress` threw, if it threw before the load failed. */
  progressError?: unknown
}

export interface BulkCopyOptions {
  /** Rows per batch; each batch commits on its own. Default: all rows in one batch. */
  batchSize?: number
  tableLock?: boolean
  checkConstraints?: boolean
  fireTriggers?: boolean
  keepNulls?: boolean
  keepIdentity?: boolean
  rowsPerBatch?: number
  /** Columns the rows are sorted by, e.g. ['id'] or ['id DESC']. */
  order?: string[]
  /** [source index, destination column]; default: by position over the insertable columns. */
  columnMappings?: [number, string][]
  /**
   * Cancels the load at any moment (also while the table's metadata is read, while the source
   * is stuck in `next()`, or while the last batch awaits its answer): the load rejects with
   * ECANCEL promptly. Committed batches stay; a batch the server finished before the cancel
   * reached it is counted in `rowsCommitted`; one whose fate is unknown is `inDoubtBatch`.
   */
  signal?: AbortSignal
  /**
   * Called at most about ten times a second, and once at the end. If it throws, the load goes
   * on (it is not called again) and the error is `progressError` on the result, or on the
   * load's own error if the load fails: a progress display must not undo a committed load.
   */
  onProgress?: (p: BulkProgressInfo) => void
  /**
   * How many bad rows (EVALUE: a value that does not fit, a malformed row) may be skipped
   * before the load fails; default 0 (the first one fails it). `Infinity` for no limit.
   */
  maxErrors?: number
  /** Called for every skipped row, before the load goes on; a throw ends the load. */
  onReject?: (reject: BulkReject) => void
}

/** Typed arrays a column may be; integers and floats as numbers, 64-bit ones as bigints. */
export type TypedColumn =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array

/**
 * One column of a columnar batch: a plain Array of values (as in rows), a typed array (read in
 * place, no per-value crossing), or a typed array with a null mask (non-zero = NULL). For
 * date and time columns a numeric typed array holds milliseconds since 1970-01-01T00:00:00Z.
 * A typed array over a SharedArrayBuffer, or one detached (transferred) or shrunk before its rows
 * were read, is refused with a TypeError.
 */
export type Column = unknown[] | TypedColumn | { values: TypedColumn; nulls?: Uint8Array | null }

/** One columnar batch: a column per source column, all of the same length. */
export type ColumnBatch = Column[]

export declare class Client {
  private constructor()
  /**
   * Runs a SQL batch; requests on one client run one at a time. Every result set is in
   * `resultSets`; `maxRows` bounds the rows kept (the rest of the batch is cancelled and
   * `truncated` is true).
   */
  query(sql: string, options?: QueryOptions): Promise<QueryResult>
  close(): Promise<void>
  /** Bulk-loads rows (arrays of number, bigint, string, boolean, Date, Buffer, null) into an existing table. */
  bulkCopy(table: string, rows: Iterable<unknown[]> | AsyncIterable<unknown[]>, options?: BulkCopyOptions): Promise<BulkCopySummary>
  /** Bulk-loads columnar batches (one in memory: `[columns]`); options, result and errors as bulkCopy. */
  bulkCopyColumns(
    table: string,
    batches: Iterable<ColumnBatch> | AsyncIterable<ColumnBatch>,
    options?: BulkCopyOptions,
  ): Promise<BulkCopySummary>
}

/** Connects with an ADO.NET connection string (`Server=…;User ID=…;Password=…;Encrypt=…`). */
export declare function connect(connectionString: string): Promise<Client>

/** Runs the `sluice` command line; resolves to its exit code. */
export declare function runCli(args: string[]): Promise<number>
