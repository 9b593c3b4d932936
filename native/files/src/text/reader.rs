//! [`TextReader`]: the streaming delimited-text reader.
//!
//! csv-core does the splitting and unquoting. Around it this module keeps a buffer that always
//! holds the current record's bytes whole (so [`RowSource::raw_record`] can hand them out and
//! nothing is copied per field), counts lines as the user sees them, skips blank and comment
//! lines itself (so their lines are counted), enforces the size limits, and turns every
//! malformed input into a [`ReadError`] naming the place.

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use csv_core::ReadRecordResult;

use super::detect::{detect, Detection};
use super::input::{InputError, RawFile, Transcoder};
use super::options::{Dialect, InvalidUtf8, TextOptions};
use super::quoted_empty::find_quoted_empty;
use super::record_decode::RecordDecode;
use crate::{Field, ReadError, ReadErrorKind, RowSource};

/// Initial buffer size; the buffer grows (to the record limit) only for a record longer than it.
const BUF_SIZE: usize = 256 << 10;

/// Everything a reader runs with once detection is done.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub encoding: &'static encoding_rs::Encoding,
    pub bom_len: usize,
    pub dialect: Dialect,
    pub invalid_utf8: InvalidUtf8,
    pub max_record_bytes: usize,
    pub max_fields: usize,
}

/// A record owned by the caller, for previews and header decisions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OwnedRecord {
    /// The file line on which the record starts.
    pub row: u64,
    pub fields: Vec<String>,
}

/// Streams the records of a delimited text file with constant memory.
///
/// Opening reads only a bounded sample for detection ([`TextOptions::sample_bytes`]). After that,
/// memory is the read buffer (256 KiB, grown only for a longer record, up to
/// [`TextOptions::max_record_bytes`]) and the current record's fields.
///
/// Byte offsets in errors and [`RowSource::bytes_read`] are file offsets. In files transcoded as a
/// stream (UTF-16, multi-byte code pages) errors carry no offset (positions in the decoded text are
/// not file positions) and `bytes_read` counts the bytes read ahead of the parser too.
///
/// Errors: [`ReadErrorKind::InvalidEncoding`] consumes the bad record, so a caller that wants to
/// reject it and go on may call [`advance`](RowSource::advance) again; every other error ends the
/// reading (`advance` then returns `Ok(false)`).
pub struct TextReader<R = File> {
    name: PathBuf,
    file: RawFile<R>,
    transcoder: Option<Transcoder>,
    settings: Settings,
    detection: Detection,
    parser: csv_core::Reader,
    /// Stream bytes (decoded when transcoding). `buf[rec_start..len]` is the current record and
    /// what has been read past it; `pos` is where csv-core goes on.
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    buf_offset: u64,
    pos: usize,
    len: usize,
    rec_start: usize,
    /// The raw record without its line terminator: `buf[rec_start..rec_end]`.
    rec_end: usize,
    /// `buf[..validated]` from the current record on is known to be valid UTF-8 (UTF-8 files):
    /// whole buffers are checked at SIMD speed as they are read, so a record inside that range
    /// needs no check of its own.
    validated: usize,
    eof: bool,
    pub(crate) decode: RecordDecode,
    /// The line the next record starts on, 1-based.
    line: u64,
    row: u64,
    /// The previous record ended with CR: a LF right after it belongs to it.
    after_cr: bool,
    /// Fields of the current record written as `""` (empty text, not an empty field).
    quoted_empty: Vec<usize>,
    done: bool,
}

impl TextReader<File> {
    /// Opens `path`, detects what `options` leaves open from a bounded sample, and positions the
    /// reader before the first record.
    pub fn open(path: impl AsRef<Path>, options: &TextOptions) -> Result<Self, ReadError> {
        let path = path.as_ref();
        let io_err =
            |e: std::io::Error| error(path, None, None, None, ReadErrorKind::Io(e.to_string()));
        let file = File::open(path).map_err(io_err)?;
        let len = file.metadata().map_err(io_err)?.len();
        TextReader::from_reader(path, file, len, options)
    }
}

