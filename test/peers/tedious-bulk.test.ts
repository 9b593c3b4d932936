// tedious's BULK LOAD (newBulkLoad/execBulkLoad), an independent implementation, against the
// test server: rows of every type the server supports — boundaries, NULLs, (max) values larger
// than a packet — must be stored exactly as sent; tedious's and Sluice's streams for the same
// rows must store identical values; and, captured by the server (`--capture-bulk`), their ROW
// tokens must be byte-for-byte identical except where the protocol allows two spellings (each
// such place is named and normalised below, and nothing else is).

// tedious reads the process's time zone where it should not (see bulk-types.ts: the offset it
// sends for datetimeoffset, the year it validates): the zone is fixed here, before any date is
// built, so the test means the same on every machine. One test switches it on purpose.
process.env.TZ = 'UTC'

import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { type Client, connect } from '@sluice/native'
import { TYPES } from 'tedious'
import { startServer, type TestServer } from '../helpers/server'
import { type BulkStream, type Cell, parseBulkStream } from '../helpers/tds-stream'
import {
  type Canon,
  COLUMNS,
  type ColSpec,
  createTableSql,
  DTO_COLUMNS,
  DTO_ROWS,
  fromTedious,
  ROWS,
  rowArray,
  stored,
  tediousBulkLoad,
  toSluice,
  utcOffsetForm,
} from './bulk-types'
import { type Encrypt, tediousBatch, tediousClose, tediousConnect } from './tedious'

let server: TestServer
let strict: TestServer
let captureDir: string

before(async () => {
  captureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-capture-'))
  ;[server, strict] = await Promise.all([
    startServer(['--encrypt', 'optional', '--capture-bulk', captureDir]),
    startServer(['--encrypt', 'strict']),
  ])
})
after(async () => {
  await Promise.all([server?.stop(), strict?.stop()])
  if (captureDir) fs.rmSync(captureDir, { recursive: true, force: true })
})

function sluice(): Promise<Client> {
  return connect(server.connectionString('Encrypt=True;TrustServerCertificate=True'))
}

const canonRows: Canon[][] = ROWS.map((r) => rowArray(r))

/** Runs `load` and returns the one bulk-load payload the server captured meanwhile. */
async function captured(load: () => Promise<unknown>): Promise<Buffer> {
  const seen = new Set(fs.readdirSync(captureDir))
  await load()
  const added = fs.readdirSync(captureDir).filter((f) => !seen.has(f))
  assert.equal(added.length, 1, `expected one captured bulk payload, got ${added.join(', ')}`)
  return fs.readFileSync(path.join(captureDir, added[0]!))
}

async function loadWithTedious(table: string, rows = canonRows, columns = COLUMNS): Promise<Buffer> {
  const c = await tediousConnect(server, true)
  try {
    return await captured(async () => assert.equal(await tediousBulkLoad(c, table, rows, columns), rows.length))
  } finally {
    await tediousClose(c)
  }
}

async function loadWithSluice(s: Client, table: string, canon = canonRows, columns = COLUMNS): Promise<Buffer> {
  const rows = canon.map((r) => r.map((v, j) => toSluice(columns[j]!, v)))
  return captured(async () => {
    const summary = await s.bulkCopy(table, rows, { keepNulls: true })
    assert.equal(summary.rowsCopied, rows.length)
  })
}

function assertStoredExactly(rows: unknown[][], label: string, canon = canonRows, columns = COLUMNS): void {
  assert.equal(rows.length, canon.length, `${label}: row count`)
  canon.forEach((row, i) => {
    row.forEach((v, j) => {
      const col = columns[j]!
      assert.deepEqual(rows[i]![j], stored(col, v), `${label}: row ${i + 1} column ${col.name} (${col.sql})`)
    })
  })
}

