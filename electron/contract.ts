// The one contract between the UI and the process that drives the native core. Main (Electron
// IPC), the web server (WebSocket) and the renderer all import this file: every call is a method
// name with a zod schema for its payload and a TypeScript type for its result; every push from
// main is an event name with its payload type. Both transports carry the same envelopes
// (`CallRequest` → `CallReply`, `EventMessage`), so a call — Cancel included — behaves the same
// over either (VS Code's `src/vs/base/parts/ipc/common/ipc.ts` shape, with typed payloads).
import { z } from 'zod'

/** Electron IPC channels: one for calls (invoke/handle), one for main → renderer pushes. */
export const CALL_CHANNEL = 'sluice:call'
export const EVENT_CHANNEL = 'sluice:event'

// ---- Connections -------------------------------------------------------------------------

export const ENCRYPT_MODES = ['Mandatory', 'Strict', 'Optional'] as const
export const AUTH_KINDS = ['sql', 'accessToken'] as const

/** The connection form. Keys the form does not show ride along in `extra`, as pasted. */
export const connectionFormSchema = z.object({
  server: z.string().trim().min(1, 'Server is required').max(512),
  database: z.string().max(128).default(''),
  auth: z.enum(AUTH_KINDS).default('sql'),
  user: z.string().max(128).default(''),
  password: z.string().max(1024).default(''),
  accessToken: z.string().max(16384).default(''),
  encrypt: z.enum(ENCRYPT_MODES).default('Mandatory'),
  trustServerCertificate: z.boolean().default(false),
  /** A certificate file (PEM or DER) the server must present exactly (`ServerCertificate=`). */
  serverCertificate: z.string().max(4096).default(''),
  extra: z
    .array(z.tuple([z.string().max(128), z.string().max(4096)]))
    .max(64)
    .default([]),
})
export type ConnectionForm = z.infer<typeof connectionFormSchema>

export interface ParsedConnectionString {
  form: ConnectionForm
  /** Keys this app cannot honour, each with the reason (e.g. interactive Entra ID modes). */
  unsupported: string[]
}

export interface ServerInfo {
  /** `SELECT @@VERSION`, as the server prints it. */
  version: string
  database: string
}

export interface OpenConnection extends ServerInfo {
  connectionId: string
  label: string
  /** Tables of the database, as `schema.name`, for "Existing table". */
  tables: string[]
}

/** A column of an existing table (INFORMATION_SCHEMA.COLUMNS), type spelled as SQL Server does. */
export interface TableColumn {
  name: string
  sqlType: string
  nullable: boolean
}

export interface SavedConnection {
  id: string
  name: string
  /** The form without its secrets (password and access token are never sent back in lists). */
  form: ConnectionForm
  hasSecret: boolean
}

export interface SavedConnections {
  /** `safeStorage` where the OS keychain encrypts secrets; `none` in the browser (nothing secret is stored). */
  secretStorage: 'safeStorage' | 'none'
  connections: SavedConnection[]
}

export interface LocalTestServer {
  form: ConnectionForm
  port: number
  /** What the server is, for the UI. */
  note: string
}

// ---- Files -------------------------------------------------------------------------------

export interface FileEntry {
  fileId: string
  name: string
  /** Where the native reader opens it (a dropped path, an upload's or a paste's temporary file). */
  path: string
  size: number
  origin: 'path' | 'upload' | 'paste'
}

/** Reader overrides, as issue 9's `preview`/`inspect` options (and the CLI's flags). */
export const readerOptionsSchema = z
  .object({
    sheet: z.union([z.string().max(256), z.number().int().min(0)]).optional(),
    range: z.string().max(64).optional(),
    headerRow: z.number().int().min(0).optional(),
    hasHeader: z.boolean().optional(),
    delimiter: z.string().min(1).max(4).optional(),
    encoding: z.string().max(64).optional(),
    rows: z.number().int().min(1).max(10_000).optional(),
    sample: z.number().int().min(1).optional(),
  })
  .strict()
export type ReaderOptions = z.infer<typeof readerOptionsSchema>

export interface PreviewColumn {
  name: string
  sqlType?: string
  nullable?: boolean
  /** The inference's figures and example rows behind the type (issue 9's `evidence`). */
  evidence?: unknown
}

