import type { FileCard } from '../store/files/initialState'
import { useApp } from '../store-context'
import { ErrorText } from './ErrorText'

const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : '?')

/** The whole-file inspection behind a card's preview: running, done, or why not. */
export function InspectionStatus({ card }: { card: FileCard }) {
  const job = useApp((s) => (card.inspectJobId ? (s.jobs.byId[card.inspectJobId] ?? null) : null))
  const cancel = useApp((s) => s.cancelJob)
  if (card.inspectError) return <ErrorText error={card.inspectError} context="Whole-file inspection" />
  if (!job) return null
  switch (job.state) {
    case 'queued':
    case 'running':
      return (
        <p className="hint">
          Reading the whole file to propose types… {n(job.progress.rowsRead ?? 0)} rows{' '}
          <button
            type="button"
            className="small secondary"
            onClick={() => void cancel(job.jobId)}
            aria-label={`Stop inspecting ${card.entry.name}`}
          >
            Stop
          </button>
        </p>
      )
    case 'done':
      return (
        <p className="hint">Whole file read: {n(job.result?.rowCount ?? job.progress.rowsRead)} rows; the types below cover every row.</p>
      )
    case 'cancelled':
      return <p className="hint">Inspection stopped: the types are proposed from the preview only.</p>
    case 'failed':
      return <ErrorText error={job.error ?? { code: 'EINTERNAL', message: 'inspection failed' }} context="Whole-file inspection" />
  }
}