test('tedious bulk-loads every type, NULLs and boundary values, and both clients read back exactly what was sent', async () => {
  const s = await sluice()
  try {
    await s.query(createTableSql('dbo.ted_all'))
    await loadWithTedious('dbo.ted_all')

    const ours = await s.query('SELECT * FROM dbo.ted_all ORDER BY id')
    assert.deepEqual(
      ours.columns.map((c) => [c.name, c.type]),
      COLUMNS.map((c) => [c.name, c.sql]),
    )
    assertStoredExactly(ours.rows, 'Sluice reads')

    const c = await tediousConnect(server, true)
    try {
      const theirs = await tediousBatch(c, 'SELECT * FROM dbo.ted_all ORDER BY id')
      assert.equal(theirs.rows.length, canonRows.length)
      canonRows.forEach((row, i) => {
        row.forEach((v, j) => {
          const col = COLUMNS[j]!
          assert.deepEqual(
            fromTedious(col, theirs.rows[i]![j]),
            utcOffsetForm(col, stored(col, v)),
            `tedious reads: row ${i + 1} column ${col.name} (${col.sql})`,
          )
        })
      })
    } finally {
      await tediousClose(c)
    }
  } finally {
    await s.close()
  }
})

for (const [label, encrypt, which] of [
  ['TLS for the login only', false, 'optional'],
  ['TDS 8.0 strict', 'strict', 'strict'],
] as [string, Encrypt, 'optional' | 'strict'][]) {
  test(`tedious bulk-loads every type over ${label}`, async () => {
    const target = which === 'strict' ? strict : server
    const s = await connect(
      target.connectionString(
        which === 'strict' ? `Encrypt=Strict;ServerCertificate=${target.certificatePath}` : 'Encrypt=True;TrustServerCertificate=True',
      ),
    )
    const c = await tediousConnect(target, encrypt)
    try {
      const table = `dbo.ted_${which}`
      await s.query(createTableSql(table))
      assert.equal(await tediousBulkLoad(c, table, canonRows), canonRows.length)
      assertStoredExactly((await s.query(`SELECT * FROM ${table} ORDER BY id`)).rows, `${label}: Sluice reads`)
    } finally {
      await tediousClose(c)
      await s.close()
    }
  })
}

test("tedious's and Sluice's bulk streams of the same rows store identical values", async () => {
  const s = await sluice()
  try {
    await s.query(createTableSql('dbo.same_ted'))
    await s.query(createTableSql('dbo.same_slu'))
    await loadWithTedious('dbo.same_ted')
    await loadWithSluice(s, 'dbo.same_slu')
    const a = await s.query('SELECT * FROM dbo.same_ted ORDER BY id')
    const b = await s.query('SELECT * FROM dbo.same_slu ORDER BY id')
    assert.deepEqual(b.columns, a.columns)
    assert.deepEqual(b.rows, a.rows)
    assertStoredExactly(b.rows, 'Sluice-loaded')
  } finally {
    await s.close()
  }
})

// ---------------------------------------------------------------------------------------------
// Byte comparison

/** fUpdateable (bits 2-3 of the COLMETADATA Flags, MS-TDS 2.2.7.4). */
const UPDATEABLE_MASK = 0x000c

/** A PLP value re-spelled in one form: the known total length, one chunk, the terminator. */
function knownLengthPlp(data: Buffer): Buffer {
  const total = Buffer.alloc(8)
  total.writeBigUInt64LE(BigInt(data.length))
  if (data.length === 0) return Buffer.concat([total, Buffer.alloc(4)])
  const chunk = Buffer.alloc(4)
  chunk.writeUInt32LE(data.length)
  return Buffer.concat([total, chunk, data, Buffer.alloc(4)])
}

interface Differences {
  plpUnknownLength: number
  plpKnownLength: number
}

/**
 * A cell with the one difference the two clients may legitimately have normalised away:
 * a non-NULL PLP value ((max) types) may announce its total length or 0xFFFFFFFFFFFFFFFE
 * ("unknown", MS-TDS 2.2.5.2.3) and be cut into any chunks. tedious always sends the unknown
 * length and one chunk holding the whole value (none for an empty value); Sluice sends the known
 * total and one chunk (none for an empty value). Both are valid PLP_BODY; the data must be equal.
 */
function normalisedCell(cell: Cell, who: 'tedious' | 'sluice', seen: Differences): Buffer {
  if (!cell.plp) return cell.raw
  const { total, chunks, data } = cell.plp
  if (who === 'tedious') {
    assert.equal(total, 'unknown', 'tedious announces PLP values as unknown-length')
    seen.plpUnknownLength++
  } else {
    assert.equal(total, BigInt(data.length), 'Sluice announces the PLP total length')
    seen.plpKnownLength++
  }
  assert.equal(chunks.length, data.length === 0 ? 0 : 1, `${who} sends a PLP value in one chunk`)
  return knownLengthPlp(data)
}

