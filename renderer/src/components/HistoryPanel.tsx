import { useId } from 'react'
import { historySelectors } from '../store/history/selectors'
import { useApp } from '../store-context'

export function HistoryPanel() {
  const id = useId()
  const entries = useApp((s) => s.history.entries)
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>5. History</h2>
      {entries.length === 0 ? (
        <p className="hint">Finished imports appear here (the desktop app keeps them across restarts).</p>
      ) : (
        <table className="history">
          <thead>
            <tr>
              <th scope="col">Import</th>
              <th scope="col">Result</th>
              <th scope="col">Rows loaded</th>
              <th scope="col">Rejected</th>
              <th scope="col">Rows/s</th>
              <th scope="col">Template</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.jobId}>
                <td>{e.label}</td>
                <td>{e.state}</td>
                <td>{e.rowsLoaded.toLocaleString('en-US')}</td>
                <td>{e.rowsRejected.toLocaleString('en-US')}</td>
                <td>{historySelectors.rate(e)?.toLocaleString('en-US') ?? '—'}</td>
                <td>{e.template ? <code>{e.template}</code> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
