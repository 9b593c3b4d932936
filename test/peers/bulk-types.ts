// The table, rows and per-type conversions shared by the bulk-load peer tests: one column of
// every type the test server supports, rows of boundary values, NULLs and ordinary values, each
// value written once in a canonical form (exactly what Sluice's `query` returns for it), and the
// helpers that turn a canonical value into what tedious or Sluice is given, and what tedious
// reads back into the canonical form again.
//
// The canonical forms: bit → boolean; tinyint/smallint/int/real/float → number; bigint → bigint;
// decimal/numeric/money/smallmoney → string with exactly `scale` digits after the point;
// date → 'YYYY-MM-DD'; time(n) → 'HH:MM:SS[.f…]' (n digits); datetime → 'YYYY-MM-DD HH:MM:SS.mmm';
// smalldatetime → 'YYYY-MM-DD HH:MM:SS'; datetime2(n) → date + ' ' + time(n);
// datetimeoffset(n) → local date-time(n) + ' +hh:mm'; uniqueidentifier → upper-case string;
// character types → string; binary types → Buffer; NULL → null.
import { type Connection, TYPES } from 'tedious'

export type TediousType = (typeof TYPES)[keyof typeof TYPES]
export type Canon = null | boolean | number | bigint | string | Buffer

export type Kind =
  | 'bit'
  | 'int'
  | 'bigint'
  | 'real'
  | 'float'
  | 'exact'
  | 'date'
  | 'time'
  | 'datetime'
  | 'smalldatetime'
  | 'datetime2'
  | 'datetimeoffset'
  | 'guid'
  | 'fixedchar'
  | 'text'
  | 'binary'

export interface ColSpec {
  name: string
  /** The column's type as declared in CREATE TABLE. */
  sql: string
  kind: Kind
  tedious: TediousType
  /** For tedious's addColumn: length (Infinity for (max)), precision, scale. */
  length?: number
  precision?: number
  scale?: number
}

const MAX = Infinity

