// The benchmark's rows, generated lazily and deterministically. bench/gen.py is the same
// generator in Python: both draw 32-bit words from MT19937 seeded exactly as CPython's
// `random.Random(seed)` seeds it (init_by_array over the seed's 32-bit words), 17 words per
// row in a fixed order, and turn them into values with the same integer arithmetic. `run.js`
// checks before measuring that both produce byte-identical canonical text (see `digest`).
//
// Values as each client receives them (the same logical values everywhere):
//   column              JS (Sluice and tedious get the very same arrays)   Python (mssql-python)
//   id int              number                                             int
//   big bigint          BigInt, NULL 1 in 16                               int / None
//   amount dec(18,4)    string '-12345678.1234'                            decimal.Decimal
//   ratio float         number, NULL 1 in 16                               float / None
//   flag bit            boolean                                            bool
//   born date           Date (UTC midnight)                                datetime.date
//   created datetime2   Date (UTC, millisecond precision)                  datetime.datetime (naive)
//   guid uniqueid.      string, lowercase                                  uuid.UUID
//   code varchar(20)    string 'SKU-<n>' (ASCII)                           str
//   name nvarchar(100)  string, some non-ASCII names                       str
//   note nvarchar(max)  short string (≈10–36 chars), NULL 1 in 8           str / None
//   price money         string '12345.6789'                                decimal.Decimal

const SEED = 20240229
const WORDS_PER_ROW = 17

const FIRST = [
  'Ada',
  'Zoë',
  'José',
  'Łukasz',
  'Amélie',
  'Björn',
  'Chloé',
  'Dmitri',
  'Émile',
  'Fatima',
  'Grace',
  'Hiroshi',
  'Inès',
  'Jürgen',
  'Kai',
  'Leila',
  'Mateo',
  'Nadia',
  'Olaf',
  'Priya',
  'Quentin',
  'Renée',
  'Søren',
  'Tomás',
  'Uma',
  'Václav',
  'Wei',
  'Xavier',
  'Yusuf',
  'Zaïd',
  '陈静',
  'Ольга',
]
const LAST = [
  'Lovelace',
  'Müller',
  'García',
  'Nowak',
  'Dubois',
  'Andersson',
  'Rossi',
  'Ivanov',
  'Smith',
  'Haddad',
  'Hopper',
  'Tanaka',
  'Fernández',
  'Schäfer',
  'Kim',
  'Ahmadi',
  'Silva',
  'Petrov',
  'Larsen',
  'Sharma',
  'Lefèvre',
  'O’Brien',
  'Jørgensen',
  'Novák',
  'Okafor',
  'Dvořák',
  'Wang',
  'Costa',
  'Yilmaz',
  'Nguyễn',
  '李',
  'Смирнова',
]
const NOTES = [
  'delivered',
  'pending review',
  'back-ordered',
  'returned by customer',
  'gift wrap',
  'fragile — handle with care',
  'express',
  'partial shipment',
  'address corrected',
  'paid in full',
  'awaiting stock',
  'priority',
  'customs hold',
  'résumé attached',
  'call before delivery',
  'no notes',
]

const DAY_MS = 86_400_000
const BORN_BASE_MS = Date.UTC(1950, 0, 1)
const CREATED_BASE_MS = Date.UTC(2000, 0, 1)

/** MT19937, seeded the way CPython's random.Random(int) seeds it. */
class MT19937 {
  constructor(seed) {
    this.mt = new Uint32Array(624)
    this.index = 624
    const key = []
    let s = BigInt(Math.abs(seed))
    do {
      key.push(Number(s & 0xffffffffn))
      s >>= 32n
    } while (s > 0n)
    this.initByArray(key)
  }
  initGenrand(s) {
    const mt = this.mt
    mt[0] = s >>> 0
    for (let i = 1; i < 624; i++) {
      mt[i] = (Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i) >>> 0
    }
  }
  initByArray(key) {
    const mt = this.mt
    const N = 624
    this.initGenrand(19650218)
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = ((mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1664525)) + key[j] + j) >>> 0
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = ((mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1566083941)) - i) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1]
        i = 1
      }
    }
    mt[0] = 0x80000000
  }
  twist() {
    const mt = this.mt
    for (let k = 0; k < 624; k++) {
      const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff)
      mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
    }
    this.index = 0
  }
  next() {
    if (this.index >= 624) this.twist()
    let y = this.mt[this.index++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
}

const pad4 = (n) => (n < 10 ? '000' : n < 100 ? '00' : n < 1000 ? '0' : '') + n
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const hex8 = (n) => HEX[n >>> 24] + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255]
const hex4 = (n) => HEX[(n >>> 8) & 255] + HEX[n & 255]

