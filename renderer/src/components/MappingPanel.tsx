import { useId } from 'react'
import { connectionsSelectors } from '../store/connections/selectors'
import { filesSelectors } from '../store/files/selectors'
import { mappingSelectors } from '../store/mapping/selectors'
import { useApp } from '../store-context'
import { ColumnEditor } from './ColumnEditor'
import { DriftList } from './DriftList'
import { ErrorText } from './ErrorText'
import { TargetColumns } from './TargetColumns'

export function MappingPanel() {
  const id = useId()
  const m = useApp((s) => s.mapping)
  const tables = useApp((s) => connectionsSelectors.tables(s.connections))
  const connectionId = useApp((s) => connectionsSelectors.openConnection(s.connections)?.connectionId ?? null)
  const fileId = useApp((s) => s.files.selectedFileId)
  const previewColumns = useApp((s) => filesSelectors.selectedColumns(s.files))
  const a = useApp((s) => ({
    setMode: s.setMode,
    setTable: s.setTable,
    loadTargetColumns: s.loadTargetColumns,
    setMaxErrors: s.setMaxErrors,
    setTemplatePath: s.setTemplatePath,
    startLoad: s.startLoad,
    saveTemplate: s.saveTemplate,
    openTemplate: s.openTemplate,
  }))
  // Types proposed from the first rows may not hold for the rest: Load waits for the whole-file
  // read (or for the user to stop it).
  const inspecting = useApp((s) => {
    const jobId = filesSelectors.selected(s.files)?.inspectJobId
    const state = jobId ? s.jobs.byId[jobId]?.state : undefined
    return state === 'running' || state === 'queued'
  })
  const problems = [
    ...mappingSelectors.problems(m, { connectionId, fileId }),
    ...(inspecting ? ['Reading the whole file to check the types (Stop uses the first rows’ types).'] : []),
  ]
  const ready = problems.length === 0

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>3. Map to a table</h2>
      <fieldset className="radios">
        <legend>Target</legend>
        <label className="check">
          <input type="radio" name={`${id}-mode`} checked={m.mode === 'create'} onChange={() => a.setMode('create')} />
          New table
        </label>
        <label className="check">
          <input type="radio" name={`${id}-mode`} checked={m.mode === 'append'} onChange={() => a.setMode('append')} />
          Existing table
        </label>
      </fieldset>
      <div className="form-grid">
        <label className="field">
          <span>Table name</span>
          <input
            value={m.table}
            placeholder="dbo.sales"
            onChange={(e) => a.setTable(e.target.value)}
            onBlur={() => void a.loadTargetColumns()}
          />
        </label>
        {m.mode === 'append' && tables.length > 0 ? (
          <label className="field">
            <span>Tables in the database</span>
            <select
              value={tables.includes(m.table) ? m.table : ''}
              onChange={(e) => {
                a.setTable(e.target.value)
                void a.loadTargetColumns()
              }}
            >
              <option value="">Choose a table…</option>
              {tables.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>Max rejected rows</span>
          <input type="number" min={0} step={1} value={m.maxErrors} onChange={(e) => a.setMaxErrors(e.target.valueAsNumber)} />
          <small className="hint">0 = stop at the first bad row</small>
        </label>
      </div>
      {m.mode === 'append' && tables.length === 0 && connectionId ? (
        <p className="hint">This database has no tables yet: choose New table.</p>
      ) : null}

      {m.mode === 'append' ? <TargetColumns /> : null}
      {m.columns.length > 0 ? (
        <ColumnEditor />
      ) : (
        <p className="hint">
          {previewColumns.length === 0 && fileId ? 'Columns appear here once the file preview is read.' : 'Add a file to map its columns.'}
        </p>
      )}
      {m.template ? <DriftList /> : null}

      <div className="actions">
        <button type="button" className="secondary" disabled={!ready} onClick={() => void a.startLoad(true)}>
          Dry run
        </button>
        <button type="button" disabled={!ready} onClick={() => void a.startLoad(false)}>
          Load
        </button>
        {!ready ? <span className="hint">{problems.join(' ')}</span> : null}
      </div>
      <div className="actions template">
        <label className="field">
          <span>Template file</span>
          <input value={m.templatePath} placeholder="/path/to/import.sluice.json" onChange={(e) => a.setTemplatePath(e.target.value)} />
        </label>
        <button type="button" className="secondary" onClick={() => void a.saveTemplate()}>
          Save template
        </button>
        <button type="button" className="secondary" onClick={() => void a.openTemplate()}>
          Open template
        </button>
      </div>
      {m.request.status === 'error' ? <ErrorText error={m.request.error} /> : null}
      {m.request.status === 'ok' ? <p className="ok">{m.request.value}</p> : null}
    </section>
  )
}
