// A TCP relay between mssql-python and `sluice serve`, for the benchmark only. It exists
// because mssql-python's `cursor.bulkcopy` (the mssql_py_core Rust path) cannot load into the
// test server directly; three things stop it, and the relay adjusts exactly those:
//
// 1. Metadata batch. Before loading, mssql_py_core sends the batch SqlBulkCopy uses:
//      SELECT @@TRANCOUNT; DECLARE @Column_Names NVARCHAR(MAX) = NULL; DECLARE @object_id INT = …;
//      … EXEC sp_executesql @sql, N'@CN NVARCHAR(MAX) OUTPUT, @ObjId INT', @CN = @Column_Names OUTPUT, …;
//      SELECT @Column_Names = COALESCE(@Column_Names, '*'); SET FMTONLY ON; EXEC(N'SELECT ' + …);
//      SET FMTONLY OFF; EXEC sp_tablecollations_100 N'…'
//    The test server has no sp_executesql with parameters/OUTPUT and answers error 102
//    "Incorrect syntax near 'OUTPUT'" (line 10). The relay replaces that one batch with what it
//    amounts to for a plain table:
//      SELECT @@TRANCOUNT; SET FMTONLY ON; SELECT * FROM <table>; SET FMTONLY OFF;
//      EXEC sp_tablecollations_100 N'<table>'
// 2. DECIMALN length. mssql_py_core's bulk COLMETADATA gives decimal(18,4) the TYPE_INFO
//    `6A 6A 12 04`: the type byte again where the length byte (5, 9, 13 or 17) belongs. The
//    test server refuses it ("malformed TYPE_INFO: DECIMALN with invalid length 106"); the
//    relay sets the length from the precision (the rows' own values carry correct lengths).
// 3. Short DONE. mssql_py_core ends each bulk-load message with a 9-byte DONE (a 4-byte row
//    count, the TDS 7.1 layout) where TDS 7.2+ has 13 bytes; the test server refuses it ("ended
//    inside a token (9 bytes left over)"). The relay widens it to 13 bytes.
// (2) and (3) are applied only on connections where (1) happened, i.e. mssql_py_core's.
// Everything else is forwarded unchanged. Only plaintext TDS can be inspected, so the server
// must run with `--encrypt off`. Every client→server packet is parsed (headers only, outside
// the fixes), so the relay costs some CPU; run.js reports it and can run Sluice through the
// relay as a control (`--shim-control`).
//
// Usage: node bench/tds-shim.js --target HOST:PORT [--port 0]   (prints `listening on H:P`)
const net = require('node:net')

const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const [targetHost, targetPort] = (opt('--target') ?? '').split(/:(?=\d+$)/)
if (!targetHost || !targetPort) {
  console.error('usage: node bench/tds-shim.js --target HOST:PORT [--port 0]')
  process.exit(2)
}

const SQL_BATCH = 0x01
const BULK_LOAD = 0x07
const EOM = 0x01
const DONE = 0xfd

/** (1) The replacement for SqlBulkCopy's metadata batch, or null to leave `sql` alone. */
function rewriteMetadataBatch(sql) {
  if (!/sp_tablecollations_100/i.test(sql) || !/FMTONLY\s+ON/i.test(sql) || !/OUTPUT/.test(sql)) return null
  const table = /OBJECT_ID\(N'((?:[^']|'')+)'\)/.exec(sql)
  const coll = /EXEC\s+([^\n;]*sp_tablecollations_100\s+N'(?:[^']|'')*')/i.exec(sql)
  if (!table || !coll) return null
  const name = table[1].replace(/''/g, "'")
  return `SELECT @@TRANCOUNT;\nSET FMTONLY ON;\nSELECT * FROM ${name};\nSET FMTONLY OFF;\nEXEC ${coll[1]}`
}

/** (2) Fixes DECIMALN/NUMERICN lengths in the COLMETADATA at the start of `payload`, in place. */
function fixDecimalLengths(b) {
  let o = 0
  if (b[o] !== 0x81) return 0
  const count = b.readUInt16LE(o + 1)
  o += 3
  let fixed = 0
  for (let c = 0; c < count; c++) {
    o += 4 + 2 // UserType, Flags
    const ty = b[o++]
    switch (ty) {
      case 0x30:
      case 0x32:
      case 0x34:
      case 0x38:
      case 0x3a:
      case 0x3b:
      case 0x3c:
      case 0x3d:
      case 0x3e:
      case 0x7a:
      case 0x7f:
      case 0x28: // fixed-length types, DATEN
        break
      case 0x26:
      case 0x68:
      case 0x6d:
      case 0x6e:
      case 0x6f:
      case 0x24: // …N with a 1-byte length
      case 0x29:
      case 0x2a:
      case 0x2b: // TIMEN, DATETIME2N, DATETIMEOFFSETN: a scale byte
        o += 1
        break
      case 0x6a:
      case 0x6c: {
        // DECIMALN, NUMERICN: length, precision, scale
        const prec = b[o + 1]
        if (![5, 9, 13, 17].includes(b[o])) {
          b[o] = prec <= 9 ? 5 : prec <= 19 ? 9 : prec <= 28 ? 13 : 17
          fixed++
        }
        o += 3
        break
      }
      case 0xa7:
      case 0xaf:
      case 0xe7:
      case 0xef: // big (n)var/char: 2-byte length + collation
        o += 2 + 5
        break
      case 0xa5:
      case 0xad: // big var/binary: 2-byte length
        o += 2
        break
      default:
        return fixed // a type this walk does not know: stop, leave the rest alone
    }
    o += 1 + 2 * b[o] // ColName (B_VARCHAR)
    if (o > b.length) return fixed
  }
  return fixed
}