impl<R: Read + Seek> TextReader<R> {
    /// Like [`TextReader::open`] over any seekable reader of `len` bytes; `name` is what errors
    /// call the file.
    pub fn from_reader(
        name: impl AsRef<Path>,
        mut reader: R,
        len: u64,
        options: &TextOptions,
    ) -> Result<Self, ReadError> {
        let name = name.as_ref();
        let io_err =
            |e: std::io::Error| error(name, None, None, None, ReadErrorKind::Io(e.to_string()));
        let want = usize::try_from(len)
            .unwrap_or(usize::MAX)
            .min(options.sample_bytes.max(4));
        let mut sample = vec![0; want];
        let mut filled = 0;
        while filled < want {
            match reader.read(&mut sample[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_err(e)),
            }
        }
        sample.truncate(filled);
        let (settings, detection) =
            detect(&sample, len, options).map_err(|kind| error(name, None, None, None, kind))?;
        reader
            .seek(SeekFrom::Start(settings.bom_len as u64))
            .map_err(io_err)?;
        Ok(TextReader::with_settings(
            name, reader, len, settings, detection,
        ))
    }
}

impl<R: Read> TextReader<R> {
    /// A reader positioned at `settings.bom_len` in a stream of `len` bytes.
    pub(crate) fn with_settings(
        name: &Path,
        reader: R,
        len: u64,
        settings: Settings,
        detection: Detection,
    ) -> Self {
        let transcoder = RecordDecode::needs_transcoding(settings.encoding)
            .then(|| Transcoder::new(settings.encoding));
        TextReader {
            name: name.to_path_buf(),
            file: RawFile::new(reader, settings.bom_len as u64, len),
            transcoder,
            parser: settings.dialect.parser(),
            decode: RecordDecode::new(&settings),
            settings,
            detection,
            // Small files (and detection samples) need no more than themselves.
            buf: vec![
                0;
                usize::try_from(len).map_or(BUF_SIZE, |l| l.saturating_add(64).min(BUF_SIZE))
            ],
            buf_offset: 0,
            pos: 0,
            len: 0,
            rec_start: 0,
            rec_end: 0,
            validated: 0,
            eof: false,
            line: 1,
            row: 0,
            after_cr: false,
            quoted_empty: Vec::new(),
            done: false,
        }
    }

    /// What was detected (or set) and why.
    pub fn detection(&self) -> &Detection {
        &self.detection
    }

    /// Invalid sequences replaced with U+FFFD so far ([`InvalidUtf8::Replace`], or bytes with no
    /// character in a legacy code page).
    pub fn replacements(&self) -> u64 {
        self.decode.replacements + self.transcoder.as_ref().map_or(0, |t| t.replacements)
    }

    /// Reads up to `n` records from the current position into owned strings: the preview, and
    /// what header detection looks at.
    pub fn first_records(&mut self, n: usize) -> Result<Vec<OwnedRecord>, ReadError> {
        let mut out = Vec::with_capacity(n.min(1024));
        while out.len() < n && self.advance()? {
            let fields = (0..self.len())
                .map(|i| match self.field(i) {
                    Field::Text(s) => s.to_string(),
                    _ => String::new(),
                })
                .collect();
            out.push(OwnedRecord {
                row: self.row,
                fields,
            });
        }
        Ok(out)
    }

    fn err(&self, offset: Option<u64>, column: Option<usize>, kind: ReadErrorKind) -> ReadError {
        error(&self.name, offset, Some(self.row), column, kind)
    }

    /// The file offset of a stream offset; `None` when transcoding (decoded offsets are not file
    /// offsets).
    fn file_offset(&self, stream_offset: u64) -> Option<u64> {
        match self.transcoder {
            None => Some(self.settings.bom_len as u64 + stream_offset),
            Some(_) => None,
        }
    }

