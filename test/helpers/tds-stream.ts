// A small walker over the token stream of a bulk-load message (MS-TDS 2.2.6.1: COLMETADATA, ROW
// or NBCROW tokens, DONE), as the test server's `--capture-bulk` writes it (packet headers
// stripped). It splits the payload into tokens and each row into its cells, reading every value
// by the TYPE_INFO rules of TDS-NOTES ("Types: TYPE_INFO and row values"), so that two clients'
// streams can be compared row by row and byte by byte. It checks lengths as it goes and throws on
// anything it does not understand: a test must never compare half-parsed bytes.

export const TOKEN = { COLMETADATA: 0x81, ROW: 0xd1, NBCROW: 0xd2, DONE: 0xfd, DONEPROC: 0xfe, DONEINPROC: 0xff } as const

/** How a column's values are framed in a row. */
export type ValueForm =
  | { form: 'fixed'; size: number } // INT4 0x38 …: no length, never NULL
  | { form: 'bytelen' } // INTN, DECIMALN, DATEN, TIMEN…: 1-byte length, 0 = NULL
  | { form: 'ushortlen' } // BIGVARCHR, NVARCHAR, BIGBINARY…: 2-byte length, 0xFFFF = NULL
  | { form: 'plp' } // (max) types: 8-byte total length, chunks, 0-length terminator

export interface ColumnMeta {
  userType: number
  flags: number
  /** TYPE_INFO bytes, from the type byte through the collation. */
  typeInfo: Buffer
  typeByte: number
  name: string
  valueForm: ValueForm
  /** The whole column entry as sent (UserType, Flags, TYPE_INFO, ColName). */
  raw: Buffer
}

/** PLP_BODY (MS-TDS 2.2.5.2.3). */
export interface PlpValue {
  /** The announced total: a byte count, 'unknown' (0xFFFFFFFFFFFFFFFE) — never NULL here. */
  total: bigint | 'unknown'
  /** The data chunks, in order, without their length prefixes (the terminator is not listed). */
  chunks: Buffer[]
  /** All chunks concatenated. */
  data: Buffer
}

export interface Cell {
  /** The value's bytes as sent, length prefix included (empty for a NULL in an NBCROW). */
  raw: Buffer
  isNull: boolean
  /** Present for the PLP (max) types when not NULL. */
  plp?: PlpValue
}

export type Token =
  | { type: 'COLMETADATA'; raw: Buffer; columns: ColumnMeta[] }
  | { type: 'ROW' | 'NBCROW'; raw: Buffer; cells: Cell[] }
  | { type: 'DONE' | 'DONEPROC' | 'DONEINPROC'; raw: Buffer; status: number; curCmd: number; rowCount: bigint }

export interface BulkStream {
  tokens: Token[]
  /** The (last) COLMETADATA's columns. */
  columns: ColumnMeta[]
  colmetadata: Extract<Token, { type: 'COLMETADATA' }>[]
  rows: Extract<Token, { type: 'ROW' | 'NBCROW' }>[]
  done: Extract<Token, { type: 'DONE' | 'DONEPROC' | 'DONEINPROC' }>[]
}

const FIXED_SIZES: Record<number, number> = {
  48: 1, // INT1
  50: 1, // BIT
  52: 2, // INT2
  56: 4, // INT4
  58: 4, // DATETIM4
  59: 4, // FLT4
  60: 8, // MONEY
  61: 8, // DATETIME
  62: 8, // FLT8
  122: 4, // MONEY4
  127: 8, // INT8
}

const PLP_NULL = 0xffffffffffffffffn
const PLP_UNKNOWN = 0xfffffffffffffffen

