// tedious, an independent TDS client, against the test server: it must connect in plain,
// TLS and TDS 8.0 strict modes, create a table, insert and read typed rows — and get the same
// answers Sluice's own client gets.

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { connect } from '@sluice/native'
import { startServer, type TestServer } from '../helpers/server'
import { type Encrypt, tediousBatch, tediousClose, tediousConnect } from './tedious'

let optional: TestServer
let strict: TestServer

before(async () => {
  ;[optional, strict] = await Promise.all([startServer(['--encrypt', 'optional']), startServer(['--encrypt', 'strict'])])
})
after(async () => {
  await Promise.all([optional?.stop(), strict?.stop()])
})

const TABLE = `CREATE TABLE dbo.peer (
  id int NOT NULL, small smallint NULL, tiny tinyint NULL, big bigint NULL, flag bit NULL,
  price decimal(18,4) NULL, ratio float NULL, r real NULL, name nvarchar(50) NULL, code varchar(10) NULL,
  born date NULL, at datetime2(7) NULL, old datetime NULL, guid uniqueidentifier NULL, raw varbinary(8) NULL,
  cash money NULL, t time(3) NULL, dto datetimeoffset(2) NULL)`
const INSERT = `INSERT INTO dbo.peer VALUES
  (1, -32768, 255, -9223372036854775808, 1, -12.3456, 1.5e10, 0.25, N'Grüße 東京', 'abc', '0001-01-01',
   '9999-12-31 23:59:59.9999999', '1753-01-01 00:00:00.003', '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x00FF10,
   -922337203685477.5808, '23:59:59.999', '2024-06-01 12:30:00.25 +02:00'),
  (2, NULL, NULL, NULL, 0, NULL, NULL, NULL, N'', '', NULL, NULL, NULL, NULL, 0x, NULL, NULL, NULL)`

for (const [label, encrypt, which] of [
  ['plain', false, 'optional'],
  ['TLS', true, 'optional'],
  ['TDS 8.0 strict', 'strict', 'strict'],
] as [string, Encrypt, 'optional' | 'strict'][]) {
  test(`tedious connects (${label}), creates a table and reads typed rows`, async () => {
    const server = which === 'strict' ? strict : optional
    const c = await tediousConnect(server, encrypt)
    try {
      const version = await tediousBatch(c, 'SELECT @@VERSION')
      assert.match(String(version.rows[0]?.[0]), /^Microsoft SQL Server 2022/)
      const table = `t_${label.replace(/\W/g, '_')}`
      await tediousBatch(c, `CREATE TABLE ${table} (id int NOT NULL, name nvarchar(20) NULL, amount decimal(10,2) NULL)`)
      const ins = await tediousBatch(c, `INSERT INTO ${table} VALUES (1, N'one', 1.50), (2, NULL, -3.25)`)
      assert.equal(ins.rowCount, 2)
      const r = await tediousBatch(c, `SELECT * FROM ${table}`)
      assert.deepEqual(r.columns, [
        { name: 'id', type: 'Int' },
        { name: 'name', type: 'NVarChar' },
        { name: 'amount', type: 'DecimalN' },
      ])
      assert.deepEqual(r.rows, [
        [1, 'one', 1.5],
        [2, null, -3.25],
      ])
    } finally {
      await tediousClose(c)
    }
  })
}

test('tedious gets a syntax error, not a hang, for SQL the server does not know', async () => {
  const c = await tediousConnect(optional, true)
  await assert.rejects(tediousBatch(c, 'SELEC 1'), (e: Error & { number?: number }) => e.number === 102)
  // ...and the connection still works.
  const r = await tediousBatch(c, 'SELECT 1')
  assert.deepEqual(r.rows, [[1]])
  await tediousClose(c)
})

/** A canonical text for a value from either client, so the two can be compared column by column. */
function canon(type: string, v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (Buffer.isBuffer(v)) return v.toString('hex')
  if (v instanceof Date) {
    const iso = v.toISOString() // tedious gives UTC Dates
    if (type === 'date') return iso.slice(0, 10)
    if (type.startsWith('time')) return iso.slice(11, 23)
    return iso.slice(0, 23).replace('T', ' ')
  }
  if (typeof v === 'boolean') return v ? '1' : '0'
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') return String(v)
  const s = String(v)
  if (type.startsWith('decimal') || type === 'money') return String(Number(s))
  if (type === 'date') return s
  if (type.startsWith('time')) return s.slice(0, 12)
  if (type.startsWith('datetimeoffset')) return new Date(s.replace(' ', 'T').replace(' ', '')).toISOString().slice(0, 23).replace('T', ' ')
  if (type.startsWith('datetime')) return s.slice(0, 23)
  if (type === 'uniqueidentifier') return s.toUpperCase()
  return s
}

test('Sluice and tedious read the same table and get the same values', async () => {
  const sluice = await connect(optional.connectionString('Encrypt=True;TrustServerCertificate=True'))
  await sluice.query('DROP TABLE IF EXISTS dbo.peer')
  await sluice.query(TABLE)
  await sluice.query(INSERT)
  const ours = await sluice.query('SELECT * FROM dbo.peer')
  const c = await tediousConnect(optional, true)
  const theirs = await tediousBatch(c, 'SELECT * FROM dbo.peer')
  await tediousClose(c)
  await sluice.close()
  assert.equal(theirs.rows.length, ours.rows.length)
  assert.deepEqual(
    theirs.columns.map((c) => c.name),
    ours.columns.map((c) => c.name),
  )
  ours.rows.forEach((row, i) => {
    row.forEach((v, j) => {
      const type = ours.columns[j]!.type
      assert.equal(canon(type, theirs.rows[i]![j]), canon(type, v), `row ${i} column ${ours.columns[j]!.name} (${type})`)
    })
  })
})
