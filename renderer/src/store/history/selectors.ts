import type { JobSnapshot } from '../../../../electron/contract'
import type { HistoryEntry, HistoryState } from './initialState'

/** A finished load or dry run as one history line (null for jobs that are not imports or not finished). */
function entryOf(job: JobSnapshot): HistoryEntry | null {
  if (job.kind === 'inspect' || (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled')) return null
  const r = job.result ?? {}
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined)
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

export const historySelectors = {
  entryOf,
  loads: (s: HistoryState) => s.entries.filter((e) => e.kind === 'load'),
  /** Rows per second over the whole load, or null for an instant one. */
  rate: (e: HistoryEntry) => (e.durationMs > 0 ? Math.round((e.rowsLoaded * 1000) / e.durationMs) : null),
  totalRowsLoaded: (s: HistoryState) => s.entries.filter((e) => e.kind === 'load').reduce((n, e) => n + e.rowsLoaded, 0),
}