/** Yields `count` rows (arrays of 12 values) lazily; row i has id i + 1. */
function* rows(count, seed = SEED) {
  const rng = new MT19937(seed)
  const w = new Uint32Array(WORDS_PER_ROW)
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < WORDS_PER_ROW; k++) w[k] = rng.next()
    const z = w[0]
    const big = (z & 15) === 0 ? null : BigInt.asIntN(64, (BigInt(w[1]) << 32n) | BigInt(w[2]))
    const amount = `${(w[4] >= 0x80000000 ? '-' : '') + (w[3] % 100_000_000)}.${pad4(w[4] % 10_000)}`
    const ratio = ((z >>> 4) & 15) === 0 ? null : (w[5] / 4294967296) * 1000 - 500
    const flag = ((z >>> 8) & 1) === 1
    const born = new Date(BORN_BASE_MS + (w[6] % 36_525) * DAY_MS)
    const created = new Date(CREATED_BASE_MS + (w[7] % 946_080_000) * 1000 + (w[8] % 1000))
    const guid = `${hex8(w[9])}-${hex4(w[10] >>> 16)}-${hex4(w[10])}-${hex4(w[11] >>> 16)}-${hex4(w[11])}${hex8(w[12])}`
    const code = `SKU-${w[13]}`
    const name = `${FIRST[w[14] % 32]} ${LAST[(w[14] >>> 16) % 32]}`
    const note = ((z >>> 9) & 7) === 0 ? null : `${NOTES[w[15] % 16]} #${w[15] >>> 8}`
    const m = w[16] % 1_000_000_000
    const price = `${Math.floor(m / 10_000)}.${pad4(m % 10_000)}`
    yield [i + 1, big, amount, ratio, flag, born, created, guid, code, name, note, price]
  }
}

/**
 * The same rows as `rows()`, column by column: yields batches of up to `chunk` rows, each an
 * array of 12 columns as `bulkCopyColumns` takes them — typed arrays where the type allows
 * (id Int32Array; big BigInt64Array and ratio Float64Array with null masks; flag Uint8Array;
 * born and created Float64Array of epoch milliseconds), plain arrays of strings (or null) for
 * the rest. Drawn from the same MT19937 stream with the same arithmetic as `rows()`. Batches of
 * 1,000 rows, handed over as they are made, die young in V8's heap: with 10,000 rows per batch
 * the strings outlive a scavenge or two and generating costs 2.5 times as much.
 */
