// tedious's BULK LOAD (newBulkLoad/execBulkLoad), an independent implementation, against the
// test server: rows of every type the server supports — boundaries, NULLs, (max) values larger
// than a packet — must be stored exactly as sent; tedious's and Sluice's streams for the same
// rows must store identical values; and, captured by the server (`--capture-bulk`), their ROW
// tokens must be byte-for-byte identical except where the protocol allows two spellings (each
// such place is named and normalised below, and nothing else is).

// tedious sends datetimeoffset values with the process's own UTC offset (see bulk-types.ts), so
// the offset is fixed here, before any date is built, to one that is not zero (and has no DST).
process.env.TZ = 'Asia/Kolkata'

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { connect, type Client } from '@sluice/native'
import { startServer, type TestServer } from '../helpers/server'
import { parseBulkStream, type BulkStream, type Cell } from '../helpers/tds-stream'
import { tediousConnect, tediousBatch, tediousClose } from './tedious'
import { COLUMNS, ROWS, createTableSql, rowArray, stored, toSluice, fromTedious, utcOffsetForm, tediousBulkLoad, type Canon } from './bulk-types'

let server: TestServer
let captureDir: string

before(async () => {
  captureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-capture-'))
  server = await startServer(['--encrypt', 'optional', '--capture-bulk', captureDir])
})
after(async () => {
  await server?.stop()
  if (captureDir) fs.rmSync(captureDir, { recursive: true, force: true })
})

function sluice(): Promise<Client> {
  return connect(server.connectionString('Encrypt=True;TrustServerCertificate=True'))
}

const canonRows: Canon[][] = ROWS.map(rowArray)

/** Runs `load` and returns the one bulk-load payload the server captured meanwhile. */
async function captured(load: () => Promise<unknown>): Promise<Buffer> {
  const seen = new Set(fs.readdirSync(captureDir))
  await load()
  const added = fs.readdirSync(captureDir).filter((f) => !seen.has(f))
  assert.equal(added.length, 1, `expected one captured bulk payload, got ${added.join(', ')}`)
  return fs.readFileSync(path.join(captureDir, added[0]!))
}

async function loadWithTedious(table: string): Promise<Buffer> {
  const c = await tediousConnect(server, true)
  try {
    return await captured(async () => assert.equal(await tediousBulkLoad(c, table, canonRows), canonRows.length))
  } finally {
    await tediousClose(c)
  }
}

async function loadWithSluice(s: Client, table: string): Promise<Buffer> {
  const rows = canonRows.map((r) => r.map((v, j) => toSluice(COLUMNS[j]!, v)))
  return captured(async () => {
    const summary = await s.bulkCopy(table, rows, { keepNulls: true })
    assert.equal(summary.rowsCopied, rows.length)
  })
}

function assertStoredExactly(rows: unknown[][], label: string): void {
  assert.equal(rows.length, canonRows.length, `${label}: row count`)
  canonRows.forEach((row, i) => {
    row.forEach((v, j) => {
      const col = COLUMNS[j]!
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
      COLUMNS.map((c) => [c.name, c.sql.replace(',', ', ').replace(', ', ',')]),
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

  // Both: one COLMETADATA, one ROW token per row (no NBCROW from either), and a final DONE.
  const expectedTokens = ['COLMETADATA', ...canonRows.map(() => 'ROW'), 'DONE']
  assert.deepEqual(tokenTypes(ted), expectedTokens)
  assert.deepEqual(tokenTypes(slu), expectedTokens)

  // COLMETADATA: identical column by column (UserType, TYPE_INFO with collation, name) except
  // fUpdateable in Flags: tedious sets 1 (read/write, 0x0004), Sluice 2 (0x0008, what
  // SqlClient echoes from SQL Server's own metadata). The server ignores the bits; nullable
  // (0x0001) is set by both.
  assert.equal(ted.columns.length, COLUMNS.length)
  assert.equal(slu.columns.length, COLUMNS.length)
  ted.columns.forEach((tc, j) => {
    const sc = slu.columns[j]!
    const what = `COLMETADATA column ${j + 1} (${COLUMNS[j]!.name} ${COLUMNS[j]!.sql})`
    assert.equal(tc.name, COLUMNS[j]!.name, what)
    assert.equal(sc.name, tc.name, what)
    assert.equal(sc.userType, tc.userType, what)
    assert.equal(tc.flags, 0x0005, `${what}: tedious flags`)
    assert.equal(sc.flags, 0x0009, `${what}: Sluice flags`)
    assert.equal(sc.flags & ~UPDATEABLE_MASK, tc.flags & ~UPDATEABLE_MASK, what)
    assert.equal(sc.typeInfo.toString('hex'), tc.typeInfo.toString('hex'), `${what}: TYPE_INFO`)
  })

  // ROWs: byte for byte, cell by cell, after re-spelling PLP values in one form.
  const seen: Differences = { plpUnknownLength: 0, plpKnownLength: 0 }
  let identicalRows = 0
  ted.rows.forEach((tr, i) => {
    const sr = slu.rows[i]!
    assert.equal(sr.type, tr.type)
    tr.cells.forEach((tcell, j) => {
      const scell = sr.cells[j]!
      const col = COLUMNS[j]!
      assert.equal(
        normalisedCell(scell, 'sluice', seen).toString('hex'),
        normalisedCell(tcell, 'tedious', seen).toString('hex'),
        `row ${i + 1} column ${col.name} (${col.sql}): tedious ${tcell.raw.subarray(0, 40).toString('hex')} vs Sluice ${scell.raw.subarray(0, 40).toString('hex')}`,
      )
    })
    const normalised = (cells: Cell[], who: 'tedious' | 'sluice') =>
      Buffer.concat([Buffer.from([0xd1]), ...cells.map((c) => normalisedCell(c, who, { plpUnknownLength: 0, plpKnownLength: 0 }))])
    assert.ok(normalised(tr.cells, 'tedious').equals(normalised(sr.cells, 'sluice')), `row ${i + 1}`)
    if (tr.raw.equals(sr.raw)) identicalRows++
  })
  // Only the rows with a non-NULL PLP value differ before normalisation (every row but the
  // all-NULL one has three); NULL PLP values are the same 0xFFFFFFFFFFFFFFFF on both sides.
  const plpColumns = ted.columns.filter((c) => c.valueForm.form === 'plp').length
  assert.equal(plpColumns, 3)
  assert.equal(identicalRows, 1)
  assert.equal(seen.plpUnknownLength, seen.plpKnownLength)
  assert.equal(seen.plpUnknownLength, (canonRows.length - 1) * plpColumns)

  // DONE: both send status 0, CurCmd 0, row count 0.
  assert.equal(slu.done[0]!.raw.toString('hex'), ted.done[0]!.raw.toString('hex'))
  assert.equal(ted.done[0]!.raw.toString('hex'), 'fd' + '00'.repeat(12))

  t.diagnostic(
    `${ted.rows.length} rows, ${COLUMNS.length} columns: ${ted.rows.length * COLUMNS.length - seen.plpUnknownLength} cells byte-identical as sent, ` +
      `${seen.plpUnknownLength} PLP cells identical after re-spelling (tedious unknown length vs Sluice known length); ` +
      `COLMETADATA identical except fUpdateable (tedious 0x0004, Sluice 0x0008)`,
  )
})
