import type { ConnectionForm } from '../contract'

/** A SQL-login form for tests. */
export function emptyFormFor(server: string, user: string, password: string): ConnectionForm {
  return {
    server,
    database: '',
    auth: 'sql',
    user,
    password,
    accessToken: '',
    encrypt: 'Mandatory',
    trustServerCertificate: false,
    serverCertificate: '',
    extra: [],
  }
}
