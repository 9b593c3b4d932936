import { useEffect, useId, useState } from 'react'
import { jobsSelectors } from '../store/jobs/selectors'
import { useApp } from '../store-context'
import { ThroughputChart } from './ThroughputChart'

const n = (v: number | undefined) => (v ?? 0).toLocaleString('en-US')
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

/** What the core said about the finished load or dry run: its notes, the reject file and the rows in it. */
function Outcome({ result }: { result: Record<string, unknown> }) {
  const notes = strings(result.notes)
  const rejected = strings(result.rejectedRows)
  const file = typeof result.rejectFile === 'string' && rejected.length > 0 ? result.rejectFile : null
  return (
    <>
      {notes.length > 0 ? (
        <ul className="notes">
          {notes.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      ) : null}
      {file ? (
        <p>
          Rejected rows were written to <code>{file}</code>
        </p>
      ) : null}
      {rejected.length > 1 ? (
        <table className="rejects" aria-label="Rejected rows">
          <tbody>
            {rejected.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines of a file are positional
              <tr key={i}>
                <td>
                  <code>{line}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  )
}

export function LoadPanel() {
  const id = useId()
  const job = useApp((s) => jobsSelectors.shown(s.jobs))
  const a = useApp((s) => ({ cancel: s.cancelJob, resume: s.resumeJob }))
  const queue = useApp((s) => jobsSelectors.queue(s.jobs))
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (job?.state !== 'running') return
    const t = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(t)
  }, [job?.state])

  const fraction = job ? jobsSelectors.fraction(job) : null
  const rate = job ? jobsSelectors.rowsPerSecond(job, now) : null
  const eta = job ? jobsSelectors.etaSeconds(job, now) : null
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>4. Load</h2>
      <div role="status" aria-label="Load status" className="load-status">
        {job ? jobsSelectors.statusText(job) : 'Nothing is loading.'}
      </div>
      {queue.length > 1 ? (
        <ol className="queue" aria-label="Queue">
          {queue.map((j) => (
            <li key={j.jobId}>
              {j.label}: {j.state}
            </li>
          ))}
        </ol>
      ) : null}
      {job && (job.state === 'running' || job.state === 'queued') ? (
        <div
          role="progressbar"
          aria-label="Load progress"
          aria-valuemin={0}
          aria-valuemax={100}
          {...(fraction !== null ? { 'aria-valuenow': Math.round(fraction * 100) } : {})}
          className={`progress${fraction === null ? ' indeterminate' : ''}`}
        >
          <div className="progress-fill" style={{ width: `${Math.round((fraction ?? 0.3) * 100)}%` }} />
        </div>
      ) : null}
      {job ? (
        <dl className="stats">
          <dt>Rows read</dt>
          <dd>{n(job.progress.rowsRead)}</dd>
          <dt>Bytes read</dt>
          <dd>
            {n(job.progress.bytesRead)}
            {job.progress.bytesTotal ? ` of ${n(job.progress.bytesTotal)}` : ''}
          </dd>
          <dt>Bytes sent</dt>
          <dd>{n(job.progress.bytesSent)}</dd>
          <dt>Rows sent</dt>
          <dd>{n(job.progress.rowsSent)}</dd>
          <dt>Rows committed</dt>
          <dd>{n(job.progress.rowsCommitted)}</dd>
          <dt>Rows rejected</dt>
          <dd>{n(job.progress.rowsRejected)}</dd>
          <dt>Batch</dt>
          <dd>{n(job.progress.batch)}</dd>
          <dt>Rows/s</dt>
          <dd>{rate === null ? '—' : n(Math.round(rate))}</dd>
          <dt>Time left</dt>
          <dd>{eta === null ? '—' : `${Math.ceil(eta)} s`}</dd>
        </dl>
      ) : null}
      {job?.result ? <Outcome result={job.result} /> : null}
      {job ? <ThroughputChart jobId={job.jobId} /> : null}
      <div className="actions">
        <button type="button" className="danger" disabled={!jobsSelectors.canCancel(job)} onClick={() => job && void a.cancel(job.jobId)}>
          Cancel
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!jobsSelectors.canResume(job)}
          onClick={() => job && void a.resume(job.jobId)}
        >
          Resume
        </button>
      </div>
    </section>
  )
}