/** (3) `payload` with a trailing 9-byte DONE widened to 13 bytes, or null if it has none. */
function widenShortDone(payload) {
  const n = payload.length
  if (n < 9 || payload[n - 9] !== DONE || (n >= 13 && payload[n - 13] === DONE)) return null
  const done = Buffer.alloc(13)
  done[0] = DONE
  payload.copy(done, 1, n - 8, n) // status, curcmd, 4-byte row count; the high 4 bytes stay 0
  return Buffer.concat([payload.subarray(0, n - 9), done])
}

/** Splits `buf` into whole TDS packets; returns [packets, rest]. */
function splitPackets(buf) {
  const out = []
  let off = 0
  while (buf.length - off >= 8) {
    const len = buf.readUInt16BE(off + 2)
    if (len < 8 || buf.length - off < len) break
    out.push(buf.subarray(off, off + len))
    off += len
  }
  return [out, buf.subarray(off)]
}

/** Re-packs a message payload into packets shaped like `first` (type, spid, ids, max size). */
function packetsFor(first, payload, maxSize) {
  const max = Math.max(maxSize, 512) - 8
  const out = []
  let id = first[6]
  for (let off = 0; ; off += max, id = (id + 1) & 0xff) {
    const part = payload.subarray(off, off + max)
    const last = off + max >= payload.length
    const h = Buffer.from(first.subarray(0, 8))
    h[1] = last ? first[1] | EOM : first[1] & ~EOM
    h.writeUInt16BE(part.length + 8, 2)
    h[6] = id
    out.push(h, part)
    if (last) return out
  }
}

let connections = 0

net
  .createServer((client) => {
    const conn = ++connections
    client.setNoDelay(true)
    const server = net.connect(Number(targetPort), targetHost)
    server.setNoDelay(true)
    server.pipe(client)
    const close = () => {
      client.destroy()
      server.destroy()
    }
    for (const s of [client, server]) {
      s.on('error', close)
      s.on('close', close)
    }

    let pyCore = false // (1) happened on this connection
    let pending = Buffer.alloc(0)
    let sqlParts = [] // packets of the SQL batch being assembled
    let bulkHeld = null // the last non-EOM bulk packet, held back in case the DONE straddles it
    let bulkFirst = true // the next bulk packet starts a message (COLMETADATA)

    client.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
      const [pkts, rest] = splitPackets(pending)
      pending = rest
      const out = []
      for (const p of pkts) {
        const type = p[0]
        if (type === BULK_LOAD && pyCore) {
          if (bulkFirst) {
            const n = fixDecimalLengths(p.subarray(8))
            if (n) console.error(`tds-shim[${conn}]: fixed ${n} DECIMALN length byte(s) in COLMETADATA`)
            bulkFirst = false
          }
          if ((p[1] & EOM) === 0) {
            if (bulkHeld) out.push(bulkHeld)
            bulkHeld = p
            continue
          }
          const prev = bulkHeld
          bulkHeld = null
          bulkFirst = true
          const payload = Buffer.concat(prev ? [prev.subarray(8), p.subarray(8)] : [p.subarray(8)])
          const widened = widenShortDone(payload)
          if (widened === null) {
            if (prev) out.push(prev)
            out.push(p)
          } else {
            out.push(...packetsFor(prev ?? p, widened, (prev ?? p).readUInt16BE(2)))
          }
          continue
        }
        if (type !== SQL_BATCH) {
          out.push(p)
          continue
        }
        sqlParts.push(p)
        if ((p[1] & EOM) === 0) continue
        const parts = sqlParts
        sqlParts = []
        const payload = Buffer.concat(parts.map((m) => m.subarray(8)))
        const headersLen = payload.readUInt32LE(0)
        const replaced = rewriteMetadataBatch(payload.subarray(headersLen).toString('utf16le'))
        if (replaced === null) {
          out.push(...parts)
          continue
        }
        pyCore = true
        console.error(`tds-shim[${conn}]: rewrote the bulk-copy metadata batch`)
        const next = Buffer.concat([payload.subarray(0, headersLen), Buffer.from(replaced, 'utf16le')])
        out.push(...packetsFor(parts[0], next, parts[0].readUInt16BE(2)))
      }
      if (out.length) server.write(out.length === 1 ? out[0] : Buffer.concat(out))
    })
    client.on('end', () => server.end())
  })
  .listen(Number(opt('--port', '0')), '127.0.0.1', function () {
    const a = this.address()
    console.log(`listening on ${a.address}:${a.port}`)
  })