    /// Moves the current record to the front of the buffer, grows the buffer if the record fills
    /// it, and reads more. Sets `eof` when the file has no more bytes.
    fn fill(&mut self) -> Result<(), ReadError> {
        if self.rec_start > 0 {
            self.buf.copy_within(self.rec_start..self.len, 0);
            self.buf_offset += self.rec_start as u64;
            self.len -= self.rec_start;
            self.pos -= self.rec_start;
            self.validated = self.validated.saturating_sub(self.rec_start);
            self.rec_start = 0;
        }
        if self.buf.len() - self.len < 4 {
            let limit = self.settings.max_record_bytes;
            if self.len > limit {
                let kind = ReadErrorKind::FieldTooLong { limit };
                let column = self.decode.fields() + 1;
                return Err(self.err(
                    self.file_offset(self.buf_offset + self.len as u64),
                    Some(column),
                    kind,
                ));
            }
            let grown = (self.buf.len() * 2)
                .min(limit.saturating_add(BUF_SIZE))
                .max(self.len + 4);
            self.buf.resize(grown, 0);
        }
        let dst = &mut self.buf[self.len..];
        let read = match &mut self.transcoder {
            None => self.file.read(dst),
            Some(t) => t.read(&mut self.file, dst),
        };
        match read {
            Ok(0) => self.eof = true,
            Ok(n) => {
                self.len += n;
                self.extend_validation();
            }
            Err(InputError::Io(e)) => {
                let at = Some(self.file.offset());
                return Err(error(
                    &self.name,
                    at,
                    None,
                    None,
                    ReadErrorKind::Io(e.to_string()),
                ));
            }
            Err(InputError::Shrank { at, expected }) => {
                let kind = ReadErrorKind::Io(format!(
                    "the file shrank while being read: it ended at byte {at} but held {expected} bytes when opened"
                ));
                return Err(error(&self.name, Some(at), None, None, kind));
            }
        }
        Ok(())
    }

    /// Checks the UTF-8 of the bytes read since the last check, stopping before an invalid or
    /// incomplete sequence (records past it are checked on their own).
    fn extend_validation(&mut self) {
        if !self.decode.is_utf8() {
            return;
        }
        let Some(tail) = self.buf.get(self.validated..self.len) else {
            return;
        };
        match simdutf8::compat::from_utf8(tail) {
            Ok(_) => self.validated = self.len,
            Err(e) => self.validated += e.valid_up_to(),
        }
    }

    /// Skips line terminators and comment lines before a record, counting lines. `Ok(false)` at
    /// the end of the file.
    fn skip_to_record(&mut self) -> Result<bool, ReadError> {
        loop {
            self.rec_start = self.pos;
            if self.pos == self.len {
                if self.eof {
                    return Ok(false);
                }
                self.fill()?;
                continue;
            }
            let b = self.buf[self.pos];
            if b == b'\n' {
                self.pos += 1;
                if !std::mem::take(&mut self.after_cr) {
                    self.line += 1;
                }
            } else if b == b'\r' {
                self.pos += 1;
                self.line += 1;
                self.after_cr = true;
            } else if Some(b) == self.settings.dialect.comment {
                self.after_cr = false;
                self.skip_comment_line()?;
            } else {
                self.after_cr = false;
                return Ok(true);
            }
        }
    }

    /// Skips a comment line up to (not including) its terminator.
    fn skip_comment_line(&mut self) -> Result<(), ReadError> {
        loop {
            match memchr::memchr2(b'\n', b'\r', &self.buf[self.pos..self.len]) {
                Some(i) => {
                    self.pos += i;
                    return Ok(());
                }
                None => {
                    self.pos = self.len;
                    self.rec_start = self.pos;
                    if self.eof {
                        return Ok(());
                    }
                    self.fill()?;
                }
            }
        }
    }

