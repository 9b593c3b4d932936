//! Read-ahead: a second thread runs the reader (reading, splitting, decoding) while the caller
//! works on the records before, so a whole-file pass takes about as long as the slower of the
//! two halves rather than their sum.
//!
//! The reader thread copies each record into a [`Block`]: the text of its fields appended to one
//! `String`, a small slot per field, and per record its row number and bytes read (and, when
//! asked, its raw bytes for a reject file; and, when the reader offers them, its fields' bytes
//! in the file's single-byte code page, for a writer that copies them as they are). A few blocks go round between the two threads and
//! are reused, so memory stays flat whatever the file's size, and there is still no object per
//! row or per value. The caller sees an ordinary [`RowSource`]: records, row numbers, errors and
//! the end come out in the reader's order, exactly as the reader gave them.
//!
//! A record a reader reports as an error (invalid UTF-8 that the caller may skip, for example)
//! keeps its place in the stream: the error comes out where the reader gave it, and the records
//! after it follow if the reader goes on.

use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

use encoding_rs::Encoding;

use crate::{Field, ReadError, RowSource, SheetDateTime};

/// Records per block: large enough that handing a block over costs nothing per record, small
/// enough that the reader thread is soon ahead.
const BLOCK_RECORDS: usize = 1024;
/// A block is also handed over once its text reaches this size (long records).
const BLOCK_TEXT: usize = 1 << 20;
/// Full blocks waiting for the caller; with the one being filled and the one being read, four
/// blocks exist at most.
const DEPTH: usize = 2;
/// A block that grew past this (a huge field) gives its memory back before it is reused.
const KEEP_CAPACITY: usize = 4 << 20;

/// Whether [`with_read_ahead`] runs a reader thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// On a machine with more than one core, unless `SLUICE_READ_AHEAD=0`.
    #[default]
    Auto,
    /// Always (tests).
    Always,
    /// Never: the caller reads the source itself (one core, or `SLUICE_READ_AHEAD=0`).
    Never,
}

/// How the read-ahead copies records.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadAheadOptions {
    /// Copy each record's raw bytes too, for [`RowSource::raw_record`] (a load that writes a
    /// reject file needs them; the inference does not).
    pub keep_raw: bool,
    /// Copy each record's fields in the file's single-byte code page too, where the reader
    /// offers them ([`RowSource::record_code_page`]): a load whose varchar columns take that
    /// code page writes those bytes as they are. The inference does not need them.
    pub keep_code_page: bool,
    pub mode: Mode,
}

impl Mode {
    fn enabled(self) -> bool {
        match self {
            Mode::Always => true,
            Mode::Never => false,
            Mode::Auto => {
                std::env::var("SLUICE_READ_AHEAD").map_or(true, |v| v != "0")
                    && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
            }
        }
    }
}

/// Runs `f` over `src`'s remaining records, read by a second thread when that helps (see
/// [`Mode`]), else directly. The reader thread stops when `f` returns, wherever it is.
pub fn with_read_ahead<T>(
    src: &mut (dyn RowSource + Send),
    options: ReadAheadOptions,
    f: impl FnOnce(&mut dyn RowSource) -> T,
) -> T {
    if !options.mode.enabled() {
        return f(src);
    }
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = sync_channel::<Block>(DEPTH);
        let (empty_tx, empty_rx) = channel::<Block>();
        scope.spawn(move || produce(src, options, &full_tx, &empty_rx));
        let mut ahead = ReadAhead {
            full: full_rx,
            empty: empty_tx,
            block: Block::default(),
            at: None,
            ended: false,
            bytes_read: 0,
        };
        // Dropping `ahead` (its receiver) makes the reader thread's next hand-over fail, so
        // it stops before the scope waits for it.
        f(&mut ahead)
    })
}

/// One field of a copied record.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Empty,
    Text { start: usize, end: usize },
    Error { start: usize, end: usize },
    Int(i64),
    Float(f64),
    Bool(bool),
    DateTime(SheetDateTime),
}

