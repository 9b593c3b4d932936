//! [`SheetReader`]: one sheet's rows as a [`RowSource`].
//!
//! xlsx and xlsb stream: calamine's cell readers hand out one cell at a time in sheet order and
//! the reader gathers a row's cells into a reused buffer, so memory stays flat however long the
//! sheet (shared strings are borrowed from the workbook, not copied). xls and ods have no
//! streaming reader in calamine: the sheet's whole used range is loaded and rows are read from it.

use super::cell_range::{CellRange, MAX_COLUMNS, MAX_ROWS};
use super::cells::{from_data, from_data_ref, header_text};
use super::dates::kind_of_format;
use super::guard::{guarded, workbook_error};
use super::workbook::{bounds, load_range, Book, CountingFile, Workbook};
use crate::field::DateKind;
use crate::{Field, ReadError, ReadErrorKind, RowSource};
use calamine::{Data, DataRef, Range, XlsbError, XlsxCellReader};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Which sheet, which cells, which header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetOptions {
    /// A sheet name, or its 1-based position written as digits. `None`: the default rule
    /// ([`Workbook::default_sheet`]).
    pub sheet: Option<String>,
    /// Only these cells (`A1:H400`); field 0 is the range's first column.
    pub range: Option<CellRange>,
    /// The 1-based sheet row holding the column names: rows above it are skipped, it is read
    /// into [`SheetReader::header`], data starts below it.
    pub header_row: Option<u32>,
}

/// A cell of the current row of a streamed sheet.
#[derive(Clone)]
struct Slot<'w> {
    value: DataRef<'w>,
    kind: Option<DateKind>,
}

const EMPTY_SLOT: Slot<'static> = Slot {
    value: DataRef::Empty,
    kind: None,
};

type XlsbNext<'w> =
    Box<dyn FnMut() -> Result<Option<(u32, u32, DataRef<'w>)>, XlsbError> + Send + 'w>;

enum Source<'w> {
    Xlsx {
        cells: Box<XlsxCellReader<'w, CountingFile>>,
        /// What each style's number format shows, by style id (`None`: not a date format).
        kinds: Vec<Option<DateKind>>,
    },
    Xlsb {
        /// calamine does not export its xlsb cell reader's type, so it sits in a closure.
        next: XlsbNext<'w>,
    },
    Loaded {
        range: Range<Data>,
        /// Next 0-based sheet row to look at.
        next_row: u32,
        /// The last sheet row with cells (0-based).
        last_row: u32,
        /// The last sheet column with cells (0-based).
        last_col: u32,
        /// The first sheet row with cells, for progress.
        first_row: u32,
        /// An OpenDocument sheet: error texts are errors ([`super::cells::ods_text_as_error`]).
        ods: bool,
    },
}

/// Reads one sheet's rows. Borrows its [`Workbook`]; fields borrow the reader until the next
/// [`advance`](RowSource::advance).
pub struct SheetReader<'w> {
    path: &'w Path,
    sheet: String,
    is_1904: bool,
    source: Source<'w>,
    window: CellRange,
    header_row: Option<u32>,
    header: Vec<String>,
    /// The gathered row (streamed formats): cell `i` is column `window.first_col + i`.
    row: Vec<Slot<'w>>,
    /// Fields in the current row up to its last non-empty cell.
    len: usize,
    /// 0-based sheet row of the gathered row.
    row_index: u32,
    /// A gathered row waiting to be handed out (read ahead while looking for the header).
    staged: bool,
    /// The first cell of the next row, read while finishing the current one.
    pending: Option<(u32, u32, Slot<'w>)>,
    exhausted: bool,
    done: bool,
    progress: &'w AtomicU64,
    file_len: u64,
}

impl Workbook {
    /// A reader over the sheet `options` names (or the default sheet).
    pub fn reader(&mut self, options: &SheetOptions) -> Result<SheetReader<'_>, ReadError> {
        let name = match &options.sheet {
            Some(s) => self.find_sheet(s)?.name.clone(),
            None => self.default_sheet()?.name,
        };
        if let Some(h) = options.header_row {
            if h == 0 || h > MAX_ROWS {
                return Err(self.error(
                    Some(&name),
                    ReadErrorKind::Invalid(format!(
                        "header row {h} is not a sheet row (1 to {MAX_ROWS})"
                    )),
                ));
            }
            if let Some(r) = options.range {
                if h - 1 < r.first_row || h - 1 > r.last_row {
                    return Err(self.error(
                        Some(&name),
                        ReadErrorKind::Invalid(format!(
                            "header row {h} lies outside the range {r}"
                        )),
                    ));
                }
            }
        }
        let is_1904 = self.is_1904;
        let file_len = self.file_len;
        let Workbook {
            path,
            book,
            progress,
            ..
        } = self;
        let opened = guarded(|| open_source(book, &name));
        let (source, first_col) = match opened {
            Ok(Ok(s)) => s,
            Ok(Err(kind)) | Err(kind) => {
                return Err(sheet_error(path, &name, None, kind));
            }
        };
        let window = options.range.unwrap_or(CellRange {
            first_row: 0,
            first_col,
            last_row: MAX_ROWS - 1,
            last_col: MAX_COLUMNS - 1,
        });
        let mut reader = SheetReader {
            path,
            sheet: name,
            is_1904,
            source,
            window,
            header_row: options.header_row.map(|h| h - 1),
            header: Vec::new(),
            row: Vec::new(),
            len: 0,
            row_index: 0,
            staged: false,
            pending: None,
            exhausted: false,
            done: false,
            progress,
            file_len,
        };
        if reader.header_row.is_some() {
            reader.run(SheetReader::find_header)?;
        }
        Ok(reader)
    }
}

