// The napi addon against the test server: connect in every encryption mode, typed results,
// errors with stable codes, and a JS thread that stays free while the core waits.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { connect, type ResultSet, type SluiceError } from '@sluice/native'
import { startServer, type TestServer } from '../../test/helpers/server'

let plain: TestServer
let optional: TestServer
let strict: TestServer

before(async () => {
  ;[plain, optional, strict] = await Promise.all([
    startServer(['--encrypt', 'off']),
    startServer(['--encrypt', 'optional']),
    startServer(['--encrypt', 'strict']),
  ])
})
after(async () => {
  await Promise.all([plain?.stop(), optional?.stop(), strict?.stop()])
})

test('connects in every encryption mode and runs a query', async () => {
  const cases: [TestServer, string][] = [
    [plain, 'Encrypt=Optional'],
    [optional, 'Encrypt=False;TrustServerCertificate=True'],
    [optional, 'Encrypt=True;TrustServerCertificate=True'],
    // Strict always validates the certificate: the test server's is pinned.
    [strict, `Encrypt=Strict;ServerCertificate=${strict.certificatePath}`],
  ]
  for (const [server, extra] of cases) {
    const client = await connect(server.connectionString(extra))
    const { columns, rows } = await client.query('SELECT 1 AS one')
    assert.deepEqual(columns, [{ name: 'one', type: 'int', nullable: false }], extra)
    assert.deepEqual(rows, [[1]], extra)
    await client.close()
  }
})

test('creates a table, inserts rows and reads them back typed', async () => {
  const client = await connect(optional.connectionString('Encrypt=True;TrustServerCertificate=True'))
  await client.query('DROP TABLE IF EXISTS dbo.typed')
  await client.query(`CREATE TABLE dbo.typed (
      id int NOT NULL, big bigint NULL, flag bit NULL, price decimal(18,4) NULL, ratio float NULL,
      name nvarchar(50) NULL, code varchar(10) NULL, born date NULL, at datetime2(3) NULL,
      guid uniqueidentifier NULL, raw varbinary(8) NULL, cash money NULL)`)
  const ins = await client.query(`INSERT INTO dbo.typed VALUES
      (1, 9007199254740993, 1, 12.3456, 0.5, N'Zoë', 'abc', '2024-02-29', '2024-02-29 13:45:01.123',
       '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x01FF, 12.34),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`)
  assert.equal(ins.rowsAffected, 2)
  const { columns, rows } = await client.query('SELECT * FROM dbo.typed')
  assert.deepEqual(
    columns.map((c) => c.type),
    [
      'int',
      'bigint',
      'bit',
      'decimal(18,4)',
      'float',
      'nvarchar(50)',
      'varchar(10)',
      'date',
      'datetime2(3)',
      'uniqueidentifier',
      'varbinary(8)',
      'money',
    ],
  )
  assert.deepEqual(rows[0], [
    1,
    9007199254740993n,
    true,
    '12.3456',
    0.5,
    'Zoë',
    'abc',
    '2024-02-29',
    '2024-02-29 13:45:01.123',
    '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    Buffer.from([0x01, 0xff]),
    '12.3400',
  ])
  assert.deepEqual(rows[1], [2, null, null, null, null, null, null, null, null, null, null, null])
  const count = await client.query('SELECT COUNT(*) FROM dbo.typed')
  assert.deepEqual(count.rows, [[2]])
  await client.close()
})

test('server errors reject with code, number, state, class, lineNumber and serverName', async () => {
  const client = await connect(plain.connectionString('Encrypt=Optional'))
  await assert.rejects(client.query('SELECT * FROM nowhere'), (e: SluiceError) => {
    assert.ok(e instanceof Error)
    assert.equal(e.code, 'EREQUEST')
    assert.equal(e.number, 208)
    assert.equal(e.class, 16)
    assert.equal(typeof e.state, 'number')
    assert.equal(typeof e.lineNumber, 'number')
    assert.equal(e.serverName, 'SLUICE-TEST')
    assert.equal(e.message, "Invalid object name 'nowhere'.")
    return true
  })
  await client.close()
  await assert.rejects(client.query('SELECT 1'), { code: 'ECLOSED' })
})