export const COLUMNS: ColSpec[] = [
  // Numbers the rows (1, 2, …) so they can be read back in order.
  { name: 'id', sql: 'int', kind: 'int', tedious: TYPES.Int },
  { name: 'b', sql: 'bit', kind: 'bit', tedious: TYPES.Bit },
  { name: 'ti', sql: 'tinyint', kind: 'int', tedious: TYPES.TinyInt },
  { name: 'si', sql: 'smallint', kind: 'int', tedious: TYPES.SmallInt },
  { name: 'i', sql: 'int', kind: 'int', tedious: TYPES.Int },
  { name: 'bi', sql: 'bigint', kind: 'bigint', tedious: TYPES.BigInt },
  { name: 'r', sql: 'real', kind: 'real', tedious: TYPES.Real },
  { name: 'f', sql: 'float', kind: 'float', tedious: TYPES.Float },
  { name: 'd9', sql: 'decimal(9,2)', kind: 'exact', tedious: TYPES.Decimal, precision: 9, scale: 2 },
  { name: 'd18', sql: 'decimal(18,4)', kind: 'exact', tedious: TYPES.Decimal, precision: 18, scale: 4 },
  { name: 'd28', sql: 'decimal(28,8)', kind: 'exact', tedious: TYPES.Decimal, precision: 28, scale: 8 },
  { name: 'n38', sql: 'numeric(38,10)', kind: 'exact', tedious: TYPES.Numeric, precision: 38, scale: 10 },
  { name: 'n10', sql: 'numeric(10,0)', kind: 'exact', tedious: TYPES.Numeric, precision: 10, scale: 0 },
  { name: 'm', sql: 'money', kind: 'exact', tedious: TYPES.Money, scale: 4 },
  { name: 'sm', sql: 'smallmoney', kind: 'exact', tedious: TYPES.SmallMoney, scale: 4 },
  { name: 'dt', sql: 'date', kind: 'date', tedious: TYPES.Date },
  { name: 't0', sql: 'time(0)', kind: 'time', tedious: TYPES.Time, scale: 0 },
  { name: 't3', sql: 'time(3)', kind: 'time', tedious: TYPES.Time, scale: 3 },
  { name: 't7', sql: 'time(7)', kind: 'time', tedious: TYPES.Time, scale: 7 },
  { name: 'dtm', sql: 'datetime', kind: 'datetime', tedious: TYPES.DateTime },
  { name: 'sdt', sql: 'smalldatetime', kind: 'smalldatetime', tedious: TYPES.SmallDateTime },
  { name: 'dt20', sql: 'datetime2(0)', kind: 'datetime2', tedious: TYPES.DateTime2, scale: 0 },
  { name: 'dt23', sql: 'datetime2(3)', kind: 'datetime2', tedious: TYPES.DateTime2, scale: 3 },
  { name: 'dt27', sql: 'datetime2(7)', kind: 'datetime2', tedious: TYPES.DateTime2, scale: 7 },
  { name: 'dto0', sql: 'datetimeoffset(0)', kind: 'datetimeoffset', tedious: TYPES.DateTimeOffset, scale: 0 },
  { name: 'dto4', sql: 'datetimeoffset(4)', kind: 'datetimeoffset', tedious: TYPES.DateTimeOffset, scale: 4 },
  { name: 'dto7', sql: 'datetimeoffset(7)', kind: 'datetimeoffset', tedious: TYPES.DateTimeOffset, scale: 7 },
  { name: 'g', sql: 'uniqueidentifier', kind: 'guid', tedious: TYPES.UniqueIdentifier },
  { name: 'c', sql: 'char(5)', kind: 'fixedchar', tedious: TYPES.Char, length: 5 },
  { name: 'vc', sql: 'varchar(20)', kind: 'text', tedious: TYPES.VarChar, length: 20 },
  { name: 'nc', sql: 'nchar(3)', kind: 'fixedchar', tedious: TYPES.NChar, length: 3 },
  { name: 'nvc', sql: 'nvarchar(50)', kind: 'text', tedious: TYPES.NVarChar, length: 50 },
  { name: 'bin', sql: 'binary(4)', kind: 'binary', tedious: TYPES.Binary, length: 4 },
  { name: 'vb', sql: 'varbinary(10)', kind: 'binary', tedious: TYPES.VarBinary, length: 10 },
  { name: 'vcm', sql: 'varchar(max)', kind: 'text', tedious: TYPES.VarChar, length: MAX },
  { name: 'nvcm', sql: 'nvarchar(max)', kind: 'text', tedious: TYPES.NVarChar, length: MAX },
  { name: 'vbm', sql: 'varbinary(max)', kind: 'binary', tedious: TYPES.VarBinary, length: MAX },
]

export function createTableSql(table: string, columns: ColSpec[] = COLUMNS): string {
  return `CREATE TABLE ${table} (${columns.map((c) => `${c.name} ${c.sql} NULL`).join(', ')})`
}

/** 50 UTF-16 code units (nvarchar(50) full): a surrogate pair counts two. */
const NVC50 = `Ünïcödé 😀 東京 ${'ω'.repeat(50)}`.slice(0, 50)

