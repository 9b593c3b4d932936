//! Reading JS row arrays straight into TDS bytes: each value is looked at once, as a napi
//! value, turned into a borrowed `Cell` on the stack (strings into a reused scratch buffer) and
//! written by `tds::bulk::encode_cell` into the packet being filled. No row or value objects.
//!
//! Encoding a value makes only napi calls that never run JS (`napi_typeof`, the value getters,
//! `napi_is_date`/`napi_get_date_value`, which read the Date's internal slot rather than call
//! `getTime`): a `toString`, `valueOf` or getter is never called here. Reading a row array's
//! elements can run JS (a getter on an index), so `pushRows` takes a row's handles first, with
//! the session's feed unlocked, and encodes them afterwards (see [`push_row_arrays`]).

use crate::bulk::Feed;
use crate::js_columns::{Typed, TypedRefusal, MAX_WIDTH};
use crate::js_error::{cell_error_js, check_js, PushError};
use napi::sys;
use std::ptr;
use std::sync::{Mutex, MutexGuard, TryLockError};
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
unsafe fn read_utf16(
    env: sys::napi_env,
    value: sys::napi_value,
    scratch: &mut Vec<u16>,
) -> Option<usize> {
    if scratch.len() < 256 {
        scratch.resize(256, 0);
    }
    let ok = sys::Status::napi_ok;
    let mut len = 0usize;
    let st =
        sys::napi_get_value_string_utf16(env, value, scratch.as_mut_ptr(), scratch.len(), &mut len);
    if st != ok {
        return None;
    }
    // napi writes at most size - 1 units and a terminator: a full buffer may mean a cut string.
    if len + 1 >= scratch.len() {
        if sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut len) != ok {
            return None;
        }
        // A string of hundreds of millions of characters: fail the value, not the process
        // (a failed allocation in `resize` would abort).
        let want = len.checked_add(1)?;
        scratch
            .try_reserve_exact(want.saturating_sub(scratch.len()))
            .ok()?;
        scratch.resize(want, 0);
        let st = sys::napi_get_value_string_utf16(
            env,
            value,
            scratch.as_mut_ptr(),
            scratch.len(),
            &mut len,
        );
        if st != ok {
            return None;
        }
    }
    (len <= scratch.len()).then_some(len)
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
    let ok = sys::Status::napi_ok;
    let unreadable = |what: &str| cell_error(col, what, "the value could not be read");
    let mut t = 0;
    if sys::napi_typeof(env, value, &mut t) != ok {
        return Err(unreadable("?"));
    }
    match t {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => {
            encode_cell(col, Cell::Null, buf)
        }
        sys::ValueType::napi_boolean => {
            let mut b = false;
            if sys::napi_get_value_bool(env, value, &mut b) != ok {
                return Err(unreadable("(boolean)"));
            }
            encode_cell(col, Cell::Bool(b), buf)
        }
        sys::ValueType::napi_number => {
            let mut f = 0f64;
            if sys::napi_get_value_double(env, value, &mut f) != ok {
                return Err(unreadable("(number)"));
            }
            encode_cell(col, Cell::Float(f), buf)
        }
        sys::ValueType::napi_bigint => {
            let mut i = 0i64;
            let mut lossless = false;
            if sys::napi_get_value_bigint_int64(env, value, &mut i, &mut lossless) != ok {
                return Err(unreadable("(bigint)"));
            }
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
            let len =
                read_utf16(env, value, &mut scratch.utf16).ok_or_else(|| unreadable("(string)"))?;
            let text = scratch
                .utf16
                .get(..len)
                .ok_or_else(|| unreadable("(string)"))?;
            encode_cell(col, Cell::Utf16(text), buf)
        }
        sys::ValueType::napi_object => {
            let mut is = false;
            if sys::napi_is_date(env, value, &mut is) != ok {
                return Err(unreadable("(object)"));
            }
            if is {
                // The Date's time value itself: a subclass's getTime() is not called.
                let mut ms = 0f64;
                if sys::napi_get_date_value(env, value, &mut ms) != ok {
                    return Err(unreadable("(Date)"));
                }
                return encode_cell(col, Cell::DateMs(ms), buf);
            }
            // Buffer is a Uint8Array. (napi_is_buffer would also take every other typed array
            // and DataView, and load their raw bytes.) The borrow ends with this call, and no
            // JS runs before the bytes are copied into the packet.
            match Typed::borrow(env, value).map(|t| t.uint8()) {
                Ok(Some(bytes)) => encode_cell(col, Cell::Bytes(bytes), buf),
                Err(r @ (TypedRefusal::Detached | TypedRefusal::Shared)) => Err(cell_error(
                    col,
                    "(Uint8Array)",
                    format!("the array {}", r.reason()),
                )),
                Ok(None) | Err(TypedRefusal::NotTyped) => Err(cell_error(
                    col,
                    "(object)",
                    "objects other than Date, Buffer and Uint8Array cannot be loaded",
                )),
            }
        }
        _ => Err(cell_error(
            col,
            "(value)",
            "symbols and functions cannot be loaded",
        )),
    }
}

