// Fills the connection form from a pasted ADO.NET connection string, and writes the form back as
// one. Only the split into key=value pairs and the form's keys are handled here: the native
// parser (native/tds/src/conn_string) stays the judge of what a string means when it connects, so
// keys the form does not show ride along unchanged in `extra`.
import type { ConnectionForm, ParsedConnectionString } from '../contract'
import { AppError } from '../dispatcher'

/** Synonyms as SqlClient (and native/tds/src/conn_string/keys.rs) accept them, lower-cased. */
const KEYS: Record<string, keyof ConnectionForm | 'authentication'> = {
  server: 'server',
  'data source': 'server',
  address: 'server',
  addr: 'server',
  'network address': 'server',
  database: 'database',
  'initial catalog': 'database',
  'user id': 'user',
  uid: 'user',
  user: 'user',
  password: 'password',
  pwd: 'password',
  accesstoken: 'accessToken',
  'access token': 'accessToken',
  encrypt: 'encrypt',
  trustservercertificate: 'trustServerCertificate',
  'trust server certificate': 'trustServerCertificate',
  servercertificate: 'serverCertificate',
  'server certificate': 'serverCertificate',
  authentication: 'authentication',
}

/** Splits `key=value;…` into pairs, undoing `"…"`, `'…'` and `{…}` quoting (the closer doubled inside). */
export function splitPairs(text: string): [string, string][] {
  const pairs: [string, string][] = []
  let i = 0
  const n = text.length
  while (i < n) {
    while (i < n && (text[i] === ';' || /\s/.test(text[i]!))) i++
    if (i >= n) break
    const eq = text.indexOf('=', i)
    const semi = text.indexOf(';', i)
    if (eq < 0 || (semi >= 0 && semi < eq)) throw new AppError('ECONFIG', `connection string: missing '=' after key at position ${i}`)
    const key = text.slice(i, eq).trim()
    if (!key) throw new AppError('ECONFIG', `connection string: empty key at position ${eq}`)
    i = eq + 1
    while (i < n && /\s/.test(text[i]!) && text[i] !== ';') i++
    const open = text[i]
    let value = ''
    if (open === '"' || open === "'" || open === '{') {
      const close = open === '{' ? '}' : open
      const start = i
      i++
      for (;;) {
        if (i >= n) throw new AppError('ECONFIG', `connection string: unterminated quoted value at position ${start}`)
        const c = text[i]!
        i++
        if (c === close) {
          if (text[i] === close) {
            value += close
            i++
            continue
          }
          break
        }
        value += c
      }
      while (i < n && /\s/.test(text[i]!)) i++
      if (i < n && text[i] !== ';')
        throw new AppError('ECONFIG', `connection string: unexpected text after a quoted value at position ${i}`)
    } else {
      const end = text.indexOf(';', i)
      value = (end < 0 ? text.slice(i) : text.slice(i, end)).trim()
      i = end < 0 ? n : end
    }
    pairs.push([key, value])
  }
  return pairs
}

const TRUE = new Set(['true', 'yes', '1'])
const FALSE = new Set(['false', 'no', '0'])

export function parseConnectionString(text: string): ParsedConnectionString {
  const form: ConnectionForm = {
    server: '',
    database: '',
    auth: 'sql',
    user: '',
    password: '',
    accessToken: '',
    encrypt: 'Mandatory',
    trustServerCertificate: false,
    serverCertificate: '',
    extra: [],
  }
  const unsupported: string[] = []
  for (const [key, value] of splitPairs(text)) {
    const field = KEYS[key.toLowerCase()]
    const lower = value.toLowerCase()
    switch (field) {
      case undefined:
        form.extra = [...form.extra.filter(([k]) => k.toLowerCase() !== key.toLowerCase()), [key, value]]
        break
      case 'encrypt':
        if (lower === 'strict') form.encrypt = 'Strict'
        else if (lower === 'optional' || FALSE.has(lower)) form.encrypt = 'Optional'
        else if (lower === 'mandatory' || TRUE.has(lower) || lower === '') form.encrypt = 'Mandatory'
        else throw new AppError('ECONFIG', `connection string: Encrypt must be Mandatory, Strict or Optional (or True/False)`)
        break
      case 'trustServerCertificate':
        form.trustServerCertificate = TRUE.has(lower)
        break
      case 'accessToken':
        form.accessToken = value
        form.auth = 'accessToken'
        break
      case 'authentication':
        if (lower === 'sqlpassword' || lower === '') form.auth = 'sql'
        else
          unsupported.push(
            `Authentication=${value}: only SQL logins and an Entra ID access token are supported; get a token (e.g. az account get-access-token --resource https://database.windows.net/) and paste it as the access token`,
          )
        break
      case 'server':
      case 'database':
      case 'user':
      case 'password':
      case 'serverCertificate':
        form[field] = value
        break
      default:
        form.extra.push([key, value])
    }
  }
  return { form, unsupported }
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
  for (const [k, v] of form.extra) if (!shown.has(k.toLowerCase()) && !KEYS[k.toLowerCase()]) pairs.push([k, v])
  return pairs.map(([k, v]) => `${k}=${quote(v)}`).join(';')
}

/** What the UI shows for a connection: never the secret. */
export function describeConnection(form: ConnectionForm): string {
  const who = form.auth === 'accessToken' ? 'access token' : form.user || '(no user)'
  return `${who} @ ${form.server}${form.database ? ` / ${form.database}` : ''}`
}