/// Opens the sheet's cells; the second value is the first column of the sheet's used range.
fn open_source<'w>(book: &'w mut Book, name: &str) -> Result<(Source<'w>, u32), ReadErrorKind> {
    Ok(match book {
        Book::Xlsx(b) => {
            let cells = b.worksheet_cells_reader(name).map_err(workbook_error)?;
            let kinds = cells
                .styles()
                .iter()
                .map(|s| {
                    s.number_format
                        .as_ref()
                        .and_then(|f| kind_of_format(&f.format_code))
                })
                .collect();
            let first_col = cells.dimensions().start.1;
            (
                Source::Xlsx {
                    cells: Box::new(cells),
                    kinds,
                },
                first_col,
            )
        }
        Book::Xlsb(b) => {
            let mut cells = b.worksheet_cells_reader(name).map_err(workbook_error)?;
            let first_col = cells.dimensions().start.1;
            let next: XlsbNext<'w> = Box::new(move || {
                Ok(cells.next_cell()?.map(|c| {
                    let (r, col) = c.get_position();
                    (r, col, c.get_value().clone())
                }))
            });
            (Source::Xlsb { next }, first_col)
        }
        Book::Xls(_) | Book::Ods(_) => {
            let ods = matches!(book, Book::Ods(_));
            let range = load_range(book, name)?;
            let b = bounds(&range);
            let first_col = b.map_or(0, |b| b.first_col);
            let (first_row, last_row, last_col) =
                b.map_or((1, 0, 0), |b| (b.first_row, b.last_row, b.last_col));
            (
                Source::Loaded {
                    range,
                    next_row: first_row,
                    last_row,
                    last_col,
                    first_row,
                    ods,
                },
                first_col,
            )
        }
    })
}

fn sheet_error(path: &Path, sheet: &str, after_row: Option<u32>, kind: ReadErrorKind) -> ReadError {
    let kind = match kind {
        ReadErrorKind::Workbook(m) => ReadErrorKind::Workbook(match after_row {
            Some(r) => format!("sheet '{sheet}', after row {}: {m}", u64::from(r) + 1),
            None => format!("sheet '{sheet}': {m}"),
        }),
        k => k,
    };
    ReadError {
        file: path.to_path_buf(),
        byte_offset: None,
        row: None,
        column: None,
        kind,
    }
}

impl<'w> SheetReader<'w> {
    /// The sheet being read.
    pub fn sheet_name(&self) -> &str {
        &self.sheet
    }

    /// The header row's cells as text (empty without a header row, or when that row is
    /// blank). Column `i` of the header names field `i`.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The 0-based sheet column of field 0 (the range's first column, or the used range's).
    pub fn first_column(&self) -> u32 {
        self.window.first_col
    }

    /// Runs a step under the panic guard; an error or panic ends the reading.
    fn run(
        &mut self,
        step: fn(&mut Self) -> Result<bool, ReadErrorKind>,
    ) -> Result<bool, ReadError> {
        if self.done {
            return Ok(false);
        }
        let result = guarded(|| step(self));
        match result {
            Ok(Ok(more)) => Ok(more),
            Ok(Err(kind)) | Err(kind) => {
                self.done = true;
                Err(sheet_error(
                    self.path,
                    &self.sheet,
                    Some(self.row_index),
                    kind,
                ))
            }
        }
    }

    /// Reads rows up to the header row and keeps its text.
    fn find_header(&mut self) -> Result<bool, ReadErrorKind> {
        let Some(h) = self.header_row else {
            return Ok(true);
        };
        while self.gather()? {
            if self.row_index < h {
                continue;
            }
            if self.row_index == h {
                let texts: Vec<String> =
                    (0..self.len).map(|i| header_text(self.field(i))).collect();
                self.header = texts;
            } else {
                self.staged = true;
            }
            return Ok(true);
        }
        Ok(false)
    }