test('login failures and bad connection strings have stable codes and never echo the password', async () => {
  await assert.rejects(connect(`Server=127.0.0.1,${plain.port};User ID=sa;Password=hunter2-secret;Encrypt=Optional`), (e: SluiceError) => {
    assert.equal(e.code, 'ELOGIN')
    assert.equal(e.number, 18456)
    assert.ok(!e.message.includes('hunter2-secret'))
    return true
  })
  await assert.rejects(connect('Server=127.0.0.1;Pasword=hunter2-secret'), (e: SluiceError) => {
    assert.equal(e.code, 'ECONFIG')
    assert.match(e.message, /Pasword/)
    assert.ok(!e.message.includes('hunter2-secret'))
    return true
  })
  await assert.rejects(connect(`Server=127.0.0.1,${optional.port};User ID=sa;Password=x;Encrypt=True`), { code: 'ETLS' })
})

test('the JS thread stays free while a query waits on the server', async () => {
  const client = await connect(plain.connectionString('Encrypt=Optional'))
  let ticks = 0
  const timer = setInterval(() => ticks++, 20)
  await client.query("WAITFOR DELAY '00:00:01'")
  clearInterval(timer)
  assert.ok(ticks >= 25, `only ${ticks} timer ticks ran during a 1 s query`)
  await client.close()
})

test('a batch with two result sets returns the rows of each', async () => {
  const client = await connect(plain.connectionString('Encrypt=Optional'))
  const r = await client.query('SELECT 1 AS a; SELECT 2 AS b, 3 AS c')
  assert.equal(r.resultSets.length, 2)
  const [first, second] = r.resultSets as [ResultSet, ResultSet]
  assert.deepEqual(first.rows, [[1]])
  assert.deepEqual(
    second.columns.map((c) => c.name),
    ['b', 'c'],
  )
  assert.deepEqual(second.rows, [[2, 3]])
  // `rows`/`columns` are the first set's, the very same arrays.
  assert.equal(r.rows, first.rows)
  assert.deepEqual(r.columns, first.columns)
  assert.equal(r.truncated, false)
  const none = await client.query('DROP TABLE IF EXISTS dbo.nothing_here')
  assert.deepEqual([none.columns, none.rows, none.resultSets], [[], [], []])
  await client.close()
})

test('maxRows keeps that many rows, cancels the rest and leaves the connection usable', async () => {
  const client = await connect(plain.connectionString('Encrypt=Optional'))
  await client.query('DROP TABLE IF EXISTS dbo.many')
  await client.query('CREATE TABLE dbo.many (id int NOT NULL, pad nvarchar(200) NULL)')
  const rows = Array.from({ length: 20_000 }, (_, i) => [i, 'x'.repeat(200)])
  await client.bulkCopy('dbo.many', rows)
  const r = await client.query('SELECT * FROM dbo.many ORDER BY id; SELECT 1 AS after', { maxRows: 10 })
  assert.equal(r.truncated, true)
  assert.equal(r.resultSets.length, 1)
  assert.deepEqual(
    r.rows.map((x) => x[0]),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  )
  // The limit counts over every set; exactly the limit is not truncated.
  const two = await client.query('SELECT 1 AS a; SELECT 2 AS b', { maxRows: 2 })
  assert.deepEqual([two.truncated, two.resultSets.map((s) => s.rows)], [false, [[[1]], [[2]]]])
  const cut = await client.query('SELECT 1 AS a; SELECT 2 AS b', { maxRows: 1 })
  assert.deepEqual([cut.truncated, cut.resultSets.map((s) => s.rows)], [true, [[[1]], []]])
  assert.deepEqual((await client.query('SELECT COUNT(*) FROM dbo.many')).rows, [[20_000]])
  assert.equal((await client.query('SELECT TOP 3 id FROM dbo.many', { maxRows: 0 })).rows.length, 0)
  await assert.rejects(client.query('SELECT 1', { maxRows: -1 }), TypeError)
  await assert.rejects(client.query('SELECT 1', { maxRows: 1.5 }), TypeError)
  await client.close()
})