class Reader {
  pos = 0
  constructor(readonly buf: Buffer) {}
  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new Error(`bulk stream ends inside ${what} at offset ${this.pos} (needs ${n} bytes, ${this.buf.length - this.pos} left)`)
    }
  }
  u8(what: string): number {
    this.need(1, what)
    return this.buf.readUInt8(this.pos++)
  }
  u16(what: string): number {
    this.need(2, what)
    const v = this.buf.readUInt16LE(this.pos)
    this.pos += 2
    return v
  }
  u32(what: string): number {
    this.need(4, what)
    const v = this.buf.readUInt32LE(this.pos)
    this.pos += 4
    return v
  }
  u64(what: string): bigint {
    this.need(8, what)
    const v = this.buf.readBigUInt64LE(this.pos)
    this.pos += 8
    return v
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what)
    const b = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return b
  }
  since(start: number): Buffer {
    return this.buf.subarray(start, this.pos)
  }
}

/** Reads TYPE_INFO (MS-TDS 2.2.5.4) and says how the column's values are framed. */
function readTypeInfo(r: Reader): { typeByte: number; valueForm: ValueForm } {
  const typeByte = r.u8('TYPE_INFO')
  const fixed = FIXED_SIZES[typeByte]
  if (fixed !== undefined) return { typeByte, valueForm: { form: 'fixed', size: fixed } }
  switch (typeByte) {
    case 0x24: // GUID
    case 0x26: // INTN
    case 0x68: // BITN
    case 0x6d: // FLTN
    case 0x6e: // MONEYN
    case 0x6f: // DATETIMN
      r.u8('TYPE_INFO length')
      return { typeByte, valueForm: { form: 'bytelen' } }
    case 0x37: // DECIMAL (legacy)
    case 0x3f: // NUMERIC (legacy)
    case 0x6a: // DECIMALN
    case 0x6c: // NUMERICN
      r.bytes(3, 'TYPE_INFO length, precision, scale')
      return { typeByte, valueForm: { form: 'bytelen' } }
    case 0x28: // DATEN
      return { typeByte, valueForm: { form: 'bytelen' } }
    case 0x29: // TIMEN
    case 0x2a: // DATETIME2N
    case 0x2b: // DATETIMEOFFSETN
      r.u8('TYPE_INFO scale')
      return { typeByte, valueForm: { form: 'bytelen' } }
    case 0xa5: // BIGVARBIN
    case 0xad: {
      // BIGBINARY
      const max = r.u16('TYPE_INFO max length')
      return { typeByte, valueForm: max === 0xffff ? { form: 'plp' } : { form: 'ushortlen' } }
    }
    case 0xa7: // BIGVARCHR
    case 0xaf: // BIGCHAR
    case 0xe7: // NVARCHAR
    case 0xef: {
      // NCHAR
      const max = r.u16('TYPE_INFO max length')
      r.bytes(5, 'TYPE_INFO collation')
      return { typeByte, valueForm: max === 0xffff ? { form: 'plp' } : { form: 'ushortlen' } }
    }
    default:
      throw new Error(`TYPE_INFO type 0x${typeByte.toString(16)} at offset ${r.pos - 1} is not one this walker reads`)
  }
}

function readColMetadata(r: Reader): ColumnMeta[] {
  const count = r.u16('COLMETADATA count')
  if (count === 0xffff) return [] // "no metadata"
  const columns: ColumnMeta[] = []
  for (let i = 0; i < count; i++) {
    const start = r.pos
    const userType = r.u32('UserType')
    const flags = r.u16('Flags')
    const tiStart = r.pos
    const { typeByte, valueForm } = readTypeInfo(r)
    const typeInfo = r.since(tiStart)
    const nameLen = r.u8('ColName length')
    const name = r.bytes(nameLen * 2, 'ColName').toString('utf16le')
    columns.push({ userType, flags, typeInfo, typeByte, name, valueForm, raw: r.since(start) })
  }
  return columns
}

