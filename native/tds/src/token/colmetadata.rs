//! COLMETADATA (MS-TDS 2.2.7.4), ROW (2.2.7.19) and NBCROW (2.2.7.13).

use super::message::put_b_varchar;
use super::token_type;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use crate::type_info::{decode_type_info, encode_type_info};
use crate::types::ColumnMeta;
use crate::value::decode::{decode_value, skip_value};
use crate::value::encode::encode_value;
use crate::value::{ConvertError, Value};
use bytes::{BufMut, BytesMut};

/// Reads the body of a COLMETADATA token (after the token byte). A count of 0xFFFF ("no
/// metadata") yields an empty list.
pub fn decode_colmetadata(r: &mut ByteReader<'_>) -> DecodeResult<Vec<ColumnMeta>> {
    let count = r.u16_le()?;
    if count == 0xFFFF {
        return Ok(Vec::new());
    }
    // Each column takes at least 8 bytes; don't reserve memory the buffer can't back.
    let mut cols = Vec::with_capacity((count as usize).min(r.remaining() / 8));
    for _ in 0..count {
        let user_type = r.u32_le()?;
        let flags = r.u16_le()?;
        let type_info = decode_type_info(r)?;
        let name = r.b_varchar()?;
        cols.push(ColumnMeta {
            name,
            user_type,
            flags,
            type_info,
        });
    }
    Ok(cols)
}

pub fn encode_colmetadata(cols: &[ColumnMeta], buf: &mut BytesMut) {
    buf.put_u8(token_type::COLMETADATA);
    if cols.is_empty() {
        buf.put_u16_le(0xFFFF);
        return;
    }
    buf.put_u16_le(cols.len() as u16);
    for c in cols {
        buf.put_u32_le(c.user_type);
        buf.put_u16_le(c.flags);
        encode_type_info(&c.type_info, buf);
        put_b_varchar(buf, &c.name);
    }
}

pub fn decode_row(cols: &[ColumnMeta], r: &mut ByteReader<'_>) -> DecodeResult<Vec<Value>> {
    cols.iter().map(|c| decode_value(&c.type_info, r)).collect()
}

/// NBCROW: a bitmap of NULL columns, then the values of the others.
pub fn decode_nbcrow(cols: &[ColumnMeta], r: &mut ByteReader<'_>) -> DecodeResult<Vec<Value>> {
    let bitmap = r.bytes(cols.len().div_ceil(8))?;
    let mut out = Vec::with_capacity(cols.len());
    for (i, c) in cols.iter().enumerate() {
        if bitmap[i / 8] & (1 << (i % 8)) != 0 {
            out.push(Value::Null);
        } else {
            out.push(decode_value(&c.type_info, r)?);
        }
    }
    Ok(out)
}

/// The first value of a row that could not be read although its bytes were framed: the
/// column's index and why.
pub type BadValue = (usize, DecodeError);

/// Reads a ROW (`nbc` false) or NBCROW body like [`decode_row`]/[`decode_nbcrow`], but a value
/// whose bytes are framed and yet not representable (out of range, unknown variant base type)
/// does not stop it: the value's bytes are skipped, NULL stands in, and the first such column
/// is returned beside the row. Only an error in the framing itself is an `Err`.
pub fn decode_row_lenient(
    cols: &[ColumnMeta],
    nbc: bool,
    r: &mut ByteReader<'_>,
) -> DecodeResult<(Vec<Value>, Option<BadValue>)> {
    let bitmap = if nbc {
        Some(r.bytes(cols.len().div_ceil(8))?)
    } else {
        None
    };
    let mut out = Vec::with_capacity(cols.len());
    let mut bad = None;
    for (i, c) in cols.iter().enumerate() {
        let is_null = bitmap
            .and_then(|b| b.get(i / 8))
            .is_some_and(|byte| byte & (1 << (i % 8)) != 0);
        if is_null {
            out.push(Value::Null);
            continue;
        }
        let mut probe = r.clone();
        match decode_value(&c.type_info, &mut probe) {
            Ok(v) => {
                *r = probe;
                out.push(v);
            }
            Err(DecodeError::Incomplete) => return Err(DecodeError::Incomplete),
            Err(e) => {
                // Framed if the value's length prefixes alone lead past it; if not, the
                // stream itself is out of step and the original error stands.
                skip_value(&c.type_info, r).map_err(|skip| match skip {
                    DecodeError::Incomplete => DecodeError::Incomplete,
                    _ => e.clone(),
                })?;
                bad.get_or_insert((i, e));
                out.push(Value::Null);
            }
        }
    }
    Ok((out, bad))
}

/// Appends a ROW token. On error the buffer is left as it was.
pub fn encode_row(
    cols: &[ColumnMeta],
    values: &[Value],
    buf: &mut BytesMut,
) -> Result<(), ConvertError> {
    let start = buf.len();
    buf.put_u8(token_type::ROW);
    for (c, v) in cols.iter().zip(values) {
        if let Err(e) = encode_value(&c.type_info, v, buf) {
            buf.truncate(start);
            return Err(e);
        }
    }
    Ok(())
}

/// Appends an NBCROW token (what SQL Server sends when many values are NULL).
pub fn encode_nbcrow(
    cols: &[ColumnMeta],
    values: &[Value],
    buf: &mut BytesMut,
) -> Result<(), ConvertError> {
    let start = buf.len();
    buf.put_u8(token_type::NBCROW);
    let mut bitmap = vec![0u8; cols.len().div_ceil(8)];
    for (i, v) in values.iter().enumerate().take(cols.len()) {
        if matches!(v, Value::Null) {
            bitmap[i / 8] |= 1 << (i % 8);
        }
    }
    buf.extend_from_slice(&bitmap);
    for (c, v) in cols.iter().zip(values) {
        if matches!(v, Value::Null) {
            continue;
        }
        if let Err(e) = encode_value(&c.type_info, v, buf) {
            buf.truncate(start);
            return Err(e);
        }
    }
    Ok(())
}