test('an over-long LOGIN7 field is refused with ECONFIG naming the key, before dialing', async () => {
  await assert.rejects(connect(plain.connectionString(`Encrypt=Optional;Application Name=${'a'.repeat(40_000)}`)), (e: SluiceError) => {
    assert.equal(e.code, 'ECONFIG')
    assert.match(e.message, /Application Name/)
    assert.match(e.message, /40000 characters/)
    assert.match(e.message, /at most 128/)
    return true
  })
  await assert.rejects(connect(plain.connectionString(`Encrypt=Optional;Initial Catalog=${'d'.repeat(129)}`)), (e: SluiceError) => {
    assert.equal(e.code, 'ECONFIG')
    assert.match(e.message, /Initial Catalog/)
    return true
  })
  const ok = await connect(plain.connectionString(`Encrypt=Optional;Application Name=${'a'.repeat(128)}`))
  await ok.close()
})

test('tables with xml, text, ntext, image, sql_variant and hierarchyid columns are read and loaded', async () => {
  const client = await connect(plain.connectionString('Encrypt=Optional'))
  await client.query('DROP TABLE IF EXISTS dbo.docs')
  await client.query(`CREATE TABLE dbo.docs (id int NOT NULL, x xml NULL, t text NULL, n ntext NULL, i image NULL,
      v sql_variant NULL, h hierarchyid NULL)`)
  await client.query("INSERT INTO dbo.docs (id, x, t, n, i, v) VALUES (1, N'<a>é</a>', 'plain', N'Zoë', 0x0102, 42)")
  const meta = await client.query('SELECT TOP 0 * FROM dbo.docs')
  assert.deepEqual(
    meta.columns.map((c) => c.type),
    ['int', 'xml', 'text', 'ntext', 'image', 'sql_variant', 'hierarchyid'],
  )
  const { rows } = await client.query('SELECT * FROM dbo.docs')
  assert.deepEqual(rows, [[1, '<a>é</a>', 'plain', 'Zoë', Buffer.from([1, 2]), 42, null]])
  // xml and sql_variant load; the other columns stay out of the mapping.
  await client.bulkCopy(
    'dbo.docs',
    [
      [2, '<r a="1"/>', 7],
      [3, null, 'seven'],
      [4, '<r/>', true],
    ],
    {
      columnMappings: [
        [0, 'id'],
        [1, 'x'],
        [2, 'v'],
      ],
    },
  )
  const back = await client.query('SELECT id, x, v FROM dbo.docs WHERE id > 1 ORDER BY id')
  assert.deepEqual(back.rows, [
    [2, '<r a="1"/>', 7],
    [3, null, 'seven'],
    [4, '<r/>', true],
  ])
  // Mapping (or, without mappings, including) a text/ntext/image/CLR column is refused by name.
  await assert.rejects(
    client.bulkCopy('dbo.docs', [[5, 'x']], {
      columnMappings: [
        [0, 'id'],
        [1, 't'],
      ],
    }),
    (e: SluiceError) => {
      assert.equal(e.code, 'EUNSUPPORTED')
      assert.match(e.message, /"t" \(text\)/)
      return true
    },
  )
  await assert.rejects(client.bulkCopy('dbo.docs', [[5, null, null, null, null, null, null]]), (e: SluiceError) => {
    assert.equal(e.code, 'EUNSUPPORTED')
    assert.match(e.message, /"t" \(text\)/)
    return true
  })
  assert.deepEqual((await client.query('SELECT COUNT(*) FROM dbo.docs')).rows, [[4]])
  await client.close()
})
