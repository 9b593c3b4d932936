//! An open workbook: its format, its sheets, and which sheet to read by default.

use super::cell_range::CellRange;
use super::detect::{self, Container, SheetFormat, ZipLimits};
use super::guard::{guarded, workbook_error};
use super::{ods_check, xls_check};
use crate::{ReadError, ReadErrorKind};
use calamine::{Data, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use serde::Serialize;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The file under calamine, counting how far into the file it has read (for progress).
pub struct CountingFile {
    inner: BufReader<File>,
    pos: u64,
    furthest: Arc<AtomicU64>,
}

impl Read for CountingFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        self.furthest.fetch_max(self.pos, Ordering::Relaxed);
        Ok(n)
    }
}

impl Seek for CountingFile {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}

pub(crate) enum Book {
    Xlsx(Xlsx<CountingFile>),
    Xlsb(Xlsb<CountingFile>),
    Xls(Xls<CountingFile>),
    Ods(Ods<CountingFile>),
}

/// One sheet as the workbook lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetInfo {
    /// 1-based position in the workbook's tab order.
    pub index: usize,
    pub name: String,
    /// False for hidden and very hidden sheets.
    pub visible: bool,
    /// False for chart, dialog and macro sheets, which hold no cells to load.
    pub is_worksheet: bool,
    /// The used range the sheet declares, where that is cheap to read: the `<dimension>` of an
    /// xlsx sheet, `BrtWsDim` of an xlsb one. `None` for xls and ods (which would mean loading
    /// every sheet), for a sheet that declares none, or only `A1`.
    pub dimensions: Option<CellRange>,
}

/// Why the default sheet was chosen, for the user to see.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetChoice {
    /// 1-based index of the chosen sheet.
    pub index: usize,
    pub name: String,
    pub reason: String,
}

/// An open workbook. Readers borrow it: `let mut wb = Workbook::open(p)?; let r = wb.reader(&opts)?;`.
pub struct Workbook {
    pub(crate) path: PathBuf,
    pub(crate) format: SheetFormat,
    pub(crate) book: Book,
    pub(crate) sheets: Vec<SheetInfo>,
    pub(crate) file_len: u64,
    pub(crate) progress: Arc<AtomicU64>,
    pub(crate) is_1904: bool,
}

/// How many rows with cells the default-sheet rule looks at in each sheet.
const CHOICE_ROWS: usize = 100;
/// How many cells it looks at in each sheet at most (a sheet of blank styled cells).
const CHOICE_CELLS: usize = 20_000;

impl Workbook {
    /// Opens a workbook with the default [`ZipLimits`].
    pub fn open(path: &Path) -> Result<Workbook, ReadError> {
        Self::open_with_limits(path, &ZipLimits::default())
    }