function* columns(count, chunk = 1000, seed = SEED) {
  const rng = new MT19937(seed)
  const w = new Uint32Array(WORDS_PER_ROW)
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start)
    const id = new Int32Array(n)
    const big = new BigInt64Array(n)
    const bigHalves = new Uint32Array(big.buffer) // little-endian halves: no BigInt per value
    const bigNull = new Uint8Array(n)
    const amount = new Array(n)
    const ratio = new Float64Array(n)
    const ratioNull = new Uint8Array(n)
    const flag = new Uint8Array(n)
    const born = new Float64Array(n)
    const created = new Float64Array(n)
    const guid = new Array(n)
    const code = new Array(n)
    const name = new Array(n)
    const note = new Array(n)
    const price = new Array(n)
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < WORDS_PER_ROW; k++) w[k] = rng.next()
      const z = w[0]
      id[i] = start + i + 1
      if ((z & 15) === 0) bigNull[i] = 1
      else {
        bigHalves[2 * i] = w[2]
        bigHalves[2 * i + 1] = w[1]
      }
      amount[i] = `${(w[4] >= 0x80000000 ? '-' : '') + (w[3] % 100_000_000)}.${pad4(w[4] % 10_000)}`
      if (((z >>> 4) & 15) === 0) ratioNull[i] = 1
      else ratio[i] = (w[5] / 4294967296) * 1000 - 500
      flag[i] = (z >>> 8) & 1
      born[i] = BORN_BASE_MS + (w[6] % 36_525) * DAY_MS
      created[i] = CREATED_BASE_MS + (w[7] % 946_080_000) * 1000 + (w[8] % 1000)
      guid[i] = `${hex8(w[9])}-${hex4(w[10] >>> 16)}-${hex4(w[10])}-${hex4(w[11] >>> 16)}-${hex4(w[11])}${hex8(w[12])}`
      code[i] = `SKU-${w[13]}`
      name[i] = `${FIRST[w[14] % 32]} ${LAST[(w[14] >>> 16) % 32]}`
      note[i] = ((z >>> 9) & 7) === 0 ? null : `${NOTES[w[15] % 16]} #${w[15] >>> 8}`
      const m = w[16] % 1_000_000_000
      price[i] = `${Math.floor(m / 10_000)}.${pad4(m % 10_000)}`
    }
    yield [
      id,
      { values: big, nulls: bigNull },
      amount,
      { values: ratio, nulls: ratioNull },
      flag,
      born,
      created,
      guid,
      code,
      name,
      note,
      price,
    ]
  }
}

/** Row `i` of a columnar batch as the row `rows()` yields (for checking the two agree). */
function rowOfBatch(batch, i) {
  return batch.map((col, c) => {
    if (Array.isArray(col)) return col[i]
    if (!ArrayBuffer.isView(col)) return col.nulls[i] ? null : col.values[i]
    if (c === 4) return col[i] === 1
    if (c === 5 || c === 6) return new Date(col[i])
    return col[i]
  })
}

/** Canonical text of one value, identical to gen.py's `canonical`. */
function canonical(v, col) {
  if (v === null) return '\\N'
  switch (col) {
    case 3: {
      const b = Buffer.alloc(8)
      b.writeDoubleLE(v)
      return b.toString('hex')
    }
    case 4:
      return v ? '1' : '0'
    case 5:
      return v.toISOString().slice(0, 10)
    case 6:
      return v.toISOString().slice(0, 23)
    default:
      return String(v)
  }
}

/** sha256 over the canonical text of the first `count` rows (one line per row). */
function digest(count, seed = SEED) {
  const h = require('node:crypto').createHash('sha256')
  for (const row of rows(count, seed)) h.update(`${row.map(canonical).join('\t')}\n`)
  return h.digest('hex')
}

/** The same digest computed from `columns()` (batches of 7,000 rows, to cross batch edges). */
function digestColumns(count, seed = SEED) {
  const h = require('node:crypto').createHash('sha256')
  for (const batch of columns(count, 7_000, seed)) {
    for (let i = 0; i < batch[0].length; i++) h.update(`${rowOfBatch(batch, i).map(canonical).join('\t')}\n`)
  }
  return h.digest('hex')
}

module.exports = { rows, columns, digest, digestColumns, canonical, SEED, MT19937 }

if (require.main === module) {
  // node bench/gen.js --digest N | --digest-columns N | --print N
  const [flag, n] = process.argv.slice(2)
  if (flag === '--digest') console.log(digest(Number(n ?? 20000)))
  else if (flag === '--digest-columns') console.log(digestColumns(Number(n ?? 20000)))
  else if (flag === '--print') for (const r of rows(Number(n ?? 5))) console.log(r.map(canonical).join('\t'))
  else {
    console.error('usage: node bench/gen.js --digest N | --digest-columns N | --print N')
    process.exitCode = 2
  }
}