/**
 * The rows, as { column: canonical value }. What tedious cannot carry is left out on purpose:
 * - decimal/numeric/money travel through a JS number in tedious (`Math.round(|v| × 10^s)`
 *   written as a 64-bit integer), so only magnitudes with |v × 10^s| < 2^53 arrive exactly; the
 *   largest here are the extremes tedious can send, not the types' own limits. money's own
 *   limits (±922337203685477.5807/8) are not even representable as JS numbers.
 * - tedious's money writes the low 32 bits with `value & -1`, which truncates instead of
 *   rounding (−2270.9954 × 10^4 = −22709953.999… is sent as −22709953), so money values whose
 *   ×10^4 is not exactly an integer in binary floating point are avoided.
 * - binary(n) values are exactly n bytes: tedious writes the column length, not the value's,
 *   as the length prefix of a binary(n) value (and only `slice(0, n)` of the data).
 * - datetimeoffset: tedious sends the process's local UTC offset at that instant
 *   (`-getTimezoneOffset()`), whatever the value was meant to be. The test file runs with
 *   TZ=UTC, so these values are at +00:00; DTO_ROWS (a non-zero offset) are loaded under
 *   another TZ. (UTC is also needed because tedious's bulk-load validation checks the *local*
 *   year of date/time values — `validate(value, collation)` is called without the useUTC
 *   option — so under any non-zero offset 0001-01-01 or 9999-12-31 would fall outside
 *   1..9999 and tedious would refuse the row; against this server that refusal even hangs,
 *   see the EOM|IGNORE test in tedious-bulk.test.ts.)
 * - smalldatetime values have 0 seconds: tedious drops the seconds instead of rounding.
 * - datetime values are on the 1/300 s grid (.000, .003, .007, .997), which both clients and
 *   the server map to the same ticks.
 */
