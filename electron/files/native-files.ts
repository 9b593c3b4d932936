// The file calls of `@sluice/native` this app drives: `preview` and `inspect` (issue 9: readers
// and inference) and `loadFile` (issue 11: the file load). Their shapes are native/sluice.d.ts's;
// this module only translates between them and the contract's (electron/contract.ts), so the
// renderer never depends on the binding. They are still looked up at run time: an older build
// without one is an ENOTAVAILABLE error the UI shows, never a stand-in written in JS.

import type {
  FileInspection,
  FileOptions,
  LoadFileOptions,
  LoadFileResult,
  LoadProgress,
  FilePreview as NativePreview,
  TemplateDifference,
} from '@sluice/native'
import * as native from '@sluice/native'
import type { FilePreview, JobProgress, PreviewColumn, ReaderOptions } from '../contract'
import { AppError } from '../dispatcher'

export interface NativeFileCalls {
  preview(path: string, options?: FileOptions): Promise<NativePreview>
  inspect(
    path: string,
    options?: FileOptions & { signal?: AbortSignal; onProgress?: (p: { bytesRead: number; rows: number }) => void },
  ): Promise<FileInspection>
  loadFile(options: LoadFileOptions & { signal?: AbortSignal }): Promise<LoadFileResult>
  templateDrift(template: string, files: string[]): Promise<TemplateDifference[]>
}

const ISSUE: Record<keyof NativeFileCalls, string> = {
  preview: 'the file readers (issue 9)',
  inspect: 'the file readers (issue 9)',
  loadFile: 'the file load (issue 11)',
  templateDrift: 'the drift check (issue 10)',
}

/** The native call, or ENOTAVAILABLE naming what this build lacks. */
export function nativeFileCall<K extends keyof NativeFileCalls>(name: K, module: object = native): NativeFileCalls[K] {
  const fn = (module as Record<string, unknown>)[name]
  if (typeof fn !== 'function') {
    throw new AppError('ENOTAVAILABLE', `${name} is not available in this build of Sluice: it arrives with ${ISSUE[name]}`)
  }
  return fn as NativeFileCalls[K]
}

/** The contract's reader overrides as the native `FileOptions` (the `sluice inspect` flags). */
export function fileOptions(o: ReaderOptions): FileOptions {
  const out: FileOptions = {}
  // The contract counts sheets from 0 (as the sheet picker lists them); the core from 1.
  if (o.sheet !== undefined) out.sheet = typeof o.sheet === 'number' ? o.sheet + 1 : o.sheet
  if (o.range !== undefined) out.range = o.range
  if (o.headerRow !== undefined) out.headerRow = o.headerRow
  if (o.hasHeader === false) out.noHeader = true
  if (o.delimiter !== undefined) out.delimiter = o.delimiter
  if (o.encoding !== undefined) out.encoding = o.encoding
  if (o.rows !== undefined) out.previewRows = o.rows
  if (o.sample !== undefined) out.sample = o.sample
  return out
}

/** The native preview in the contract's shape: sheet names to pick from, rows as read. */
export function previewToContract(p: NativePreview): FilePreview {
  return {
    format: p.format,
    ...(p.encoding !== null ? { encoding: p.encoding } : {}),
    delimiter: p.delimiter,
    ...(p.quote !== undefined ? { quote: p.quote } : {}),
    hasHeader: p.hasHeader,
    sheets: p.sheets.filter((s) => s.isWorksheet).map((s) => s.name),
    ...(p.sheet !== null ? { sheet: p.sheet } : {}),
    columns: p.columns.map((c): PreviewColumn => ({ name: c.name, sqlType: c.sqlType, nullable: c.nullable })),
    rows: p.rows,
  }
}

/** A load's native progress report as the job's progress. */
export function loadProgress(p: LoadProgress): JobProgress {
  return {
    rowsRead: p.rowsRead,
    rowsSent: p.rowsSent,
    rowsCommitted: p.rowsCommitted,
    rowsRejected: p.rowsRejected,
    bytesRead: p.bytesRead,
    bytesSent: p.bytesSent,
    bytesTotal: p.bytesTotal,
    batch: p.batch,
  }
}
