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

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{
    channel, sync_channel, Receiver, Sender, SyncSender, TryRecvError, TrySendError,
};
use std::time::Instant;

use encoding_rs::Encoding;

use crate::infer::{convert, ColumnRule, ConvertError, Converted};
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
pub struct ReadAheadOptions<'a> {
    /// Copy each record's raw bytes too, for [`RowSource::raw_record`] (a load that writes a
    /// reject file needs them; the inference does not).
    pub keep_raw: bool,
    /// Copy each record's fields in the file's single-byte code page too, where the reader
    /// offers them ([`RowSource::record_code_page`]): a load whose varchar columns take that
    /// code page writes those bytes as they are. The inference does not need them.
    pub keep_code_page: bool,
    pub mode: Mode,
    /// Convert field `i` under `convert[i]` on the reader thread too (a load: the caller then
    /// only encodes), handed out by [`RowSource::converted_row`]; `None` for a field: not converted.
    /// The very `convert` the caller would run, so the values and errors are the same.
    pub convert: Option<&'a [Option<ColumnRule>]>,
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
    options: ReadAheadOptions<'_>,
    f: impl FnOnce(&mut dyn RowSource) -> T,
) -> T {
    if !options.mode.enabled() {
        return f(src);
    }
    // Declared outside the scope: the reader thread borrows it.
    let starved = AtomicU64::new(0);
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = sync_channel::<Block>(DEPTH);
        let (empty_tx, empty_rx) = channel::<Block>();
        let waits = &starved;
        scope.spawn(move || produce(src, options, waits, &full_tx, &empty_rx));
        let mut ahead = ReadAhead {
            full: full_rx,
            empty: empty_tx,
            starved: &starved,
            block: Block::default(),
            at: None,
            cells: 0..0,
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

impl Slot {
    /// The field this slot holds, its text in `text`.
    #[inline]
    fn field(self, text: &str) -> Field<'_> {
        match self {
            Slot::Empty => Field::Empty,
            Slot::Text { start, end } => Field::Text(text.get(start..end).unwrap_or_default()),
            Slot::Error { start, end } => Field::Error(text.get(start..end).unwrap_or_default()),
            Slot::Int(v) => Field::Int(v),
            Slot::Float(v) => Field::Float(v),
            Slot::Bool(v) => Field::Bool(v),
            Slot::DateTime(v) => Field::DateTime(v),
        }
    }
}

mod prepared;
pub use prepared::ConvertedRow;
use prepared::{range_in, Prepared};

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
    /// With rules to convert by: one per cell.
    prepared: Vec<Prepared>,
    errors: Vec<ConvertError>,
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
        self.prepared.clear();
        self.errors.clear();
        self.records.clear();
        self.tail = Tail::More;
        self.tail_bytes = 0;
    }

    /// Copies the source's current record (and converts the fields `rules` name).
    fn push(
        &mut self,
        src: &dyn RowSource,
        options: &ReadAheadOptions<'_>,
        rules: Option<&[Option<ColumnRule>]>,
    ) {
        let cells_start = self.cells.len();
        let n = src.len();
        if let Some((text, ends)) = src.record_text().filter(|(_, ends)| ends.len() == n) {
            // The whole record's text at once, then a slot per field.
            let base = self.text.len();
            self.text.push_str(text);
            let mut start = 0;
            for &end in ends {
                self.cells.push(match end > start {
                    true => Slot::Text {
                        start: base + start,
                        end: base + end,
                    },
                    false => Slot::Empty,
                });
                start = end;
            }
        }
        for i in (self.cells.len() - cells_start)..n {
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
        if let Some(rules) = rules {
            self.convert(cells_start, rules);
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

    /// Converts the record's fields from cell `cells_start` on, each under its rule.
    #[inline]
    fn convert(&mut self, cells_start: usize, rules: &[Option<ColumnRule>]) {
        let cells = self.cells.get(cells_start..).unwrap_or_default();
        for (i, &slot) in cells.iter().enumerate() {
            let prepared = match rules.get(i) {
                Some(Some(rule)) => match convert(slot.field(&self.text), rule) {
                    Ok(Converted::Text(t)) => range_in(&self.text, t)
                        .map_or(Prepared::UNSET, |(start, end)| Prepared::text(start, end)),
                    Ok(v) => Prepared::value(v).unwrap_or(Prepared::UNSET),
                    Err(e) => {
                        self.errors.push(*e);
                        Prepared::failed(self.errors.len() - 1)
                    }
                },
                _ => Prepared::UNSET,
            };
            self.prepared.push(prepared);
        }
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
///
/// With rules to convert by, the thread converts the first `ahead` fields of each record and
/// leaves the rest to the caller, and moves that line block by block so that neither thread
/// waits for the other. Each side adds up the time it spent blocked (this thread on a full
/// queue, the caller on an empty one, `starved`, in ns); after each block, the side that
/// waited more since the last block gets work: one more field here when the caller kept this
/// thread waiting, one fewer when this thread kept the caller waiting.
fn produce(
    src: &mut (dyn RowSource + Send),
    options: ReadAheadOptions<'_>,
    starved: &AtomicU64,
    full: &SyncSender<Block>,
    empty: &Receiver<Block>,
) {
    let fields = options.convert.map_or(0, <[_]>::len);
    let mut ahead = fields / 2;
    // Nanoseconds this thread waited on a full queue, and the caller's total at the last look.
    let (mut waited, mut caller_seen) = (0u64, 0u64);
    loop {
        let mut block = empty.try_recv().unwrap_or_default();
        block.clear();
        let caller = starved.load(Ordering::Relaxed);
        let caller_waited = caller.saturating_sub(caller_seen);
        caller_seen = caller;
        if caller_waited > waited {
            ahead = ahead.saturating_sub(1);
        } else if waited > caller_waited {
            ahead = (ahead + 1).min(fields);
        }
        waited = 0;
        let rules = options.convert.map(|r| r.get(..ahead).unwrap_or(r));
        loop {
            match src.advance() {
                Ok(true) => {
                    block.push(&*src, &options, rules);
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
        let sent = match full.try_send(block) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(block)) => {
                let t = Instant::now();
                let sent = full.send(block).map_err(drop);
                waited = nanos_since(t);
                sent
            }
            Err(TrySendError::Disconnected(_)) => Err(()),
        };
        if sent.is_err() || end {
            return;
        }
    }
}

fn nanos_since(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The caller's side: a [`RowSource`] over the blocks the reader thread hands over.
struct ReadAhead<'a> {
    full: Receiver<Block>,
    empty: Sender<Block>,
    /// Nanoseconds the caller waited for blocks, in all (the reader thread weighs its own waits
    /// against it).
    starved: &'a AtomicU64,
    block: Block,
    /// The current record's index in `block`.
    at: Option<usize>,
    /// The current record's cells in `block.cells` (empty when there is none): `field` and
    /// `len`, called for every field, look nowhere else.
    cells: std::ops::Range<usize>,
    ended: bool,
    /// Bytes read as of the last record handed out (kept across blocks).
    bytes_read: u64,
}

impl ReadAhead<'_> {
    fn current(&self) -> Option<&Record> {
        self.at.and_then(|i| self.block.records.get(i))
    }
}

impl RowSource for ReadAhead<'_> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        loop {
            if self.ended {
                return Ok(false);
            }
            let next = self.at.map_or(0, |i| i + 1);
            self.cells = 0..0;
            if next < self.block.records.len() {
                self.at = Some(next);
                if let Some(r) = self.block.records.get(next) {
                    self.bytes_read = r.bytes_read;
                    self.cells = r.cells_start..r.cells_end;
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
            let next = match self.full.try_recv() {
                Err(TryRecvError::Empty) => {
                    let t = Instant::now();
                    let next = self.full.recv().ok();
                    self.starved.fetch_add(nanos_since(t), Ordering::Relaxed);
                    next
                }
                r => r.ok(),
            };
            let Some(next_block) = next else {
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
        self.cells.len()
    }

    #[inline]
    fn field(&self, i: usize) -> Field<'_> {
        match self
            .block
            .cells
            .get(self.cells.clone())
            .and_then(|c| c.get(i))
        {
            Some(slot) => slot.field(&self.block.text),
            None => Field::Empty,
        }
    }

    #[inline]
    fn converted_row(&self) -> Option<ConvertedRow<'_>> {
        let r = self.current()?;
        Some(ConvertedRow {
            prepared: self.block.prepared.get(r.cells_start..r.cells_end)?,
            cells: self.block.cells.get(r.cells_start..r.cells_end)?,
            text: &self.block.text,
            errors: &self.block.errors,
        })
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