const VALUES: Record<string, Canon>[] = [
  // The low end of every type, empty strings and binaries.
  {
    b: false,
    ti: 0,
    si: -32768,
    i: -2147483648,
    bi: -9223372036854775808n,
    r: -3.4028234663852886e38,
    f: -1.7976931348623157e308,
    d9: '-9999999.99',
    d18: '-123456789012.0625',
    d28: '-12345678.12345678',
    n38: '-123456.7890123456',
    n10: '-9999999999',
    m: '-900000000000.5000',
    sm: '-214748.3648',
    dt: '0001-01-01',
    t0: '00:00:00',
    t3: '00:00:00.000',
    t7: '00:00:00.0000000',
    dtm: '1753-01-01 00:00:00.000',
    sdt: '1900-01-01 00:00:00',
    dt20: '0001-01-01 00:00:00',
    dt23: '0001-01-01 00:00:00.000',
    dt27: '0001-01-01 00:00:00.0000000',
    dto0: '0001-01-01 00:00:00 +00:00',
    dto4: '0001-01-01 00:00:00.0000 +00:00',
    dto7: '0001-01-01 00:00:00.0000000 +00:00',
    g: '00000000-0000-0000-0000-000000000000',
    c: '',
    vc: '',
    nc: '',
    nvc: '',
    bin: Buffer.from([0, 0, 0, 0]),
    vb: Buffer.alloc(0),
    vcm: '',
    nvcm: '',
    vbm: Buffer.alloc(0),
  },
  // The high end; (max) values larger than a 4096-byte packet.
  {
    b: true,
    ti: 255,
    si: 32767,
    i: 2147483647,
    bi: 9223372036854775807n,
    r: 3.4028234663852886e38,
    f: 1.7976931348623157e308,
    d9: '9999999.99',
    d18: '123456789012.0625',
    d28: '12345678.12345678',
    n38: '123456.7890123456',
    n10: '9999999999',
    m: '900000000000.5000',
    sm: '214748.3647',
    dt: '9999-12-31',
    t0: '23:59:59',
    t3: '23:59:59.999',
    t7: '23:59:59.9999999',
    dtm: '9999-12-31 23:59:59.997',
    sdt: '2079-06-06 23:59:00',
    dt20: '9999-12-31 23:59:59',
    dt23: '9999-12-31 23:59:59.999',
    dt27: '9999-12-31 23:59:59.9999999',
    dto0: '9999-12-31 23:59:59 +00:00',
    dto4: '9999-12-31 23:59:59.9999 +00:00',
    dto7: '9999-12-31 23:59:59.9999999 +00:00',
    g: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    c: 'abcde',
    vc: 'ABCDEFGHIJKLMNOPQRST',
    nc: 'äöü',
    nvc: NVC50,
    bin: Buffer.from([0xff, 0xff, 0xff, 0xff]),
    vb: Buffer.alloc(10, 0xff),
    vcm: 'x'.repeat(10_000),
    nvcm: 'é東😀'.repeat(3000),
    vbm: Buffer.from(Array.from({ length: 9000 }, (_, i) => i % 251)),
  },
  // Every column NULL.
  Object.fromEntries(COLUMNS.filter((c) => c.name !== 'id').map((c) => [c.name, null])),
  // Ordinary values: code-page text, short fixed-length strings (padded by the server).
  {
    b: true,
    ti: 42,
    si: -1,
    i: 0,
    bi: 9007199254740993n,
    r: 1.5,
    f: 0.1,
    d9: '0.01',
    d18: '-0.0001',
    d28: '0.00000001',
    n38: '0.0000000001',
    n10: '0',
    m: '-0.0001',
    sm: '0.0001',
    dt: '2024-02-29',
    t0: '12:34:56',
    t3: '12:34:56.789',
    t7: '12:34:56.1234567',
    dtm: '2024-02-29 13:45:01.997',
    sdt: '2024-02-29 13:45:00',
    dt20: '2024-02-29 13:45:01',
    dt23: '2024-02-29 13:45:01.123',
    dt27: '2024-02-29 13:45:01.1234567',
    dto0: '2024-06-01 12:30:00 +00:00',
    dto4: '2024-06-01 12:30:00.1234 +00:00',
    dto7: '2024-06-01 12:30:00.1234567 +00:00',
    g: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    c: 'ab',
    vc: 'Grüße, café – €5',
    nc: 'x',
    nvc: 'Grüße 東京 😀',
    bin: Buffer.from([1, 2, 3, 4]),
    vb: Buffer.from([0x00, 0xff, 0x10]),
    vcm: 'plain',
    nvcm: 'Zoë',
    vbm: Buffer.from([1, 2, 3]),
  },
  // Smallest steps: one unit of the last digit, the smallest normal floats, trailing spaces.
  {
    b: false,
    ti: 1,
    si: 1,
    i: 1,
    bi: -1n,
    r: 1.1754943508222875e-38,
    f: 2.2250738585072014e-308,
    d9: '-0.01',
    d18: '0.0000',
    d28: '-0.00000001',
    n38: '-0.0000000001',
    n10: '1',
    m: '0.0000',
    sm: '-0.0001',
    dt: '1970-01-01',
    t0: '00:00:01',
    t3: '00:00:00.001',
    t7: '00:00:00.0000001',
    dtm: '1900-01-01 00:00:00.007',
    sdt: '1900-01-01 00:01:00',
    dt20: '1970-01-01 00:00:00',
    dt23: '1969-12-31 23:59:59.999',
    dt27: '2000-01-01 00:00:00.0000001',
    dto0: '2024-01-01 00:00:00 +00:00',
    dto4: '2024-01-01 00:00:00.0001 +00:00',
    dto7: '2024-01-01 00:00:00.0000001 +00:00',
    g: '01234567-89AB-CDEF-0123-456789ABCDEF',
    c: 'a b c',
    vc: 'trailing  ',
    nc: '😀',
    nvc: ' ',
    bin: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
    vb: Buffer.from([0]),
    vcm: ' ',
    nvcm: '😀',
    vbm: Buffer.from([0]),
  },
]

export const ROWS: Record<string, Canon>[] = VALUES.map((r, i) => ({ id: i + 1, ...r }))

/**
 * datetimeoffset with a non-zero offset: tedious can only send the process's own offset, so
 * these are loaded with TZ=Asia/Kolkata (+05:30 all year since 1945; dates before that have
 * other offsets there, so none are used). Includes instants whose UTC date differs from the
 * local one.
 */
