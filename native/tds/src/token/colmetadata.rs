//! COLMETADATA (MS-TDS 2.2.7.4), ROW (2.2.7.19) and NBCROW (2.2.7.13).

use super::message::put_b_varchar;
use super::token_type;
use crate::error::DecodeResult;
use crate::reader::ByteReader;
use crate::type_info::{decode_type_info, encode_type_info};
use crate::types::ColumnMeta;
use crate::value::decode::decode_value;
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
