// The connection form and connection strings. Reading a pasted string is the core's
// (`parseConnectionString` over native/tds/src/conn_string, the parser `connect` uses), so the
// form and a connection never read a string differently; this module only maps its answer onto
// the form and writes the form back as a string.
import * as native from '@sluice/native'
import type { ConnectionForm, ParsedConnectionString } from '../contract'
import { AppError } from '../dispatcher'

/** What the core read, with its secrets (non-enumerable there; read by name). */
type NativeParsed = ReturnType<typeof native.parseConnectionString>

const TOKEN_HELP =
  'get a token (e.g. az account get-access-token --resource https://database.windows.net/) and paste it as the access token'

/** The core's reading of a string in the form's terms; keys the form has no box for ride along in `extra`. */
export function formOf(p: NativeParsed): ParsedConnectionString {
  const unsupported: string[] = []
  let auth: ConnectionForm['auth'] = 'sql'
  if (p.authentication === 'AccessToken') auth = 'accessToken'
  else if (p.authentication !== 'SqlPassword')
    unsupported.push(`Authentication=${p.authentication}: only SQL logins and an Entra ID access token are supported; ${TOKEN_HELP}`)
  const extra: [string, string][] = p.extra.map(([k, v]) => [k ?? '', v ?? ''])
  if (p.hostNameInCertificate !== undefined) extra.push(['HostNameInCertificate', p.hostNameInCertificate])
  return {
    form: {
      server: p.server,
      database: p.database ?? '',
      auth,
      user: p.user ?? '',
      password: p.password ?? '',
      accessToken: p.accessToken ?? '',
      encrypt: p.encrypt,
      trustServerCertificate: p.trustServerCertificate,
      serverCertificate: p.serverCertificate ?? '',
      extra,
    },
    unsupported,
  }
}

/** Parses with the core; a malformed string is its ECONFIG error (which never quotes a secret). */
export function parseConnectionString(text: string): ParsedConnectionString {
  try {
    return formOf(native.parseConnectionString(text))
  } catch (err) {
    const e = err as { code?: string; message?: string }
    throw new AppError(e.code === 'ECONFIG' ? 'ECONFIG' : 'EINVALID', e.message ?? String(err))
  }
}

/** Quotes a value when it would not survive unquoted (`;`, quotes, braces, edge spaces). */
function quote(value: string): string {
  if (!/[;"'{}]|^\s|\s$/.test(value)) return value
  return `{${value.replaceAll('}', '}}')}}`
}

export function buildConnectionString(form: ConnectionForm): string {
  const pairs: [string, string][] = [['Server', form.server]]
  if (form.database) pairs.push(['Database', form.database])
  if (form.auth === 'accessToken') pairs.push(['AccessToken', form.accessToken])
  else {
    pairs.push(['User ID', form.user])
    pairs.push(['Password', form.password])
  }
  pairs.push(['Encrypt', form.encrypt])
  if (form.trustServerCertificate) pairs.push(['TrustServerCertificate', 'True'])
  if (form.serverCertificate) pairs.push(['ServerCertificate', form.serverCertificate])
  const shown = new Set(pairs.map(([k]) => k.toLowerCase()))
  for (const [k, v] of form.extra) if (!shown.has(k.toLowerCase())) pairs.push([k, v])
  return pairs.map(([k, v]) => `${k}=${quote(v)}`).join(';')
}

/** What the UI shows for a connection: never the secret. */
export function describeConnection(form: ConnectionForm): string {
  const who = form.auth === 'accessToken' ? 'access token' : form.user || '(no user)'
  return `${who} @ ${form.server}${form.database ? ` / ${form.database}` : ''}`
}
