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

use super::detect::{detect, Detection};
use super::input::{InputError, RawFile, Transcoder};
use super::options::{Dialect, InvalidUtf8, TextOptions};
use super::record_decode::RecordDecode;
use crate::{Field, ReadError, ReadErrorKind, RowSource};

mod framing;

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
    /// The file opens with Excel's `sep=X` line, which is not data.
    pub skip_hint_line: bool,
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
/// stream (UTF-16, multi-byte code pages) an error names the file offset of its record's first
/// byte (positions inside the decoded text are not file positions), and `bytes_read` counts the
/// bytes read ahead of the parser too.
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
    /// Transcoded files: `buf[..mark]` has been accounted for in `mark_file_offset`, the file
    /// offset of `buf[mark]`; `rec_file_offset` is the file offset of the current record.
    mark: usize,
    mark_file_offset: u64,
    rec_file_offset: u64,
    /// Fields of the current record written as `""` (empty text, not an empty field).
    quoted_empty: Vec<usize>,
    /// The `sep=X` line is still to be skipped.
    pending_hint_line: bool,
    done: bool,
    /// Records on one line without a quote are split with memchr rather than by csv-core
    /// (off only in the tests that hold the two to the same answers).
    plain_split: bool,
    /// csv-core has read something (a fresh parser drops a UTF-8 BOM at the start of what it
    /// reads, so the first record after a new parser is always its own).
    parser_read: bool,
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
        let settings_bom = settings.bom_len as u64;
        let skip_hint_line = settings.skip_hint_line;
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
            pending_hint_line: skip_hint_line,
            mark: 0,
            mark_file_offset: settings_bom,
            rec_file_offset: settings_bom,
            done: false,
            plain_split: true,
            parser_read: false,
        }
    }

    /// Turns the memchr split of quote-free lines off, so that csv-core reads every record:
    /// for the tests and the fuzz target that hold the two to the same answers.
    #[doc(hidden)]
    pub fn set_plain_split(&mut self, on: bool) {
        self.plain_split = on;
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

    /// The file offset of a stream offset. When transcoding, decoded offsets are not file
    /// offsets: the current record's file offset stands in.
    fn file_offset(&self, stream_offset: u64) -> Option<u64> {
        match self.transcoder {
            None => Some(self.settings.bom_len as u64 + stream_offset),
            Some(_) => Some(self.rec_file_offset),
        }
    }

    /// Transcoded files: moves the mark to `upto`, adding the file bytes that the decoded
    /// `buf[mark..upto]` came from.
    fn account(&mut self, upto: usize) {
        if self.transcoder.is_none() {
            return;
        }
        let decoded = self.buf.get(self.mark..upto).unwrap_or_default();
        self.mark_file_offset += encoded_len(decoded, self.settings.encoding);
        self.mark = upto.max(self.mark);
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
        self.parser_read = false;
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
        self.mark = 0;
        self.pending_hint_line = self.settings.skip_hint_line;
        (self.mark_file_offset, self.rec_file_offset) = (start, start);
        Ok(())
    }
}