/// One copied record: where its fields and raw bytes are in the block.
#[derive(Debug, Clone, Copy)]
struct Record {
    cells_start: usize,
    cells_end: usize,
    raw: Option<(usize, usize)>,
    /// The code page of [`RowSource::record_code_page`] and where the record's fields start
    /// in the block's `code_page_fields`.
    code_page: Option<(&'static Encoding, usize)>,
    row: u64,
    bytes_read: u64,
    resume_offset: Option<u64>,
}

/// What comes after a block's records.
#[derive(Debug, Default)]
enum Tail {
    /// More blocks follow.
    #[default]
    More,
    /// The reader gave this error after the block's records; more blocks may follow.
    Error(ReadError),
    /// The end of the data.
    End,
}

#[derive(Debug, Default)]
struct Block {
    text: String,
    raw: Vec<u8>,
    /// Fields' bytes in their code page, for the records that offer them.
    code_page_bytes: Vec<u8>,
    /// One (start, end) in `code_page_bytes` per field of such a record.
    code_page_fields: Vec<(usize, usize)>,
    cells: Vec<Slot>,
    records: Vec<Record>,
    tail: Tail,
    /// The reader's bytes read when it gave the tail.
    tail_bytes: u64,
}

impl Block {
    fn clear(&mut self) {
        if self.text.capacity() > KEEP_CAPACITY {
            self.text = String::new();
        }
        if self.raw.capacity() > KEEP_CAPACITY {
            self.raw = Vec::new();
        }
        if self.code_page_bytes.capacity() > KEEP_CAPACITY {
            self.code_page_bytes = Vec::new();
        }
        self.text.clear();
        self.raw.clear();
        self.code_page_bytes.clear();
        self.code_page_fields.clear();
        self.cells.clear();
        self.records.clear();
        self.tail = Tail::More;
        self.tail_bytes = 0;
    }

    /// Copies the source's current record.
    fn push(&mut self, src: &dyn RowSource, options: ReadAheadOptions) {
        let cells_start = self.cells.len();
        for i in 0..src.len() {
            let slot = match src.field(i) {
                Field::Empty => Slot::Empty,
                Field::Text(s) => {
                    let start = self.text.len();
                    self.text.push_str(s);
                    Slot::Text {
                        start,
                        end: self.text.len(),
                    }
                }
                Field::Error(s) => {
                    let start = self.text.len();
                    self.text.push_str(s);
                    Slot::Error {
                        start,
                        end: self.text.len(),
                    }
                }
                Field::Int(v) => Slot::Int(v),
                Field::Float(v) => Slot::Float(v),
                Field::Bool(v) => Slot::Bool(v),
                Field::DateTime(v) => Slot::DateTime(v),
            };
            self.cells.push(slot);
        }
        let raw = match (options.keep_raw, src.raw_record()) {
            (true, Some(r)) => {
                let start = self.raw.len();
                self.raw.extend_from_slice(r);
                Some((start, self.raw.len()))
            }
            _ => None,
        };
        let code_page = match options.keep_code_page {
            true => self.push_code_page_bytes(src),
            false => None,
        };
        self.records.push(Record {
            cells_start,
            cells_end: self.cells.len(),
            raw,
            code_page,
            row: src.row_number(),
            bytes_read: src.bytes_read(),
            resume_offset: src.resume_offset(),
        });
    }

    /// Copies the current record's fields' code-page bytes, when the source offers them for
    /// every field.
    fn push_code_page_bytes(&mut self, src: &dyn RowSource) -> Option<(&'static Encoding, usize)> {
        let first = self.code_page_fields.len();
        let bytes_at = self.code_page_bytes.len();
        let encoding =
            src.copy_code_page_fields(&mut self.code_page_bytes, &mut self.code_page_fields);
        // One span a field, or none at all: a record never reads another's spans.
        if encoding.is_none() || self.code_page_fields.len().checked_sub(first) != Some(src.len()) {
            self.code_page_fields.truncate(first);
            self.code_page_bytes.truncate(bytes_at);
            return None;
        }
        encoding.map(|e| (e, first))
    }

