// Connection-string behaviour that needs a real server: named instances found through the SQL
// Browser (SSRP over UDP), and Encrypt=Strict's certificate rule.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { connect, type SluiceError } from '@sluice/native'
import { PASSWORD, startServer, type TestServer } from '../../test/helpers/server'

let named: TestServer
let strict: TestServer

before(async () => {
  ;[named, strict] = await Promise.all([
    startServer(['--instance', 'SQLEXPRESS', '--browser-port', '0']),
    startServer(['--encrypt', 'strict']),
  ])
})
after(async () => {
  await Promise.all([named?.stop(), strict?.stop()])
})

test('Server=host\\instance finds the port through the SQL Browser', async () => {
  assert.ok(named.browserPort, 'sluice serve printed its Browser port')
  const client = await connect(
    `Server=${named.host}\\SQLEXPRESS;Browser Port=${named.browserPort};User ID=sa;Password=${PASSWORD};Encrypt=False`,
  )
  try {
    assert.deepEqual((await client.query('SELECT 1 AS one')).rows, [[1]])
  } finally {
    await client.close()
  }
})

test('an instance the Browser does not know fails with ECONNECT naming it', async () => {
  await assert.rejects(
    connect(`Server=${named.host}\\NOPE;Browser Port=${named.browserPort};User ID=sa;Password=x;Encrypt=False`),
    (e: SluiceError) => {
      assert.equal(e.code, 'ECONNECT', e.message)
      assert.match(e.message, /"NOPE".*SQL Browser/)
      return true
    },
  )
})

test('Encrypt=Strict validates the certificate even with TrustServerCertificate=True', async () => {
  await assert.rejects(connect(strict.connectionString('Encrypt=Strict;TrustServerCertificate=True')), (e: SluiceError) => {
    assert.equal(e.code, 'ETLS', e.message)
    assert.match(e.message, /ignored under Encrypt=Strict/)
    return true
  })
  const pinned = await connect(strict.connectionString(`Encrypt=Strict;ServerCertificate=${strict.certificatePath}`))
  await pinned.close()
})
