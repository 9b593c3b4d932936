import type { PreviewColumn } from '../../../electron/contract'
import { filesSelectors } from '../store/files/selectors'
import { mappingSelectors } from '../store/mapping/selectors'
import { useApp } from '../store-context'

/** Why the inference chose a type: its figures and example rows, one click away. */
function Evidence({ column }: { column: PreviewColumn | undefined }) {
  if (!column?.sqlType || column.evidence === undefined) return null
  return (
    <details className="evidence">
      <summary>Why {column.sqlType}?</summary>
      <pre>{JSON.stringify(column.evidence, null, 2)}</pre>
    </details>
  )
}

export function ColumnEditor() {
  const columns = useApp((s) => s.mapping.columns)
  const proposed = useApp((s) => filesSelectors.selectedColumns(s.files))
  const setColumn = useApp((s) => s.setColumn)
  return (
    <table className="columns">
      <thead>
        <tr>
          <th scope="col">Load</th>
          <th scope="col">Source column</th>
          <th scope="col">Target column</th>
          <th scope="col">Type</th>
          <th scope="col">Nullable</th>
          <th scope="col">Empty as NULL</th>
          <th scope="col">Date order</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((c) => (
          <tr key={c.source}>
            <td>
              <input
                type="checkbox"
                aria-label={`Load ${c.source}`}
                checked={c.include}
                onChange={(e) => setColumn(c.source, { include: e.target.checked })}
              />
            </td>
            <td>
              {c.source}
              <Evidence column={proposed.find((p) => p.name === c.source)} />
            </td>
            <td>
              <input
                aria-label={`Target name of ${c.source}`}
                value={c.target}
                onChange={(e) => setColumn(c.source, { target: e.target.value })}
              />
            </td>
            <td>
              <select
                aria-label={`Type of ${c.source}`}
                value={c.sqlType}
                onChange={(e) => setColumn(c.source, { sqlType: e.target.value })}
              >
                {mappingSelectors.typeChoices(proposed.find((p) => p.name === c.source)?.sqlType).map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={`${c.source} nullable`}
                checked={c.nullable}
                onChange={(e) => setColumn(c.source, { nullable: e.target.checked })}
              />
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={`${c.source}: empty as NULL`}
                checked={c.emptyAsNull}
                onChange={(e) => setColumn(c.source, { emptyAsNull: e.target.checked })}
              />
            </td>
            <td>
              <select
                aria-label={`Date order of ${c.source}`}
                value={c.dateOrder}
                onChange={(e) => setColumn(c.source, { dateOrder: e.target.value as typeof c.dateOrder })}
              >
                <option value="auto">as inferred</option>
                <option value="DMY">day first</option>
                <option value="MDY">month first</option>
                <option value="YMD">year first</option>
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