function readPlp(r: Reader): { isNull: boolean; plp?: PlpValue } {
  const total = r.u64('PLP total length')
  if (total === PLP_NULL) return { isNull: true }
  const chunks: Buffer[] = []
  // Every chunk is at least 5 bytes (length + data), so the payload length bounds the loop.
  for (;;) {
    const len = r.u32('PLP chunk length')
    if (len === 0) break
    chunks.push(r.bytes(len, 'PLP chunk'))
  }
  const data = Buffer.concat(chunks)
  if (total !== PLP_UNKNOWN && total !== BigInt(data.length)) {
    throw new Error(`PLP value announces ${total} bytes but its chunks hold ${data.length}`)
  }
  return { isNull: false, plp: { total: total === PLP_UNKNOWN ? 'unknown' : total, chunks, data } }
}

function readValue(r: Reader, col: ColumnMeta): Cell {
  const start = r.pos
  const what = `value of column ${col.name}`
  switch (col.valueForm.form) {
    case 'fixed':
      r.bytes(col.valueForm.size, what)
      return { raw: r.since(start), isNull: false }
    case 'bytelen': {
      const len = r.u8(what)
      r.bytes(len, what)
      return { raw: r.since(start), isNull: len === 0 }
    }
    case 'ushortlen': {
      const len = r.u16(what)
      if (len === 0xffff) return { raw: r.since(start), isNull: true }
      r.bytes(len, what)
      return { raw: r.since(start), isNull: false }
    }
    case 'plp': {
      const v = readPlp(r)
      return { raw: r.since(start), ...v }
    }
  }
}

/** Splits a bulk-load payload into its tokens; throws if anything is left over or unknown. */
export function parseBulkStream(buf: Buffer): BulkStream {
  const r = new Reader(buf)
  const tokens: Token[] = []
  let columns: ColumnMeta[] | undefined
  while (r.pos < buf.length) {
    const start = r.pos
    const t = r.u8('token type')
    switch (t) {
      case TOKEN.COLMETADATA: {
        columns = readColMetadata(r)
        tokens.push({ type: 'COLMETADATA', raw: r.since(start), columns })
        break
      }
      case TOKEN.ROW: {
        if (!columns) throw new Error(`ROW at offset ${start} before any COLMETADATA`)
        const cells = columns.map((c) => readValue(r, c))
        tokens.push({ type: 'ROW', raw: r.since(start), cells })
        break
      }
      case TOKEN.NBCROW: {
        if (!columns) throw new Error(`NBCROW at offset ${start} before any COLMETADATA`)
        const bitmap = r.bytes(Math.ceil(columns.length / 8), 'NBCROW null bitmap')
        const cells = columns.map((c, i): Cell => {
          const isNull = ((bitmap[i >> 3] ?? 0) >> (i & 7)) & 1
          return isNull ? { raw: Buffer.alloc(0), isNull: true } : readValue(r, c)
        })
        tokens.push({ type: 'NBCROW', raw: r.since(start), cells })
        break
      }
      case TOKEN.DONE:
      case TOKEN.DONEPROC:
      case TOKEN.DONEINPROC: {
        const status = r.u16('DONE status')
        const curCmd = r.u16('DONE CurCmd')
        const rowCount = r.u64('DONE RowCount')
        const type = t === TOKEN.DONE ? 'DONE' : t === TOKEN.DONEPROC ? 'DONEPROC' : 'DONEINPROC'
        tokens.push({ type, raw: r.since(start), status, curCmd, rowCount })
        break
      }
      default:
        throw new Error(`unexpected token 0x${t.toString(16)} at offset ${start} of a bulk-load payload`)
    }
  }
  const colmetadata = tokens.filter((t): t is Extract<Token, { type: 'COLMETADATA' }> => t.type === 'COLMETADATA')
  return {
    tokens,
    columns: columns ?? [],
    colmetadata,
    rows: tokens.filter((t): t is Extract<Token, { type: 'ROW' | 'NBCROW' }> => t.type === 'ROW' || t.type === 'NBCROW'),
    done: tokens.filter((t): t is Extract<Token, { type: 'DONE' | 'DONEPROC' | 'DONEINPROC' }> => t.type.startsWith('DONE')),
  }
}
