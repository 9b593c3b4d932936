// File and load calls: add/paste/remove files, preview, whole-file inspection and loads as
// queued jobs, templates. Every reading, inference and loading step is the native core's
// (`nativeFileCall`); where this build lacks it, the call fails with ENOTAVAILABLE *before* a
// job is queued, so the UI never shows a job that cannot run. A load's mapping travels to the
// core as a template file (`loadFile({ map })`), the same JSON `sluice load --map` reads; a
// mapping opened from a template travels as that template, so the core's drift check compares
// the file with the columns the template was saved with (opening it shows the same check's list).
import fs from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import type { LoadRequest } from '../contract'
import { AppError, type Handlers } from '../dispatcher'
import type { JobManager, JobSpec } from '../jobs/job-manager'
import type { FileRegistry } from './file-registry'
import { type ExpectedColumn, readTemplate, requestOf, templateOf, writeTemplate } from './load-template'
import { fileOptions, loadProgress, type NativeFileCalls, nativeFileCall, previewToContract } from './native-files'

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

/** Up to `n` lines of a text file the core wrote (bounded read: 64 KiB). */
function firstLines(file: string, n: number): string[] {
  try {
    const fd = fs.openSync(file, 'r')
    try {
      const buf = Buffer.alloc(64 * 1024)
      const len = fs.readSync(fd, buf, 0, buf.length, 0)
      return buf.toString('utf8', 0, len).split(/\r?\n/).filter(Boolean).slice(0, n)
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return []
  }
}

export function fileHandlers(deps: FileHandlerDeps): FileHandlers {
  const call = <K extends keyof NativeFileCalls>(name: K) => nativeFileCall(name, deps.nativeModule)
  /** Each file's columns as the last whole-file inspection inferred them: a template's expected columns. */
  const inferred = new Map<string, { format: string; columns: ExpectedColumn[] }>()

  /** The file's columns as inferred (whole file when inspected, else the preview's rows). */
  async function expectedColumns(request: LoadRequest): Promise<{ format: string; columns: ExpectedColumn[] }> {
    const known = inferred.get(request.fileId)
    if (known) return known
    const p = await call('preview')(deps.files.get(request.fileId).path, fileOptions(request.reader))
    return { format: p.format, columns: p.columns.map(({ name, sqlType, nullable }) => ({ name, sqlType, nullable })) }
  }

  async function writeLoadTemplate(request: LoadRequest, path: string): Promise<void> {
    const { format, columns } = await expectedColumns(request)
    writeTemplate(path, templateOf(request, columns, format))
  }

  /**
   * The template file a load passes to the core. Opened from a template: that file itself when
   * the mapping is still the template's, else a copy with the user's edits that keeps the saved
   * template's source settings and expected columns (so drift is still judged against them).
   * Otherwise the mapping written over the file's own inferred columns.
   */
  async function loadTemplatePath(request: LoadRequest, scratch: string): Promise<string> {
    if (request.template === undefined) {
      await writeLoadTemplate(request, scratch)
      return scratch
    }
    const saved = readTemplate(request.template)
    const edited = templateOf(request, saved.columns, saved.source.format)
    if (isDeepStrictEqual(edited.mapping, saved.mapping)) return request.template
    writeTemplate(scratch, { ...edited, source: saved.source, columns: saved.columns })
    return scratch
  }

  async function loadSpec(request: LoadRequest, dryRun: boolean, resume: boolean): Promise<JobSpec> {
    const loadFile = call('loadFile')
    const file = deps.files.get(request.fileId)
    const connection = deps.connectionString(request.connectionId)
    const map = deps.files.scratchPath('load.sluice.json')
    // Rejected rows go beside a file the user chose (where they will look), else to the session's folder.
    const rejectFile =
      file.origin === 'path' ? `${file.path.replace(/\.[^./\\]*$/, '')}.rejects.csv` : deps.files.scratchPath(`${file.name}.rejects.csv`)
    const template = await loadTemplatePath(request, map)
    const spec: JobSpec = {
      kind: dryRun ? 'dryRun' : 'load',
      label: `${dryRun ? 'Dry run' : resume ? 'Resume' : 'Load'}: ${file.name} → ${request.table}`,
      run: async ({ signal, progress }) => {
        const result = await loadFile({
          connection,
          files: [file.path],
          table: request.table,
          // `resume` as `sluice load … --resume`: the core skips what committed and does not
          // create or truncate the table again.
          [request.mode]: true,
          map: template,
          // "Load anyway" after the drift was shown; without it the core refuses a drifted file.
          ...(request.allowDrift ? { allowDrift: true } : {}),
          rejectFile,
          maxErrors: request.maxErrors,
          ...(request.batchSize !== undefined ? { batchSize: request.batchSize } : {}),
          dryRun,
          resume,
          signal,
          onProgress: (p) => progress(loadProgress(p)),
        })
        // The rows that failed (or would fail, in a dry run), as the core wrote them: the first few
        // lines of its reject file, shown as they are.
        const rejectedRows = result.rowsRejected > 0 && result.rejectFile ? firstLines(result.rejectFile, 21) : []
        // The template the load ran with goes in the history, to run it again next time.
        return { ...result, rejectedRows, ...(request.template !== undefined ? { template: request.template } : {}) }
      },
    }
    if (!dryRun) spec.resume = () => resumeSpec(request)
    return spec
  }

  // The job manager asks for the resumed job synchronously; the template is rewritten first.
  function resumeSpec(request: LoadRequest): JobSpec {
    const spec: JobSpec = {
      kind: 'load',
      label: `Resume: ${deps.files.get(request.fileId).name} → ${request.table}`,
      run: async (ctx) => (await loadSpec(request, false, true)).run(ctx),
    }
    spec.resume = () => resumeSpec(request)
    return spec
  }

  return {
    'files.add': async ({ paths }) => deps.files.addPaths(paths),
    'files.paste': async ({ text }) => deps.files.addPaste(text),
    'files.remove': async ({ fileId }) => {
      inferred.delete(fileId)
      return { removed: deps.files.remove(fileId) }
    },
    'files.preview': async ({ fileId, options }) => {
      const preview = call('preview')
      return previewToContract(await preview(deps.files.get(fileId).path, fileOptions(options)))
    },
    'files.inspect': async ({ fileId, options }) => {
      const inspect = call('inspect')
      const file = deps.files.get(fileId)
      const job = deps.jobs.submit({
        kind: 'inspect',
        label: `Inspect: ${file.name}`,
        run: async ({ signal, progress }) => {
          const result = await inspect(file.path, {
            ...fileOptions(options),
            signal,
            onProgress: (p) => progress({ rowsRead: p.rows, bytesRead: p.bytesRead, bytesTotal: file.size }),
          })
          inferred.set(fileId, {
            format: result.format,
            columns: result.columns.map(({ name, sqlType, nullable }) => ({ name, sqlType, nullable })),
          })
          return { ...result }
        },
      })
      return { jobId: job.jobId }
    },
    'load.start': async (request) => ({ jobId: deps.jobs.submit(await loadSpec(request, false, false)).jobId }),
    'load.dryRun': async (request) => ({ jobId: deps.jobs.submit(await loadSpec(request, true, false)).jobId }),
    'load.resume': async ({ jobId }) => {
      const job = deps.jobs.resume(jobId)
      if (!job) throw new AppError('EINVALID', 'only a failed or cancelled load can be resumed')
      return { jobId: job.jobId }
    },
    'job.cancel': async ({ jobId }) => ({ cancelled: deps.jobs.cancel(jobId) }),
    'job.list': async () => deps.jobs.list(),
    'template.save': async ({ path, request }) => {
      await writeLoadTemplate(request, path)
      return { path }
    },
    'template.open': async ({ path, fileId }) => {
      const t = readTemplate(path)
      const request = { ...requestOf(t, { connectionId: 'template', fileId: fileId ?? 'template' }), template: path }
      if (fileId === undefined) return { request, drift: [] }
      // The core's drift check (the one a load with this template runs), over the whole file.
      const drift = await call('templateDrift')(path, [deps.files.get(fileId).path])
      return { request, drift }
    },
  }
}
