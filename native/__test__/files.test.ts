// preview and inspect through the Node API: the detected settings and schema, progress, and
// hostile callers (aborts at random moments, a missing file, a directory, a throwing onProgress).

import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { inspect, preview, type SluiceError } from '@sluice/native'

const testdata = join(__dirname, '..', 'files', 'testdata')
let dir: string
let big: string
const BIG_ROWS = 300_000

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-files-'))
  big = join(dir, 'big.csv')
  const lines = ['id,amount,when,name']
  for (let i = 1; i <= BIG_ROWS; i++) {
    lines.push(`${i},${(i * 7) % 1000}.${i % 100},2024-03-${String((i % 28) + 1).padStart(2, '0')},"name ${i}"`)
  }
  writeFileSync(big, `${lines.join('\n')}\n`)
})
after(() => rmSync(dir, { recursive: true, force: true }))

async function rejection(p: Promise<unknown>): Promise<SluiceError> {
  try {
    await p
  } catch (e) {
    return e as SluiceError
  }
  assert.fail('expected a rejection')
}

test('preview gives the detected settings, the header decision and the first rows', async () => {
  const p = await preview(join(testdata, 'semicolon-dayfirst-decimal-comma.csv'), { previewRows: 2 })
  assert.equal(p.format, 'csv')
  assert.equal(p.encoding, 'UTF-8')
  assert.equal(p.delimiter, ';')
  assert.equal(p.hasHeader, true)
  assert.deepEqual(p.rows, [
    ['Müller', '05/03/2024', '1.234,56', '3', '01067'],
    ['Schmidt', '25/12/2023', '89,90', '12', '80331'],
  ])
  assert.deepEqual(p.rowNumbers, [2, 3])
  assert.deepEqual(
    p.columns.map((c) => [c.name, c.sqlType]),
    [
      ['Kunde', 'nvarchar(7)'],
      ['Datum', 'date'],
      ['Betrag', 'varchar(8)'],
      ['Menge', 'int'],
      ['PLZ', 'varchar(5)'],
    ],
  )
  assert.match(p.detection.delimiter ?? '', /splits every one/)
})

test('preview of a workbook lists its sheets and has no delimiter', async () => {
  const p = await preview(join(testdata, 'sample.xlsx'))
  assert.equal(p.format, 'xlsx')
  assert.equal(p.delimiter, null)
  assert.equal(p.encoding, null)
  assert.deepEqual(
    p.sheets.map((s) => [s.name, s.visible]),
    [
      ['Cover', true],
      ['Orders', true],
      ['Hidden', false],
      ['Empty', true],
    ],
  )
  assert.equal(p.sheet, 'Orders')
  assert.equal(p.columns[0]?.name, 'id')
  const cover = await preview(join(testdata, 'sample.xlsx'), { sheet: 1, noHeader: true })
  assert.equal(cover.sheet, 'Cover')
})

test('inspect reads the whole file with progress at a bounded rate', async () => {
  const ticks: { bytesRead: number; rows: number }[] = []
  const started = Date.now()
  let timerTicks = 0
  const timer = setInterval(() => timerTicks++, 5)
  const r = await inspect(big, { onProgress: (p) => ticks.push(p) })
  clearInterval(timer)
  const elapsed = Date.now() - started
  assert.equal(r.rowCount, BIG_ROWS)
  assert.equal(r.complete, true)
  assert.deepEqual(
    r.columns.map((c) => [c.name, c.sqlType, c.nullable]),
    [
      ['id', 'int', false],
      ['amount', 'decimal(5,2)', false],
      ['when', 'date', false],
      ['name', 'varchar(11)', false],
    ],
  )
  assert.ok(ticks.length >= 1)
  const last = ticks.at(-1)
  assert.equal(last?.rows, BIG_ROWS)
  assert.equal(last?.bytesRead, statSync(big).size)
  assert.equal(r.bytesRead, statSync(big).size)
  for (let i = 1; i < ticks.length; i++) {
    assert.ok((ticks[i]?.rows ?? 0) >= (ticks[i - 1]?.rows ?? 0), 'progress never goes back')
  }
  assert.ok(ticks.length <= elapsed / 100 + 2, `${ticks.length} ticks in ${elapsed} ms`)
  assert.ok(timerTicks > 0, 'the event loop kept running')
})

test('a sample stops early and says so', async () => {
  const r = await inspect(big, { sample: 1000 })
  assert.equal(r.rowCount, 1000)
  assert.equal(r.complete, false)
})

