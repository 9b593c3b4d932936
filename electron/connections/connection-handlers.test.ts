// The connection calls against the project's TDS test server: the version or the server's own
// error text, tables listed on open, and the local test server started and stopped.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { connect } from '@sluice/native'
import { startServer, type TestServer } from '../../test/helpers/server'
import { parseConnectionString } from './connection-form'
import { ConnectionService } from './connection-handlers'
import { SavedConnectionStore } from './saved-connections'

let server: TestServer
const exits: (number | null)[] = []
const service = new ConnectionService(new SavedConnectionStore(null, null), (code) => exits.push(code))
const h = service.handlers()

before(async () => {
  server = await startServer()
  const c = await connect(server.connectionString('Encrypt=Optional'))
  await c.query('CREATE TABLE dbo.orders (id int)')
  await c.close()
})
after(async () => {
  await service.dispose()
  await server?.stop()
})

const form = (extra: string) => parseConnectionString(server.connectionString(extra)).form

test('Test connection answers with the server’s @@VERSION', async () => {
  const info = await h['connection.test']({ form: form('Encrypt=Mandatory;TrustServerCertificate=True') })
  assert.match(info.version, /^Microsoft SQL Server 2022/)
  assert.equal(info.database, 'master')
})

test('a wrong password fails with the server’s own login error', async () => {
  await assert.rejects(h['connection.test']({ form: { ...form('Encrypt=Optional'), password: 'wrong' } }), {
    code: 'ELOGIN',
    number: 18456,
    message: /Login failed for user 'sa'\./,
  })
})

test('an unverifiable certificate fails with ETLS; pinning it with ServerCertificate connects', async () => {
  await assert.rejects(h['connection.test']({ form: form('Encrypt=Mandatory') }), { code: 'ETLS' })
  const pinned = await h['connection.test']({ form: { ...form('Encrypt=Mandatory'), serverCertificate: server.certificatePath } })
  assert.match(pinned.version, /Sluice test server/)
})

test('open lists the database’s tables and keeps the connection string for later calls by id', async () => {
  const open = await h['connection.open']({ form: form('Encrypt=Optional') })
  assert.ok(open.tables.includes('dbo.orders'), open.tables.join(','))
  assert.equal(open.label, `sa @ 127.0.0.1,${server.port}`)
  assert.match(service.connectionString(open.connectionId), /Password=Sluice_Test_1/)
  assert.deepEqual(await h['connection.columns']({ connectionId: open.connectionId, table: 'orders' }), [
    { name: 'id', sqlType: 'int', nullable: true },
  ])
  await assert.rejects(h['connection.columns']({ connectionId: open.connectionId, table: "dbo.[x'; DROP TABLE dbo.orders;--]" }), {
    code: 'ENOTFOUND',
  })
  assert.equal(
    (await h['connection.columns']({ connectionId: open.connectionId, table: '[dbo].[orders]' })).length,
    1,
    'orders is still there',
  )
  assert.deepEqual(await h['connection.close']({ connectionId: open.connectionId }), { closed: true })
  assert.throws(() => service.connectionString(open.connectionId), { code: 'ENOTFOUND' })
})

test('a SQL login without a user name is refused before connecting', async () => {
  await assert.rejects(h['connection.test']({ form: { ...form(''), user: '' } }), { code: 'ECONFIG', message: /User name is required/ })
})

test('the local test server starts on a loopback port with a random password and a pinned certificate, and stops', async () => {
  const local = await h['localServer.start']({})
  assert.match(local.form.server, /^127\.0\.0\.1,\d+$/)
  assert.equal(local.form.trustServerCertificate, false)
  assert.ok(local.form.serverCertificate.endsWith('server.pem'))
  assert.notEqual(local.form.password, 'Sluice_Test_1')
  const again = await h['localServer.start']({})
  assert.equal(again.port, local.port, 'one local server at a time')
  const info = await h['connection.test']({ form: local.form })
  assert.match(info.version, /Sluice test server/)
  assert.deepEqual(await h['localServer.stop']({}), { stopped: true })
  await assert.rejects(h['connection.test']({ form: local.form }), { code: 'ECONNECT' })
  assert.equal(exits.length, 1)
})

test('a saved connection’s password stays in main: getSaved sends none, and test/open with savedId use the vault’s', async () => {
  const vault = {
    encrypt: (t: string) => Buffer.from(Buffer.from(t, 'utf8').map((b) => b ^ 0x33)),
    decrypt: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x33)).toString('utf8'),
  }
  const withVault = new ConnectionService(new SavedConnectionStore(vault, null), () => undefined)
  const hv = withVault.handlers()
  const full = form('Encrypt=Optional')
  const saved = await hv['connection.save']({ name: 'local', form: full, saveSecret: true })
  const got = await hv['connection.getSaved']({ id: saved.id })
  assert.equal(got.form.password, '')
  assert.equal(got.hasSecret, true)
  assert.ok(!JSON.stringify(got).includes(full.password))
  assert.ok(!JSON.stringify(await hv['connection.listSaved']({})).includes(full.password))
  await assert.rejects(hv['connection.test']({ form: got.form }), { code: 'ELOGIN' })
  const info = await hv['connection.test']({ form: got.form, savedId: saved.id })
  assert.equal(info.database, 'master')
  const open = await hv['connection.open']({ form: got.form, savedId: saved.id })
  assert.ok(open.tables.includes('dbo.orders'))
  await withVault.dispose()
})