function tokenTypes(s: BulkStream): string[] {
  return s.tokens.map((t) => t.type)
}

/**
 * Asserts that tedious's and Sluice's payloads for the same rows are the same bytes, token by
 * token, except for the named, normalised differences; returns a one-line account of them.
 */
function assertSameStream(ted: BulkStream, slu: BulkStream, columns: ColSpec[], rowCount: number): string {
  // Both: one COLMETADATA, one ROW token per row (no NBCROW from either), and a final DONE.
  const expectedTokens = ['COLMETADATA', ...Array.from({ length: rowCount }, () => 'ROW'), 'DONE']
  assert.deepEqual(tokenTypes(ted), expectedTokens, 'tedious tokens')
  assert.deepEqual(tokenTypes(slu), expectedTokens, 'Sluice tokens')

  // COLMETADATA: identical column by column (UserType, TYPE_INFO with collation, name) except
  // fUpdateable in Flags: tedious sets 1 (read/write, 0x0004), Sluice 2 (0x0008, what SqlClient
  // echoes from SQL Server's own metadata). The server ignores the bits; nullable (0x0001) is
  // set by both.
  assert.equal(ted.columns.length, columns.length)
  assert.equal(slu.columns.length, columns.length)
  ted.columns.forEach((tc, j) => {
    const sc = slu.columns[j]!
    const what = `COLMETADATA column ${j + 1} (${columns[j]!.name} ${columns[j]!.sql})`
    assert.equal(tc.name, columns[j]!.name, what)
    assert.equal(sc.name, tc.name, what)
    assert.equal(sc.userType, tc.userType, what)
    assert.equal(tc.flags, 0x0005, `${what}: tedious flags`)
    assert.equal(sc.flags, 0x0009, `${what}: Sluice flags`)
    assert.equal(sc.flags & ~UPDATEABLE_MASK, tc.flags & ~UPDATEABLE_MASK, what)
    assert.equal(sc.typeInfo.toString('hex'), tc.typeInfo.toString('hex'), `${what}: TYPE_INFO`)
  })

  // ROWs: cell by cell, byte for byte, after re-spelling PLP values in one form; then the whole
  // re-spelled ROW token.
  const seen: Differences = { plpUnknownLength: 0, plpKnownLength: 0 }
  let rawIdentical = 0
  ted.rows.forEach((tr, i) => {
    const sr = slu.rows[i]!
    tr.cells.forEach((tcell, j) => {
      const scell = sr.cells[j]!
      const col = columns[j]!
      assert.equal(
        normalisedCell(scell, 'sluice', seen).toString('hex'),
        normalisedCell(tcell, 'tedious', seen).toString('hex'),
        `row ${i + 1} column ${col.name} (${col.sql}): tedious ${tcell.raw.subarray(0, 40).toString('hex')} vs Sluice ${scell.raw.subarray(0, 40).toString('hex')}`,
      )
    })
    const respelled = (cells: Cell[], who: 'tedious' | 'sluice') =>
      Buffer.concat([Buffer.from([0xd1]), ...cells.map((c) => normalisedCell(c, who, { plpUnknownLength: 0, plpKnownLength: 0 }))])
    assert.ok(respelled(tr.cells, 'tedious').equals(respelled(sr.cells, 'sluice')), `row ${i + 1}`)
    if (tr.raw.equals(sr.raw)) rawIdentical++
  })
  assert.equal(seen.plpUnknownLength, seen.plpKnownLength)
  // A row's raw bytes differ exactly when it has a non-NULL PLP value.
  const rowsWithPlp = ted.rows.filter((r) => r.cells.some((c) => c.plp)).length
  assert.equal(rawIdentical, rowCount - rowsWithPlp)

  // DONE: both send status 0, CurCmd 0, row count 0.
  assert.equal(ted.done[0]!.raw.toString('hex'), `fd${'00'.repeat(12)}`)
  assert.equal(slu.done[0]!.raw.toString('hex'), ted.done[0]!.raw.toString('hex'))

  const cells = rowCount * columns.length
  return (
    `${rowCount} rows × ${columns.length} columns: ${cells - seen.plpUnknownLength} cells byte-identical as sent, ` +
    `${seen.plpUnknownLength} non-NULL PLP cells identical after re-spelling (tedious unknown length, Sluice known length); ` +
    `${rawIdentical}/${rowCount} ROW tokens identical as sent; COLMETADATA identical but for fUpdateable (tedious 0x0004, Sluice 0x0008); DONE identical`
  )
}

