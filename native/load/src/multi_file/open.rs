//! Opening one file by path as a [`RowSource`], for the several-files inference.
//!
//! The format comes from the file's first bytes ([`format::sniff`], the one sniffer the inspect
//! and load paths share): a workbook container goes to [`Workbook`], anything else to
//! [`TextReader`], whatever the file is called.

use std::path::Path;

use sluice_files::inspect::format::{self, FileKind};
use sluice_files::sheet::{SheetOptions, Workbook};
use sluice_files::text::TextReader;
use sluice_files::{ReadError, RowSource};

use super::MultiFileOptions;

/// An opened file: its rows, and the header the reader itself took (a sheet's header row).
pub(super) struct Opened<'s> {
    pub rows: &'s mut (dyn RowSource + Send),
    pub reader_header: Option<Vec<String>>,
}

/// Opens `path` and runs `f` over its rows.
pub(super) fn with_source<T>(
    path: &Path,
    options: &MultiFileOptions,
    f: impl FnOnce(Opened<'_>) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    if format::sniff(path)? == FileKind::Workbook {
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
