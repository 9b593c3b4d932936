//! Values of `text`/`ntext`/`image` (a text pointer, a timestamp, then a 4-byte length and the
//! data, MS-TDS 2.2.7.19 and 2.2.5.2.3), and of `xml` and CLR types (PLP, 2.2.5.5.3 and
//! 2.2.5.5.5), read and written; `sql_variant` is in [`super::variant`].

use super::Value;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::{decode_utf16le, ByteReader};
use crate::types::SqlType;
use bytes::{BufMut, BytesMut};

/// SQL Server's text pointers are 16 bytes; the timestamp after one is 8.
const TEXTPTR_LEN: u8 = 16;
const TIMESTAMP_LEN: usize = 8;
/// U+FEFF, which some servers put before an xml value's UTF-16.
const BOM: char = '\u{FEFF}';

/// A `text`/`ntext`/`image` value's data, or `None` for NULL (a zero TextPtr length).
pub(super) fn text_ptr_bytes<'a>(r: &mut ByteReader<'a>) -> DecodeResult<Option<&'a [u8]>> {
    let ptr_len = r.u8()?;
    if ptr_len == 0 {
        return Ok(None);
    }
    r.skip(usize::from(ptr_len) + TIMESTAMP_LEN)?;
    let len = r.u32_le()?;
    let len = usize::try_from(len).map_err(|_| DecodeError::Incomplete)?;
    r.bytes(len).map(Some)
}

/// The decoded value of a `text`, `ntext` or `image` column's data.
pub(super) fn from_text_bytes(ty: &SqlType, bytes: &[u8]) -> DecodeResult<Value> {
    match *ty {
        SqlType::Text { collation } => collation
            .decode_str(bytes)
            .map(Value::String)
            .map_err(|e| DecodeError::malformed("text", e.to_string())),
        SqlType::NText { .. } => Ok(Value::String(decode_utf16le(bytes)?)),
        _ => Ok(Value::Binary(bytes.to_vec())),
    }
}

/// An xml value from its PLP bytes: UTF-16LE, a leading byte-order mark dropped.
pub(super) fn xml_from_utf16(bytes: &[u8]) -> DecodeResult<Value> {
    let s = decode_utf16le(bytes)?;
    Ok(Value::String(match s.strip_prefix(BOM) {
        Some(rest) => rest.to_string(),
        None => s,
    }))
}

/// Writes a `text`/`ntext`/`image` value as a server does: a 16-byte text pointer and an
/// 8-byte timestamp (zeros: Sluice's readers never use them), then the data.
pub(super) fn write_text(ty: &SqlType, v: &Value, buf: &mut BytesMut) -> Result<(), String> {
    let data: Vec<u8> = match (ty, v) {
        (SqlType::Text { collation }, Value::String(s)) => collation
            .encode_str(s)
            .map_err(|e| e.to_string())?
            .into_owned(),
        (SqlType::NText { .. }, Value::String(s)) => {
            s.encode_utf16().flat_map(u16::to_le_bytes).collect()
        }
        (SqlType::Image, Value::Binary(b)) => b.clone(),
        _ => {
            return Err(format!(
                "a {} value does not fit a {} column",
                super::text::kind_name(v),
                ty.sql_name()
            ))
        }
    };
    let len = u32::try_from(data.len())
        .ok()
        .filter(|&n| n <= 0x7FFF_FFFF)
        .ok_or("more than 2 GB")?;
    buf.put_u8(TEXTPTR_LEN);
    buf.put_bytes(0, usize::from(TEXTPTR_LEN) + TIMESTAMP_LEN);
    buf.put_u32_le(len);
    buf.put_slice(&data);
    Ok(())
}
