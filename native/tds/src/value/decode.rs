//! Decoding row values (ROW / NBCROW, MS-TDS 2.2.7.19, 2.2.7.13; TYPE_VARBYTE 2.2.5.2.3).
//!
//! Every read goes through [`ByteReader`], so short input is [`DecodeError::Incomplete`] and
//! never a panic; values outside what the type can hold (a `date` after 9999-12-31, a decimal
//! with more digits than 38, a length that does not match the type) are
//! [`DecodeError::Malformed`]. NBCROW's null bitmap is the token decoder's business: this reads
//! one value that is present in the row.

use super::text::temporal::{
    self, DATETIME_MAX_DAYS, DATETIME_MIN_DAYS, MAX_DATE, MAX_OFFSET_MINUTES,
};
use super::{large, variant, Date, Decimal, Time, Value};
use crate::collation::Collation;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::{decode_utf16le, ByteReader};
use crate::type_info::{fixed_code, time_byte_len};
use crate::types::{SqlType, TypeInfo, VarLen};

/// PLP total length meaning NULL (MS-TDS 2.2.5.2.3).
pub const PLP_NULL: u64 = 0xFFFF_FFFF_FFFF_FFFF;
/// PLP total length meaning "sent in chunks, total not known in advance".
pub const PLP_UNKNOWN_LEN: u64 = 0xFFFF_FFFF_FFFF_FFFE;
/// A 2-byte length of 0xFFFF is NULL for the USHORTLEN types (CHARBIN_NULL).
const USHORT_NULL: u16 = 0xFFFF;

/// Reads one column value of type `ti` (TYPE_VARBYTE in the row) from `r`.
///
/// The fixed forms (`ti.fixed` with a fixed-length type) have no length prefix and are never
/// NULL; the BYTELEN forms have a 1-byte length (0 = NULL), the USHORTLEN ones a 2-byte length
/// (0xFFFF = NULL), `(max)` types a PLP stream.
pub fn decode_value(ti: &TypeInfo, r: &mut ByteReader<'_>) -> DecodeResult<Value> {
    if ti.fixed && fixed_code(&ti.ty).is_some() {
        return decode_fixed(&ti.ty, r);
    }
    match ti.ty {
        SqlType::Char { collation, .. }
        | SqlType::VarChar {
            len: VarLen::Len(_),
            collation,
        } => short_bytes(r)?.map_or(Ok(Value::Null), |b| decode_chars(collation, b)),
        SqlType::NChar { .. }
        | SqlType::NVarChar {
            len: VarLen::Len(_),
            ..
        } => short_bytes(r)?.map_or(Ok(Value::Null), |b| Ok(Value::String(decode_utf16le(b)?))),
        SqlType::Binary { .. }
        | SqlType::VarBinary {
            len: VarLen::Len(_),
        } => Ok(short_bytes(r)?.map_or(Value::Null, |b| Value::Binary(b.to_vec()))),
        SqlType::VarChar {
            len: VarLen::Max,
            collation,
        } => plp_bytes(r)?.map_or(Ok(Value::Null), |b| decode_chars(collation, &b)),
        SqlType::NVarChar {
            len: VarLen::Max, ..
        } => plp_bytes(r)?.map_or(Ok(Value::Null), |b| Ok(Value::String(decode_utf16le(&b)?))),
        SqlType::VarBinary { len: VarLen::Max } | SqlType::Udt { .. } => {
            Ok(plp_bytes(r)?.map_or(Value::Null, Value::Binary))
        }
        SqlType::Xml => plp_bytes(r)?.map_or(Ok(Value::Null), |b| large::xml_from_utf16(&b)),
        SqlType::Text { .. } | SqlType::NText { .. } | SqlType::Image => {
            large::text_ptr_bytes(r)?.map_or(Ok(Value::Null), |b| large::from_text_bytes(&ti.ty, b))
        }
        SqlType::Variant => variant::decode_variant(r),
        ty => {
            let len = r.u8()?;
            if len == 0 {
                return Ok(Value::Null);
            }
            decode_bytelen(&ty, len, r)
        }
    }
}

