import type { JobSnapshot } from '../../../../electron/contract'
import type { JobsState, ThroughputSample } from './initialState'

const count = (n: number) => n.toLocaleString('en-US')

function rowsPerSecond(job: JobSnapshot, now: number): number | null {
  const rows = job.progress.rowsCommitted ?? job.progress.rowsSent ?? job.progress.rowsRead
  if (rows === undefined || job.startedAt === undefined) return null
  const ms = (job.endedAt ?? now) - job.startedAt
  return ms > 0 ? (rows * 1000) / ms : null
}

/** 0..1 from bytes read of bytes in total, or null when the size is unknown (indeterminate bar). */
function fraction(job: JobSnapshot): number | null {
  if (job.state === 'done') return 1
  const { bytesRead, bytesTotal } = job.progress
  if (bytesRead === undefined || !bytesTotal) return null
  return Math.min(1, bytesRead / bytesTotal)
}

/** The status region's sentence for a job (the issue's contract: "<N> rows loaded", "<M> rows rejected"). */
function statusText(job: JobSnapshot): string {
  const r = job.result ?? {}
  const num = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : undefined)
  const loaded = num('rowsLoaded') ?? num('rowsCopied') ?? job.progress.rowsCommitted ?? 0
  const rejected = num('rowsRejected') ?? job.progress.rowsRejected ?? 0
  const rejectedText = rejected > 0 ? `, ${count(rejected)} rows rejected` : ''
  switch (job.state) {
    case 'queued':
      return `${job.label}: queued`
    case 'running':
      return `${job.label}: ${count(job.progress.rowsCommitted ?? 0)} rows committed so far`
    case 'done':
      if (job.kind === 'dryRun')
        return `Dry run: ${count(num('rowsLoaded') ?? 0)} rows would load${rejected > 0 ? `, ${count(rejected)} rows would be rejected` : ''}`
      if (job.kind === 'inspect') return `${job.label}: done`
      return `${count(loaded)} rows loaded${rejectedText}`
    case 'cancelled':
      return `Cancelled: ${count(job.error?.rowsCommitted ?? job.progress.rowsCommitted ?? 0)} rows committed before it stopped`
    case 'failed':
      return `Failed: ${job.error?.message ?? 'unknown error'}${job.error?.rowsCommitted !== undefined ? ` (${count(job.error.rowsCommitted)} rows committed)` : ''}`
  }
}

/** Seconds left at the current rate, or null when it cannot be told. */
function etaSeconds(job: JobSnapshot, now: number): number | null {
  const f = fraction(job)
  if (f === null || f <= 0 || job.startedAt === undefined || job.state !== 'running') return null
  const elapsed = (now - job.startedAt) / 1000
  return Math.max(0, elapsed / f - elapsed)
}

/** Rows per second between consecutive samples (the chart's series); samples at the same instant are skipped. */
function throughput(samples: ThroughputSample[]): number[] {
  const out: number[] = []
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!
    const b = samples[i]!
    if (b.at > a.at) out.push(Math.max(0, ((b.rows - a.rows) * 1000) / (b.at - a.at)))
  }
  return out
}

/** The series as SVG polyline points in a width × height box, highest value at the top. */
function sparkline(series: number[], width: number, height: number): string {
  if (series.length < 2) return ''
  const max = Math.max(...series) || 1
  const step = width / (series.length - 1)
  return series.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`).join(' ')
}

const watched = (s: JobsState) => (s.watchedJobId ? (s.byId[s.watchedJobId] ?? null) : null)

/** The job the Load panel shows: the watched one, unless it waits in the queue behind a running
 * load — then the running one, whose figures move. */
function shown(s: JobsState): JobSnapshot | null {
  const w = watched(s)
  if (w?.state !== 'queued') return w
  const running = s.order.map((id) => s.byId[id]).find((j) => j !== undefined && j.kind !== 'inspect' && j.state === 'running')
  return running ?? w
}

export const jobsSelectors = {
  throughput,
  sparkline,
  samplesOf: (s: JobsState, jobId: string | undefined) => (jobId ? (s.samples[jobId] ?? []) : []),
  watched,
  shown,
  running: (s: JobsState) =>
    s.order.map((id) => s.byId[id]).filter((j): j is JobSnapshot => j?.state === 'running' || j?.state === 'queued'),
  /** Loads and dry runs not finished yet, in the order they were queued (one runs at a time). */
  queue: (s: JobsState) =>
    s.order
      .map((id) => s.byId[id])
      .filter((j): j is JobSnapshot => j !== undefined && j.kind !== 'inspect' && (j.state === 'running' || j.state === 'queued')),
  rowsPerSecond,
  fraction,
  statusText,
  etaSeconds,
  canCancel: (job: JobSnapshot | null) => job !== null && (job.state === 'running' || job.state === 'queued'),
  canResume: (job: JobSnapshot | null) => job?.resumable === true,
}