    /// Runs csv-core over the buffer until one record is complete.
    fn parse_record(&mut self) -> Result<(), ReadError> {
        self.decode.start_record();
        // At the end of the file a final "\n" is fed: it ends a record left open by a missing
        // last newline, and is swallowed as data by a quote that is never closed.
        let mut final_newline = false;
        loop {
            let input: &[u8] = if self.pos < self.len {
                &self.buf[self.pos..self.len]
            } else if !self.eof {
                self.fill()?;
                continue;
            } else if !final_newline {
                b"\n"
            } else {
                let opened = self.file_offset(self.buf_offset + self.rec_start as u64);
                return Err(self.err(
                    opened,
                    Some(self.decode.fields() + 1),
                    ReadErrorKind::UnterminatedQuote,
                ));
            };
            let synthetic = self.pos >= self.len;
            let (res, nin) = self.decode.parse(&mut self.parser, input);
            if synthetic {
                final_newline = final_newline || nin > 0;
            } else {
                self.pos += nin;
            }
            match res {
                ReadRecordResult::Record => {
                    // A real record ends with the one terminator byte csv-core consumed.
                    let last = if synthetic {
                        None
                    } else {
                        self.pos.checked_sub(1)
                    };
                    self.rec_end = last.unwrap_or(self.pos).max(self.rec_start);
                    self.after_cr = last.and_then(|i| self.buf.get(i)) == Some(&b'\r');
                    let limit = self.settings.max_record_bytes;
                    if self.rec_end - self.rec_start > limit {
                        let kind = ReadErrorKind::FieldTooLong { limit };
                        let at =
                            self.file_offset(self.buf_offset + (self.rec_start + limit) as u64);
                        return Err(self.err(at, Some(self.decode.field_at_output(limit)), kind));
                    }
                    if self.decode.fields() > self.settings.max_fields {
                        let limit = self.settings.max_fields;
                        let at = self.file_offset(self.buf_offset + self.rec_start as u64);
                        return Err(self.err(
                            at,
                            Some(limit + 1),
                            ReadErrorKind::TooManyFields { limit },
                        ));
                    }
                    return Ok(());
                }
                ReadRecordResult::InputEmpty => {
                    let limit = self.settings.max_record_bytes;
                    if self.pos - self.rec_start > limit {
                        let kind = ReadErrorKind::FieldTooLong { limit };
                        let at = self.file_offset(self.buf_offset + self.pos as u64);
                        return Err(self.err(at, Some(self.decode.fields() + 1), kind));
                    }
                }
                ReadRecordResult::OutputFull => self
                    .decode
                    .grow_output(self.pos - self.rec_start, self.settings.max_record_bytes),
                ReadRecordResult::OutputEndsFull => {
                    if !self.decode.grow_ends(self.settings.max_fields) {
                        let limit = self.settings.max_fields;
                        let at = self.file_offset(self.buf_offset + self.pos as u64);
                        return Err(self.err(
                            at,
                            Some(limit + 1),
                            ReadErrorKind::TooManyFields { limit },
                        ));
                    }
                }
                // csv-core says End only for input that holds no record, which the caller never
                // gives it (a record starts at a non-terminator byte).
                ReadRecordResult::End => {
                    return Err(self.err(
                        None,
                        None,
                        ReadErrorKind::Invalid("record parser ended early".into()),
                    ));
                }
            }
        }
    }

    fn advance_inner(&mut self) -> Result<bool, ReadError> {
        if !self.skip_to_record()? {
            return Ok(false);
        }
        self.row = self.line;
        self.parse_record()?;
        let raw = &self.buf[self.rec_start..self.rec_end];
        // Without quotes the raw record is its fields plus delimiters, and an unquoted field
        // holds no line break: only a record with quotes can span lines.
        let quoted = raw.len() != self.decode.output_len() + self.decode.fields().saturating_sub(1);
        if quoted && memchr::memchr2(b'\n', b'\r', raw).is_some() {
            self.line += count_lines(raw);
        }
        self.quoted_empty.clear();
        if quoted && self.decode.has_empty_field() {
            let decode = &self.decode;
            find_quoted_empty(
                raw,
                &self.settings.dialect,
                |i| decode.field_is_empty(i),
                &mut self.quoted_empty,
            );
        }
        if self.rec_end < self.pos {
            self.line += 1;
        }
        let rec_offset = self.file_offset(self.buf_offset + self.rec_start as u64);
        let raw = &self.buf[self.rec_start..self.rec_end];
        let prevalidated = self.rec_end <= self.validated;
        let finished = self.decode.finish_record(raw, prevalidated);
        if !prevalidated {
            // The record was checked on its own; resume whole-buffer checks after it.
            self.validated = self.validated.max(self.pos);
            self.extend_validation();
        }
        finished.map_err(|bad| bad.into_error(&self.name, rec_offset, self.row))?;
        Ok(true)
    }
}

