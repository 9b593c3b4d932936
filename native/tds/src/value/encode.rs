//! Encoding row values as a server sends them in ROW tokens (MS-TDS 2.2.7.19) and a client in
//! bulk-load rows (2.2.6.1): the exact inverse of [`super::decode::decode_value`].
//!
//! The value need not be of the column's own kind: numbers widen or narrow with range checks,
//! decimals are rounded to the column's scale (half away from zero, as SQL Server does on insert)
//! but never lose integer digits, temporal values convert where lossless or by rounding to the
//! column's precision, strings are encoded in the column's code page and checked against its
//! length. Anything else is a [`ConvertError`] and leaves the buffer as it was.

use super::decode::{fixed_len, guid_from_wire, PLP_NULL};
use super::text::{check_len, kind_name, numeric, temporal, ConvertError};
use super::Value;
use crate::reader::put_utf16le;
use crate::type_info::{decimal_byte_len, fixed_code, time_byte_len};
use crate::types::{SqlType, TypeInfo, VarLen};
use bytes::{BufMut, BytesMut};

/// The largest `(max)` value SQL Server stores: 2^31 - 1 bytes.
const MAX_PLP_BYTES: usize = 0x7FFF_FFFF;

/// Appends `v` in the row encoding of `ti` (length prefix included). NULL is allowed for the
/// nullable forms; a value that does not fit the type is an error and nothing is written.
pub fn encode_value(ti: &TypeInfo, v: &Value, buf: &mut BytesMut) -> Result<(), ConvertError> {
    let start = buf.len();
    write_value(ti, v, buf).map_err(|reason| {
        buf.truncate(start);
        ConvertError::invalid(&describe(v), &ti.ty, reason)
    })
}

/// The value for an error message, without copying a huge string or blob first.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => s.chars().take(101).collect(),
        Value::Binary(b) if b.len() > 50 => Value::Binary(b[..50].to_vec())
            .to_text()
            .unwrap_or_default(),
        Value::Null => "NULL".into(),
        _ => v.to_text().unwrap_or_default(),
    }
}

fn mismatch(v: &Value, ty: &SqlType) -> String {
    format!(
        "a {} value does not fit a {} column",
        kind_name(v),
        ty.sql_name()
    )
}