export interface FilePreview {
  format: string
  encoding?: string
  delimiter?: string | null
  /** Delimited text: the quote character, or null when quotes are read as data (and for workbooks). */
  quote?: string | null
  hasHeader?: boolean
  /** Workbooks: the worksheets to pick from, and the one read. */
  sheets?: string[]
  sheet?: string
  columns: PreviewColumn[]
  rows: unknown[][]
}

export const columnMappingSchema = z
  .object({
    source: z.string().max(256),
    include: z.boolean(),
    target: z.string().min(1).max(128),
    sqlType: z.string().min(1).max(64),
    nullable: z.boolean(),
    emptyAsNull: z.boolean(),
    dateOrder: z.enum(['auto', 'DMY', 'MDY', 'YMD']).default('auto'),
  })
  .strict()
export type ColumnMapping = z.infer<typeof columnMappingSchema>

export const loadRequestSchema = z
  .object({
    connectionId: z.string().min(1).max(64),
    fileId: z.string().min(1).max(64),
    mode: z.enum(['create', 'append', 'truncate']),
    table: z.string().trim().min(1, 'Table name is required').max(260),
    columns: z.array(columnMappingSchema).max(4096),
    reader: readerOptionsSchema.default({}),
    /** 0 = stop at the first bad row. */
    maxErrors: z.number().int().min(0),
    batchSize: z.number().int().min(1).max(1_000_000).optional(),
    /** The import template this mapping was opened from: the load passes it to the core, which
     * refuses a file that drifted from it (as `sluice load --map`) unless `allowDrift`. */
    template: z.string().min(1).max(4096).optional(),
    /** "Load anyway": the core loads despite the drift it found (`--allow-drift`). */
    allowDrift: z.boolean().optional(),
  })
  .strict()
export type LoadRequest = z.infer<typeof loadRequestSchema>

/** One difference between an opened template's expected columns and the file (the core's
 * drift check; positions are 1-based). `message` is the core's sentence; `blocks` says whether
 * a load refuses the file for it. */
export type TemplateDrift = (
  | { kind: 'added'; column: string; position: number }
  | { kind: 'missing'; column: string; position: number; mapped: boolean }
  | { kind: 'renamed'; from: string; to: string; position: number }
  | { kind: 'moved'; column: string; from: number; to: number }
  | { kind: 'typeWidened'; column: string; expected: string; found: string; because: string | null }
  | { kind: 'nowNullable'; column: string; targetNotNull: boolean }
) & { message: string; blocks: boolean }

// ---- Jobs --------------------------------------------------------------------------------

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export type JobState = (typeof JOB_STATES)[number]

export interface JobProgress {
  rowsRead?: number
  rowsSent?: number
  rowsCommitted?: number
  rowsRejected?: number
  bytesRead?: number
  bytesSent?: number
  /** Bytes of the source in total, when known: with bytesRead it gives a fraction and an ETA. */
  bytesTotal?: number
  batch?: number
}

export interface JobError {
  code: string
  message: string
  /** What committed before it stopped (loads), so Cancel can say it. */
  rowsCommitted?: number
}

export interface JobSnapshot {
  jobId: string
  kind: 'inspect' | 'load' | 'dryRun'
  label: string
  state: JobState
  progress: JobProgress
  createdAt: number
  /** When this snapshot was taken (ms since the epoch): progress events carry their own time. */
  updatedAt: number
  startedAt?: number
  endedAt?: number
  result?: Record<string, unknown>
  error?: JobError
  /** A failed or cancelled load that `load.resume` can continue. */
  resumable: boolean
}

/** A past import in the history (kept across restarts by the desktop app; no secrets). */
export interface HistoryEntry {
  jobId: string
  label: string
  kind: 'load' | 'dryRun' | 'inspect'
  state: 'done' | 'failed' | 'cancelled'
  rowsLoaded: number
  rowsRejected: number
  durationMs: number
  endedAt: number
  /** The template file the load ran with, to run it again. */
  template?: string
}

// ---- The calls ---------------------------------------------------------------------------

const empty = z.object({}).strict()
const connectionString = z.object({ connectionString: z.string().min(1).max(32768) }).strict()
// `savedId`: a saved connection whose secret (kept by the vault in main, never sent back to the
// renderer) is used when the form's password and token are empty.
const withForm = z.object({ form: connectionFormSchema, savedId: z.string().min(1).max(64).optional() }).strict()
const id = z.string().min(1).max(64)