    fn is_full(&self) -> bool {
        self.records.len() >= BLOCK_RECORDS || self.text.len() >= BLOCK_TEXT
    }
}

/// The reader thread: fills blocks until the end, handing each over when full, at an error
/// or at the end. Returns when the data ended or the caller went away.
fn produce(
    src: &mut (dyn RowSource + Send),
    options: ReadAheadOptions,
    full: &SyncSender<Block>,
    empty: &Receiver<Block>,
) {
    loop {
        let mut block = empty.try_recv().unwrap_or_default();
        block.clear();
        loop {
            match src.advance() {
                Ok(true) => {
                    block.push(&*src, options);
                    if block.is_full() {
                        break;
                    }
                }
                Ok(false) => {
                    block.tail = Tail::End;
                    block.tail_bytes = src.bytes_read();
                    break;
                }
                Err(e) => {
                    block.tail = Tail::Error(e);
                    block.tail_bytes = src.bytes_read();
                    break;
                }
            }
        }
        let end = matches!(block.tail, Tail::End);
        if full.send(block).is_err() || end {
            return;
        }
    }
}

/// The caller's side: a [`RowSource`] over the blocks the reader thread hands over.
struct ReadAhead {
    full: Receiver<Block>,
    empty: Sender<Block>,
    block: Block,
    /// The current record's index in `block`.
    at: Option<usize>,
    ended: bool,
    /// Bytes read as of the last record handed out (kept across blocks).
    bytes_read: u64,
}

impl ReadAhead {
    fn current(&self) -> Option<&Record> {
        self.at.and_then(|i| self.block.records.get(i))
    }
}

impl RowSource for ReadAhead {
    fn advance(&mut self) -> Result<bool, ReadError> {
        loop {
            if self.ended {
                return Ok(false);
            }
            let next = self.at.map_or(0, |i| i + 1);
            if next < self.block.records.len() {
                self.at = Some(next);
                if let Some(r) = self.block.records.get(next) {
                    self.bytes_read = r.bytes_read;
                }
                return Ok(true);
            }
            // Past the block's records: its tail, then the next block.
            let tail = std::mem::take(&mut self.block.tail);
            if !matches!(tail, Tail::More) {
                self.bytes_read = self.block.tail_bytes;
            }
            match tail {
                Tail::Error(e) => {
                    self.at = Some(self.block.records.len());
                    return Err(e);
                }
                Tail::End => {
                    self.ended = true;
                    self.at = None;
                    return Ok(false);
                }
                Tail::More => {}
            }
            let Ok(next_block) = self.full.recv() else {
                // The reader thread stopped without an end (it cannot, short of a panic,
                // which the scope reports): treat as the end.
                self.ended = true;
                return Ok(false);
            };
            let used = std::mem::replace(&mut self.block, next_block);
            let _ = self.empty.send(used);
            self.at = None;
        }
    }

    fn row_number(&self) -> u64 {
        self.current().map_or(0, |r| r.row)
    }

    fn len(&self) -> usize {
        self.current()
            .map_or(0, |r| r.cells_end.saturating_sub(r.cells_start))
    }

    fn field(&self, i: usize) -> Field<'_> {
        let Some(r) = self.current() else {
            return Field::Empty;
        };
        let slot = r
            .cells_start
            .checked_add(i)
            .filter(|&k| k < r.cells_end)
            .and_then(|k| self.block.cells.get(k));
        match slot {
            None | Some(Slot::Empty) => Field::Empty,
            Some(&Slot::Text { start, end }) => {
                Field::Text(self.block.text.get(start..end).unwrap_or_default())
            }
            Some(&Slot::Error { start, end }) => {
                Field::Error(self.block.text.get(start..end).unwrap_or_default())
            }
            Some(&Slot::Int(v)) => Field::Int(v),
            Some(&Slot::Float(v)) => Field::Float(v),
            Some(&Slot::Bool(v)) => Field::Bool(v),
            Some(&Slot::DateTime(v)) => Field::DateTime(v),
        }
    }

    fn record_code_page(&self) -> Option<&'static Encoding> {
        Some(self.current()?.code_page?.0)
    }

    fn field_code_page_bytes(&self, i: usize) -> Option<&[u8]> {
        let r = self.current()?;
        let (_, first) = r.code_page?;
        if i >= r.cells_end.saturating_sub(r.cells_start) {
            return None;
        }
        let &(start, end) = self.block.code_page_fields.get(first.checked_add(i)?)?;
        self.block.code_page_bytes.get(start..end)
    }

    fn raw_record(&self) -> Option<&[u8]> {
        let (start, end) = self.current()?.raw?;
        self.block.raw.get(start..end)
    }

    fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    fn resume_offset(&self) -> Option<u64> {
        self.current()?.resume_offset
    }
}

#[cfg(test)]
#[path = "read_ahead_tests.rs"]
mod tests;