fn write_value(ti: &TypeInfo, v: &Value, buf: &mut BytesMut) -> Result<(), String> {
    let ty = &ti.ty;
    let fixed = ti.fixed && fixed_code(ty).is_some();
    if let Value::Null = v {
        if fixed {
            return Err(
                "NULL cannot be sent in the fixed-length (NOT NULL) form of the type".into(),
            );
        }
        write_null(ty, buf);
        return Ok(());
    }
    // The BYTELEN length of the types that also have a fixed form; the fixed form has none.
    let prefix = |buf: &mut BytesMut| {
        if !fixed {
            buf.put_u8(fixed_len(ty).unwrap_or(0));
        }
    };
    let overflow = || format!("Arithmetic overflow: out of the {} range", ty.sql_name());
    match *ty {
        SqlType::Bit => {
            let b = match numeric::to_i64(v)? {
                0 => 0,
                1 => 1,
                _ => return Err("bit takes 0 or 1".into()),
            };
            prefix(buf);
            buf.put_u8(b);
        }
        SqlType::TinyInt => {
            let n = u8::try_from(numeric::to_i64(v)?).map_err(|_| overflow())?;
            prefix(buf);
            buf.put_u8(n);
        }
        SqlType::SmallInt => {
            let n = i16::try_from(numeric::to_i64(v)?).map_err(|_| overflow())?;
            prefix(buf);
            buf.put_i16_le(n);
        }
        SqlType::Int => {
            let n = i32::try_from(numeric::to_i64(v)?).map_err(|_| overflow())?;
            prefix(buf);
            buf.put_i32_le(n);
        }
        SqlType::BigInt => {
            let n = numeric::to_i64(v)?;
            prefix(buf);
            buf.put_i64_le(n);
        }
        SqlType::Real => {
            let f = numeric::to_f64(v)? as f32;
            if !f.is_finite() {
                return Err(overflow());
            }
            prefix(buf);
            buf.put_f32_le(f);
        }
        SqlType::Float => {
            let f = numeric::to_f64(v)?;
            prefix(buf);
            buf.put_f64_le(f);
        }
        SqlType::Money => {
            let m = numeric::to_money(v)?;
            prefix(buf);
            // High 32 bits first, then the low 32 (MS-TDS 2.2.5.5.1.4).
            buf.put_i32_le((m >> 32) as i32);
            buf.put_u32_le(m as u32);
        }
        SqlType::SmallMoney => {
            let m = i32::try_from(numeric::to_money(v)?).map_err(|_| overflow())?;
            prefix(buf);
            buf.put_i32_le(m);
        }
        SqlType::Decimal { precision, scale } | SqlType::Numeric { precision, scale } => {
            let m = numeric::to_decimal(v, precision, scale)?;
            let len = decimal_byte_len(precision);
            buf.put_u8(len);
            buf.put_u8(u8::from(m >= 0));
            let magnitude = m.unsigned_abs().to_le_bytes();
            buf.put_slice(
                magnitude
                    .get(..usize::from(len.saturating_sub(1)))
                    .ok_or("invalid decimal length")?,
            );
        }
        SqlType::Date
        | SqlType::Time { .. }
        | SqlType::DateTime
        | SqlType::SmallDateTime
        | SqlType::DateTime2 { .. }
        | SqlType::DateTimeOffset { .. } => {
            write_temporal(&temporal::coerce_temporal(ty, v)?, fixed, buf)?
        }
        SqlType::UniqueIdentifier => {
            let Value::Guid(g) = v else {
                return Err(mismatch(v, ty));
            };
            buf.put_u8(16);
            buf.put_slice(&guid_from_wire(*g));
        }
        SqlType::Char { len, collation }
        | SqlType::VarChar {
            len: VarLen::Len(len),
            collation,
        } => {
            let Value::String(s) = v else {
                return Err(mismatch(v, ty));
            };
            let bytes = collation.encode_str(s).map_err(|e| e.to_string())?;
            check_len(bytes.len(), len, "bytes")?;
            buf.put_u16_le(short_len(bytes.len())?);
            buf.put_slice(&bytes);
        }
        SqlType::VarChar {
            len: VarLen::Max,
            collation,
        } => {
            let Value::String(s) = v else {
                return Err(mismatch(v, ty));
            };
            let bytes = collation.encode_str(s).map_err(|e| e.to_string())?;
            put_plp(buf, bytes.len(), |buf| buf.put_slice(&bytes))?;
        }
        SqlType::NChar { len, .. }
        | SqlType::NVarChar {
            len: VarLen::Len(len),
            ..
        } => {
            let Value::String(s) = v else {
                return Err(mismatch(v, ty));
            };
            let units = s.encode_utf16().count();
            check_len(units, len, "UTF-16 code units")?;
            buf.put_u16_le(short_len(units * 2)?);
            put_utf16le(buf, s);
        }
        SqlType::NVarChar {
            len: VarLen::Max, ..
        } => {
            let Value::String(s) = v else {
                return Err(mismatch(v, ty));
            };
            let bytes = s
                .encode_utf16()
                .count()
                .checked_mul(2)
                .ok_or("string too long")?;
            put_plp(buf, bytes, |buf| put_utf16le(buf, s))?;
        }
        SqlType::Binary { len }
        | SqlType::VarBinary {
            len: VarLen::Len(len),
        } => {
            let Value::Binary(b) = v else {
                return Err(mismatch(v, ty));
            };
            check_len(b.len(), len, "bytes")?;
            buf.put_u16_le(short_len(b.len())?);
            buf.put_slice(b);
        }
        SqlType::VarBinary { len: VarLen::Max } | SqlType::Udt { .. } => {
            let Value::Binary(b) = v else {
                return Err(mismatch(v, ty));
            };
            put_plp(buf, b.len(), |buf| buf.put_slice(b))?;
        }
        // xml travels as PLP UTF-16 (MS-TDS 2.2.5.5.3), from the client in bulk loads too.
        SqlType::Xml => {
            let Value::String(s) = v else {
                return Err(mismatch(v, ty));
            };
            let bytes = s
                .encode_utf16()
                .count()
                .checked_mul(2)
                .ok_or("string too long")?;
            put_plp(buf, bytes, |buf| put_utf16le(buf, s))?;
        }
        SqlType::Text { .. } | SqlType::NText { .. } | SqlType::Image => {
            super::large::write_text(ty, v, buf)?
        }
        SqlType::Variant => super::variant::write_variant(
            v,
            crate::collation::Collation::SQL_LATIN1_GENERAL_CP1_CI_AS,
            buf,
        )?,
    }
    Ok(())
}

