#!/usr/bin/env node
// Writes the file benchmarks' CSV: the bulk benchmark's 12 columns (gen.js, the same seeded
// rows) as a file an export tool would write — a header row, RFC 4180 quoting where a field needs
// it ("Last, First" names, notes with a doubled quote or an embedded newline now and then),
// non-ASCII names, empty fields for NULL, ISO dates and date-times with milliseconds.
//   node bench/files/make-csv.js [--rows N] [--out PATH]
const fs = require('node:fs')
const path = require('node:path')
const { rows } = require('../gen.js')

function arg(name, dflt) {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : dflt
}
const count = Number(arg('--rows', '1000000'))
const out = arg('--out', path.join(__dirname, 'data', `bench-${count}.csv`))
fs.mkdirSync(path.dirname(out), { recursive: true })

const quote = (s) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)
const iso = (d) => d.toISOString()
const HEADER = 'id,big,amount,ratio,flag,born,created,guid,code,name,note,price\n'

const fd = fs.openSync(out, 'w')
let chunk = HEADER
let i = 0
for (const r of rows(count)) {
  const [id, big, amount, ratio, flag, born, created, guid, code, name, note, price] = r
  let n = name
  if (id % 4 === 0) {
    const sp = name.indexOf(' ')
    n = `${name.slice(sp + 1)}, ${name.slice(0, sp)}`
  }
  let t = note ?? ''
  if (note !== null && id % 1000 === 7) t = `${note}\nsecond line`
  else if (note !== null && id % 500 === 3) t = `${note} "as agreed"`
  chunk += `${id},${big ?? ''},${amount},${ratio ?? ''},${flag ? 'true' : 'false'},${iso(born).slice(0, 10)},${iso(created).slice(0, 23).replace('T', ' ')},${guid},${code},${quote(n)},${quote(t)},${price}\n`
  if (++i % 10000 === 0) {
    fs.writeSync(fd, chunk)
    chunk = ''
  }
}
fs.writeSync(fd, chunk)
fs.closeSync(fd)
console.log(`${out}: ${count} rows, ${fs.statSync(out).size} bytes`)
