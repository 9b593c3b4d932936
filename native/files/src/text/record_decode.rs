//! The current record's fields as UTF-8: csv-core's unquoted output, checked or decoded once per
//! record so that handing out a field is only slicing.

use csv_core::ReadRecordResult;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::options::InvalidUtf8;
use super::reader::Settings;
use crate::{ReadError, ReadErrorKind};

const FFFD: &[u8] = "\u{FFFD}".as_bytes();

/// How the parsed bytes become UTF-8.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// UTF-8 checked per record; invalid bytes are an error.
    Utf8Strict,
    /// UTF-8 checked per record; invalid sequences become U+FFFD.
    Utf8Replace,
    /// An ASCII-compatible single-byte code page, parsed as bytes and decoded per record (an
    /// all-ASCII record needs no decoding).
    SingleByte(&'static Encoding),
    /// The stream was transcoded to UTF-8 before parsing; the raw record is re-encoded.
    Transcoded(&'static Encoding),
}

/// A record whose bytes are not valid in its encoding.
#[derive(Debug)]
pub(crate) struct BadRecord {
    offset_in_record: usize,
    column: usize,
}

impl BadRecord {
    pub(crate) fn into_error(
        self,
        file: &std::path::Path,
        record_offset: Option<u64>,
        row: u64,
    ) -> ReadError {
        ReadError {
            file: file.to_path_buf(),
            byte_offset: record_offset.map(|o| o + self.offset_in_record as u64),
            row: Some(row),
            column: Some(self.column),
            kind: ReadErrorKind::InvalidEncoding {
                encoding: "UTF-8".into(),
            },
        }
    }
}

/// The current record's fields: csv-core's output buffer, or a decoded copy of it.
pub(crate) struct RecordDecode {
    mode: Mode,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    nfields: usize,
    /// Decoded fields when the parsed bytes are not already the UTF-8 text.
    alt: Vec<u8>,
    alt_ends: Vec<usize>,
    use_alt: bool,
    /// `finish_record` has made the current record's fields valid UTF-8.
    valid: bool,
    /// A single-byte code page's record was decoded without a replacement: its parsed bytes
    /// are the exact source of its text, and offered as such.
    code_page_clean: bool,
    /// The raw record re-encoded to the file's encoding (transcoded files only).
    raw: Vec<u8>,
    pub(crate) replacements: u64,
}

impl RecordDecode {
    /// Encodings whose delimiters, quotes and line ends are not always the ASCII bytes.
    pub(crate) fn needs_transcoding(encoding: &'static Encoding) -> bool {
        !(encoding == UTF_8 || (encoding.is_single_byte() && encoding.is_ascii_compatible()))
    }

    pub(crate) fn new(settings: &Settings) -> Self {
        let enc = settings.encoding;
        let mode = if Self::needs_transcoding(enc) {
            Mode::Transcoded(enc)
        } else if enc != UTF_8 {
            Mode::SingleByte(enc)
        } else if settings.invalid_utf8 == InvalidUtf8::Replace {
            Mode::Utf8Replace
        } else {
            Mode::Utf8Strict
        };
        RecordDecode {
            mode,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64.min(settings.max_fields + 1)],
            nfields: 0,
            alt: Vec::new(),
            alt_ends: Vec::new(),
            use_alt: false,
            valid: false,
            code_page_clean: false,
            raw: Vec::new(),
            replacements: 0,
        }
    }

    pub(crate) fn start_record(&mut self) {
        self.out_len = 0;
        self.nfields = 0;
        self.use_alt = false;
        self.valid = false;
        self.code_page_clean = false;
    }

    /// One csv-core step over `input`; returns the result and the input bytes consumed.
    pub(crate) fn parse(
        &mut self,
        parser: &mut csv_core::Reader,
        input: &[u8],
    ) -> (ReadRecordResult, usize) {
        let out = self.out.get_mut(self.out_len..).unwrap_or_default();
        let ends = self.ends.get_mut(self.nfields..).unwrap_or_default();
        let (res, nin, nout, nend) = parser.read_record(input, out, ends);
        self.out_len += nout;
        self.nfields += nend;
        (res, nin)
    }

    /// The fields of `line`, a record without quotes, split at `delimiter` as csv-core splits
    /// it. `false` (the record left empty) when it has more than `max_fields` fields.
    pub(crate) fn take_plain(&mut self, line: &[u8], delimiter: u8, max_fields: usize) -> bool {
        // Eight bytes at a time (SWAR): a word without the delimiter is copied whole; in one
        // with it, the bytes before it end the field. Word stores may run up to 7 bytes past
        // the field's end (overwritten by what follows), hence the slack.
        const ONES: u64 = 0x0101_0101_0101_0101;
        const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
        if self.out.len() < line.len() + 8 {
            self.out.resize(line.len() + 64, 0);
        }
        let splat = ONES.wrapping_mul(u64::from(delimiter));
        let (mut i, mut o) = (0, self.out_len);
        loop {
            let word = line.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok());
            let Some(word) = word else {
                break;
            };
            let Some(dst) = self.out.get_mut(o..o + 8) else {
                self.start_record();
                return false;
            };
            dst.copy_from_slice(&word);
            let x = u64::from_le_bytes(word) ^ splat;
            // 0x80 in exactly the bytes equal to the delimiter (no borrow between bytes).
            let hits = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
            if hits == 0 {
                i += 8;
                o += 8;
                continue;
            }
            let before = (hits.trailing_zeros() / 8) as usize;
            o += before;
            i += before + 1;
            if !self.end_field(o, max_fields) {
                return false;
            }
        }
        for &b in line.get(i..).unwrap_or_default() {
            if b == delimiter {
                if !self.end_field(o, max_fields) {
                    return false;
                }
                continue;
            }
            let Some(dst) = self.out.get_mut(o) else {
                self.start_record();
                return false;
            };
            *dst = b;
            o += 1;
        }
        self.end_field(o, max_fields)
    }

    /// Ends the current field at output offset `end`; `false` (the record left empty) past
    /// `max_fields`.
    #[inline]
    fn end_field(&mut self, end: usize, max_fields: usize) -> bool {
        if self.nfields == self.ends.len() && !self.grow_ends(max_fields) {
            self.start_record();
            return false;
        }
        let Some(slot) = self.ends.get_mut(self.nfields) else {
            self.start_record();
            return false;
        };
        *slot = end;
        self.out_len = end;
        self.nfields += 1;
        true
    }

    /// Grows the field output. It never holds more than the record's raw bytes, so the record
    /// limit bounds it too.
    pub(crate) fn grow_output(&mut self, raw_len: usize, max_record_bytes: usize) {
        let grown = (self.out.len() * 2)
            .min(max_record_bytes.saturating_add(64))
            .max(raw_len + 64);
        self.out.resize(grown, 0);
    }

    /// Grows the field-end list; `false` when that would pass `max_fields + 1` entries.
    pub(crate) fn grow_ends(&mut self, max_fields: usize) -> bool {
        let cap = max_fields.saturating_add(1);
        if self.ends.len() >= cap {
            return false;
        }
        let grown = (self.ends.len() * 2).clamp(8, cap);
        self.ends.resize(grown, 0);
        true
    }

    /// Whether the just-parsed record has an empty field.
    pub(crate) fn has_empty_field(&self) -> bool {
        let mut prev = 0;
        for &end in &self.ends[..self.nfields] {
            if end == prev {
                return true;
            }
            prev = end;
        }
        false
    }

    /// Whether field `i` of the just-parsed record is empty.
    pub(crate) fn field_is_empty(&self, i: usize) -> bool {
        let ends = &self.ends[..self.nfields];
        let start = if i == 0 { Some(&0) } else { ends.get(i - 1) };
        start.is_some_and(|s| ends.get(i) == Some(s))
    }

    /// Whether the parsed bytes are UTF-8 to be checked (not decoded).
    pub(crate) fn is_utf8(&self) -> bool {
        matches!(self.mode, Mode::Utf8Strict | Mode::Utf8Replace)
    }

    /// Bytes of unquoted field output in the current record.
    pub(crate) fn output_len(&self) -> usize {
        self.out_len
    }

    pub(crate) fn fields(&self) -> usize {
        if self.use_alt {
            self.alt_ends.len()
        } else {
            self.nfields
        }
    }

    /// The 1-based column of the field that holds output byte `offset` (the last when past it).
    pub(crate) fn field_at_output(&self, offset: usize) -> usize {
        let ends = &self.ends[..self.nfields];
        ends.partition_point(|&end| end <= offset)
            .min(ends.len().saturating_sub(1))
            + 1
    }

    /// Field `i` as text; `None` past the end.
    pub(crate) fn field(&self, i: usize) -> Option<&str> {
        let (text, ends) = self.record_text()?;
        let end = *ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => *ends.get(i - 1)?,
        };
        // csv-core and the plain split end fields only at ASCII delimiter bytes, which are
        // always character boundaries.
        text.get(start..end)
    }

    /// The whole record's text and its fields' ends (see [`crate::RowSource::record_text`]).
    pub(crate) fn record_text(&self) -> Option<(&str, &[usize])> {
        if !self.valid {
            return None;
        }
        let (bytes, ends) = if self.use_alt {
            (self.alt.as_slice(), self.alt_ends.as_slice())
        } else {
            (
                self.out.get(..self.out_len)?,
                self.ends.get(..self.nfields)?,
            )
        };
        // SAFETY: `finish_record` has checked (strict UTF-8), replaced (lossy UTF-8) or decoded
        // (code pages, transcoded streams) the whole record into valid UTF-8 before any field is
        // handed out. `valid` is set only once that is done, and cleared when the next record
        // starts.
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        Some((unsafe { std::str::from_utf8_unchecked(bytes) }, ends))
    }

    /// The raw record of a transcoded file, in the file's encoding.
    pub(crate) fn reencoded_raw(&self) -> &[u8] {
        &self.raw
    }

    /// Makes the just-parsed record's fields valid UTF-8. `raw` is its bytes as parsed;
    /// `prevalidated`: they are already known to be valid UTF-8.
    pub(crate) fn finish_record(
        &mut self,
        raw: &[u8],
        prevalidated: bool,
    ) -> Result<(), BadRecord> {
        let parsed = &self.out[..self.out_len];
        match self.mode {
            // The fields are the raw bytes less some ASCII bytes, so valid too.
            Mode::Utf8Strict | Mode::Utf8Replace if prevalidated => {}
            Mode::Utf8Strict => {
                if let Err(e) = std::str::from_utf8(parsed) {
                    let bad = e.valid_up_to();
                    let column = self.ends[..self.nfields].partition_point(|&end| end <= bad) + 1;
                    // The parsed bytes are the raw bytes less some ASCII (quotes, delimiters),
                    // so the first invalid sequence is the same one in both.
                    let offset_in_record = std::str::from_utf8(raw)
                        .err()
                        .map_or(0, |e| e.valid_up_to());
                    self.nfields = 0;
                    return Err(BadRecord {
                        offset_in_record,
                        column,
                    });
                }
            }
            Mode::Utf8Replace => {
                if std::str::from_utf8(parsed).is_err() {
                    self.decode_fields(|field, alt| {
                        let mut replaced = 0;
                        for chunk in field.utf8_chunks() {
                            alt.extend_from_slice(chunk.valid().as_bytes());
                            if !chunk.invalid().is_empty() {
                                alt.extend_from_slice(FFFD);
                                replaced += 1;
                            }
                        }
                        replaced
                    });
                }
            }
            Mode::SingleByte(enc) => {
                if !parsed.is_ascii() {
                    let replaced = self.decode_single_byte(enc);
                    self.code_page_clean = replaced == 0;
                }
            }
            Mode::Transcoded(enc) => {
                self.raw.clear();
                // The stream was decoded by encoding_rs, so it is UTF-8.
                let text = String::from_utf8_lossy(raw);
                if enc == UTF_16LE || enc == UTF_16BE {
                    for unit in text.encode_utf16() {
                        let bytes = if enc == UTF_16LE {
                            unit.to_le_bytes()
                        } else {
                            unit.to_be_bytes()
                        };
                        self.raw.extend_from_slice(&bytes);
                    }
                } else {
                    let (bytes, _, _) = enc.encode(&text);
                    self.raw.extend_from_slice(&bytes);
                }
            }
        }
        self.valid = true;
        Ok(())
    }

    /// Decodes each field with `decode` (which appends to the buffer it is given and returns how
    /// many replacements it made) and serves fields from the decoded copy. Returns the
    /// record's replacements.
    fn decode_fields(&mut self, mut decode: impl FnMut(&[u8], &mut Vec<u8>) -> u64) -> u64 {
        self.alt.clear();
        self.alt_ends.clear();
        let mut start = 0;
        let mut replaced = 0;
        for &end in &self.ends[..self.nfields] {
            let field = self.out.get(start..end).unwrap_or_default();
            replaced += decode(field, &mut self.alt);
            self.alt_ends.push(self.alt.len());
            start = end;
        }
        self.replacements += replaced;
        self.use_alt = true;
        replaced
    }

    /// Decodes a single-byte code page's record field by field into one buffer sized once for
    /// the record (at most 3 UTF-8 bytes a byte), with one decoder: such a decoder keeps no
    /// state between calls. Returns the fields that had a replacement.
    fn decode_single_byte(&mut self, enc: &'static Encoding) -> u64 {
        self.alt.clear();
        self.alt_ends.clear();
        self.alt.resize(self.out_len.saturating_mul(3), 0);
        let mut decoder = enc.new_decoder_without_bom_handling();
        let (mut start, mut at, mut replaced) = (0, 0, 0u64);
        for &end in self.ends.get(..self.nfields).unwrap_or_default() {
            let field = self.out.get(start..end).unwrap_or_default();
            let dst = self.alt.get_mut(at..).unwrap_or_default();
            let (result, _, written, had) = decoder.decode_to_utf8(field, dst, false);
            // Room for 3 bytes a byte is left for every field still to come.
            debug_assert!(matches!(result, encoding_rs::CoderResult::InputEmpty));
            at += written;
            replaced += u64::from(had);
            self.alt_ends.push(at);
            start = end;
        }
        self.alt.truncate(at);
        self.replacements += replaced;
        self.use_alt = true;
        replaced
    }

    /// The code page whose bytes [`RecordDecode::code_page_field`] offers for the current
    /// record: a single-byte page's record that was decoded (not all ASCII) without a
    /// replacement.
    pub(crate) fn code_page(&self) -> Option<&'static Encoding> {
        match self.mode {
            Mode::SingleByte(enc) if self.valid && self.use_alt && self.code_page_clean => {
                Some(enc)
            }
            _ => None,
        }
    }

    /// [`crate::RowSource::copy_code_page_fields`] for the current record: its parsed bytes
    /// in one copy, and each field's span in them.
    pub(crate) fn copy_code_page_fields(
        &self,
        bytes: &mut Vec<u8>,
        spans: &mut Vec<(usize, usize)>,
    ) -> Option<&'static Encoding> {
        let encoding = self.code_page()?;
        let parsed = self.out.get(..self.out_len)?;
        let ends = self.ends.get(..self.nfields)?;
        let at = bytes.len();
        bytes.extend_from_slice(parsed);
        let mut start = at;
        for &end in ends {
            spans.push((start, at + end));
            start = at + end;
        }
        Some(encoding)
    }

    /// Field `i` as csv-core parsed it (unquoted, unescaped), in the file's code page: the
    /// bytes [`RecordDecode::field`]'s text was decoded from. `None` unless
    /// [`RecordDecode::code_page`] is `Some`, or past the end.
    pub(crate) fn code_page_field(&self, i: usize) -> Option<&[u8]> {
        self.code_page()?;
        let ends = self.ends.get(..self.nfields)?;
        let end = *ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => *ends.get(i - 1)?,
        };
        self.out.get(start..end)
    }
}