/// The 2-byte length of a non-`(max)` value; 0xFFFF would read back as NULL.
fn short_len(n: usize) -> Result<u16, String> {
    u16::try_from(n)
        .ok()
        .filter(|&n| n < 0xFFFF)
        .ok_or_else(|| format!("{n} bytes are more than a non-(max) column holds"))
}

/// NULL: PLP NULL for `(max)`, 0xFFFF for the other USHORTLEN types, a zero length otherwise.
fn write_null(ty: &SqlType, buf: &mut BytesMut) {
    match ty {
        _ if ty.is_plp() => buf.put_u64_le(PLP_NULL),
        // A zero text-pointer length (MS-TDS 2.2.7.19) and a zero variant length.
        SqlType::Text { .. } | SqlType::NText { .. } | SqlType::Image => buf.put_u8(0),
        SqlType::Variant => buf.put_u32_le(0),
        SqlType::Char { .. }
        | SqlType::VarChar { .. }
        | SqlType::NChar { .. }
        | SqlType::NVarChar { .. }
        | SqlType::Binary { .. }
        | SqlType::VarBinary { .. } => buf.put_u16_le(0xFFFF),
        _ => buf.put_u8(0),
    }
}

/// A canonical temporal value (from [`temporal::coerce_temporal`]) in the layout of MS-TDS
/// 2.2.5.5.1.7/2.2.5.5.1.8: time bytes, then date bytes, then the offset.
fn write_temporal(v: &Value, fixed: bool, buf: &mut BytesMut) -> Result<(), String> {
    let put_time = |buf: &mut BytesMut, t: super::Time| {
        let n = usize::from(time_byte_len(t.scale));
        buf.put_slice(&t.units.to_le_bytes()[..n]);
    };
    let put_date = |buf: &mut BytesMut, d: super::Date| buf.put_slice(&d.0.to_le_bytes()[..3]);
    match *v {
        Value::Date(d) => {
            buf.put_u8(3);
            put_date(buf, d);
        }
        Value::Time(t) => {
            buf.put_u8(time_byte_len(t.scale));
            put_time(buf, t);
        }
        Value::DateTime2 { date, time } => {
            buf.put_u8(time_byte_len(time.scale) + 3);
            put_time(buf, time);
            put_date(buf, date);
        }
        Value::DateTimeOffset {
            date,
            time,
            offset_minutes,
        } => {
            buf.put_u8(time_byte_len(time.scale) + 5);
            put_time(buf, time);
            put_date(buf, date);
            buf.put_i16_le(offset_minutes);
        }
        Value::DateTime { days, ticks } => {
            if !fixed {
                buf.put_u8(8);
            }
            buf.put_i32_le(days);
            buf.put_u32_le(ticks);
        }
        Value::SmallDateTime { days, minutes } => {
            if !fixed {
                buf.put_u8(4);
            }
            buf.put_u16_le(days);
            buf.put_u16_le(minutes);
        }
        _ => return Err("not a date/time value".into()),
    }
    Ok(())
}

/// PLP with the known total length, one chunk and the terminator (MS-TDS 2.2.5.2.3). An empty
/// value is a total of 0 and the terminator alone, since a zero-length chunk ends the value.
fn put_plp(
    buf: &mut BytesMut,
    len: usize,
    write: impl FnOnce(&mut BytesMut),
) -> Result<(), String> {
    if len > MAX_PLP_BYTES {
        return Err(format!("{len} bytes exceed the 2 GB limit of (max) types"));
    }
    buf.reserve(len + 16);
    buf.put_u64_le(len as u64);
    if len > 0 {
        buf.put_u32_le(len as u32);
        write(buf);
    }
    buf.put_u32_le(0);
    Ok(())
}

#[cfg(test)]
#[path = "encode_tests.rs"]
mod tests;
