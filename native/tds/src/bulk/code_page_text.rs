//! Text a source holds in a single-byte code page (a Windows-1252 CSV, say), written into a
//! character column without a detour through a decoded copy: copied as it is into a `varchar`
//! whose collation has that very code page, otherwise transcoded once by encoding_rs straight
//! into the buffer (UTF-16LE for the national types, UTF-8 for a UTF-8 collation, the column's
//! own code page through a small UTF-16 chunk on the stack for a `varchar` of another page).
//!
//! Bytes go out as they are only when every byte is a character of the code page: encoding_rs
//! leaves a few bytes of some pages undefined (0xAA in windows-1253, for example), and such a
//! byte is refused here rather than handed to the server, as decoding would have refused it.

use super::chars::{encoded, into_room, put_chars, put_framed, Frame, Src};
use crate::collation::{Collation, CODE_PAGES};
use bytes::{BufMut, BytesMut};
use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_8};
use std::sync::OnceLock;

/// UTF-16 units decoded per step on the stack (a varchar of another code page).
const CHUNK: usize = 256;

/// What each byte of each single-byte code page a collation uses decodes to, as encoding_rs
/// decodes it, tabulated once: the UTF-16 unit, or 0 for a byte the page leaves undefined (only
/// byte 0 is U+0000).
struct HighBytes {
    encoding: &'static Encoding,
    units: [u16; 256],
    /// Every byte is a character (windows-1252): nothing to check.
    all: bool,
}

impl HighBytes {
    /// The UTF-16 unit of byte `b`; 0 when the page does not define it (or `b` is 0).
    #[inline]
    fn unit(&self, b: u8) -> u16 {
        // A u8 always indexes a 256-entry table.
        self.units[usize::from(b)]
    }
}

fn high_bytes(encoding: &'static Encoding) -> Option<&'static HighBytes> {
    static TABLES: OnceLock<Vec<HighBytes>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        CODE_PAGES
            .iter()
            .filter_map(|&cp| crate::collation::encoding_of_code_page(cp))
            .filter(|e| is_single_byte_text(e))
            .map(|encoding| {
                let mut units = [0u16; 256];
                for (b, u) in (0u8..=0xFF).zip(units.iter_mut()) {
                    let bytes = [b];
                    let text = encoding.decode_without_bom_handling_and_without_replacement(&bytes);
                    let ch = text.as_deref().and_then(|t| t.chars().next());
                    *u = ch
                        .and_then(|c| u16::try_from(u32::from(c)).ok())
                        .unwrap_or(0);
                }
                HighBytes {
                    encoding,
                    units,
                    all: units.iter().skip(1).all(|&u| u != 0),
                }
            })
            .collect()
    });
    tables.iter().find(|t| t.encoding == encoding)
}

/// Whether `encoding` is one a [`super::Cell::CodePage`] may carry: single-byte and
/// ASCII-compatible (delimiters, digits and signs are the ASCII bytes).
fn is_single_byte_text(encoding: &'static Encoding) -> bool {
    encoding.is_single_byte() && encoding.is_ascii_compatible()
}

/// Writes `bytes`, text in `encoding`, into a character column (`collation` `None` for the
/// national types).
pub(super) fn put_code_page_text(
    collation: Option<Collation>,
    frame: Frame,
    bytes: &[u8],
    encoding: &'static Encoding,
    buf: &mut BytesMut,
) -> Result<(), String> {
    if !is_single_byte_text(encoding) {
        // Not what a reader hands over; decoded once into a string and written like any text.
        return put_decoded(collation, frame, bytes, encoding, buf);
    }
    match collation {
        None => put_framed(buf, frame, 2, "UTF-16 code units", |buf| {
            put_utf16(bytes, encoding, buf)
        }),
        Some(c) => {
            let target = c.encoding();
            if target == Some(encoding) {
                put_framed(buf, frame, 1, "bytes", |buf| {
                    put_as_is(bytes, encoding, buf)
                })
            } else if target == Some(UTF_8) {
                put_framed(buf, frame, 1, "bytes", |buf| put_utf8(bytes, encoding, buf))
            } else if let Some(target) = target {
                let code_page = c.code_page().unwrap_or(0);
                put_framed(buf, frame, 1, "bytes", |buf| {
                    put_other_page(bytes, encoding, target, code_page, buf)
                })
            } else {
                put_decoded(collation, frame, bytes, encoding, buf)
            }
        }
    }
}

/// The bytes themselves, once each is known to be a character of the code page.
fn put_as_is(bytes: &[u8], encoding: &'static Encoding, buf: &mut BytesMut) -> Result<(), String> {
    if !bytes.is_ascii() {
        if let Some(b) = first_undefined(bytes, encoding) {
            return Err(undefined_byte(b, encoding));
        }
    }
    buf.put_slice(bytes);
    Ok(())
}

/// The first byte of `bytes` that is no character of the single-byte `encoding`.
fn first_undefined(bytes: &[u8], encoding: &'static Encoding) -> Option<u8> {
    match high_bytes(encoding) {
        Some(t) if t.all => None,
        Some(t) => bytes.iter().copied().find(|&b| t.unit(b) == 0 && b != 0),
        // A page no collation uses: each byte on its own.
        None => bytes.iter().copied().find(|&b| {
            encoding
                .decode_without_bom_handling_and_without_replacement(&[b])
                .is_none()
        }),
    }
}