impl<R: Read + Seek> TextReader<R> {
    /// Goes back to the first record (after the BOM), as if just opened. Detection is kept.
    pub fn rewind(&mut self) -> Result<(), ReadError> {
        let start = self.settings.bom_len as u64;
        let reader = self.file.reader_mut();
        reader.seek(SeekFrom::Start(start)).map_err(|e| {
            error(
                &self.name,
                Some(start),
                None,
                None,
                ReadErrorKind::Io(e.to_string()),
            )
        })?;
        self.file.set_offset(start);
        self.transcoder = RecordDecode::needs_transcoding(self.settings.encoding)
            .then(|| Transcoder::new(self.settings.encoding));
        self.parser = self.settings.dialect.parser();
        self.decode = RecordDecode::new(&self.settings);
        (
            self.buf_offset,
            self.pos,
            self.len,
            self.rec_start,
            self.rec_end,
            self.validated,
        ) = (0, 0, 0, 0, 0, 0);
        (self.eof, self.after_cr, self.done) = (false, false, false);
        (self.line, self.row) = (1, 0);
        Ok(())
    }
}

impl TextReader<Cursor<Vec<u8>>> {
    /// A reader over bytes in memory (tests, fuzzing, pasted text).
    pub fn from_bytes(
        name: impl AsRef<Path>,
        bytes: Vec<u8>,
        options: &TextOptions,
    ) -> Result<Self, ReadError> {
        let len = bytes.len() as u64;
        TextReader::from_reader(name, Cursor::new(bytes), len, options)
    }
}

impl<R: Read> RowSource for TextReader<R> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        if self.done {
            return Ok(false);
        }
        match self.advance_inner() {
            Ok(true) => Ok(true),
            Ok(false) => {
                self.done = true;
                Ok(false)
            }
            Err(e) => {
                self.done = !matches!(e.kind, ReadErrorKind::InvalidEncoding { .. });
                Err(e)
            }
        }
    }

    fn row_number(&self) -> u64 {
        self.row
    }

    fn len(&self) -> usize {
        self.decode.fields()
    }

    fn field(&self, i: usize) -> Field<'_> {
        match self.decode.field(i) {
            Some(s) if !s.is_empty() || self.quoted_empty.contains(&i) => Field::Text(s),
            _ => Field::Empty,
        }
    }

    fn raw_record(&self) -> Option<&[u8]> {
        match self.transcoder {
            None => self.buf.get(self.rec_start..self.rec_end),
            Some(_) => Some(self.decode.reencoded_raw()),
        }
    }

    fn bytes_read(&self) -> u64 {
        match self.transcoder {
            None => self.settings.bom_len as u64 + self.buf_offset + self.pos as u64,
            Some(_) => self.file.offset(),
        }
    }
}

/// Lines a record's raw bytes run over beyond its first: CRLF, LF and a lone CR each end one.
fn count_lines(raw: &[u8]) -> u64 {
    let mut n = 0;
    let mut prev_cr = false;
    for i in memchr::memchr2_iter(b'\n', b'\r', raw) {
        let cr = raw[i] == b'\r';
        if cr || !(prev_cr && i > 0 && raw[i - 1] == b'\r') {
            n += 1;
        }
        prev_cr = cr;
    }
    n
}

pub(crate) fn error(
    file: &Path,
    byte_offset: Option<u64>,
    row: Option<u64>,
    column: Option<usize>,
    kind: ReadErrorKind,
) -> ReadError {
    ReadError {
        file: file.to_path_buf(),
        byte_offset,
        row,
        column,
        kind,
    }
}