    fn next_data_row(&mut self) -> Result<bool, ReadErrorKind> {
        loop {
            if self.staged {
                self.staged = false;
            } else if !self.gather()? {
                self.done = true;
                return Ok(false);
            }
            let r = self.row_index;
            if self.header_row.is_some_and(|h| r <= h) || self.len == 0 {
                continue;
            }
            return Ok(true);
        }
    }

    /// Gathers the next sheet row inside the window into the buffer; false at the end.
    fn gather(&mut self) -> Result<bool, ReadErrorKind> {
        if let Source::Loaded { .. } = self.source {
            return Ok(self.gather_loaded());
        }
        loop {
            let first = match self.pending.take() {
                Some(c) => c,
                None => match self.next_cell()? {
                    Some(c) => c,
                    None => return Ok(false),
                },
            };
            let r = first.0;
            if r > self.window.last_row {
                return Ok(false);
            }
            self.row.clear();
            self.len = 0;
            self.place(first);
            while let Some(c) = self.next_cell()? {
                if c.0 != r {
                    self.pending = Some(c);
                    break;
                }
                self.place(c);
            }
            if r < self.window.first_row {
                continue;
            }
            self.row_index = r;
            return Ok(true);
        }
    }

    fn place(&mut self, (row, col, slot): (u32, u32, Slot<'w>)) {
        if !self.window.contains(row, col) || matches!(slot.value, DataRef::Empty) {
            return;
        }
        let i = (col - self.window.first_col) as usize;
        if i >= self.row.len() {
            self.row.resize(i + 1, EMPTY_SLOT);
        }
        self.row[i] = slot;
        self.len = self.len.max(i + 1);
    }

    fn next_cell(&mut self) -> Result<Option<(u32, u32, Slot<'w>)>, ReadErrorKind> {
        if self.exhausted {
            return Ok(None);
        }
        let cell = match &mut self.source {
            Source::Xlsx { cells, kinds } => cells
                .next_cell_with_style_id()
                .map_err(workbook_error)?
                .map(|(c, style)| {
                    let (r, col) = c.get_position();
                    let kind = kinds.get(style).copied().flatten();
                    (
                        r,
                        col,
                        Slot {
                            value: c.get_value().clone(),
                            kind,
                        },
                    )
                }),
            Source::Xlsb { next } => next()
                .map_err(workbook_error)?
                .map(|(r, col, value)| (r, col, Slot { value, kind: None })),
            Source::Loaded { .. } => None,
        };
        if cell.is_none() {
            self.exhausted = true;
        }
        Ok(cell)
    }

    fn gather_loaded(&mut self) -> bool {
        let window = self.window;
        let header_row = self.header_row;
        let Source::Loaded {
            range,
            next_row,
            last_row,
            last_col,
            ..
        } = &mut self.source
        else {
            return false;
        };
        let last = (*last_row).min(window.last_row);
        let end_col = (*last_col).min(window.last_col);
        let mut r = (*next_row).max(window.first_row);
        while r <= last {
            let len = (window.first_col..=end_col)
                .rev()
                .find(|&c| !matches!(range.get_value((r, c)), None | Some(Data::Empty)))
                .map_or(0, |c| (c - window.first_col) as usize + 1);
            if len > 0 || header_row == Some(r) {
                *next_row = r + 1;
                self.row_index = r;
                self.len = len;
                return true;
            }
            r += 1;
        }
        *next_row = r;
        false
    }
}

impl RowSource for SheetReader<'_> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        self.run(SheetReader::next_data_row)
    }

    fn row_number(&self) -> u64 {
        u64::from(self.row_index) + 1
    }

    fn len(&self) -> usize {
        self.len
    }

    fn field(&self, i: usize) -> Field<'_> {
        if i >= self.len {
            return Field::Empty;
        }
        match &self.source {
            Source::Loaded { range, ods, .. } => {
                let col = u32::try_from(i)
                    .ok()
                    .and_then(|i| self.window.first_col.checked_add(i));
                match col.and_then(|c| range.get_value((self.row_index, c))) {
                    Some(d) => from_data(d, self.is_1904, *ods),
                    None => Field::Empty,
                }
            }
            _ => match self.row.get(i) {
                Some(s) => from_data_ref(&s.value, self.is_1904, s.kind),
                None => Field::Empty,
            },
        }
    }

    fn bytes_read(&self) -> u64 {
        if self.done {
            return self.file_len;
        }
        match &self.source {
            Source::Loaded {
                next_row,
                last_row,
                first_row,
                ..
            } => {
                let total = u64::from(last_row.saturating_sub(*first_row)) + 1;
                let done = u64::from(next_row.saturating_sub(*first_row)).min(total);
                self.file_len * done / total
            }
            _ => self.progress.load(Ordering::Relaxed).min(self.file_len),
        }
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
pub(super) mod tests;
