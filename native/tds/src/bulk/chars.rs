//! Character and binary column values written straight into the row buffer.
//!
//! `encode_value` takes a `Value::String` and knows its byte length before writing. Bulk cells
//! are borrowed `&str`/`&[u16]` whose length in the column's encoding is only known once
//! encoded, so these writers reserve the length prefix, encode in place, then patch the prefix
//! (USHORTLEN, MS-TDS 2.2.5.2.2) or the PLP total and chunk lengths (2.2.5.2.3). No
//! intermediate `String`/`Vec` is built: UTF-16LE for the national types, the bytes themselves
//! for ASCII or UTF-8 collations, and encoding_rs writing into the buffer for the other code
//! pages.

use crate::collation::{CharsetError, Collation};
use crate::reader::put_utf16le;
use crate::types::{SqlType, VarLen};
use crate::value::text::check_len;
use bytes::{BufMut, BytesMut};
use encoding_rs::{EncoderResult, Encoding, UTF_8};
use std::fmt;

/// The largest `(max)` value SQL Server stores: 2^31 - 1 bytes.
const MAX_PLP_BYTES: usize = 0x7FFF_FFFF;

/// How a variable-length value is framed.
#[derive(Debug, Clone, Copy)]
pub(super) enum Frame {
    /// A 2-byte length; the column holds at most `max` units (bytes, or UTF-16 code units).
    Short { max: u16 },
    /// `(max)`: PLP with the total length known, one chunk, the terminator.
    Plp,
}

