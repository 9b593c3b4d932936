// The queue of long-running native jobs (whole-file inspection, loads, dry runs): one job runs
// at a time, in the order submitted, so several files can be queued without two loads fighting
// for the link. Each job gets an AbortSignal (Cancel) and a progress sink; progress is coalesced
// and pushed at most every PROGRESS_INTERVAL_MS per job (a 5-million-row load never floods the
// renderer), state changes are pushed at once. Plain Node: no transport here, only `emit`.
import { randomUUID } from 'node:crypto'
import type { JobError, JobProgress, JobSnapshot } from '../contract'
import { toCallError } from '../dispatcher'

export const PROGRESS_INTERVAL_MS = 100

export interface JobContext {
  signal: AbortSignal
  progress(p: JobProgress): void
}

export interface JobSpec {
  kind: JobSnapshot['kind']
  label: string
  run(ctx: JobContext): Promise<Record<string, unknown>>
  /** How to continue this job after a failure or cancel; present for resumable loads. */
  resume?: () => JobSpec
}

interface Job {
  snapshot: JobSnapshot
  spec: JobSpec
  abort: AbortController
  lastPush: number
  timer: NodeJS.Timeout | null
}

function errorOf(err: unknown): JobError {
  const base = toCallError(err)
  const committed = (err as { rowsCommitted?: unknown } | null)?.rowsCommitted
  return typeof committed === 'number'
    ? { code: base.code, message: base.message, rowsCommitted: committed }
    : { code: base.code, message: base.message }
}

export class JobManager {
  private readonly jobs = new Map<string, Job>()
  private readonly queue: Job[] = []
  private running: Job | null = null

  constructor(
    private readonly emit: (snapshot: JobSnapshot) => void,
    private readonly now: () => number = Date.now,
  ) {}

  submit(spec: JobSpec): JobSnapshot {
    const job: Job = {
      snapshot: {
        jobId: randomUUID(),
        kind: spec.kind,
        label: spec.label,
        state: 'queued',
        progress: {},
        createdAt: this.now(),
        updatedAt: this.now(),
        resumable: false,
      },
      spec,
      abort: new AbortController(),
      lastPush: 0,
      timer: null,
    }
    this.jobs.set(job.snapshot.jobId, job)
    this.queue.push(job)
    this.push(job)
    this.next()
    return { ...job.snapshot }
  }

  /** Cancels a queued or running job; false when it had already ended (or is unknown). */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job) return false
    if (job.snapshot.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1)
      this.finish(job, 'cancelled', undefined, { code: 'ECANCEL', message: 'cancelled before it started; nothing was sent' })
      return true
    }
    if (job.snapshot.state === 'running') {
      job.abort.abort(new Error('cancelled by the user'))
      return true
    }
    return false
  }

  /** Queues the continuation of a failed or cancelled resumable job. */
  resume(jobId: string): JobSnapshot | null {
    const job = this.jobs.get(jobId)
    if (!job?.snapshot.resumable || !job.spec.resume) return null
    job.snapshot.resumable = false
    this.push(job)
    return this.submit(job.spec.resume())
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((j) => ({ ...j.snapshot, progress: { ...j.snapshot.progress } }))
  }

  /**
   * Cancels everything (the window or the web server is going away) and waits for the running
   * job to end, at most `waitMs` (a native call that ignored its signal must not hold the exit).
   */
  async shutdown(waitMs = 10_000): Promise<void> {
    for (const job of [...this.queue]) this.cancel(job.snapshot.jobId)
    const running = this.running
    if (running) {
      running.abort.abort(new Error('shutting down'))
      const deadline = this.now() + waitMs
      await new Promise<void>((resolve) => {
        const check = () => (this.running === running && this.now() < deadline ? setTimeout(check, 10) : resolve())
        check()
      })
    }
  }

  private next(): void {
    if (this.running) return
    const job = this.queue.shift()
    if (!job) return
    this.running = job
    job.snapshot.state = 'running'
    job.snapshot.startedAt = this.now()
    this.push(job)
    const ctx: JobContext = { signal: job.abort.signal, progress: (p) => this.progress(job, p) }
    let work: Promise<Record<string, unknown>>
    try {
      work = Promise.resolve(job.spec.run(ctx))
    } catch (err) {
      work = Promise.reject(err)
    }
    work.then(
      (result) => this.finish(job, 'done', result),
      (err: unknown) => {
        const error = errorOf(err)
        this.finish(job, job.abort.signal.aborted || error.code === 'ECANCEL' ? 'cancelled' : 'failed', undefined, error)
      },
    )
  }

  private progress(job: Job, p: JobProgress): void {
    if (job.snapshot.state !== 'running') return
    job.snapshot.progress = { ...job.snapshot.progress, ...p }
    const wait = job.lastPush + PROGRESS_INTERVAL_MS - this.now()
    if (wait <= 0) {
      this.push(job)
    } else if (!job.timer) {
      job.timer = setTimeout(() => {
        job.timer = null
        if (job.snapshot.state === 'running') this.push(job)
      }, wait)
    }
  }

  private finish(job: Job, state: 'done' | 'failed' | 'cancelled', result?: Record<string, unknown>, error?: JobError): void {
    if (job.timer) clearTimeout(job.timer)
    job.timer = null
    job.snapshot.state = state
    job.snapshot.endedAt = this.now()
    if (result) job.snapshot.result = result
    if (error) job.snapshot.error = error
    job.snapshot.resumable = state !== 'done' && job.spec.resume !== undefined && job.snapshot.startedAt !== undefined
    this.push(job)
    if (this.running === job) {
      this.running = null
      this.next()
    }
  }

  private push(job: Job): void {
    job.lastPush = this.now()
    job.snapshot.updatedAt = job.lastPush
    this.emit({ ...job.snapshot, progress: { ...job.snapshot.progress } })
  }
}
