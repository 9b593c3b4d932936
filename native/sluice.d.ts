// Public types of @sluice/native. Data shapes come from the generated index.d.ts (the Rust
// side is their source); this file only adds the error type the JS wrapper rebuilds.
import type { BulkCopySummary, BulkProgressInfo, ColumnInfo, QueryResult, ResultSet } from './index'

export type { BulkCopySummary, BulkProgressInfo, ColumnInfo, QueryResult, ResultSet }

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
  /** bulkCopy failures: what committed before it stopped. */
  rowsCommitted?: number
  batchesCommitted?: number
  /** The batch in flight that did not commit. */
  failedBatch?: number | null
  /** The batch whose outcome is unknown (the connection broke awaiting its answer). */
  inDoubtBatch?: number | null
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
  /** Cancels the load; the batch in flight is abandoned, committed batches stay. */
  signal?: AbortSignal
  /** Called at most about ten times a second, and once at the end. */
  onProgress?: (p: BulkProgressInfo) => void
}

export declare class Client {
  private constructor()
  /** Runs a SQL batch; requests on one client run one at a time. */
  query(sql: string): Promise<QueryResult>
  close(): Promise<void>
  /** Bulk-loads rows (arrays of number, bigint, string, boolean, Date, Buffer, null) into an existing table. */
  bulkCopy(table: string, rows: Iterable<unknown[]> | AsyncIterable<unknown[]>, options?: BulkCopyOptions): Promise<BulkCopySummary>
}

/** Connects with an ADO.NET connection string (`Server=…;User ID=…;Password=…;Encrypt=…`). */
export declare function connect(connectionString: string): Promise<Client>

/** Runs the `sluice` command line; resolves to its exit code. */
export declare function runCli(args: string[]): Promise<number>
