import type { FilePreview } from '../../../electron/contract'

/** The first rows as the native reader read them: values shown as they came, nothing re-parsed. */
export function PreviewGrid({ preview, name }: { preview: FilePreview; name: string }) {
  return (
    // A scrolling region must take focus so it can be scrolled from the keyboard (WCAG 2.1.1).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: see above
    <section className="preview" aria-label={`Preview of ${name}`} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {preview.columns.map((c) => (
              <th key={c.name} scope="col">
                {c.name}
                {c.sqlType ? <span className="type">{c.sqlType}</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, i) => (
            // Preview rows have no identity beyond their position.
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
            <tr key={i}>
              {row.map((v, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                <td key={j}>{v === null || v === undefined ? <span className="null">NULL</span> : String(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