    /// Opens a workbook, deciding its format from its bytes.
    pub fn open_with_limits(path: &Path, limits: &ZipLimits) -> Result<Workbook, ReadError> {
        let err = |kind| ReadError {
            file: path.to_path_buf(),
            byte_offset: None,
            row: None,
            column: None,
            kind,
        };
        let file = File::open(path).map_err(|e| err(ReadErrorKind::Io(e.to_string())))?;
        let file_len = file
            .metadata()
            .map_err(|e| err(ReadErrorKind::Io(e.to_string())))?
            .len();
        let progress = Arc::new(AtomicU64::new(0));
        let mut reader = CountingFile {
            inner: BufReader::with_capacity(64 << 10, file),
            pos: 0,
            furthest: Arc::clone(&progress),
        };
        let container = detect::sniff(&mut reader).map_err(err)?;
        let format = match container {
            Container::Zip => detect::inspect_zip(&mut reader, limits).map_err(err)?,
            Container::Cfb => SheetFormat::Xls,
        };
        if format == SheetFormat::Xls {
            xls_check::check_xls(&mut reader, file_len).map_err(err)?;
        }
        if format == SheetFormat::Ods {
            reader
                .seek(SeekFrom::Start(0))
                .map_err(|e| err(ReadErrorKind::Io(e.to_string())))?;
            ods_check::check_ods(&mut reader, ods_check::MAX_ODS_CELLS).map_err(err)?;
        }
        reader
            .seek(SeekFrom::Start(0))
            .map_err(|e| err(ReadErrorKind::Io(e.to_string())))?;
        progress.store(0, Ordering::Relaxed);
        let opened = guarded(|| open_book(format, reader, path));
        let book = match opened {
            Ok(Ok(book)) => book,
            Ok(Err(kind)) | Err(kind) => return Err(err(kind)),
        };
        let (metadata, is_1904) = match &book {
            Book::Xlsx(b) => (b.sheets_metadata().to_vec(), b.has_1904_epoch()),
            Book::Xlsb(b) => (b.sheets_metadata().to_vec(), b.has_1904_epoch()),
            Book::Xls(b) => (b.sheets_metadata().to_vec(), b.has_1904_epoch()),
            Book::Ods(b) => (b.sheets_metadata().to_vec(), false),
        };
        let mut sheets: Vec<SheetInfo> = metadata
            .into_iter()
            .enumerate()
            .map(|(i, s)| SheetInfo {
                index: i + 1,
                name: s.name,
                visible: s.visible == SheetVisible::Visible,
                is_worksheet: s.typ == SheetType::WorkSheet,
                dimensions: None,
            })
            .collect();
        let mut book = book;
        for sheet in sheets.iter_mut().filter(|s| s.is_worksheet) {
            sheet.dimensions = declared_dimensions(&mut book, &sheet.name);
        }
        if sheets.is_empty() {
            return Err(err(ReadErrorKind::Workbook(
                "the workbook has no sheets".to_string(),
            )));
        }
        Ok(Workbook {
            path: path.to_path_buf(),
            format,
            book,
            sheets,
            file_len,
            progress,
            is_1904,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn format(&self) -> SheetFormat {
        self.format
    }

    /// The sheets in tab order.
    pub fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    /// True for a workbook in the 1904 date system (old Mac Excel).
    pub fn is_1904(&self) -> bool {
        self.is_1904
    }

    pub(crate) fn error(&self, sheet: Option<&str>, kind: ReadErrorKind) -> ReadError {
        let kind = match (sheet, kind) {
            (Some(s), ReadErrorKind::Workbook(m)) => {
                ReadErrorKind::Workbook(format!("sheet '{s}': {m}"))
            }
            (_, k) => k,
        };
        ReadError {
            file: self.path.clone(),
            byte_offset: None,
            row: None,
            column: None,
            kind,
        }
    }

    /// Finds a sheet by name (exact, then ignoring case) or by a 1-based index written as
    /// digits when no sheet has that name.
    pub fn find_sheet(&self, name_or_index: &str) -> Result<&SheetInfo, ReadError> {
        let s = name_or_index;
        let found = self
            .sheets
            .iter()
            .find(|i| i.name == s)
            .or_else(|| self.sheets.iter().find(|i| i.name.eq_ignore_ascii_case(s)))
            .or_else(|| {
                let n: usize = s.trim().parse().ok()?;
                self.sheets.get(n.checked_sub(1)?)
            });
        found.ok_or_else(|| {
            self.error(
                None,
                ReadErrorKind::SheetNotFound {
                    name: s.to_string(),
                    available: self.sheets.iter().map(|i| i.name.clone()).collect(),
                },
            )
        })
    }

    /// The default sheet: the first visible worksheet in which at least two rows each hold at
    /// least two non-empty cells (among its first 100 rows with cells) — a table, not a cover
    /// sheet of a title and a few notes; else the first visible worksheet with any non-empty
    /// cell; else the workbook is empty (an error).
    pub fn default_sheet(&mut self) -> Result<SheetChoice, ReadError> {
        let mut first_non_empty: Option<usize> = None;
        let candidates: Vec<(usize, String)> = self
            .sheets
            .iter()
            .filter(|s| s.visible && s.is_worksheet)
            .map(|s| (s.index, s.name.clone()))
            .collect();
        let mut skipped = Vec::new();
        for (index, name) in &candidates {
            let shape = self.sheet_shape(name)?;
            if shape.table_rows >= 2 {
                let reason = if skipped.is_empty() {
                    format!(
                        "the first visible sheet, and it holds a table ({} rows with 2 or more \
                         cells among its first rows)",
                        shape.table_rows
                    )
                } else {
                    format!(
                        "the first visible sheet that holds a table (2 or more rows with 2 or \
                         more cells); skipped {}",
                        skipped.join(", ")
                    )
                };
                return Ok(SheetChoice {
                    index: *index,
                    name: name.clone(),
                    reason,
                });
            }
            if shape.cells > 0 {
                first_non_empty.get_or_insert(*index);
                skipped.push(format!("'{name}' (a cover or notes sheet)"));
            } else {
                skipped.push(format!("'{name}' (empty)"));
            }
        }
        match first_non_empty {
            Some(index) => {
                let name = self.sheets[index - 1].name.clone();
                Ok(SheetChoice {
                    index,
                    name,
                    reason: "no sheet holds a table of 2 or more rows and columns; the first \
                             visible sheet with any data"
                        .to_string(),
                })
            }
            None => Err(self.error(
                None,
                ReadErrorKind::Workbook(
                    "the workbook is empty: no visible worksheet has a non-empty cell".to_string(),
                ),
            )),
        }
    }

    /// Counts non-empty cells and rows with 2 or more of them, over the sheet's first rows.
    fn sheet_shape(&mut self, name: &str) -> Result<Shape, ReadError> {
        let mut shape = Shape::default();
        let result = guarded(|| -> Result<(), ReadErrorKind> {
            let mut row = u32::MAX;
            let mut in_row = 0usize;
            let mut rows = 0usize;
            let mut seen = 0usize;
            let mut visit = |r: u32, empty: bool, shape: &mut Shape| -> bool {
                seen += 1;
                if r != row {
                    if in_row >= 2 {
                        shape.table_rows += 1;
                    }
                    row = r;
                    in_row = 0;
                    rows += 1;
                }
                if !empty {
                    shape.cells += 1;
                    in_row += 1;
                }
                rows <= CHOICE_ROWS && seen <= CHOICE_CELLS && shape.table_rows < 2
            };
            match &mut self.book {
                Book::Xlsx(b) => {
                    let mut cells = b.worksheet_cells_reader(name).map_err(workbook_error)?;
                    while let Some(c) = cells.next_cell().map_err(workbook_error)? {
                        let empty = matches!(c.get_value(), calamine::DataRef::Empty);
                        if !visit(c.get_position().0, empty, &mut shape) {
                            break;
                        }
                    }
                }
                Book::Xlsb(b) => {
                    let mut cells = b.worksheet_cells_reader(name).map_err(workbook_error)?;
                    while let Some(c) = cells.next_cell().map_err(workbook_error)? {
                        let empty = matches!(c.get_value(), calamine::DataRef::Empty);
                        if !visit(c.get_position().0, empty, &mut shape) {
                            break;
                        }
                    }
                }
                Book::Xls(_) | Book::Ods(_) => {
                    let range = load_range(&mut self.book, name)?;
                    for (r, cells) in range.rows().enumerate() {
                        for c in cells {
                            if !visit(r as u32, matches!(c, Data::Empty), &mut shape) {
                                return Ok(());
                            }
                        }
                    }
                }
            }
            if in_row >= 2 {
                shape.table_rows += 1;
            }
            Ok(())
        });
        match result {
            Ok(Ok(())) => Ok(shape),
            Ok(Err(kind)) | Err(kind) => Err(self.error(Some(name), kind)),
        }
    }
}

#[derive(Default)]
struct Shape {
    cells: usize,
    table_rows: usize,
}

fn open_book(
    format: SheetFormat,
    reader: CountingFile,
    path: &Path,
) -> Result<Book, ReadErrorKind> {
    Ok(match format {
        SheetFormat::Xlsx => Book::Xlsx(Xlsx::new(reader).map_err(workbook_error)?),
        SheetFormat::Xlsb => Book::Xlsb(Xlsb::new(reader).map_err(workbook_error)?),
        SheetFormat::Ods => Book::Ods(Ods::new(reader).map_err(workbook_error)?),
        SheetFormat::Xls => match Xls::new(reader) {
            Ok(b) => Book::Xls(b),
            Err(calamine::XlsError::Password) => return Err(ReadErrorKind::Encrypted),
            Err(e) => {
                // A compound file that is no xls may be an encrypted OOXML package, which
                // calamine's xlsx reader recognises (the `EncryptedPackage` stream).
                let file = File::open(path).map_err(|e| ReadErrorKind::Io(e.to_string()))?;
                if let Err(calamine::XlsxError::Password) = Xlsx::new(BufReader::new(file)) {
                    return Err(ReadErrorKind::Encrypted);
                }
                return Err(workbook_error(e));
            }
        },
    })
}

/// The dimensions a streamed sheet declares in its header, if any (a damaged sheet: none).
fn declared_dimensions(book: &mut Book, name: &str) -> Option<CellRange> {
    let dims = guarded(|| match book {
        Book::Xlsx(b) => b.worksheet_cells_reader(name).ok().map(|c| c.dimensions()),
        Book::Xlsb(b) => b.worksheet_cells_reader(name).ok().map(|c| c.dimensions()),
        Book::Xls(_) | Book::Ods(_) => None,
    })
    .ok()
    .flatten()?;
    let range = CellRange {
        first_row: dims.start.0,
        first_col: dims.start.1,
        last_row: dims.end.0,
        last_col: dims.end.1,
    };
    let declared = range.first_row <= range.last_row
        && range.first_col <= range.last_col
        && range.last_row < super::cell_range::MAX_ROWS
        && range.last_col < super::cell_range::MAX_COLUMNS
        && dims != calamine::Dimensions::default();
    declared.then_some(range)
}

/// The whole used range of a sheet of a format calamine only loads whole (xls, ods).
pub(crate) fn load_range(book: &mut Book, name: &str) -> Result<Range<Data>, ReadErrorKind> {
    match book {
        Book::Xls(b) => b.worksheet_range(name).map_err(workbook_error),
        Book::Ods(b) => b.worksheet_range(name).map_err(workbook_error),
        Book::Xlsx(b) => b.worksheet_range(name).map_err(workbook_error),
        Book::Xlsb(b) => b.worksheet_range(name).map_err(workbook_error),
    }
}

/// A range's bounds as a [`CellRange`], or `None` when empty.
pub(crate) fn bounds(range: &Range<Data>) -> Option<CellRange> {
    let (first_row, first_col) = range.start()?;
    let (last_row, last_col) = range.end()?;
    Some(CellRange {
        first_row,
        first_col,
        last_row,
        last_col,
    })
}
