//! Reading JS row arrays straight into TDS bytes: each value is looked at once, as a napi
//! value, turned into a borrowed `Cell` on the stack (strings into a reused scratch buffer) and
//! written by `tds::bulk::encode_cell` into the packet being filled. No row or value objects.

use crate::js_columns::typed_info;
use napi::sys;
use std::ptr;
use tds::bulk::{encode_cell, BulkColumn, Cell, CellError};

/// Scratch space reused for every string of every row.
#[derive(Default)]
pub struct Scratch {
    utf16: Vec<u16>,
}

/// Reads a JS string as UTF-16 into `scratch`: in one napi call when it fits (the usual case),
/// else asks for its length and reads again. Returns the number of code units read.
///
/// # Safety
/// `env` and `value` (a string) must be live napi handles of the current call.
unsafe fn read_utf16(env: sys::napi_env, value: sys::napi_value, scratch: &mut Vec<u16>) -> usize {
    if scratch.len() < 256 {
        scratch.resize(256, 0);
    }
    let mut len = 0usize;
    sys::napi_get_value_string_utf16(env, value, scratch.as_mut_ptr(), scratch.len(), &mut len);
    // napi writes at most size - 1 units and a terminator: a full buffer may mean a cut string.
    if len + 1 >= scratch.len() {
        sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut len);
        scratch.resize(len + 1, 0);
        sys::napi_get_value_string_utf16(env, value, scratch.as_mut_ptr(), scratch.len(), &mut len);
    }
    len
}

fn cell_error(col: &BulkColumn, value: &str, reason: impl Into<String>) -> CellError {
    CellError {
        column: col.name.clone(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// Encodes one JS value into `col`.
///
/// # Safety
/// `env` and `value` must be live napi handles of the current call on the JS thread.
pub unsafe fn encode_js_value(
    env: sys::napi_env,
    value: sys::napi_value,
    col: &BulkColumn,
    scratch: &mut Scratch,
    buf: &mut bytes::BytesMut,
) -> Result<(), CellError> {
    let mut t = 0;
    if sys::napi_typeof(env, value, &mut t) != sys::Status::napi_ok {
        return Err(cell_error(col, "?", "the value could not be read"));
    }
    match t {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => {
            encode_cell(col, Cell::Null, buf)
        }
        sys::ValueType::napi_boolean => {
            let mut b = false;
            sys::napi_get_value_bool(env, value, &mut b);
            encode_cell(col, Cell::Bool(b), buf)
        }
        sys::ValueType::napi_number => {
            let mut f = 0f64;
            sys::napi_get_value_double(env, value, &mut f);
            encode_cell(col, Cell::Float(f), buf)
        }
        sys::ValueType::napi_bigint => {
            let mut i = 0i64;
            let mut lossless = false;
            sys::napi_get_value_bigint_int64(env, value, &mut i, &mut lossless);
            if lossless {
                return encode_cell(col, Cell::Int(i), buf);
            }
            // Wider than 64 bits: read the words (at most two fit an i128).
            let mut sign = 0i32;
            let mut count = 2usize;
            let mut words = [0u64; 2];
            let st = sys::napi_get_value_bigint_words(
                env,
                value,
                &mut sign,
                &mut count,
                words.as_mut_ptr(),
            );
            if st != sys::Status::napi_ok || count > 2 || words[1] >> 63 != 0 {
                return Err(cell_error(col, "(bigint)", "the bigint is too large"));
            }
            let mag = (words[1] as i128) << 64 | words[0] as i128;
            encode_cell(col, Cell::Int128(if sign != 0 { -mag } else { mag }), buf)
        }
        sys::ValueType::napi_string => {
            // Always read as UTF-16: V8 copies (widening one-byte strings) far faster than it
            // transcodes to UTF-8, and the codec takes UTF-16 for every column type.
            let len = read_utf16(env, value, &mut scratch.utf16);
            encode_cell(col, Cell::Utf16(&scratch.utf16[..len]), buf)
        }
        sys::ValueType::napi_object => {
            let mut is = false;
            sys::napi_is_date(env, value, &mut is);
            if is {
                let mut ms = 0f64;
                sys::napi_get_date_value(env, value, &mut ms);
                return encode_cell(col, Cell::DateMs(ms), buf);
            }
            // Buffer is a Uint8Array. (napi_is_buffer would also take every other typed array
            // and DataView, and load their raw bytes.)
            if let Some(bytes) = typed_info(env, value).and_then(|(t, len)| t.bytes(len)) {
                return encode_cell(col, Cell::Bytes(bytes), buf);
            }
            Err(cell_error(
                col,
                "(object)",
                "objects other than Date, Buffer and Uint8Array cannot be loaded",
            ))
        }
        _ => Err(cell_error(
            col,
            "(value)",
            "symbols and functions cannot be loaded",
        )),
    }
}

/// Encodes the cells of one JS row (an array) in plan order.
///
/// # Safety
/// `env` and `row` must be live napi handles of the current call on the JS thread.
pub unsafe fn encode_js_row(
    env: sys::napi_env,
    row: sys::napi_value,
    columns: &[BulkColumn],
    sources: &[usize],
    width: usize,
    scratch: &mut Scratch,
    buf: &mut bytes::BytesMut,
) -> Result<(), CellError> {
    // napi_get_array_length fails for anything but an array: one call checks and measures.
    let mut len = 0u32;
    if sys::napi_get_array_length(env, row, &mut len) != sys::Status::napi_ok {
        return Err(CellError {
            column: String::new(),
            value: "(row)".into(),
            reason: "each row must be an array of values".into(),
        });
    }
    if (len as usize) < width {
        return Err(CellError {
            column: String::new(),
            value: "(row)".into(),
            reason: format!("the row has {len} values; the column mapping needs {width}"),
        });
    }
    for (col, &src) in columns.iter().zip(sources) {
        let mut v = ptr::null_mut();
        sys::napi_get_element(env, row, src as u32, &mut v);
        encode_js_value(env, v, col, scratch, buf)?;
    }
    Ok(())
}

/// Encodes the cells of one row whose values are already handles side by side (`row[i]` is
/// source value `i`; see push_values.rs), in plan order.
///
/// # Safety
/// `env` and every handle in `row` must be live napi handles of the current call.
pub unsafe fn encode_js_values(
    env: sys::napi_env,
    row: &[sys::napi_value],
    columns: &[BulkColumn],
    sources: &[usize],
    scratch: &mut Scratch,
    buf: &mut bytes::BytesMut,
) -> Result<(), CellError> {
    for (col, &src) in columns.iter().zip(sources) {
        let v = row.get(src).copied().ok_or_else(|| CellError {
            column: col.name.clone(),
            value: "(row)".into(),
            reason: "the row is shorter than the column mapping".into(),
        })?;
        encode_js_value(env, v, col, scratch, buf)?;
    }
    Ok(())
}
