//! The byte stream the record parser reads: the file's bytes after the BOM, either as they are
//! (UTF-8 and the ASCII-compatible single-byte code pages, whose delimiters, quotes and line
//! ends are the ASCII bytes themselves) or transcoded to UTF-8 on the way in (UTF-16 and the
//! multi-byte legacy encodings, where an ASCII byte may be half of another character).
//!
//! The file's size is taken at open and never read past: a file that grows while being read is
//! read up to that size; one that shrinks below it is an error naming where it ended.

use std::io::{self, Read};

use encoding_rs::{DecoderResult, Encoding};

/// Bytes read from the file per `read` call when transcoding.
const RAW_CHUNK: usize = 64 << 10;

/// Why the input stopped.
#[derive(Debug)]
pub(crate) enum InputError {
    Io(io::Error),
    /// The file ended at `at` bytes although it held `expected` when opened.
    Shrank {
        at: u64,
        expected: u64,
    },
}

/// The file, limited to its size at open.
pub(crate) struct RawFile<R> {
    reader: R,
    /// Absolute offset of the next byte `reader` gives.
    offset: u64,
    /// Size at open.
    end: u64,
}

impl<R: Read> RawFile<R> {
    pub(crate) fn new(reader: R, offset: u64, end: u64) -> Self {
        RawFile {
            reader,
            offset,
            end,
        }
    }

    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The file's size when it was opened.
    pub(crate) fn len(&self) -> u64 {
        self.end
    }

    pub(crate) fn reader_mut(&mut self) -> &mut R {
        &mut self.reader
    }

    /// After the caller has seeked the reader to `offset`.
    pub(crate) fn set_offset(&mut self, offset: u64) {
        self.offset = offset;
    }

    /// Reads into `dst`; 0 only at the size seen at open.
    pub(crate) fn read(&mut self, dst: &mut [u8]) -> Result<usize, InputError> {
        let left = self.end.saturating_sub(self.offset);
        if left == 0 || dst.is_empty() {
            return Ok(0);
        }
        let want = dst.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        loop {
            match self.reader.read(&mut dst[..want]) {
                Ok(0) => {
                    return Err(InputError::Shrank {
                        at: self.offset,
                        expected: self.end,
                    })
                }
                Ok(n) => {
                    self.offset += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(InputError::Io(e)),
            }
        }
    }
}

/// A streaming transcoder to UTF-8 with replacement counting.
pub(crate) struct Transcoder {
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_len: usize,
    raw_eof: bool,
    finished: bool,
    /// A U+FFFD owed to the output because the decoder reported a malformed sequence when the
    /// output had no room for it.
    owed_replacement: bool,
    pub(crate) replacements: u64,
}

impl Transcoder {
    pub(crate) fn new(encoding: &'static Encoding) -> Self {
        Transcoder {
            decoder: encoding.new_decoder_without_bom_handling(),
            raw: vec![0; RAW_CHUNK],
            raw_pos: 0,
            raw_len: 0,
            raw_eof: false,
            finished: false,
            owed_replacement: false,
            replacements: 0,
        }
    }

    /// Writes decoded UTF-8 into `dst` (at least 4 bytes long); 0 only at the end of the input.
    pub(crate) fn read<R: Read>(
        &mut self,
        file: &mut RawFile<R>,
        dst: &mut [u8],
    ) -> Result<usize, InputError> {
        const FFFD: &[u8] = "\u{FFFD}".as_bytes();
        let mut written = 0;
        loop {
            if self.owed_replacement {
                let Some(room) = dst.get_mut(written..written + FFFD.len()) else {
                    return Ok(written);
                };
                room.copy_from_slice(FFFD);
                written += FFFD.len();
                self.owed_replacement = false;
            }
            if written > 0 || self.finished {
                return Ok(written);
            }
            if self.raw_pos == self.raw_len && !self.raw_eof {
                let n = file.read(&mut self.raw)?;
                self.raw_pos = 0;
                self.raw_len = n;
                self.raw_eof = n == 0;
            }
            let src = &self.raw[self.raw_pos..self.raw_len];
            let (res, nread, nwritten) = self.decoder.decode_to_utf8_without_replacement(
                src,
                &mut dst[written..],
                self.raw_eof,
            );
            self.raw_pos += nread;
            written += nwritten;
            match res {
                DecoderResult::InputEmpty => {
                    if self.raw_eof {
                        self.finished = true;
                    }
                }
                DecoderResult::OutputFull => return Ok(written),
                DecoderResult::Malformed(_, _) => {
                    self.replacements += 1;
                    self.owed_replacement = true;
                }
            }
        }
    }
}
