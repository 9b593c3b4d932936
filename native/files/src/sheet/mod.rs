//! Spreadsheets through calamine: xlsx, xlsm, xlsb, xls, ods.
//!
//! [`Workbook::open`] decides the format from the file's bytes ([`detect`]), checks a zipped
//! workbook's declared sizes against [`ZipLimits`] (zip bombs), and lists the sheets;
//! [`Workbook::reader`] gives a [`SheetReader`] over one sheet, a [`RowSource`](crate::RowSource)
//! whose fields keep the cells' own types ([`cells`]) and whose row numbers are the sheet's.
//!
//! ```no_run
//! use sluice_files::sheet::{SheetOptions, Workbook};
//! use sluice_files::RowSource;
//! # fn main() -> Result<(), sluice_files::ReadError> {
//! let mut wb = Workbook::open("orders.xlsx".as_ref())?;
//! let mut rows = wb.reader(&SheetOptions { header_row: Some(1), ..Default::default() })?;
//! while rows.advance()? {
//!     let _first = rows.field(0);
//! }
//! # Ok(()) }
//! ```

pub mod cell_range;
pub mod cells;
pub mod dates;
pub mod detect;
mod guard;
mod ods_check;
mod reader;
mod workbook;
mod xls_check;

pub use cell_range::CellRange;
pub use detect::{SheetFormat, ZipLimits};
pub use reader::{SheetOptions, SheetReader};
pub use workbook::{SheetChoice, SheetInfo, Workbook};

#[cfg(test)]
mod hostile_tests;
