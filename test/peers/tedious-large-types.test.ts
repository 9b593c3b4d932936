// tedious reads the test server's xml, text, ntext, image, sql_variant and hierarchyid columns:
// an independent decoder of MS-TDS 2.2.5.4 (TYPE_INFO) and 2.2.5.5 (values) agrees with the
// server's encodings — and with what Sluice reads from the same table.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { connect } from '@sluice/native'
import { startServer, type TestServer } from '../helpers/server'
import { tediousBatch, tediousClose, tediousConnect } from './tedious'

let server: TestServer

before(async () => {
  server = await startServer(['--encrypt', 'optional'])
})
after(async () => {
  await server?.stop()
})

test('tedious decodes the large and self-describing types as the server encodes them', async () => {
  const sluice = await connect(server.connectionString('Encrypt=True;TrustServerCertificate=True'))
  await sluice.query(`CREATE TABLE dbo.large_peer (id int NOT NULL, x xml NULL, t text NULL, n ntext NULL,
      i image NULL, v sql_variant NULL, h hierarchyid NULL)`)
  await sluice.query(`INSERT INTO dbo.large_peer (id, x, t, n, i, v) VALUES
      (1, N'<a b="1">é</a>', 'café', N'Grüße 東京', 0x00FF10, 42),
      (2, NULL, NULL, NULL, NULL, N'text in a variant'),
      (3, NULL, NULL, NULL, NULL, 12.50),
      (4, NULL, NULL, NULL, NULL, NULL)`)
  const ours = await sluice.query('SELECT * FROM dbo.large_peer ORDER BY id')
  const c = await tediousConnect(server, true)
  try {
    const theirs = await tediousBatch(c, 'SELECT * FROM dbo.large_peer ORDER BY id')
    assert.deepEqual(
      theirs.columns.map((col) => col.type),
      ['Int', 'Xml', 'Text', 'NText', 'Image', 'Variant', 'UDT'],
    )
    assert.deepEqual(theirs.rows, [
      [1, '<a b="1">é</a>', 'café', 'Grüße 東京', Buffer.from([0, 0xff, 0x10]), 42, null],
      [2, null, null, null, null, 'text in a variant', null],
      [3, null, null, null, null, 12.5, null],
      [4, null, null, null, null, null, null],
    ])
    // Sluice reads the same values (decimals as exact strings).
    assert.deepEqual(ours.rows, [
      [1, '<a b="1">é</a>', 'café', 'Grüße 東京', Buffer.from([0, 0xff, 0x10]), 42, null],
      [2, null, null, null, null, 'text in a variant', null],
      [3, null, null, null, null, '12.50', null],
      [4, null, null, null, null, null, null],
    ])
    // The connection is still in step after the variable-length tokens.
    assert.deepEqual((await tediousBatch(c, 'SELECT 1')).rows, [[1]])
  } finally {
    await tediousClose(c)
    await sluice.close()
  }
})