/// The text a character column is given.
#[derive(Debug, Clone, Copy)]
pub(super) enum Src<'a> {
    Str(&'a str),
    Utf16(&'a [u16]),
}

/// What kind of character column `ty` is, if any: `Some(None)` for the national (UTF-16) types,
/// `Some(Some(collation))` for char/varchar.
pub(super) fn char_column(ty: &SqlType) -> Option<(Option<Collation>, Frame)> {
    let frame = |len: VarLen| match len {
        VarLen::Len(max) => Frame::Short { max },
        VarLen::Max => Frame::Plp,
    };
    Some(match *ty {
        SqlType::Char { len, collation } => (Some(collation), Frame::Short { max: len }),
        SqlType::VarChar { len, collation } => (Some(collation), frame(len)),
        SqlType::NChar { len, .. } => (None, Frame::Short { max: len }),
        SqlType::NVarChar { len, .. } => (None, frame(len)),
        // xml travels in bulk loads as PLP UTF-16, like nvarchar(max) (MS-TDS 2.2.5.5.3).
        SqlType::Xml => (None, Frame::Plp),
        _ => return None,
    })
}

/// The frame of a binary/varbinary column.
pub(super) fn binary_column(ty: &SqlType) -> Option<Frame> {
    match *ty {
        SqlType::Binary { len } => Some(Frame::Short { max: len }),
        SqlType::VarBinary {
            len: VarLen::Len(max),
        } => Some(Frame::Short { max }),
        SqlType::VarBinary { len: VarLen::Max } => Some(Frame::Plp),
        _ => None,
    }
}

/// Writes text into a character column: UTF-16LE when `collation` is `None`, else the
/// collation's code page.
pub(super) fn put_chars(
    collation: Option<Collation>,
    frame: Frame,
    src: Src<'_>,
    buf: &mut BytesMut,
) -> Result<(), String> {
    match collation {
        None => put_framed(buf, frame, 2, "UTF-16 code units", |buf| {
            match src {
                Src::Str(s) => {
                    buf.reserve(s.len().saturating_mul(2));
                    put_utf16le(buf, s);
                }
                Src::Utf16(units) => {
                    buf.reserve(units.len().saturating_mul(2));
                    for &u in units {
                        buf.put_u16_le(u);
                    }
                }
            }
            Ok(())
        }),
        Some(c) => put_framed(buf, frame, 1, "bytes", |buf| put_code_page(c, src, buf)),
    }
}

/// Writes bytes into a binary column.
pub(super) fn put_binary(frame: Frame, bytes: &[u8], buf: &mut BytesMut) -> Result<(), String> {
    if let Frame::Short { max } = frame {
        // Known up front: refuse before copying a large blob.
        check_len(bytes.len(), max, "bytes")?;
    }
    put_framed(buf, frame, 1, "bytes", |buf| {
        buf.put_slice(bytes);
        Ok(())
    })
}

/// Reserves the frame's length fields, lets `write` append the data, then fills them in and
/// checks the length against the column (`unit` bytes per counted unit).
pub(super) fn put_framed(
    buf: &mut BytesMut,
    frame: Frame,
    unit: usize,
    unit_name: &str,
    write: impl FnOnce(&mut BytesMut) -> Result<(), String>,
) -> Result<(), String> {
    let at = buf.len();
    match frame {
        Frame::Short { max } => {
            buf.put_u16_le(0);
            write(buf)?;
            let n = buf.len().saturating_sub(at + 2);
            check_len(n / unit, max, unit_name)?;
            // 0xFFFF would read back as NULL.
            let len = u16::try_from(n)
                .ok()
                .filter(|&n| n < 0xFFFF)
                .ok_or_else(|| format!("{n} bytes are more than a non-(max) column holds"))?;
            patch(buf, at, &len.to_le_bytes());
        }
        Frame::Plp => {
            buf.put_u64_le(0);
            buf.put_u32_le(0);
            write(buf)?;
            let n = buf.len().saturating_sub(at + 12);
            if n > MAX_PLP_BYTES {
                return Err(format!("{n} bytes exceed the 2 GB limit of (max) types"));
            }
            if n == 0 {
                // A zero-length chunk ends the value: an empty value is a total of 0 and the
                // terminator alone.
                buf.truncate(at + 8);
            } else {
                let chunk = u32::try_from(n).map_err(|_| "value too long".to_string())?;
                patch(buf, at, &u64::from(chunk).to_le_bytes());
                patch(buf, at + 8, &chunk.to_le_bytes());
            }
            buf.put_u32_le(0);
        }
    }
    Ok(())
}

fn patch(buf: &mut BytesMut, at: usize, bytes: &[u8]) {
    if let Some(dst) = buf.get_mut(at..at + bytes.len()) {
        dst.copy_from_slice(bytes);
    }
}

/// Text in the collation's code page. ASCII is the same bytes in every code page SQL Server
/// uses, and UTF-8 collations take `&str` bytes as they are; the other code pages go through
/// encoding_rs into the buffer, refusing (like [`Collation::encode_str`]) characters the code
/// page lacks rather than letting the server turn them into `?`.
fn put_code_page(c: Collation, src: Src<'_>, buf: &mut BytesMut) -> Result<(), String> {
    let encoding = c.encoding();
    match src {
        Src::Str(s) if s.is_ascii() || encoding == Some(UTF_8) => buf.put_slice(s.as_bytes()),
        Src::Utf16(units) if units.iter().all(|&u| u < 0x80) => {
            buf.reserve(units.len());
            for &u in units {
                buf.put_u8(u as u8);
            }
        }
        Src::Utf16(units) if encoding == Some(UTF_8) => {
            let mut tmp = [0u8; 4];
            for ch in char::decode_utf16(units.iter().copied()) {
                let ch = ch.map_err(|e| {
                    format!(
                        "invalid UTF-16: unpaired surrogate {:#06x}",
                        e.unpaired_surrogate()
                    )
                })?;
                buf.put_slice(ch.encode_utf8(&mut tmp).as_bytes());
            }
        }
        _ => match encoding {
            Some(enc) => encode_legacy(enc, c.code_page().unwrap_or(0), src, buf)?,
            // No converter: only ASCII can be carried; encode_str explains why not.
            None => {
                let text = match src {
                    Src::Str(s) => s.to_string(),
                    Src::Utf16(u) => String::from_utf16_lossy(u),
                };
                let bytes = c.encode_str(&text).map_err(|e| e.to_string())?;
                buf.put_slice(&bytes);
            }
        },
    }
    Ok(())
}

fn encode_legacy(
    enc: &'static Encoding,
    code_page: u16,
    src: Src<'_>,
    buf: &mut BytesMut,
) -> Result<(), String> {
    let mut encoder = enc.new_encoder();
    let max = match src {
        Src::Str(s) => encoder.max_buffer_length_from_utf8_without_replacement(s.len()),
        Src::Utf16(u) => encoder.max_buffer_length_from_utf16_without_replacement(u.len()),
    }
    .ok_or("the text is too long to encode")?;
    let result = into_room(buf, max, |dst| {
        let (result, _, written) = match src {
            Src::Str(s) => encoder.encode_from_utf8_without_replacement(s, dst, true),
            Src::Utf16(u) => encoder.encode_from_utf16_without_replacement(u, dst, true),
        };
        (result, written)
    });
    encoded(result, code_page)
}

/// Lets `write` fill up to `room` bytes at the end of `buf` (zeroed first) and keeps the
/// `written` it reports: an encoder that writes into a slice writes straight into the buffer.
pub(super) fn into_room<R>(
    buf: &mut BytesMut,
    room: usize,
    write: impl FnOnce(&mut [u8]) -> (R, usize),
) -> R {
    let at = buf.len();
    buf.resize(at.saturating_add(room), 0);
    let (r, written) = write(buf.get_mut(at..).unwrap_or_default());
    buf.truncate(at.saturating_add(written));
    r
}

/// An encoder's answer for a column of `code_page`: a character the page lacks is refused
/// (the server would turn it into `?`).
pub(super) fn encoded(result: EncoderResult, code_page: u16) -> Result<(), String> {
    match result {
        EncoderResult::InputEmpty => Ok(()),
        EncoderResult::Unmappable(ch) => {
            Err(CharsetError::Unrepresentable { ch, code_page }.to_string())
        }
        EncoderResult::OutputFull => Err("internal error: encoder output full".into()),
    }
}

/// Short text formatted on the stack (numbers as text), so that formatting a number for a
/// character column or a float for a decimal column allocates nothing. 400 bytes hold every
/// `f64` in `Display` form (at most 327 characters: `-0.` then 323 zeros and `5`).
pub(super) struct StackText {
    buf: [u8; 400],
    len: usize,
}

impl StackText {
    pub(super) fn format(args: fmt::Arguments<'_>) -> Option<StackText> {
        let mut t = StackText {
            buf: [0; 400],
            len: 0,
        };
        fmt::write(&mut t, args).ok()?;
        Some(t)
    }

    pub(super) fn as_str(&self) -> &str {
        self.buf
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