test("tedious's and Sluice's bulk streams are identical row by row, byte for byte", async (t) => {
  const s = await sluice()
  let ted: BulkStream
  let slu: BulkStream
  try {
    await s.query(createTableSql('dbo.bytes_ted'))
    await s.query(createTableSql('dbo.bytes_slu'))
    ted = parseBulkStream(await loadWithTedious('dbo.bytes_ted'))
    slu = parseBulkStream(await loadWithSluice(s, 'dbo.bytes_slu'))
  } finally {
    await s.close()
  }
  // Every row but the all-NULL one has non-NULL values in the three (max) columns.
  assert.equal(ted.columns.filter((c) => c.valueForm.form === 'plp').length, 3)
  t.diagnostic(assertSameStream(ted, slu, COLUMNS, canonRows.length))
})

test('datetimeoffset with a non-zero offset: tedious and Sluice send the same bytes and it is stored with its offset', async (t) => {
  // tedious sends the process's local offset (see bulk-types.ts), so this test runs at +05:30.
  process.env.TZ = 'Asia/Kolkata'
  const s = await sluice()
  try {
    assert.equal(new Date('2024-06-01T00:00:00Z').getTimezoneOffset(), -330)
    const canon = DTO_ROWS.map((r) => rowArray(r, DTO_COLUMNS))
    await s.query(createTableSql('dbo.dto_ted', DTO_COLUMNS))
    await s.query(createTableSql('dbo.dto_slu', DTO_COLUMNS))
    const ted = parseBulkStream(await loadWithTedious('dbo.dto_ted', canon, DTO_COLUMNS))
    const slu = parseBulkStream(await loadWithSluice(s, 'dbo.dto_slu', canon, DTO_COLUMNS))
    t.diagnostic(assertSameStream(ted, slu, DTO_COLUMNS, canon.length))
    for (const table of ['dbo.dto_ted', 'dbo.dto_slu']) {
      const back = await s.query(`SELECT * FROM ${table} ORDER BY id`)
      assertStoredExactly(back.rows, table, canon, DTO_COLUMNS)
    }
  } finally {
    process.env.TZ = 'UTC'
    await s.close()
  }
})

// Regression: MS-TDS 2.2.1.7 — a request ended by a packet with EOM|IGNORE (0x03) is dropped, and
// the server answers with a table response holding a single DONE (no attention acknowledgment).
// The server once sent nothing and waited for an ATTENTION that tedious never sends, so a row
// failing tedious's own validation hung the load and the connection.
test('a bulk load tedious abandons (EOM|IGNORE) is answered with a DONE, so tedious reports its error', async () => {
  const s = await sluice()
  await s.query('CREATE TABLE dbo.ted_ignored (i int NULL)')
  await s.close()
  const c = await tediousConnect(server, true)
  let timer: NodeJS.Timeout | undefined
  try {
    const load = new Promise<number>((resolve, reject) => {
      const bulk = c.newBulkLoad('dbo.ted_ignored', {}, (err, rowCount) => (err ? reject(err) : resolve(rowCount ?? -1)))
      bulk.addColumn('i', TYPES.Int, { nullable: true })
      // 'not a number' fails tedious's own validation of the second row.
      c.execBulkLoad(bulk, [[1], ['not a number']])
    })
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 5000)))
    const outcome = await Promise.race([
      load.then(
        () => 'loaded',
        (e: Error) => e.message,
      ),
      hung,
    ])
    assert.equal(outcome, 'Invalid number.', 'tedious got no answer to its EOM|IGNORE bulk-load packet within 5 s')
    // The connection is still usable and nothing was stored.
    assert.deepEqual((await tediousBatch(c, 'SELECT COUNT(*) FROM dbo.ted_ignored')).rows, [[0]])
  } finally {
    clearTimeout(timer)
    c.close()
  }
})