export const DTO_COLUMNS: ColSpec[] = COLUMNS.filter((c) => c.name === 'id' || c.kind === 'datetimeoffset')
export const DTO_ROWS: Record<string, Canon>[] = [
  { id: 1, dto0: '2024-06-01 12:30:00 +05:30', dto4: '2024-06-01 12:30:00.1234 +05:30', dto7: '2024-06-01 12:30:00.1234567 +05:30' },
  { id: 2, dto0: '2000-01-01 05:29:59 +05:30', dto4: '2000-01-01 05:29:59.9999 +05:30', dto7: '2000-01-01 05:29:59.9999999 +05:30' },
  { id: 3, dto0: '9999-12-31 23:59:59 +05:30', dto4: '9999-12-31 23:59:59.9999 +05:30', dto7: '9999-12-31 23:59:59.9999999 +05:30' },
  { id: 4, dto0: null, dto4: null, dto7: null },
]

/** The row as an array in column order. */
export function rowArray(row: Record<string, Canon>, columns: ColSpec[] = COLUMNS): Canon[] {
  return columns.map((c) => {
    const v = row[c.name]
    if (v === undefined) throw new Error(`test data: row has no value for ${c.name}`)
    return v
  })
}

// ---------------------------------------------------------------------------------------------
// Canonical → client values

/** 'HH:MM:SS[.fffffff]' → whole milliseconds text and the 100-ns units beyond them. */
function splitTime(t: string): { hms: string; ms: string; sub: number } {
  const m = /^(\d\d:\d\d:\d\d)(?:\.(\d{1,7}))?$/.exec(t)
  if (!m) throw new Error(`test data: bad time ${t}`)
  const frac = (m[2] ?? '').padEnd(7, '0')
  return { hms: m[1]!, ms: frac.slice(0, 3), sub: Number(frac.slice(3)) }
}

type TediousDate = Date & { nanosecondDelta?: number }

/** A Date for tedious, with the sub-millisecond part in `nanosecondDelta` (seconds). */
function tediousDate(iso: string, sub: number): TediousDate {
  const d: TediousDate = new Date(iso)
  if (Number.isNaN(d.getTime())) throw new Error(`test data: bad date ${iso}`)
  if (sub) d.nanosecondDelta = sub / 1e7
  return d
}

/** The value tedious is given for a canonical value. */
export function toTedious(col: ColSpec, v: Canon): unknown {
  if (v === null) return null
  switch (col.kind) {
    case 'exact': {
      // tedious sends Math.round(|v| × 10^scale) (money: v × 10^4 split in two 32-bit halves);
      // refuse test data for which that is not exactly the decimal text.
      const n = Number(v)
      const scaled = n * 10 ** (col.scale ?? 0)
      const digits = BigInt(String(v).replace('.', ''))
      if (!Number.isInteger(scaled) || BigInt(scaled) !== digits) {
        throw new Error(`test data: ${String(v)} does not survive tedious's float arithmetic for ${col.sql}`)
      }
      return n
    }
    case 'date':
      return tediousDate(`${String(v)}T00:00:00Z`, 0)
    case 'time': {
      const t = splitTime(String(v))
      return tediousDate(`1970-01-01T${t.hms}.${t.ms}Z`, t.sub)
    }
    case 'datetime':
    case 'smalldatetime':
    case 'datetime2': {
      const [date, time] = String(v).split(' ')
      const t = splitTime(time!)
      return tediousDate(`${date}T${t.hms}.${t.ms}Z`, t.sub)
    }
    case 'datetimeoffset': {
      const [date, time, offset] = String(v).split(' ')
      const t = splitTime(time!)
      return tediousDate(`${date}T${t.hms}.${t.ms}${offset}`, t.sub)
    }
    default:
      return v
  }
}

/** The value Sluice's bulkCopy is given: the canonical value itself (it parses the texts). */
export function toSluice(_col: ColSpec, v: Canon): unknown {
  return v
}

