import { useId, useState } from 'react'
import { useApp } from '../store-context'
import { ErrorText } from './ErrorText'
import { FileCardView } from './FileCardView'

export function FilesPanel() {
  const id = useId()
  const f = useApp((s) => s.files)
  const a = useApp((s) => ({ addFiles: s.addFiles, pasteCells: s.pasteCells }))
  const [dragging, setDragging] = useState(false)
  const [pasted, setPasted] = useState('')

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>2. Files</h2>
      <section
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        aria-label="Drop files here"
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault()
          setDragging(false)
          void a.addFiles([...e.dataTransfer.files])
        }}
      >
        <p>Drop CSV, TSV or spreadsheet files here, or</p>
        <label className="button file-button">
          Add files
          <input
            type="file"
            multiple
            className="visually-hidden"
            accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])]
              e.target.value = ''
              void a.addFiles(files)
            }}
          />
        </label>
        {f.adding ? <p className="hint">Adding…</p> : null}
      </section>
      {f.addError ? <ErrorText error={f.addError} context="Add files" /> : null}

      <details className="paste">
        <summary>Paste cells from a spreadsheet</summary>
        <label className="field wide">
          <span>Pasted cells</span>
          <textarea
            rows={4}
            value={pasted}
            spellCheck={false}
            placeholder="Copy cells in Excel or LibreOffice and paste them here"
            onChange={(e) => setPasted(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!pasted.trim()}
          onClick={() => {
            void a.pasteCells(pasted)
            setPasted('')
          }}
        >
          Add pasted cells
        </button>
      </details>

      {f.cards.length > 0 ? (
        <ul className="file-cards" aria-label="Files">
          {f.cards.map((card) => (
            <FileCardView key={card.entry.fileId} card={card} selected={card.entry.fileId === f.selectedFileId} />
          ))}
        </ul>
      ) : (
        <p className="hint empty">No files yet.</p>
      )}
    </section>
  )
}
