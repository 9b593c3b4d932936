import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type ConnectionsState, connectionsInitialState, emptyForm } from './initialState'
import { connectionsSelectors as sel } from './selectors'

const state = (p: Partial<ConnectionsState>): ConnectionsState => ({ ...connectionsInitialState, ...p })

test('an empty form cannot be tried and names what is missing', () => {
  assert.deepEqual(sel.missing(state({})), ['server', 'user name'])
  assert.equal(sel.canTry(state({})), false)
  assert.deepEqual(sel.missing(state({ form: { ...emptyForm, server: 'h', auth: 'accessToken' } })), ['access token'])
})

test('a freshly pasted connection string can be tried before the form is filled from it', () => {
  assert.equal(sel.canTry(state({ connectionString: 'Server=h;User ID=u' })), true)
  assert.equal(sel.canTry(state({ connectionString: 'x', parsedString: 'x' })), false, 'once parsed, the form decides')
})

test('nothing can be tried while a connect is in flight', () => {
  assert.equal(sel.canTry(state({ form: { ...emptyForm, server: 'h', user: 'u' }, open: { status: 'busy' } })), false)
})

test('the trust warning shows exactly while TrustServerCertificate is on', () => {
  assert.equal(sel.trustWarning(state({})), null)
  assert.match(sel.trustWarning(state({ form: { ...emptyForm, trustServerCertificate: true } })) ?? '', /will not be checked/)
})

test('tables and the open connection come only from a successful open', () => {
  assert.deepEqual(sel.tables(state({})), [])
  const open = { connectionId: 'c', label: 'l', version: 'v', database: 'd', tables: ['dbo.t'] }
  assert.deepEqual(sel.tables(state({ open: { status: 'ok', value: open } })), ['dbo.t'])
  assert.equal(sel.openConnection(state({ open: { status: 'error', error: { code: 'ELOGIN', message: 'x' } } })), null)
})

test('the version line is the first line of @@VERSION', () => {
  assert.equal(sel.versionLine('Microsoft SQL Server 2022 (RTM)\n\tOct 8 2022'), 'Microsoft SQL Server 2022 (RTM)')
})

test('the secret-storage note says the browser stores no secret', () => {
  assert.match(sel.secretStorageNote(state({ saved: { secretStorage: 'none', connections: [] } })), /never stored/)
  assert.match(sel.secretStorageNote(state({ saved: { secretStorage: 'safeStorage', connections: [] } })), /safeStorage/)
})

test('a TLS or login failure comes with what to try next; other errors speak for themselves', () => {
  assert.match(sel.errorHint('ETLS') ?? '', /Pin it/)
  assert.match(sel.errorHint('ELOGIN') ?? '', /user name and password/)
  assert.equal(sel.errorHint('EREQUEST'), null)
})

test('the local test server is named while the open connection is to it', () => {
  const local = { form: { ...emptyForm, server: '127.0.0.1,5000' }, port: 5000, note: 'in memory' }
  const open = { status: 'ok' as const, value: { connectionId: 'c', label: 'l', version: 'v', database: 'd', tables: [] } }
  const s = state({ form: local.form, open, localServer: { status: 'ok', value: local } })
  assert.equal(sel.localServerNote(s), 'in memory')
  assert.equal(sel.localServerNote({ ...s, form: { ...emptyForm, server: 'prod' } }), null)
  assert.equal(sel.localServerNote({ ...s, open: { status: 'idle' } }), null)
})
