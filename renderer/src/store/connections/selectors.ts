import type { ConnectionsState } from './initialState'

/** What is missing before Test connection / Connect can be tried (empty when nothing is). */
function missing(s: ConnectionsState): string[] {
  if (s.connectionString.trim() && s.connectionString !== s.parsedString) return []
  const out: string[] = []
  if (!s.form.server.trim()) out.push('server')
  if (s.form.auth === 'sql' && !s.form.user.trim()) out.push('user name')
  if (s.form.auth === 'accessToken' && !s.form.accessToken.trim()) out.push('access token')
  return out
}

/** What to try next after a failed connect, by error code (null when the message says it all). */
function errorHint(code: string): string | null {
  switch (code) {
    case 'ETLS':
      return "This machine does not trust the server's certificate. Pin it (Server certificate file), or — for a test server only — trust it without checking."
    case 'ELOGIN':
      return 'Check the user name and password (or the token), and that this login may use the database.'
    case 'ECONNECT':
    case 'ETIMEOUT':
      return 'Check the server name and port (host,port), and that a firewall lets this machine reach it.'
    case 'EENCRYPT':
      return 'The server and this connection disagree about encryption: try another Encryption mode.'
    default:
      return null
  }
}

export const connectionsSelectors = {
  errorHint,
  /** The local test server's note while the open connection is to it, else null. */
  localServerNote: (s: ConnectionsState): string | null =>
    s.open.status === 'ok' && s.localServer.status === 'ok' && s.form.server === s.localServer.value.form.server
      ? s.localServer.value.note
      : null,
  missing,
  canTry: (s: ConnectionsState) => missing(s).length === 0 && s.open.status !== 'busy' && s.test.status !== 'busy',
  /** The warning shown while TrustServerCertificate is on (null when it is off). */
  trustWarning: (s: ConnectionsState): string | null =>
    s.form.trustServerCertificate
      ? 'The server certificate will not be checked: anyone between you and the server could read the data and the password. Use only for a test server, or pin the certificate instead.'
      : null,
  openConnection: (s: ConnectionsState) => (s.open.status === 'ok' ? s.open.value : null),
  tables: (s: ConnectionsState) => (s.open.status === 'ok' ? s.open.value.tables : []),
  /** The first line of @@VERSION, which names the product and version. */
  versionLine: (version: string) => version.split('\n')[0]?.trim() ?? '',
  /** How secrets of saved connections are kept, in words for the UI. */
  secretStorageNote: (s: ConnectionsState): string =>
    s.saved?.secretStorage === 'safeStorage'
      ? 'Passwords and tokens are encrypted by the operating system (Electron safeStorage).'
      : 'In the browser, passwords and tokens are never stored: saved connections keep everything else, until npm run web stops.',
}
