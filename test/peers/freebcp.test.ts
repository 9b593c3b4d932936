// freebcp (FreeTDS, Debian's freetds-bin), a third independent bulk-load client, against the test
// server: it loads a tab-delimited file (character mode, -c -t '\t') into a table created with
// Sluice, and what is stored must equal the file's content — in plain TDS, with TLS for the login
// only (`encryption = request` against `--encrypt optional`), and with TLS throughout
// (`encryption = require` against `--encrypt mandatory`). Its
// bulk-load messages, captured by the server, are walked token by token too: FreeTDS sends no
// final DONE, which the server must accept (TDS-NOTES, "Bulk load").

import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { type Client, connect } from '@sluice/native'
import { PASSWORD, startServer, type TestServer } from '../helpers/server'
import { parseBulkStream } from '../helpers/tds-stream'

type Encryption = 'off' | 'request' | 'require'

let plain: TestServer // --encrypt off: no TLS at all
let optional: TestServer // --encrypt optional: FreeTDS `encryption = request` gets TLS for the login only
let mandatory: TestServer // --encrypt mandatory: TLS throughout
let work: string
let captureDir: string

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-freebcp-'))
  captureDir = path.join(work, 'capture')
  fs.mkdirSync(captureDir)
  ;[plain, optional, mandatory] = await Promise.all([
    startServer(['--encrypt', 'off', '--capture-bulk', captureDir]),
    startServer(['--encrypt', 'optional']),
    startServer(['--encrypt', 'mandatory']),
  ])
})
after(async () => {
  await Promise.all([plain?.stop(), optional?.stop(), mandatory?.stop()])
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

interface FreebcpResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs `freebcp <table> in <file> -S sluice -U sa -P … -c -t '\t' [extra]` with a freetds.conf of
 * its own (TDS 7.4, the given encryption, UTF-8 client charset) and HOME pointing at the work dir,
 * so no user or system configuration takes part. At most 20 s.
 */
function freebcp(
  server: TestServer,
  encryption: Encryption,
  table: string,
  file: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<FreebcpResult> {
  const dir = fs.mkdtempSync(path.join(work, 'run-'))
  const conf = path.join(dir, 'freetds.conf')
  fs.writeFileSync(
    conf,
    `[global]\n\ttds version = 7.4\n[sluice]\n\thost = ${server.host}\n\tport = ${server.port}\n\ttds version = 7.4\n\tencryption = ${encryption}\n\tclient charset = UTF-8\n`,
  )
  const args = [table, 'in', file, '-S', 'sluice', '-U', 'sa', '-P', PASSWORD, '-c', '-t', '\\t', ...extra]
  return new Promise((resolve) => {
    execFile(
      'freebcp',
      args,
      { env: { ...process.env, FREETDSCONF: conf, HOME: dir, TDSVER: '7.4', ...env }, timeout: 20_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

// ---------------------------------------------------------------------------------------------
// The table and the file: each column with the text freebcp reads and the value Sluice's query
// returns for it (an empty field is NULL in character mode).

interface Col {
  name: string
  sql: string
  /** The stored value, as Sluice's query returns it, for a non-empty field. */
  read: (field: string) => unknown
}

const text = (f: string) => f
const COLS: Col[] = [
  { name: 'id', sql: 'int NOT NULL', read: Number },
  { name: 'name', sql: 'nvarchar(50)', read: text },
  { name: 'code', sql: 'varchar(20)', read: text },
  { name: 'c', sql: 'char(5)', read: (f) => f.padEnd(5, ' ') },
  { name: 'nc', sql: 'nchar(3)', read: (f) => f.padEnd(3, ' ') },
  { name: 'amount', sql: 'decimal(18,4)', read: text },
  { name: 'n', sql: 'numeric(38,10)', read: text },
  { name: 'ratio', sql: 'float', read: Number },
  { name: 'r', sql: 'real', read: Number },
  { name: 'flag', sql: 'bit', read: (f) => f === '1' },
  { name: 'ti', sql: 'tinyint', read: Number },
  { name: 'si', sql: 'smallint', read: Number },
  { name: 'big', sql: 'bigint', read: (f) => BigInt(f) },
  { name: 'cash', sql: 'money', read: text },
  { name: 'sm', sql: 'smallmoney', read: text },
  { name: 'born', sql: 'date', read: text },
  { name: 't', sql: 'time(7)', read: text },
  { name: 'old', sql: 'datetime', read: text },
  { name: 'sdt', sql: 'smalldatetime', read: text },
  { name: 'at', sql: 'datetime2(7)', read: text },
  { name: 'g', sql: 'uniqueidentifier', read: (f) => f.toUpperCase() },
  { name: 'raw', sql: 'varbinary(10)', read: (f) => Buffer.from(f, 'hex') },
  { name: 'bin', sql: 'binary(4)', read: (f) => Buffer.from(f, 'hex') },
  { name: 'doc', sql: 'nvarchar(max)', read: text },
  { name: 'blob', sql: 'varchar(max)', read: text },
]

// Field texts, already in the form the server prints (decimals with all their scale digits,
// dates as SQL Server writes them), so that "stored = file" is a plain comparison after the
// per-type reading above. Dates start at 1753: FreeTDS's own text-to-date conversion mangles
// earlier years before sending them ('0001-01-01' goes out as 2001-01-01, '1000-01-01' and
// '1752-12-31' as 1900-01-01 and 1900-12-31 — seen in the captured ROW bytes), which is
// freebcp's doing, not the server's. Likewise FreeTDS trims trailing blanks of (n)varchar fields
// before sending them ('ab  ' goes out as 'ab'; a lone ' ' stays), so no field here ends in
// blanks except single spaces.
const FILE_ROWS: string[][] = [
  [
    '1',
    'Grüße 東京 😀',
    'café',
    'ab',
    'äöü',
    '-12345678901234.5678',
    '1234567890123456789012345678.0123456789',
    '-1.5',
    '1.5',
    '1',
    '255',
    '-32768',
    '-9223372036854775808',
    '-922337203685477.5808',
    '-214748.3648',
    '1753-01-01',
    '00:00:00.0000000',
    '1753-01-01 00:00:00.000',
    '1900-01-01 00:00:00',
    '1753-01-01 00:00:00.0000000',
    '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    '0102ff',
    'deadbeef',
    'é東😀'.repeat(3000),
    'x'.repeat(10_000),
  ],
  [
    '2',
    'x',
    'ABCDEFGHIJKLMNOPQRST',
    'abcde',
    'xyz',
    '99999999999999.9999',
    '-0.0000000001',
    '1e+308',
    '3.4028234663852886e+38',
    '0',
    '0',
    '32767',
    '9223372036854775807',
    '922337203685477.5807',
    '214748.3647',
    '9999-12-31',
    '23:59:59.9999999',
    '9999-12-31 23:59:59.997',
    '2079-06-06 23:59:00',
    '9999-12-31 23:59:59.9999999',
    '00000000-0000-0000-0000-000000000000',
    'ffffffffffffffffffff',
    '00000000',
    'Zoë',
    'plain',
  ],
  ['3', ...COLS.slice(1).map(() => '')],
  [
    '4',
    ' ',
    'inner  spaces',
    'a b',
    ' ',
    '0.0001',
    '0.0000000000',
    '0.1',
    '0.25',
    '1',
    '42',
    '-1',
    '9007199254740993',
    '0.0001',
    '-0.0001',
    '2024-02-29',
    '12:34:56.1234567',
    '2024-02-29 13:45:01.003',
    '2024-02-29 13:45:00',
    '2024-02-29 13:45:01.1234567',
    '01234567-89ab-cdef-0123-456789abcdef',
    '00',
    '01020304',
    ' ',
    ' ',
  ],
]

function tsv(rows: string[][]): string {
  return rows.map((r) => `${r.join('\t')}\n`).join('')
}

async function sluice(server: TestServer): Promise<Client> {
  return connect(server.connectionString(server === plain ? 'Encrypt=False' : 'Encrypt=True;TrustServerCertificate=True'))
}

async function createTable(server: TestServer, table: string): Promise<void> {
  const s = await sluice(server)
  try {
    await s.query(`CREATE TABLE ${table} (${COLS.map((c) => `${c.name} ${c.sql.includes('NULL') ? c.sql : `${c.sql} NULL`}`).join(', ')})`)
  } finally {
    await s.close()
  }
}

async function assertStoredEqualsFile(server: TestServer, table: string): Promise<void> {
  const s = await sluice(server)
  try {
    const { columns, rows } = await s.query(`SELECT * FROM ${table} ORDER BY id`)
    assert.deepEqual(
      columns.map((c) => c.name),
      COLS.map((c) => c.name),
    )
    assert.equal(rows.length, FILE_ROWS.length)
    FILE_ROWS.forEach((fields, i) => {
      fields.forEach((f, j) => {
        const col = COLS[j]!
        assert.deepEqual(
          rows[i]![j],
          f === '' ? null : col.read(f),
          `row ${i + 1} column ${col.name} (${col.sql}): field ${JSON.stringify(f.slice(0, 40))}`,
        )
      })
    })
  } finally {
    await s.close()
  }
}

function assertCopied(r: FreebcpResult, rows: number): void {
  assert.equal(r.code, 0, `freebcp failed:\n${r.stdout}\n${r.stderr}`)
  assert.match(r.stdout, new RegExp(`^${rows} rows copied\\.`, 'm'), r.stdout)
}

test('freebcp loads a tab-delimited file in plain TDS; what is stored equals the file', async () => {
  const file = path.join(work, 'plain.tsv')
  fs.writeFileSync(file, tsv(FILE_ROWS))
  await createTable(plain, 'dbo.fb_plain')
  const seen = new Set(fs.readdirSync(captureDir))
  const r = await freebcp(plain, 'off', 'dbo.fb_plain', file)
  assertCopied(r, FILE_ROWS.length)
  await assertStoredEqualsFile(plain, 'dbo.fb_plain')

  // FreeTDS's stream, walked: COLMETADATA, one ROW per line, no DONE at the end (it ends the
  // message after the last ROW).
  const added = fs.readdirSync(captureDir).filter((f) => !seen.has(f))
  assert.equal(added.length, 1, added.join(', '))
  const stream = parseBulkStream(fs.readFileSync(path.join(captureDir, added[0]!)))
  assert.deepEqual(
    stream.tokens.map((t) => t.type),
    ['COLMETADATA', ...FILE_ROWS.map(() => 'ROW')],
  )
  assert.deepEqual(
    stream.columns.map((c) => c.name),
    COLS.map((c) => c.name),
  )
})

test('freebcp with -b 2 sends one bulk-load message per batch, each committed', async () => {
  const file = path.join(work, 'batches.tsv')
  const rows = Array.from({ length: 5 }, (_, i) => [String(i + 1), `name ${i + 1}`])
  fs.writeFileSync(file, tsv(rows))
  const s = await sluice(plain)
  try {
    await s.query('CREATE TABLE dbo.fb_batches (id int NOT NULL, name nvarchar(20) NULL)')
    const seen = new Set(fs.readdirSync(captureDir))
    const r = await freebcp(plain, 'off', 'dbo.fb_batches', file, ['-b', '2'])
    assertCopied(r, 5)
    assert.match(r.stdout, /2 rows sent to SQL Server\.\s+4 rows sent to SQL Server\./)
    const added = fs
      .readdirSync(captureDir)
      .filter((f) => !seen.has(f))
      .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))
    assert.deepEqual(
      added.map((f) => parseBulkStream(fs.readFileSync(path.join(captureDir, f))).rows.length),
      [2, 2, 1],
    )
    const { rows: back } = await s.query('SELECT id, name FROM dbo.fb_batches ORDER BY id')
    assert.deepEqual(
      back,
      rows.map(([id, name]) => [Number(id), name]),
    )
  } finally {
    await s.close()
  }
})

// The two TLS modes of TDS 7.x: FreeTDS `encryption = request` sends PRELOGIN ENCRYPT_OFF, and a
// server with --encrypt optional answers OFF: TLS for LOGIN7 only. `encryption = require` sends
// ENCRYPT_ON against --encrypt mandatory: TLS throughout. (`encryption = off` sends NOT_SUP: no
// TLS at all, as in the plain test.)
const TLS_MODES: [string, () => TestServer, Encryption][] = [
  ['TLS for the login only (encryption = request, server --encrypt optional)', () => optional, 'request'],
  ['TLS throughout (encryption = require, server --encrypt mandatory)', () => mandatory, 'require'],
]

for (const [label, server, encryption] of TLS_MODES) {
  const table = `dbo.fb_${encryption}`

  // Regression: the server once negotiated TLS 1.3 inside PRELOGIN packets (TDS 7.x), where SQL
  // Server offers TLS 1.2 at most (1.3 only with TDS 8.0). FreeTDS 1.3.17/GnuTLS then sent its TLS 1.3
  // Finished outside a PRELOGIN packet, together with LOGIN7, and the session broke ("cannot decrypt
  // peer's message"; freebcp: Msg 20017/20002). The server now caps TDS 7.x TLS at 1.2.
  test(`freebcp with ${label}`, async () => {
    const file = path.join(work, `${encryption}.tsv`)
    fs.writeFileSync(file, tsv(FILE_ROWS))
    await createTable(server(), table)
    const r = await freebcp(server(), encryption, table, file)
    assertCopied(r, FILE_ROWS.length)
    await assertStoredEqualsFile(server(), table)
  })

  test(`freebcp with ${label}, GnuTLS kept to TLS 1.2`, async () => {
    const file = path.join(work, `${encryption}-tls12.tsv`)
    fs.writeFileSync(file, tsv(FILE_ROWS))
    // GnuTLS's system priority overrides: the only way to limit freebcp's TLS versions (FreeTDS
    // sets its own priority string).
    const priority = path.join(work, 'gnutls-no-tls13.conf')
    fs.writeFileSync(priority, '[overrides]\ndisabled-version = tls1.3\n')
    await createTable(server(), `${table}_tls12`)
    const r = await freebcp(server(), encryption, `${table}_tls12`, file, [], { GNUTLS_SYSTEM_PRIORITY_FILE: priority })
    assertCopied(r, FILE_ROWS.length)
    await assertStoredEqualsFile(server(), `${table}_tls12`)
  })
}
