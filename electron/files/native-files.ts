// The file calls of `@sluice/native` this app drives: `preview` and `inspect` (issue 9: readers
// and inference) and `loadFile` plus the template calls (issue 11: the file load). They are
// looked up at run time, so the app builds and runs before those land: a missing one is an
// ENOTAVAILABLE error the UI shows, never a stand-in written in JS. The shapes below are the
// issues' specification; when the binding lands, take its types from native/sluice.d.ts.
import * as native from '@sluice/native'
import type { FilePreview, JobProgress, ReaderOptions } from '../contract'
import { AppError } from '../dispatcher'

export interface NativeLoadOptions {
  connectionString: string
  files: string[]
  table: string
  mode: 'create' | 'append' | 'truncate'
  columns: unknown[]
  reader: ReaderOptions
  maxErrors: number
  batchSize?: number
  dryRun: boolean
  resume: boolean
  signal: AbortSignal
  onProgress: (p: JobProgress) => void
}

export interface NativeFileCalls {
  preview(path: string, options: ReaderOptions): Promise<FilePreview>
  inspect(
    path: string,
    options: ReaderOptions & { signal: AbortSignal; onProgress: (p: JobProgress) => void },
  ): Promise<Record<string, unknown>>
  loadFile(options: NativeLoadOptions): Promise<Record<string, unknown>>
  saveTemplate(
    path: string,
    options: Omit<NativeLoadOptions, 'connectionString' | 'signal' | 'onProgress' | 'dryRun' | 'resume'>,
  ): Promise<void>
  openTemplate(path: string, file?: string): Promise<{ options: Record<string, unknown>; drift: string[] }>
}

const ISSUE: Record<keyof NativeFileCalls, string> = {
  preview: 'the file readers (issue 9)',
  inspect: 'the file readers (issue 9)',
  loadFile: 'the file load (issue 11)',
  saveTemplate: 'import templates (issue 11)',
  openTemplate: 'import templates (issue 11)',
}

/** The native call, or ENOTAVAILABLE naming what this build lacks. */
export function nativeFileCall<K extends keyof NativeFileCalls>(name: K, module: object = native): NativeFileCalls[K] {
  const fn = (module as Record<string, unknown>)[name]
  if (typeof fn !== 'function') {
    throw new AppError('ENOTAVAILABLE', `${name} is not available in this build of Sluice: it arrives with ${ISSUE[name]}`)
  }
  return fn as NativeFileCalls[K]
}