/// A BYTELEN value whose length byte `len` is non-zero.
fn decode_bytelen(ty: &SqlType, len: u8, r: &mut ByteReader<'_>) -> DecodeResult<Value> {
    let expect = |want: u8| {
        if len == want {
            Ok(())
        } else {
            Err(DecodeError::malformed(
                "value",
                format!("{} value with length {len}, expected {want}", ty.sql_name()),
            ))
        }
    };
    match *ty {
        SqlType::Decimal { .. } | SqlType::Numeric { .. } => {
            // Servers send the length TYPE_INFO announced (5, 9, 13 or 17, MS-TDS 2.2.5.5.1.6),
            // but any length holding the sign and up to 16 magnitude bytes reads the same way;
            // the digit count is checked against the precision instead.
            if !(2..=17).contains(&len) {
                return Err(DecodeError::malformed(
                    "decimal",
                    format!("invalid length {len}"),
                ));
            }
            decode_decimal(ty, len, r)
        }
        SqlType::Date => {
            expect(3)?;
            Ok(Value::Date(read_date(r)?))
        }
        SqlType::Time { scale } => {
            expect(time_byte_len(scale))?;
            Ok(Value::Time(read_time(r, scale)?))
        }
        SqlType::DateTime2 { scale } => {
            expect(time_byte_len(scale) + 3)?;
            let time = read_time(r, scale)?;
            Ok(Value::DateTime2 {
                date: read_date(r)?,
                time,
            })
        }
        SqlType::DateTimeOffset { scale } => {
            expect(time_byte_len(scale) + 5)?;
            let time = read_time(r, scale)?;
            let date = read_date(r)?;
            let offset_minutes = r.i16_le()?;
            if offset_minutes.unsigned_abs() > MAX_OFFSET_MINUTES.unsigned_abs() {
                return Err(DecodeError::malformed(
                    "datetimeoffset",
                    format!("offset {offset_minutes} minutes"),
                ));
            }
            Ok(Value::DateTimeOffset {
                date,
                time,
                offset_minutes,
            })
        }
        SqlType::UniqueIdentifier => {
            expect(16)?;
            Ok(Value::Guid(guid_from_wire(r.array()?)))
        }
        _ => {
            expect(fixed_len(ty).unwrap_or(0))?;
            decode_fixed(ty, r)
        }
    }
}

/// Byte size of the fixed-length types, which is also their BYTELEN length.
pub fn fixed_len(ty: &SqlType) -> Option<u8> {
    Some(match ty {
        SqlType::TinyInt | SqlType::Bit => 1,
        SqlType::SmallInt => 2,
        SqlType::Int | SqlType::Real | SqlType::SmallMoney | SqlType::SmallDateTime => 4,
        SqlType::BigInt | SqlType::Float | SqlType::Money | SqlType::DateTime => 8,
        _ => return None,
    })
}

/// The value bytes of a fixed-length type (MS-TDS 2.2.5.5.1.1-2.2.5.5.1.8).
fn decode_fixed(ty: &SqlType, r: &mut ByteReader<'_>) -> DecodeResult<Value> {
    Ok(match ty {
        SqlType::TinyInt => Value::TinyInt(r.u8()?),
        SqlType::Bit => match r.u8()? {
            0 => Value::Bit(false),
            1 => Value::Bit(true),
            b => return Err(DecodeError::malformed("bit", format!("byte {b:#04x}"))),
        },
        SqlType::SmallInt => Value::SmallInt(r.i16_le()?),
        SqlType::Int => Value::Int(r.i32_le()?),
        SqlType::BigInt => Value::BigInt(r.i64_le()?),
        SqlType::Real => Value::Real(f32::from_le_bytes(r.array()?)),
        SqlType::Float => Value::Float(f64::from_le_bytes(r.array()?)),
        // money: the high 32 bits first, then the low 32 (MS-TDS 2.2.5.5.1.4).
        SqlType::Money => {
            let high = r.i32_le()?;
            let low = r.u32_le()?;
            Value::Money((i64::from(high) << 32) | i64::from(low))
        }
        SqlType::SmallMoney => Value::Money(i64::from(r.i32_le()?)),
        SqlType::DateTime => {
            let days = r.i32_le()?;
            let ticks = r.u32_le()?;
            if !(DATETIME_MIN_DAYS..=DATETIME_MAX_DAYS).contains(&days)
                || ticks >= temporal::DATETIME_TICKS_PER_DAY
            {
                return Err(DecodeError::malformed(
                    "datetime",
                    format!("days {days}, ticks {ticks}"),
                ));
            }
            Value::DateTime { days, ticks }
        }
        SqlType::SmallDateTime => {
            let days = r.u16_le()?;
            let minutes = r.u16_le()?;
            if minutes >= temporal::MINUTES_PER_DAY {
                return Err(DecodeError::malformed(
                    "smalldatetime",
                    format!("minutes {minutes}"),
                ));
            }
            Value::SmallDateTime { days, minutes }
        }
        other => {
            return Err(DecodeError::malformed(
                "value",
                format!("{} has no fixed-length form", other.sql_name()),
            ))
        }
    })
}

/// Sign byte (1 = positive, 0 = negative), then the magnitude little-endian.
fn decode_decimal(ty: &SqlType, len: u8, r: &mut ByteReader<'_>) -> DecodeResult<Value> {
    let (SqlType::Decimal { precision, scale } | SqlType::Numeric { precision, scale }) = *ty
    else {
        return Err(DecodeError::malformed("decimal", "not a decimal type"));
    };
    let sign = r.u8()?;
    let mut magnitude = [0u8; 16];
    let bytes = r.bytes(usize::from(len.saturating_sub(1)))?;
    magnitude
        .get_mut(..bytes.len())
        .ok_or(DecodeError::Incomplete)?
        .copy_from_slice(bytes);
    let magnitude = u128::from_le_bytes(magnitude);
    let limit = 10u128.pow(u32::from(precision.min(38)));
    if magnitude >= limit {
        return Err(DecodeError::malformed(
            "decimal",
            format!("more than {precision} digits"),
        ));
    }
    // Below 10^38, so it fits an i128.
    let m =
        i128::try_from(magnitude).map_err(|_| DecodeError::malformed("decimal", "too large"))?;
    let mantissa = match sign {
        1 => m,
        0 => -m,
        s => {
            return Err(DecodeError::malformed(
                "decimal",
                format!("sign byte {s:#04x}"),
            ))
        }
    };
    Ok(Value::Decimal(Decimal { mantissa, scale }))
}

