import { useId } from 'react'
import { mappingSelectors } from '../store/mapping/selectors'
import { useApp } from '../store-context'

/** What changed in the file since the opened template was saved: the core's drift check, as a
 * list (a few words, the core's sentence beside them), and "Load anyway" when a load would be
 * refused for it. */
export function DriftList() {
  const id = useId()
  const drift = useApp((s) => s.mapping.drift)
  const allowDrift = useApp((s) => s.mapping.allowDrift)
  const setAllowDrift = useApp((s) => s.setAllowDrift)
  const blocks = drift.some((d) => d.blocks)
  if (drift.length === 0) {
    return <p className="ok">The file has the columns the template was saved with.</p>
  }
  return (
    <section className={blocks ? 'warning drift' : 'drift'} aria-labelledby={`${id}-h`}>
      <strong id={`${id}-h`}>The file changed since the template was saved</strong>
      <ul aria-label="Differences from the template">
        {drift.map((d) => (
          <li key={d.message}>
            <span className="drift-line">{mappingSelectors.driftLine(d)}</span>
            {d.blocks ? <span className="badge"> stops the load</span> : <span className="hint"> (does not stop the load)</span>}
            <br />
            <small className="hint">{d.message}</small>
          </li>
        ))}
      </ul>
      {blocks ? (
        <label className="check">
          <input type="checkbox" checked={allowDrift} onChange={(e) => setAllowDrift(e.target.checked)} />
          Load anyway
        </label>
      ) : null}
      {blocks && !allowDrift ? (
        <p className="hint">
          A load with this template refuses the file, as <code>sluice load --map</code> does, until you tick Load anyway.
        </p>
      ) : null}
    </section>
  )
}
