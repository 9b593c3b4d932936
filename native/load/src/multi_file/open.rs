//! Opening one file by path as a [`RowSource`], for the several-files inference.
//!
//! A stand-in until `sluice_files::open` (issue 9's format sniffing) lands: the format is taken
//! from the extension, spreadsheets go to [`Workbook`], anything else to [`TextReader`].
//! Switch to `sluice_files::open` then; the callers only see [`with_source`].

use std::path::Path;

use sluice_files::sheet::{SheetOptions, Workbook};
use sluice_files::text::TextReader;
use sluice_files::{ReadError, RowSource};

use super::MultiFileOptions;

/// Extensions read as spreadsheets.
const SHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// An opened file: its rows, and the header the reader itself took (a sheet's header row).
pub(super) struct Opened<'s> {
    pub rows: &'s mut dyn RowSource,
    pub reader_header: Option<Vec<String>>,
}

/// Opens `path` and runs `f` over its rows.
pub(super) fn with_source<T>(
    path: &Path,
    options: &MultiFileOptions,
    f: impl FnOnce(Opened<'_>) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let is_sheet = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SHEET_EXTENSIONS.iter().any(|s| s.eq_ignore_ascii_case(e)));
    if is_sheet {
        let mut book = Workbook::open(path)?;
        let sheet_options = SheetOptions {
            sheet: options.sheet.clone(),
            range: options.range,
            header_row: options.header_row,
        };
        let mut reader = book.reader(&sheet_options)?;
        let reader_header = options.header_row.map(|_| reader.header().to_vec());
        f(Opened {
            rows: &mut reader,
            reader_header,
        })
    } else {
        let mut reader = TextReader::open(path, &options.text)?;
        f(Opened {
            rows: &mut reader,
            reader_header: None,
        })
    }
}
