// The benchmark CSV's text fields as the values a JS user hands a driver: numbers, BigInt for
// bigint, Date for date/datetime2, booleans, exact decimal strings for decimal and money (a
// Number would round 18 digits), text as it is, and null for an empty field — the same logical
// values bench/gen.js produces, so every JS client loads what the Sluice file path loads.

const utcDate = (s) => new Date(`${s}T00:00:00Z`)
// "2018-12-09 20:36:23.650" is UTC in the generator.
const utcDateTime = (s) => new Date(`${s.slice(0, 10)}T${s.slice(11)}Z`)
const text = (s) => s

/** One converter per column of bench/schema.sql, in order. */
const CONVERT = [
  Number, // id int
  BigInt, // big bigint
  text, // amount decimal(18,4)
  Number, // ratio float
  (s) => s === 'true', // flag bit
  utcDate, // born date
  utcDateTime, // created datetime2
  text, // guid uniqueidentifier
  text, // code varchar(20)
  text, // name nvarchar(100)
  text, // note nvarchar(max)
  text, // price money
]

/** Converts one parsed record (an array of 12 strings) in place; throws on a short record. */
function typedRow(fields) {
  if (fields.length !== CONVERT.length)
    throw new Error(`expected ${CONVERT.length} fields, got ${fields.length}: ${JSON.stringify(fields)}`)
  for (let i = 0; i < CONVERT.length; i++) {
    const s = fields[i]
    fields[i] = s === '' ? null : CONVERT[i](s)
  }
  return fields
}

module.exports = { typedRow }
