import { useEffect, useId } from 'react'
import { AUTH_KINDS, ENCRYPT_MODES } from '../../../electron/contract'
import { connectionsSelectors } from '../store/connections/selectors'
import { useApp } from '../store-context'
import { ErrorText } from './ErrorText'
import { SavedConnections } from './SavedConnections'

const AUTH_LABELS: Record<(typeof AUTH_KINDS)[number], string> = { sql: 'SQL login', accessToken: 'Entra ID access token' }
const ENCRYPT_HELP: Record<(typeof ENCRYPT_MODES)[number], string> = {
  Mandatory: 'TLS for the whole session (default)',
  Strict: 'TDS 8.0: TLS before anything else; the certificate is always checked',
  Optional: 'only the login is encrypted',
}

export function ConnectionPanel() {
  const id = useId()
  const c = useApp((s) => s.connections)
  const a = useApp((s) => ({
    setConnectionString: s.setConnectionString,
    parse: s.parseConnectionString,
    conceal: s.concealConnectionString,
    setForm: s.setForm,
    test: s.testConnection,
    connect: s.connect,
    disconnect: s.disconnect,
    startLocalServer: s.startLocalServer,
  }))
  const warning = connectionsSelectors.trustWarning(c)
  const open = connectionsSelectors.openConnection(c)
  const canTry = connectionsSelectors.canTry(c)
  const f = c.form

  // The form follows a pasted or typed string once typing pauses — not on blur, where the form
  // growing a warning would move the button under a click that is already in progress.
  const pending = c.connectionString.trim() !== '' && c.connectionString !== c.parsedString ? c.connectionString : null
  useEffect(() => {
    if (pending === null) return
    const timer = setTimeout(() => void a.parse(), 400)
    return () => clearTimeout(timer)
  }, [pending, a.parse])

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>1. Connect</h2>
      {open ? (
        <section className="connected" aria-label="Connection" aria-live="polite">
          <p>
            <strong>Connected</strong> as {open.label}
            {open.database ? ` (database ${open.database})` : ''}
          </p>
          {connectionsSelectors.localServerNote(c) ? (
            <p>
              <strong>Local test server:</strong> {connectionsSelectors.localServerNote(c)}
            </p>
          ) : null}
          <p className="version">{open.version}</p>
          <button type="button" onClick={() => void a.disconnect()}>
            Disconnect
          </button>
        </section>
      ) : (
        <>
          <div className="local-server">
            <button
              type="button"
              className="secondary"
              onClick={() => void a.startLocalServer()}
              disabled={c.localServer.status === 'busy'}
            >
              Local test server
            </button>
            <span className="hint">
              No SQL Server at hand? Start Sluice's own test server on this machine (in memory) and connect to it.
            </span>
            {c.localServer.status === 'busy' ? <span className="hint">Starting…</span> : null}
            {c.localServer.status === 'error' ? <ErrorText error={c.localServer.error} context="Local test server" /> : null}
          </div>

          <label className="field wide">
            <span>Connection string</span>
            <textarea
              rows={2}
              value={c.connectionString}
              placeholder="Server=myserver.database.windows.net;Database=sales;User ID=…;Password=…"
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => a.setConnectionString(e.target.value)}
              // A pasted string is read at once and, holding a password, cleared from view; a typed
              // one when the box is left.
              onPaste={() =>
                setTimeout(async () => {
                  if (await a.parse()) a.conceal()
                }, 0)
              }
              onBlur={() =>
                void a.parse().then((ok) => {
                  if (ok) a.conceal()
                })
              }
            />
          </label>
          {c.concealed ? (
            <p className="hint" role="note">
              The connection string was read into the form below; its password stays hidden in the{' '}
              {f.auth === 'accessToken' ? 'Access token' : 'Password'} box and is not shown again.
            </p>
          ) : null}
          {c.parse.status === 'error' ? <ErrorText error={c.parse.error} context="Connection string" /> : null}
          {c.unsupported.map((u) => (
            <p key={u} className="warning" role="alert">
              {u}
            </p>
          ))}

          <div className="form-grid">
            <label className="field">
              <span>Server</span>
              <input value={f.server} placeholder="host,port" onChange={(e) => a.setForm({ server: e.target.value })} />
            </label>
            <label className="field">
              <span>Database</span>
              <input value={f.database} placeholder="(the login's default)" onChange={(e) => a.setForm({ database: e.target.value })} />
            </label>
            <label className="field">
              <span>Authentication</span>
              <select value={f.auth} onChange={(e) => a.setForm({ auth: e.target.value as (typeof AUTH_KINDS)[number] })}>
                {AUTH_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {AUTH_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
            {f.auth === 'sql' ? (
              <>
                <label className="field">
                  <span>User name</span>
                  <input value={f.user} autoComplete="username" onChange={(e) => a.setForm({ user: e.target.value })} />
                </label>
                <label className="field">
                  <span>Password</span>
                  <input
                    type="password"
                    value={f.password}
                    placeholder={c.savedHasSecret ? 'saved (kept hidden)' : ''}
                    autoComplete="current-password"
                    onChange={(e) => a.setForm({ password: e.target.value })}
                  />
                </label>
              </>
            ) : (
              <label className="field wide">
                <span>Access token</span>
                <input
                  type="password"
                  value={f.accessToken}
                  autoComplete="off"
                  onChange={(e) => a.setForm({ accessToken: e.target.value })}
                />
              </label>
            )}
            <label className="field">
              <span>Encryption</span>
              <select value={f.encrypt} onChange={(e) => a.setForm({ encrypt: e.target.value as (typeof ENCRYPT_MODES)[number] })}>
                {ENCRYPT_MODES.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
              <small className="hint">{ENCRYPT_HELP[f.encrypt]}</small>
            </label>
            <label className="field">
              <span>Server certificate file (optional)</span>
              <input
                value={f.serverCertificate}
                placeholder="pin: path to PEM or DER"
                onChange={(e) => a.setForm({ serverCertificate: e.target.value })}
              />
            </label>
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={f.trustServerCertificate}
              onChange={(e) => a.setForm({ trustServerCertificate: e.target.checked })}
            />
            Trust the server certificate without checking it
          </label>
          {warning ? (
            <p className="warning" role="alert">
              ⚠ {warning}
            </p>
          ) : null}
          <p className="hint">
            Supported: SQL logins and Entra ID access tokens. Not supported: Windows / Kerberos (Integrated Security) and interactive Entra
            ID sign-in — get a token with <code>az account get-access-token --resource https://database.windows.net/</code> and paste it.
          </p>

          <div className="actions">
            <button type="button" className="secondary" disabled={!canTry} onClick={() => void a.test()}>
              Test connection
            </button>
            <button type="button" disabled={!canTry} onClick={() => void a.connect()}>
              Connect
            </button>
            {c.test.status === 'busy' || c.open.status === 'busy' ? <span className="hint">Connecting…</span> : null}
          </div>
          {c.test.status === 'ok' ? (
            <p className="ok" aria-live="polite">
              Connected to {connectionsSelectors.versionLine(c.test.value.version)}
            </p>
          ) : null}
          {c.test.status === 'error' ? (
            <ErrorText error={c.test.error} context="Test connection" hint={connectionsSelectors.errorHint(c.test.error.code)} />
          ) : null}
          {c.open.status === 'error' ? (
            <ErrorText error={c.open.error} context="Connect" hint={connectionsSelectors.errorHint(c.open.error.code)} />
          ) : null}
          <SavedConnections />
        </>
      )}
    </section>
  )
}