impl<R: Read + Seek> TextReader<R> {
    /// Goes on from `offset`, a position [`RowSource::resume_offset`] gave on an earlier
    /// reading of the same file, as if every record before it had been read: the lines before
    /// it are counted (at memchr speed, without parsing) so that row numbers stay the file's
    /// lines. Only a file read without transcoding (UTF-8, single-byte code pages) can do
    /// this; for the others it returns `Ok(false)` and changes nothing. An offset outside the
    /// file is an error.
    pub fn seek_to_offset(&mut self, offset: u64) -> Result<bool, ReadError> {
        if self.transcoder.is_some() {
            return Ok(false);
        }
        let start = self.settings.bom_len as u64;
        let end = self.file.len();
        if offset < start || offset > end {
            return Err(error(
                &self.name,
                Some(offset),
                None,
                None,
                ReadErrorKind::Invalid(format!(
                    "cannot go on from byte {offset}: the file's records lie between {start} and {end}"
                )),
            ));
        }
        self.rewind()?;
        let mut lines = LineCount::default();
        let mut chunk = vec![0u8; 256 << 10];
        let mut at = start;
        while at < offset {
            let want = usize::try_from(offset - at)
                .unwrap_or(usize::MAX)
                .min(chunk.len());
            let dst = chunk.get_mut(..want).unwrap_or_default();
            let n = match self.file.read(dst) {
                Ok(0) => {
                    return Err(error(
                        &self.name,
                        Some(at),
                        None,
                        None,
                        ReadErrorKind::Io(format!(
                            "the file ended at byte {at}, before byte {offset} to go on from"
                        )),
                    ))
                }
                Ok(n) => n,
                Err(e) => {
                    let message = match e {
                        InputError::Io(e) => e.to_string(),
                        InputError::Shrank { at, expected } => format!(
                            "the file shrank: it ended at byte {at} but held {expected} bytes when opened"
                        ),
                    };
                    return Err(error(
                        &self.name,
                        Some(at),
                        None,
                        None,
                        ReadErrorKind::Io(message),
                    ));
                }
            };
            lines.feed(chunk.get(..n).unwrap_or_default());
            at += n as u64;
        }
        // csv-core drops a UTF-8 BOM from the very start of what it reads: a fresh parser at a
        // record starting with EF BB BF (text in a single-byte code page, say) would lose it.
        // One empty line first makes it a parser that has read, as the sequential one had.
        let (mut out, mut ends) = ([0u8; 4], [0usize; 2]);
        let _ = self.parser.read_record(b"\n", &mut out, &mut ends);
        self.parser_read = true;
        self.buf_offset = offset - start;
        self.line = 1 + lines.lines;
        self.after_cr = lines.last_cr;
        self.pending_hint_line = false;
        (self.mark_file_offset, self.rec_file_offset) = (offset, offset);
        Ok(true)
    }
}

/// Line terminators in a stream fed in pieces: LF, CR and CRLF each end one line (as the
/// reader counts them), a CRLF split between two pieces too.
#[derive(Debug, Default)]
pub(crate) struct LineCount {
    pub(crate) lines: u64,
    last_cr: bool,
}

impl LineCount {
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let after_cr = match i.checked_sub(1) {
                Some(j) => bytes.get(j) == Some(&b'\r'),
                None => self.last_cr,
            };
            if !(bytes.get(i) == Some(&b'\n') && after_cr) {
                self.lines += 1;
            }
        }
        if let Some(&b) = bytes.last() {
            self.last_cr = b == b'\r';
        }
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

    fn record_code_page(&self) -> Option<&'static encoding_rs::Encoding> {
        self.decode.code_page()
    }

    /// Where a quoted empty field (`""`, text rather than empty) is in the record, field by
    /// field instead.
    fn record_text(&self) -> Option<(&str, &[usize])> {
        match self.quoted_empty.is_empty() {
            true => self.decode.record_text(),
            false => None,
        }
    }

    fn field_code_page_bytes(&self, i: usize) -> Option<&[u8]> {
        self.decode.code_page_field(i)
    }

    fn copy_code_page_fields(
        &self,
        bytes: &mut Vec<u8>,
        spans: &mut Vec<(usize, usize)>,
    ) -> Option<&'static encoding_rs::Encoding> {
        self.decode.copy_code_page_fields(bytes, spans)
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

    fn resume_offset(&self) -> Option<u64> {
        // Without transcoding the buffer holds the file's own bytes: `pos`, just past the
        // record's terminator, is a file position. (A CRLF's LF may still lie ahead: reading
        // on from there skips it, as it does here.)
        match self.transcoder {
            None if self.row > 0 => {
                Some(self.settings.bom_len as u64 + self.buf_offset + self.pos as u64)
            }
            _ => None,
        }
    }
}

/// Bytes `decoded` (UTF-8 from the transcoder) takes in `encoding`. Exact except where the
/// decoder replaced malformed input.
fn encoded_len(decoded: &[u8], encoding: &'static encoding_rs::Encoding) -> u64 {
    if decoded.is_ascii() && encoding.is_ascii_compatible() {
        return decoded.len() as u64;
    }
    let text = String::from_utf8_lossy(decoded);
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        text.chars().map(|c| 2 * c.len_utf16() as u64).sum()
    } else {
        encoding.encode(&text).0.len() as u64
    }
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
