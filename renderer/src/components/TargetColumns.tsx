import { mappingSelectors } from '../store/mapping/selectors'
import { useApp } from '../store-context'
import { ErrorText } from './ErrorText'

/** The existing table's columns, and what in the mapping does not line up with them. */
export function TargetColumns() {
  const m = useApp((s) => s.mapping)
  if (m.targetColumns.status === 'idle') return null
  if (m.targetColumns.status === 'busy') return <p className="hint">Reading the columns of {m.targetTable}…</p>
  if (m.targetColumns.status === 'error') return <ErrorText error={m.targetColumns.error} context={m.targetTable} />
  const target = m.targetColumns.value
  const mismatches = mappingSelectors.targetMismatches(m, target)
  return (
    <div className="target-columns">
      <p>
        <strong>Columns of {m.targetTable}:</strong>{' '}
        {target.map((c) => `${c.name} ${c.sqlType}${c.nullable ? '' : ' NOT NULL'}`).join(', ')}
      </p>
      {mismatches.length > 0 ? (
        <div className="warning" role="alert">
          <strong>Does not match the table:</strong>
          <ul>
            {mismatches.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  )
}