test("codePage: text the target collation's code page holds is varchar in its bytes", async () => {
  const file = join(testdata, 'windows-1252-accents.csv')
  const plain = await inspect(file)
  assert.equal(plain.columns[0]?.sqlType, 'nvarchar(8)')
  const cp = await inspect(file, { codePage: '1252' })
  assert.deepEqual(
    cp.columns.slice(0, 2).map((c) => c.sqlType),
    ['varchar(8)', 'varchar(8)'],
  )
  await assert.rejects(inspect(file, { codePage: 'klingon' }), /klingon/)
})

test('an aborted signal rejects with ECANCEL before reading', async () => {
  const ac = new AbortController()
  ac.abort(new Error('user closed the dialog'))
  const e = await rejection(inspect(big, { signal: ac.signal }))
  assert.equal(e.code, 'ECANCEL')
  assert.equal((e.cause as Error).message, 'user closed the dialog')
})

test('aborts at random moments settle as ECANCEL or a full result, never a hang', async () => {
  for (let i = 0; i < 15; i++) {
    const ac = new AbortController()
    const delay = Math.floor(Math.random() * 60)
    const t = setTimeout(() => ac.abort(), delay)
    try {
      const r = await inspect(big, { signal: ac.signal, onProgress: () => {} })
      assert.equal(r.rowCount, BIG_ROWS, 'a finished inspection is complete')
    } catch (e) {
      assert.equal((e as SluiceError).code, 'ECANCEL', `abort after ${delay} ms`)
    } finally {
      clearTimeout(t)
    }
  }
  const again = await inspect(big, { sample: 10 })
  assert.equal(again.rowCount, 10)
})

test('a throwing onProgress stops the inspection with its error', async () => {
  const boom = new Error('progress handler failed')
  const e = await rejection(
    inspect(big, {
      onProgress: () => {
        throw boom
      },
    }),
  )
  assert.equal(e, boom)
})

test('a missing file and a directory are EFILE errors naming them', async () => {
  const missing = join(dir, 'nope.csv')
  const e = await rejection(inspect(missing))
  assert.equal(e.code, 'EFILE')
  assert.equal(e.kind, 'io')
  assert.equal(e.file, missing)
  assert.match(e.message, /nope\.csv/)
  const d = await rejection(preview(dir))
  assert.equal(d.code, 'EFILE')
  assert.match(d.message, /directory/)
})

test('a file that breaks its encoding names the row, column and byte offset', async () => {
  const e = await rejection(inspect(join(testdata, 'cp1252-prices.csv'), { encoding: 'utf-8' }))
  assert.equal(e.code, 'EFILE')
  assert.equal(e.kind, 'encoding')
  assert.equal(e.row, 1)
  assert.equal(e.column, 3)
  assert.equal(e.byteOffset, 18)
})

test('an encrypted workbook and a zero-byte file are clear errors', async () => {
  const enc = await rejection(preview(join(testdata, 'encrypted.xlsx')))
  assert.equal(enc.kind, 'encrypted')
  const empty = join(dir, 'empty.csv')
  writeFileSync(empty, '')
  const e = await rejection(preview(empty))
  assert.equal(e.kind, 'empty')
})

test('bad options are rejected before any reading', async () => {
  await assert.rejects(preview(big, { sheet: 0 }), TypeError)
  const d = await rejection(preview(big, { delimiter: ';;' }))
  assert.equal(d.code, 'EARG')
  const h = await rejection(inspect(big, { headerRow: 2, noHeader: true }))
  assert.equal(h.code, 'EARG')
  const s = await rejection(inspect(big, { sample: -1 }))
  assert.equal(s.code, 'EARG')
  const w = await rejection(preview(big, { sheet: 'Orders' }))
  assert.equal(w.kind, 'invalid')
})

test('the quote is detected with its evidence and can be set or turned off', async () => {
  const single = join(testdata, 'single-quoted.csv')
  const p = await preview(single)
  assert.equal(p.quote, "'")
  assert.equal(p.escape, 'doubled')
  assert.match(p.detection.quote ?? '', /^`'` encloses 12 fields/)
  assert.deepEqual(p.rows[1], ['2', "O'Brien, Pat", 'Dublin', "asked for 'fast' delivery"])
  const forced = await inspect(single, { quote: '"' })
  assert.equal(forced.quote, '"')
  assert.match(forced.detection.quote ?? '', /set by the caller/)
  const off = await preview(join(testdata, 'quoted-newlines.csv'), { quote: 'none' })
  assert.equal(off.quote, null)
  assert.equal(off.escape, null)
  const b = await preview(join(testdata, 'backslash-escaped.csv'), { escape: 'double' })
  assert.equal(b.escape, 'doubled')
  const bad = await rejection(preview(single, { quote: 'ab' }))
  assert.equal(bad.code, 'EARG')
  const badEscape = await rejection(preview(single, { escape: '/' }))
  assert.equal(badEscape.code, 'EARG')
})