/** What the column stores for a canonical value: char(n)/nchar(n) are padded with spaces. */
export function stored(col: ColSpec, v: Canon): Canon {
  if (col.kind === 'fixedchar' && typeof v === 'string') {
    const units = v.length // UTF-16 code units; char(n) text here is single-byte
    return v + ' '.repeat(Math.max(0, (col.length ?? 0) - units))
  }
  return v
}

// ---------------------------------------------------------------------------------------------
// Read-back normalisation

const pad = (n: number, w: number) => String(n).padStart(w, '0')

function isoDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
}

/** 'HH:MM:SS[.f…]' with `scale` digits from a UTC time, whole ms and 100-ns units beyond. */
function timeText(d: Date, sub: number, scale: number): string {
  const hms = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  if (scale === 0) return hms
  const frac = `${pad(d.getUTCMilliseconds(), 3)}${pad(sub, 4)}`
  return `${hms}.${frac.slice(0, scale)}`
}

/**
 * tedious's read values in canonical form. tedious gives: bigint as a string; decimal,
 * numeric, money as JS numbers (exact enough here: every value has |v × 10^s| < 2^53);
 * date/time types as UTC Dates with the 100-ns units beyond the millisecond in
 * `nanosecondsDelta` (seconds); datetimeoffset as the UTC instant, dropping the offset — so
 * its canonical form here is the UTC one (compare with `utcOffsetForm`).
 */
export function fromTedious(col: ColSpec, v: unknown): Canon {
  if (v === null || v === undefined) return null
  const scale = col.scale ?? 0
  const subOf = (d: Date) => Math.round((((d as Date & { nanosecondsDelta?: number }).nanosecondsDelta ?? 0) * 1e7) % 10000)
  switch (col.kind) {
    case 'bigint':
      return BigInt(v as string)
    case 'exact':
      return (v as number).toFixed(scale)
    case 'date':
      return isoDate(v as Date)
    case 'time':
      return timeText(v as Date, subOf(v as Date), scale)
    case 'datetime':
      return `${isoDate(v as Date)} ${timeText(v as Date, 0, 3)}`
    case 'smalldatetime':
      return `${isoDate(v as Date)} ${timeText(v as Date, 0, 0)}`
    case 'datetime2':
      return `${isoDate(v as Date)} ${timeText(v as Date, subOf(v as Date), scale)}`
    case 'datetimeoffset':
      return `${isoDate(v as Date)} ${timeText(v as Date, subOf(v as Date), scale)} +00:00`
    default:
      return v as Canon
  }
}

/** A canonical datetimeoffset value moved to UTC ('… +00:00'), as tedious reads it. */
export function utcOffsetForm(col: ColSpec, v: Canon): Canon {
  if (col.kind !== 'datetimeoffset' || v === null) return v
  const [date, time, offset] = String(v).split(' ')
  const t = splitTime(time!)
  const d = new Date(`${date}T${t.hms}.${t.ms}${offset}`)
  return `${isoDate(d)} ${timeText(d, t.sub, col.scale ?? 0)} +00:00`
}

// ---------------------------------------------------------------------------------------------
// tedious's bulk load as a promise

/** Bulk-loads `rows` (canonical values, in COLUMNS order) with tedious; resolves to its row count. */
export function tediousBulkLoad(c: Connection, table: string, rows: Canon[][], columns: ColSpec[] = COLUMNS): Promise<number> {
  return new Promise((resolve, reject) => {
    const bulk = c.newBulkLoad(table, { keepNulls: true }, (err, rowCount) => (err ? reject(err) : resolve(rowCount ?? -1)))
    for (const col of columns) {
      bulk.addColumn(col.name, col.tedious, { nullable: true, length: col.length, precision: col.precision, scale: col.scale })
    }
    c.execBulkLoad(
      bulk,
      rows.map((r) => r.map((v, j) => toTedious(columns[j]!, v))),
    )
  })
}
