//! Record framing: keeping the current record whole in the buffer, skipping blank and comment
//! lines, running csv-core to the end of one record, counting lines, and the limits.

use std::io::Read;

use csv_core::ReadRecordResult;

use super::{error, TextReader, BUF_SIZE};
use crate::text::input::InputError;
use crate::text::options::EscapeStyle;
use crate::text::quoted_empty::find_quoted_empty;
use crate::{ReadError, ReadErrorKind};

impl<R: Read> TextReader<R> {
    /// Moves the current record to the front of the buffer, grows the buffer if the record fills
    /// it, and reads more. Sets `eof` when the file has no more bytes.
    fn fill(&mut self) -> Result<(), ReadError> {
        if self.rec_start > 0 {
            self.account(self.rec_start);
            self.mark = self.mark.saturating_sub(self.rec_start);
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
        if std::mem::take(&mut self.pending_hint_line) {
            self.skip_comment_line()?;
        }
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

    /// A record that lies on one line in the buffer and has no quote character (most records
    /// of most files): split at the delimiter with memchr, exactly as csv-core splits such a
    /// record, without its byte-at-a-time state machine. Consumes the record and its
    /// terminator byte and returns `true`; returns `false` having consumed nothing for anything
    /// else (a quote, a line the buffer does not hold whole, a limit reached, backslash
    /// escapes, the first record a new parser sees), which csv-core then reads.
    fn split_plain_line(&mut self) -> bool {
        let dialect = &self.settings.dialect;
        if !self.plain_split || !self.parser_read || dialect.escape == EscapeStyle::Backslash {
            return false;
        }
        let Some(input) = self.buf.get(self.pos..self.len) else {
            return false;
        };
        let stop = match dialect.quote {
            Some(q) => memchr::memchr3(b'\n', b'\r', q, input),
            None => memchr::memchr2(b'\n', b'\r', input),
        };
        let Some(end) = stop else {
            return false;
        };
        if !matches!(input.get(end), Some(b'\n' | b'\r')) || end > self.settings.max_record_bytes {
            return false;
        }
        let line = input.get(..end).unwrap_or_default();
        if !self
            .decode
            .take_plain(line, dialect.delimiter, self.settings.max_fields)
        {
            return false;
        }
        self.pos += end + 1;
        true
    }

    /// Runs csv-core over the buffer until one record is complete.
    fn parse_record(&mut self) -> Result<(), ReadError> {
        self.decode.start_record();
        if self.split_plain_line() {
            return self.end_record(false);
        }
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
            self.parser_read = true;
            if synthetic {
                final_newline = final_newline || nin > 0;
            } else {
                self.pos += nin;
            }
            match res {
                ReadRecordResult::Record => return self.end_record(synthetic),
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

    /// A record is complete (`synthetic`: ended by the newline fed at the end of the file):
    /// where its raw bytes end, and the limits.
    fn end_record(&mut self, synthetic: bool) -> Result<(), ReadError> {
        // A real record ends with the one terminator byte consumed.
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
            let at = self.file_offset(self.buf_offset + (self.rec_start + limit) as u64);
            return Err(self.err(at, Some(self.decode.field_at_output(limit)), kind));
        }
        if self.decode.fields() > self.settings.max_fields {
            let limit = self.settings.max_fields;
            let at = self.file_offset(self.buf_offset + self.rec_start as u64);
            return Err(self.err(at, Some(limit + 1), ReadErrorKind::TooManyFields { limit }));
        }
        Ok(())
    }

    pub(super) fn advance_inner(&mut self) -> Result<bool, ReadError> {
        if !self.skip_to_record()? {
            return Ok(false);
        }
        self.row = self.line;
        self.account(self.rec_start);
        self.rec_file_offset = self.mark_file_offset;
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