/// Rows handed to the encoder at a time by [`push_row_arrays`].
const ROWS_PER_PUSH: usize = 1024;

/// Locks the session's feed. It is only ever held while no JS runs, so a failure to take it
/// means a push re-entered another (which cannot happen, but must not deadlock if it did).
pub(crate) fn lock_feed(feed: &Mutex<Feed>) -> Result<MutexGuard<'_, Feed>, PushError> {
    feed.try_lock().map_err(|e| {
        PushError::Napi(napi::Error::new(
            napi::Status::GenericFailure,
            match e {
                TryLockError::WouldBlock => "the bulk session is busy with another push",
                TryLockError::Poisoned(_) => "the bulk session is poisoned",
            },
        ))
    })
}

/// Appends the handles of row values `0..width` of `row` to `out`; `Ok(Err(reason))` when
/// `row` is not an array of at least `width` values.
///
/// # Safety
/// `env` and `row` must be live napi handles of the current call on the JS thread.
unsafe fn row_handles(
    env: sys::napi_env,
    row: sys::napi_value,
    width: usize,
    out: &mut Vec<sys::napi_value>,
) -> Result<Result<(), String>, PushError> {
    let mut is = false;
    let mut len = 0u32;
    // A Proxy is not an array to napi (V8's IsArray): its traps are never run here.
    if sys::napi_is_array(env, row, &mut is) != sys::Status::napi_ok
        || !is
        || sys::napi_get_array_length(env, row, &mut len) != sys::Status::napi_ok
    {
        return Ok(Err("each row must be an array of values".into()));
    }
    if (len as usize) < width {
        return Ok(Err(format!(
            "the row has {len} values; the column mapping needs {width}"
        )));
    }
    for j in 0..width {
        let mut v = ptr::null_mut();
        check_js(
            env,
            sys::napi_get_element(env, row, j as u32, &mut v),
            "a row value",
        )?;
        out.push(v);
    }
    Ok(Ok(()))
}

/// `pushRows(rows)`: encodes an array of row arrays. Each row's values are read (which may
/// run getters and so any JS, including another push or a cancel) with the feed unlocked; the
/// feed is locked only to encode rows already read. A malformed row is refused (EVALUE, with
/// its number) after the rows before it were encoded.
///
/// # Safety
/// `env` and `rows` must be live napi handles of the current call on the JS thread.
pub unsafe fn push_row_arrays(
    env: sys::napi_env,
    feed: &Mutex<Feed>,
    rows: sys::napi_value,
) -> Result<bool, PushError> {
    let width = lock_feed(feed)?.width();
    if width > MAX_WIDTH {
        return Err(PushError::Type(format!(
            "a row of {width} source values is more than the {MAX_WIDTH} a load reads"
        )));
    }
    let mut is = false;
    let mut len = 0u32;
    if sys::napi_is_array(env, rows, &mut is) != sys::Status::napi_ok
        || !is
        || sys::napi_get_array_length(env, rows, &mut len) != sys::Status::napi_ok
    {
        return Err(PushError::Type(
            "rows must be an array of row arrays".into(),
        ));
    }
    let mut handles = Vec::with_capacity(width.saturating_mul(ROWS_PER_PUSH.min(len as usize)));
    let mut accepted = true;
    let mut i = 0u32;
    while i < len {
        handles.clear();
        let mut read = 0usize;
        let mut shape = None;
        while i < len && read < ROWS_PER_PUSH {
            let mut row = ptr::null_mut();
            check_js(env, sys::napi_get_element(env, rows, i, &mut row), "a row")?;
            if let Err(reason) = row_handles(env, row, width, &mut handles)? {
                shape = Some(reason);
                break;
            }
            i += 1;
            read += 1;
        }
        let mut f = lock_feed(feed)?;
        accepted = f.push_flat(env, read, &handles)?;
        if let Some(reason) = shape {
            let e = CellError {
                column: String::new(),
                value: "(row)".into(),
                reason,
            };
            return Err(PushError::Napi(cell_error_js(f.next_row(), &e)));
        }
    }
    Ok(accepted)
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