/// Decoded straight into the buffer as UTF-16LE, one unit per byte: through the page's table
/// where it has one (every collation's page), else encoding_rs through a stack chunk (the
/// buffer's bytes need not be aligned for `u16`).
fn put_utf16(bytes: &[u8], encoding: &'static Encoding, buf: &mut BytesMut) -> Result<(), String> {
    if let Some(t) = high_bytes(encoding) {
        if !t.all {
            if let Some(b) = first_undefined(bytes, encoding) {
                return Err(undefined_byte(b, encoding));
            }
        }
        let at = buf.len();
        buf.resize(at.saturating_add(bytes.len().saturating_mul(2)), 0);
        let dst = buf.get_mut(at..).unwrap_or_default();
        for (pair, &b) in dst.chunks_exact_mut(2).zip(bytes) {
            pair.copy_from_slice(&t.unit(b).to_le_bytes());
        }
        return Ok(());
    }
    buf.reserve(bytes.len().saturating_mul(2));
    let mut decoder = encoding.new_decoder_without_bom_handling();
    each_utf16_chunk(&mut decoder, bytes, encoding, |units| {
        for &u in units {
            buf.put_u16_le(u);
        }
        Ok(())
    })
}

/// Decoded straight into the buffer as UTF-8 (a UTF-8 collation).
fn put_utf8(bytes: &[u8], encoding: &'static Encoding, buf: &mut BytesMut) -> Result<(), String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .ok_or("the text is too long to decode")?;
    let (result, read) = into_room(buf, room, |dst| {
        let (result, read, written) = decoder.decode_to_utf8_without_replacement(bytes, dst, true);
        ((result, read), written)
    });
    match result {
        DecoderResult::InputEmpty => Ok(()),
        DecoderResult::Malformed(_, _) => Err(bad_at(bytes, read, encoding)),
        DecoderResult::OutputFull => Err("internal error: decoder output full".into()),
    }
}

/// Into a `varchar` of another code page: each chunk decoded to UTF-16 on the stack, then
/// encoded into the buffer, refusing a character the column's page lacks (as encoding text
/// does: the server would turn it into `?`).
fn put_other_page(
    bytes: &[u8],
    encoding: &'static Encoding,
    target: &'static Encoding,
    code_page: u16,
    buf: &mut BytesMut,
) -> Result<(), String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut encoder = target.new_encoder();
    each_utf16_chunk(&mut decoder, bytes, encoding, |units| {
        let room = encoder
            .max_buffer_length_from_utf16_without_replacement(units.len())
            .ok_or("the text is too long to encode")?;
        // A single-byte page decodes to BMP characters only: no surrogate pair is split
        // between chunks, so each chunk is complete text.
        let result = into_room(buf, room, |dst| {
            let (result, _, written) =
                encoder.encode_from_utf16_without_replacement(units, dst, false);
            (result, written)
        });
        encoded(result, code_page)
    })
}

/// Decodes `bytes` in stack-sized chunks of UTF-16, handing each to `sink`.
fn each_utf16_chunk(
    decoder: &mut Decoder,
    bytes: &[u8],
    encoding: &'static Encoding,
    mut sink: impl FnMut(&[u16]) -> Result<(), String>,
) -> Result<(), String> {
    let mut chunk = [0u16; CHUNK];
    let mut consumed = 0;
    loop {
        let rest = bytes.get(consumed..).unwrap_or_default();
        let (result, read, written) =
            decoder.decode_to_utf16_without_replacement(rest, &mut chunk, true);
        consumed += read;
        sink(chunk.get(..written).unwrap_or_default())?;
        match result {
            DecoderResult::InputEmpty => return Ok(()),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(_, _) => return Err(bad_at(bytes, consumed, encoding)),
        }
    }
}

/// The rare cases (a collation without a converter, a multi-byte source): decoded into a
/// string once, then written like any text, which gives the same answers text gets.
#[cold]
fn put_decoded(
    collation: Option<Collation>,
    frame: Frame,
    bytes: &[u8],
    encoding: &'static Encoding,
    buf: &mut BytesMut,
) -> Result<(), String> {
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| not_a_character(bytes, encoding))?;
    put_chars(collation, frame, Src::Str(&text), buf)
}

/// The error for a malformed sequence that ends just before `read` (single-byte pages: the
/// byte at `read - 1`).
#[cold]
fn bad_at(bytes: &[u8], read: usize, encoding: &'static Encoding) -> String {
    match read.checked_sub(1).and_then(|i| bytes.get(i)) {
        Some(&b) if is_single_byte_text(encoding) => undefined_byte(b, encoding),
        _ => not_a_character(bytes, encoding),
    }
}

#[cold]
fn undefined_byte(b: u8, encoding: &'static Encoding) -> String {
    format!("byte {b:#04X} is not a character of {}", encoding.name())
}

#[cold]
fn not_a_character(bytes: &[u8], encoding: &'static Encoding) -> String {
    match first_undefined(bytes, encoding).filter(|_| is_single_byte_text(encoding)) {
        Some(b) => undefined_byte(b, encoding),
        None => format!("the text is not valid {}", encoding.name()),
    }
}

/// The text of a code-page cell for a column that takes it as text to parse (a number, a date,
/// sql_variant): decoded once, refusing a byte that is no character of the page.
pub(super) fn decoded_text(bytes: &[u8], encoding: &'static Encoding) -> Result<String, String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
        .ok_or_else(|| not_a_character(bytes, encoding))
}

/// The text of a code-page cell for an error message (only built there).
pub(super) fn decoded(bytes: &[u8], encoding: &'static Encoding) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}
