// File and load calls: add/paste/remove files, preview, whole-file inspection and loads as
// queued jobs, templates. Every reading, inference and loading step is the native core's
// (`nativeFileCall`); where this build lacks it, the call fails with ENOTAVAILABLE *before* a
// job is queued, so the UI never shows a job that cannot run.
import type { LoadRequest } from '../contract'
import { AppError, type Handlers } from '../dispatcher'
import type { JobManager, JobSpec } from '../jobs/job-manager'
import type { FileRegistry } from './file-registry'
import { type NativeFileCalls, type NativeLoadOptions, nativeFileCall } from './native-files'

type FileHandlers = Pick<
  Handlers,
  | 'files.add'
  | 'files.paste'
  | 'files.remove'
  | 'files.preview'
  | 'files.inspect'
  | 'load.start'
  | 'load.dryRun'
  | 'load.resume'
  | 'job.cancel'
  | 'job.list'
  | 'template.save'
  | 'template.open'
>

export interface FileHandlerDeps {
  files: FileRegistry
  jobs: JobManager
  connectionString(connectionId: string): string
  /** Where `@sluice/native` comes from (tests pass a module with the file calls). */
  nativeModule?: object
}

export function fileHandlers(deps: FileHandlerDeps): FileHandlers {
  const call = <K extends keyof NativeFileCalls>(name: K) => nativeFileCall(name, deps.nativeModule)

  function loadSpec(request: LoadRequest, dryRun: boolean, resume: boolean): JobSpec {
    const loadFile = call('loadFile')
    const file = deps.files.get(request.fileId)
    const connectionString = deps.connectionString(request.connectionId)
    const spec: JobSpec = {
      kind: dryRun ? 'dryRun' : 'load',
      label: `${dryRun ? 'Dry run' : resume ? 'Resume' : 'Load'}: ${file.name} → ${request.table}`,
      run: ({ signal, progress }) => {
        const options: NativeLoadOptions = {
          connectionString,
          files: [file.path],
          table: request.table,
          // The same options plus `resume`, as `sluice load … --resume`: the native load knows
          // not to create or truncate the table again.
          mode: request.mode,
          columns: request.columns,
          reader: request.reader,
          maxErrors: request.maxErrors,
          ...(request.batchSize !== undefined ? { batchSize: request.batchSize } : {}),
          dryRun,
          resume,
          signal,
          onProgress: (p) => progress({ ...p, bytesTotal: file.size }),
        }
        return loadFile(options)
      },
    }
    if (!dryRun) spec.resume = () => loadSpec(request, false, true)
    return spec
  }

  return {
    'files.add': async ({ paths }) => deps.files.addPaths(paths),
    'files.paste': async ({ text }) => deps.files.addPaste(text),
    'files.remove': async ({ fileId }) => ({ removed: deps.files.remove(fileId) }),
    'files.preview': async ({ fileId, options }) => {
      const preview = call('preview')
      return preview(deps.files.get(fileId).path, options)
    },
    'files.inspect': async ({ fileId, options }) => {
      const inspect = call('inspect')
      const file = deps.files.get(fileId)
      const job = deps.jobs.submit({
        kind: 'inspect',
        label: `Inspect: ${file.name}`,
        run: ({ signal, progress }) =>
          inspect(file.path, { ...options, signal, onProgress: (p) => progress({ ...p, bytesTotal: file.size }) }),
      })
      return { jobId: job.jobId }
    },
    'load.start': async (request) => ({ jobId: deps.jobs.submit(loadSpec(request, false, false)).jobId }),
    'load.dryRun': async (request) => ({ jobId: deps.jobs.submit(loadSpec(request, true, false)).jobId }),
    'load.resume': async ({ jobId }) => {
      const job = deps.jobs.resume(jobId)
      if (!job) throw new AppError('EINVALID', 'only a failed or cancelled load can be resumed')
      return { jobId: job.jobId }
    },
    'job.cancel': async ({ jobId }) => ({ cancelled: deps.jobs.cancel(jobId) }),
    'job.list': async () => deps.jobs.list(),
    'template.save': async ({ path, request }) => {
      const save = call('saveTemplate')
      const file = deps.files.get(request.fileId)
      await save(path, {
        files: [file.path],
        table: request.table,
        mode: request.mode,
        columns: request.columns,
        reader: request.reader,
        maxErrors: request.maxErrors,
        ...(request.batchSize !== undefined ? { batchSize: request.batchSize } : {}),
      })
      return { path }
    },
    'template.open': async ({ path, fileId }) => {
      const open = call('openTemplate')
      const { options, drift } = await open(path, fileId ? deps.files.get(fileId).path : undefined)
      // The template's load options, in the contract's shape; the native side owns the format.
      return { request: options as unknown as LoadRequest, drift }
    },
  }
}
