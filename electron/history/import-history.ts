// The history of past imports (loads and dry runs that ended), newest first, kept across
// restarts in a JSON file in the app's data directory. An entry holds what the history view
// shows and the template the load ran with — never a connection string or a secret.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { HistoryEntry, JobSnapshot } from '../contract'
import { entryOf } from './entry'

export { entryOf }

/** Older entries are dropped past this many: the file stays small. */
export const HISTORY_LIMIT = 500

const entrySchema = z
  .object({
    jobId: z.string(),
    label: z.string(),
    kind: z.enum(['load', 'dryRun', 'inspect']),
    state: z.enum(['done', 'failed', 'cancelled']),
    rowsLoaded: z.number(),
    rowsRejected: z.number(),
    durationMs: z.number(),
    endedAt: z.number(),
    template: z.string().optional(),
  })
  .strict()

export class ImportHistory {
  private entries: HistoryEntry[] = []

  /** `file` null keeps the history for this process only (the browser transport). */
  constructor(private readonly file: string | null) {
    if (!file || !fs.existsSync(file)) return
    try {
      const parsed = z.array(entrySchema).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')))
      // A damaged file is set aside, not fatal: the history starts again.
      if (parsed.success) this.entries = parsed.data.slice(0, HISTORY_LIMIT)
      else fs.renameSync(file, `${file}.damaged`)
    } catch {
      fs.renameSync(file, `${file}.damaged`)
    }
  }

  list(): HistoryEntry[] {
    return [...this.entries]
  }

  /** Records a job's state change; only an ended load or dry run makes (or replaces) an entry. */
  record(job: JobSnapshot): void {
    const entry = entryOf(job)
    if (!entry) return
    this.entries = [entry, ...this.entries.filter((e) => e.jobId !== entry.jobId)].slice(0, HISTORY_LIMIT)
    this.persist()
  }

  private persist(): void {
    if (!this.file) return
    fs.mkdirSync(path.dirname(this.file), { recursive: true })
    const tmp = `${this.file}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(this.entries, null, 2), { mode: 0o600 })
    fs.renameSync(tmp, this.file)
  }
}
