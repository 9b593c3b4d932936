// One history entry from a finished job: shared by the main process (which keeps the history
// file) and the renderer (which shows the session's entries), so both count alike. Pure: no
// Node module here, the renderer bundles it.
import type { HistoryEntry, JobSnapshot } from '../contract'

const num = (v: unknown) => (typeof v === 'number' ? v : undefined)

/** A finished load or dry run as one history entry (null for inspections and unfinished jobs). */
export function entryOf(job: JobSnapshot): HistoryEntry | null {
  if (job.kind === 'inspect' || (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled')) return null
  const r = job.result ?? {}
  return {
    jobId: job.jobId,
    label: job.label,
    kind: job.kind,
    state: job.state,
    rowsLoaded: num(r.rowsLoaded) ?? num(r.rowsCopied) ?? job.error?.rowsCommitted ?? job.progress.rowsCommitted ?? 0,
    rowsRejected: num(r.rowsRejected) ?? job.progress.rowsRejected ?? 0,
    durationMs: job.startedAt !== undefined && job.endedAt !== undefined ? job.endedAt - job.startedAt : 0,
    endedAt: job.endedAt ?? 0,
    ...(typeof r.template === 'string' ? { template: r.template } : {}),
  }
}
