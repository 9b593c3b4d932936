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
  | 'EFILE'
  | 'EARG'

export declare class SluiceError extends Error {
  code: SluiceErrorCode
  number?: number
  state?: number
  class?: number
  lineNumber?: number
  serverName?: string
  procName?: string
  /**
   * EVALUE: the 1-based source row, the column (its name), the value and why it does not fit.
   * EFILE: the row as the user sees it (file line or sheet row) and the 1-based column number.
   */
  row?: number
  column?: string | number
  /** EFILE: the file, the byte offset where known, and what kind of failure (`io`, `encoding`, `workbook`, `encrypted`, `sheetNotFound`, `invalid`…). */
  file?: string
  byteOffset?: number
  kind?: string
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

/** The overrides of `preview` and `inspect`, as the `sluice inspect` flags. */
export interface FileOptions {
  /** Workbooks: a sheet name or 1-based number (default: the first sheet holding a table). */
  sheet?: string | number
  /** Workbooks: only these cells, `A1:H400`. */
  range?: string
  /** This 1-based row holds the names (sheet row, or N-th record of a text file). */
  headerRow?: number
  /** No header: columns are column1, column2, … */
  noHeader?: boolean
  /** Text: one ASCII character (`'\t'` for tab). */
  delimiter?: string
  /** Text: an encoding label (`utf-8`, `windows-1252`, `utf-16le`, …). */
  encoding?: string
  /** Text: the quote character (`'"'`, `"'"`), or `'none'` to read quotes as data (default: detected). */
  quote?: string
  /** Text: `'\\'` (backslash) or `'double'` (default: detected). */
  escape?: string
  /** Infer from the first N data rows only (default: the whole file). */
  sample?: number
  /** Values that mean NULL (default `NULL`, `NA`, `N/A`, `\N`; an empty field is NULL). */
  nullTokens?: string[]
  /** preview: data rows to show (default 100). */
  previewRows?: number
  /**
   * The target collation's code page (`'1252'`, `'65001'`, `'windows-1250'` …): text it holds is
   * proposed as `varchar` (lengths in its bytes) instead of `nvarchar`. Default: non-ASCII text is `nvarchar`.
   */
  codePage?: string
}

export interface InspectOptions extends FileOptions {
  /**
   * At most ten times a second, and once with the totals just before the promise resolves.
   * A throwing callback stops the inspection, which rejects with that error.
   */
  onProgress?: (p: { bytesRead: number; rows: number }) => void
  /** Aborting rejects with code ECANCEL. */
  signal?: AbortSignal
}

export interface FileDetection {
  encoding: string | null
  delimiter: string | null
  escape: string | null
  quote: string | null
  header: string
  sheet: string | null
}

export interface SheetInfo {
  index: number
  name: string
  visible: boolean
  isWorksheet: boolean
}

export interface FilePreview {
  /** `csv`, `tsv`, `xlsx`, `xlsm`, `xlsb`, `xls` or `ods`. */
  format: string
  encoding: string | null
  /** null for workbooks. */
  delimiter: string | null
  /** null for workbooks and with quoting off. */
  quote: string | null
  escape: 'doubled' | 'backslash' | null
  hasHeader: boolean
  sheets: SheetInfo[]
  sheet: string | null
  /** Names and a provisional type from the previewed rows only. */
  columns: { name: string; proposedName: string; sqlType: string; nullable: boolean }[]
  rows: (string | null)[][]
  /** The file line or sheet row of each entry of `rows`. */
  rowNumbers: number[]
  detection: FileDetection
}

export interface ValueExample {
  row: number
  value: string
}

/** The figures behind a column's type (see native/files/src/infer/evidence.rs). */
export interface ColumnEvidence {
  rows: number
  values: number
  nulls: number
  emptyStrings: number
  missing: number
  nullTokens: number
  errors: number
  firstError: ValueExample | null
  min: string | null
  max: string | null
  maxLength: number
  lengthUnit: string
  longestRow: number
  distinct: string[]
  distinctComplete: boolean
  widenings: { from: string; to: string; row: number; value: string; reason: string }[]
  firstNonAscii: ValueExample | null
  dateOrder: { order: 'dayFirst' | 'monthFirst'; ambiguous: boolean; settledBy: ValueExample | null; reason: string } | null
  decimal: { integerDigits: number; integerDigitsRow: number; scale: number; scaleRow: number } | null
  fractionDigitsSetBy: ValueExample | null
  notes: string[]
}

export interface FileInspection {
  format: string
  encoding: string | null
  delimiter: string | null
  /** null for workbooks and with quoting off. */
  quote: string | null
  escape: 'doubled' | 'backslash' | null
  hasHeader: boolean
  rowCount: number
  /** False when `sample` stopped before the end of the data. */
  complete: boolean
  bytesRead: number
  sheet: string | null
  columns: { name: string; proposedName: string; sqlType: string; nullable: boolean; evidence: ColumnEvidence }[]
  detection: FileDetection
}

/** The first rows of a file (default 100) with the detected settings; bounded reads only. */
export declare function preview(path: string, options?: FileOptions): Promise<FilePreview>

/** The schema inferred over the whole file (or `sample` rows), off the JS thread. */
export declare function inspect(path: string, options?: InspectOptions): Promise<FileInspection>

/** Options of `loadFile`: those of `sluice load`, camelCase. */
export interface LoadFileOptions {
  /** The files, loaded in order into one table (or `file` for one). */
  files?: string[]
  file?: string
  /** ADO.NET connection string; defaults to SLUICE_CONNECTION. */
  connection?: string
  /** `[schema.]name` (brackets for odd names). */
  table: string
  /** Exactly one of create, append, truncate. */
  create?: boolean
  append?: boolean
  truncate?: boolean
  /** A template file (JSON) with the mapping. */
  map?: string
  batchSize?: number
  rejectFile?: string
  /** Rows that may be rejected (default 0: stop at the first bad row). */
  maxErrors?: number
  dryRun?: boolean
  resume?: boolean
  allowDrift?: boolean
  /** `false` (`--no-journal`): batches commit without the journal table; no `resume` later. */
  journal?: boolean
  /**
   * `false` (`--no-cache`): infer the column types again even when the inference cache holds
   * them for these unchanged files (from an earlier load, dry run or `inspect`).
   */
  inferCache?: boolean
  sheet?: string
  delimiter?: string
  encoding?: string
  /** As in `FileOptions`. */
  quote?: string
  escape?: string
  /** Cancels the load: the error has code ECANCEL and the committed account. */
  signal?: AbortSignal
  /** At most ~10 reports a second, plus a final one. */
  onProgress?: (p: LoadProgress) => void
}

export interface LoadProgress {
  rowsRead: number
  rowsSent: number
  rowsCommitted: number
  rowsRejected: number
  bytesRead: number
  bytesTotal: number
  bytesSent: number
  batch: number
  /** 0-based index of the file being read. */
  file: number
  elapsedMs: number
}

/** Always rowsRead = rowsLoaded + rowsRejected (in a dry run, rowsLoaded is what would load). */
export interface LoadFileResult {
  rowsRead: number
  rowsLoaded: number
  rowsRejected: number
  batches: number
  elapsedMs: number
  dryRun: boolean
  /**
   * Per file, this run's counts (they add up to the totals above); a resumed load adds what
   * earlier runs committed of each file (`rowsLoadedBefore`, `rowsRejectedBefore`; a file they
   * committed whole is not read again, its run counts are 0).
   */
  files: {
    path: string
    rowsRead: number
    rowsLoaded: number
    rowsRejected: number
    rowsLoadedBefore: number
    rowsRejectedBefore: number
  }[]
  rejectFile?: string | null
  notes: string[]
}

/**
 * Loads files into a table through the Rust file path, off the JS thread. Errors are
 * SluiceErrors with `code` (EUSAGE, EINPUT, ECONNECTION, ESERVER, ECANCEL), `kind`, and once
 * rows may have been sent the account: rowsRead, rowsCommitted, batchesCommitted, rowsRejected,
 * inDoubtBatch.
 */
export declare function loadFile(options: LoadFileOptions): Promise<LoadFileResult>

/** One difference between a template's expected columns and a file (positions are 1-based). */
export type TemplateDifference = (
  | { kind: 'added'; column: string; position: number }
  | { kind: 'missing'; column: string; position: number; mapped: boolean }
  | { kind: 'renamed'; from: string; to: string; position: number }
  | { kind: 'moved'; column: string; from: number; to: number }
  | {
      kind: 'typeWidened'
      column: string
      expected: string
      found: string
      because: string | null
      targetType: string | null
      fitsTarget: boolean | null
    }
  | { kind: 'nowNullable'; column: string; targetNotNull: boolean }
) & {
  /** The core's sentence, as `sluice load` prints it. */
  message: string
  /** Whether a load with the template refuses the file for it (unless `allowDrift`). */
  blocks: boolean
}

/**
 * The core's drift check of a template (a path, `{ path }`, `{ json }` or the template object)
 * against files, read whole as the template's source settings say. Errors: ETEMPLATE (not a
 * valid template), EFILE (a file could not be read), EARG.
 */
export declare function templateDrift(
  template: string | { path: string } | { json: string } | object,
  files: string | string[],
): Promise<TemplateDifference[]>

/** A connection string in a connection form's terms (SqlClient's defaults filled in). */
export interface ParsedConnectionString {
  /** `host`, `host,port` (port other than 1433) or `host\instance`. */
  server: string
  host: string
  port: number
  instance?: string
  database?: string
  user?: string
  /** Non-enumerable: never in logs or JSON. */
  readonly password: string | null
  /** Non-enumerable: never in logs or JSON. */
  readonly accessToken: string | null
  /** `SqlPassword`, `AccessToken`, `Active Directory Password`, … */
  authentication: string
  encrypt: 'Mandatory' | 'Strict' | 'Optional'
  trustServerCertificate: boolean
  serverCertificate?: string
  hostNameInCertificate?: string
  /** Other settings that differ from the defaults, as `[key, value]`. */
  extra: [string, string][]
  /** The string with `Password=***` and `AccessToken=***`: what may be logged. */
  redacted: string
}

/** Parses an ADO.NET connection string as `connect` would; a bad one throws code ECONFIG. */
export declare function parseConnectionString(text: string): ParsedConnectionString