/** Every call: its payload schema. The result types are in `CallResults`. */
export const callSchemas = {
  'connection.parse': connectionString,
  'connection.test': withForm,
  'connection.open': withForm,
  'connection.close': z.object({ connectionId: id }).strict(),
  'connection.columns': z.object({ connectionId: id, table: z.string().trim().min(1).max(260) }).strict(),
  'connection.listSaved': empty,
  'connection.save': z.object({ name: z.string().trim().min(1).max(128), form: connectionFormSchema, saveSecret: z.boolean() }).strict(),
  'connection.getSaved': z.object({ id }).strict(),
  'connection.deleteSaved': z.object({ id }).strict(),
  'localServer.start': empty,
  'localServer.stop': empty,
  'files.add': z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(256) }).strict(),
  'files.paste': z
    .object({
      text: z
        .string()
        .min(1)
        .max(64 * 1024 * 1024),
    })
    .strict(),
  'files.remove': z.object({ fileId: id }).strict(),
  'files.preview': z.object({ fileId: id, options: readerOptionsSchema.default({}) }).strict(),
  'files.inspect': z.object({ fileId: id, options: readerOptionsSchema.default({}) }).strict(),
  'load.start': loadRequestSchema,
  'load.dryRun': loadRequestSchema,
  'load.resume': z.object({ jobId: id }).strict(),
  'job.cancel': z.object({ jobId: id }).strict(),
  'job.list': empty,
  'history.list': empty,
  'template.save': z.object({ path: z.string().min(1).max(4096), request: loadRequestSchema }).strict(),
  'template.open': z.object({ path: z.string().min(1).max(4096), fileId: id.optional() }).strict(),
} as const

export type CallName = keyof typeof callSchemas
export type CallPayload<N extends CallName> = z.input<(typeof callSchemas)[N]>
export type CallArgs<N extends CallName> = z.output<(typeof callSchemas)[N]>

export interface CallResults {
  'connection.parse': ParsedConnectionString
  'connection.test': ServerInfo
  'connection.open': OpenConnection
  'connection.close': { closed: boolean }
  'connection.columns': TableColumn[]
  'connection.listSaved': SavedConnections
  'connection.save': SavedConnection
  'connection.getSaved': { name: string; form: ConnectionForm; hasSecret: boolean }
  'connection.deleteSaved': { deleted: boolean }
  'localServer.start': LocalTestServer
  'localServer.stop': { stopped: boolean }
  'files.add': FileEntry[]
  'files.paste': FileEntry
  'files.remove': { removed: boolean }
  'files.preview': FilePreview
  'files.inspect': { jobId: string }
  'load.start': { jobId: string }
  'load.dryRun': { jobId: string }
  'load.resume': { jobId: string }
  'job.cancel': { cancelled: boolean }
  'job.list': JobSnapshot[]
  'history.list': HistoryEntry[]
  'template.save': { path: string }
  'template.open': { request: LoadRequest; drift: TemplateDrift[] }
}

export type CallResult<N extends CallName> = CallResults[N]

/** Error codes the app adds to the native ones (`ECONFIG`, `ELOGIN`, `ETLS`, …). */
export type AppErrorCode = 'EINVALID' | 'EUNKNOWNCALL' | 'ENOTAVAILABLE' | 'ENOTFOUND' | 'EINTERNAL'

export interface CallError {
  code: string
  message: string
  /** The server's error number (ELOGIN, EREQUEST), when there is one. */
  number?: number
}

export type CallReply<N extends CallName = CallName> = { ok: true; result: CallResult<N> } | { ok: false; error: CallError }

/** A call as it crosses a transport (the WebSocket adds `id` to pair replies with requests). */
export interface CallRequest {
  method: string
  payload: unknown
}

// ---- Events (main → renderer) ------------------------------------------------------------

export interface EventPayloads {
  /** A job changed state, or its progress moved (at most ~10 a second per job). */
  job: JobSnapshot
  /** The local test server stopped (exited or was stopped). */
  'localServer.exited': { code: number | null }
}
export type EventName = keyof EventPayloads
export type EventMessage = { [N in EventName]: { event: N; payload: EventPayloads[N] } }[EventName]

/** What the preload exposes as `window.sluice`, and what the WebSocket client implements too. */
export interface SluiceApi {
  call<N extends CallName>(method: N, payload: CallPayload<N>): Promise<CallReply<N>>
  /** Listens to every event; returns the unsubscribe. */
  onEvent(listener: (message: EventMessage) => void): () => void
  /** Electron only: the path of a dropped or chosen file (`webUtils.getPathForFile`). */
  pathForFile?: (file: Blob) => string
}
