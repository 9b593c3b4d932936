import { useState } from 'react'
import { connectionsSelectors } from '../store/connections/selectors'
import { useApp } from '../store-context'

export function SavedConnections() {
  const c = useApp((s) => s.connections)
  const a = useApp((s) => ({ save: s.saveConnection, use: s.useSaved, remove: s.deleteSaved }))
  const [name, setName] = useState('')
  const [saveSecret, setSaveSecret] = useState(false)
  const vault = c.saved?.secretStorage === 'safeStorage'

  return (
    <details className="saved">
      <summary>Saved connections ({c.saved?.connections.length ?? 0})</summary>
      <p className="hint">{connectionsSelectors.secretStorageNote(c)}</p>
      <ul>
        {c.saved?.connections.map((s) => (
          <li key={s.id}>
            <span>
              {s.name} — {s.form.server}
              {s.hasSecret ? ' (password saved)' : ''}
            </span>
            <button type="button" className="small" onClick={() => void a.use(s.id)} aria-label={`Use ${s.name}`}>
              Use
            </button>
            <button type="button" className="small secondary" onClick={() => void a.remove(s.id)} aria-label={`Delete ${s.name}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <label className="field">
          <span>Connection name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={saveSecret && vault} disabled={!vault} onChange={(e) => setSaveSecret(e.target.checked)} />
          Save the password or token
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!name.trim() || !c.form.server.trim()}
          onClick={() => void a.save(name.trim(), saveSecret && vault)}
        >
          Save connection
        </button>
      </div>
    </details>
  )
}