fn read_date(r: &mut ByteReader<'_>) -> DecodeResult<Date> {
    let [a, b, c] = r.array()?;
    let days = u32::from_le_bytes([a, b, c, 0]);
    if days > MAX_DATE {
        return Err(DecodeError::malformed(
            "date",
            format!("day {days} is after 9999-12-31"),
        ));
    }
    Ok(Date(days))
}

fn read_time(r: &mut ByteReader<'_>, scale: u8) -> DecodeResult<Time> {
    let bytes = r.bytes(usize::from(time_byte_len(scale)))?;
    let mut le = [0u8; 8];
    le.get_mut(..bytes.len())
        .ok_or(DecodeError::Incomplete)?
        .copy_from_slice(bytes);
    let units = u64::from_le_bytes(le);
    match temporal::units_per_day(scale) {
        Some(per_day) if units < per_day => Ok(Time { units, scale }),
        _ => Err(DecodeError::malformed(
            "time",
            format!("{units} units at scale {scale} exceed a day"),
        )),
    }
}

/// The wire order stores the first three groups little-endian (MS-TDS 2.2.5.5.1.3 follows the
/// Windows GUID struct): reverse bytes 0-3, 4-5 and 6-7. The same swap goes both ways.
pub fn guid_from_wire(w: [u8; 16]) -> [u8; 16] {
    [
        w[3], w[2], w[1], w[0], w[5], w[4], w[7], w[6], w[8], w[9], w[10], w[11], w[12], w[13],
        w[14], w[15],
    ]
}

fn decode_chars(collation: Collation, bytes: &[u8]) -> DecodeResult<Value> {
    collation
        .decode_str(bytes)
        .map(Value::String)
        .map_err(|e| DecodeError::malformed("varchar", e.to_string()))
}

/// USHORTLEN data: a 2-byte length (0xFFFF = NULL), then the bytes.
fn short_bytes<'a>(r: &mut ByteReader<'a>) -> DecodeResult<Option<&'a [u8]>> {
    match r.u16_le()? {
        USHORT_NULL => Ok(None),
        n => Ok(Some(r.bytes(usize::from(n))?)),
    }
}

/// Moves past one value of type `ti` using its length prefixes alone, without judging its
/// content: how a row stays in step around a value that cannot be represented.
pub fn skip_value(ti: &TypeInfo, r: &mut ByteReader<'_>) -> DecodeResult<()> {
    if ti.fixed {
        if let Some(n) = fixed_len(&ti.ty).filter(|_| fixed_code(&ti.ty).is_some()) {
            return r.skip(usize::from(n));
        }
    }
    match ti.ty {
        _ if ti.ty.is_plp() => plp_bytes(r).map(|_| ()),
        SqlType::Char { .. }
        | SqlType::VarChar { .. }
        | SqlType::NChar { .. }
        | SqlType::NVarChar { .. }
        | SqlType::Binary { .. }
        | SqlType::VarBinary { .. } => short_bytes(r).map(|_| ()),
        SqlType::Text { .. } | SqlType::NText { .. } | SqlType::Image => {
            large::text_ptr_bytes(r).map(|_| ())
        }
        SqlType::Variant => {
            let n = r.u32_le()?;
            r.skip(usize::try_from(n).map_err(|_| DecodeError::Incomplete)?)
        }
        _ => {
            let n = r.u8()?;
            r.skip(usize::from(n))
        }
    }
}

/// PLP data (MS-TDS 2.2.5.2.3): total length (8 bytes), then chunks of length (4 bytes) and
/// data, ended by a zero-length chunk. A known total must match the chunks.
fn plp_bytes(r: &mut ByteReader<'_>) -> DecodeResult<Option<Vec<u8>>> {
    let total = r.u64_le()?;
    if total == PLP_NULL {
        return Ok(None);
    }
    // Never trust the announced length for allocation: the chunks that follow are bounded by
    // the input.
    let hint = usize::try_from(total)
        .unwrap_or(usize::MAX)
        .min(r.remaining());
    let mut out = Vec::with_capacity(if total == PLP_UNKNOWN_LEN { 0 } else { hint });
    loop {
        let n = r.u32_le()?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(r.bytes(usize::try_from(n).map_err(|_| DecodeError::Incomplete)?)?);
    }
    if total != PLP_UNKNOWN_LEN && out.len() as u64 != total {
        return Err(DecodeError::malformed(
            "PLP value",
            format!("{} bytes in chunks, {total} announced", out.len()),
        ));
    }
    Ok(Some(out))
}

#[cfg(test)]
#[path = "decode_tests.rs"]
pub(super) mod tests;
