// The file-load benchmark's own pieces: the value conversion every JS peer uses, reading each
// tool's output, and the RESULTS.md section that must leave the rest of the file alone.
// Run: node --test bench/files/   (not part of npm test: the benchmark is run by hand)
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { test } = require('node:test')
const { readSection, writeSection, python } = require('../measure.js')
const { parseFreebcp, parseSheetBench, parseSluiceLoad } = require('./participants.js')
const { typedRow } = require('./clients/typed-row.js')

test('typedRow gives a JS user’s values: numbers, BigInt, Dates in UTC, booleans, exact decimals, null for empty', () => {
  const row = typedRow([
    '7',
    '-9140940202639095181',
    '-88856905.8583',
    '',
    'false',
    '1959-02-08',
    '2018-12-09 20:36:23.650',
    '95fcdb18-b7f6-55f5-100b-591e85297d9c',
    'SKU-1',
    'Jørgensen, Jürgen',
    '',
    '80519.4191',
  ])
  assert.deepEqual(row, [
    7,
    -9140940202639095181n,
    '-88856905.8583',
    null,
    false,
    new Date(Date.UTC(1959, 1, 8)),
    new Date(Date.UTC(2018, 11, 9, 20, 36, 23, 650)),
    '95fcdb18-b7f6-55f5-100b-591e85297d9c',
    'SKU-1',
    'Jørgensen, Jürgen',
    null,
    '80519.4191',
  ])
})

test('typedRow refuses a record with the wrong number of fields', () => {
  assert.throws(() => typedRow(['1', '2']), /expected 12 fields, got 2/)
})

test('parseSluiceLoad takes the summary line after the progress lines', () => {
  const out = '{"rowsRead":10}\n{"rowsRead":20,"rowsLoaded":20,"rowsRejected":0,"batches":1,"elapsedMs":1500}\n'
  assert.deepEqual(parseSluiceLoad(out), { rows: 20, rejected: 0, batches: 1, seconds: 1.5 })
  assert.equal(parseSluiceLoad('{"rowsRead":10}\n'), null)
})

test('parseFreebcp reads the row count and its own clock time', () => {
  const out =
    'Starting copy...\n1000 rows sent to SQL Server.\n1000000 rows copied.\nClock Time (ms.): total 12345  Average : 81004.46 rows per second\n'
  assert.deepEqual(parseFreebcp(out), { rows: 1_000_000, seconds: 12.345 })
  assert.equal(parseFreebcp('Msg 20018, Level 16\n'), null)
})

test('parseSheetBench reads both output forms of sheet_bench and leaves out the header row', () => {
  const now = 'calamine-stream: 5001 rows, 58782 non-empty cells; wall 0.085 s = 58773 rows/s; CPU 0.02 s = 250050 rows/s; peak RSS 3.0 MiB'
  const before = 'sluice: 5001 rows, 58782 non-empty cells in 0.060 s = 83205 rows/s, peak RSS 3.5 MiB'
  assert.deepEqual(parseSheetBench(now), { rows: 5000, seconds: 0.085 })
  assert.deepEqual(parseSheetBench(before), { rows: 5000, seconds: 0.06 })
  assert.equal(parseSheetBench('usage: sheet_bench …'), null)
})

test('writeSection replaces its own section and keeps the rest of RESULTS.md', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loadbench-'))
  const file = path.join(dir, 'RESULTS.md')
  fs.writeFileSync(file, '# Bulk\n\nfigures\n')
  writeSection(file, 'file-load', 'first $& run')
  writeSection(file, 'file-load', 'second run')
  const text = fs.readFileSync(file, 'utf8')
  assert.match(text, /^# Bulk\n\nfigures\n\n<!-- file-load:begin -->\nsecond run\n<!-- file-load:end -->\n$/)
  assert.equal(readSection(file, 'file-load'), '<!-- file-load:begin -->\nsecond run\n<!-- file-load:end -->')
  fs.rmSync(dir, { recursive: true })
})

test('to_tsv.py writes what freebcp can read: no quotes, no line break inside a record, flag as 1/0', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loadbench-'))
  const csv = path.join(dir, 'in.csv')
  const tsv = path.join(dir, 'out.tsv')
  // flag is the fifth column, as in bench/schema.sql.
  fs.writeFileSync(csv, 'id,b,c,d,flag,note\n1,,,,true,"a\tb\nsecond line"\n2,,,,false,"say ""hi"""\n3,,,,,\n')
  const r = spawnSync(python(), [path.join(__dirname, 'to_tsv.py'), csv, tsv], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(fs.readFileSync(tsv, 'utf8'), '1\t\t\t\t1\ta b second line\n2\t\t\t\t0\tsay "hi"\n3\t\t\t\t\t\n')
  fs.rmSync(dir, { recursive: true })
})
