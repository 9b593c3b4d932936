//! The two entry points over any file: [`preview`] (the first rows with the detected settings,
//! from bounded reads only) and [`inspect`] (the whole-file inference, with progress and
//! cancellation). They open the file by its content ([`format::sniff`]), run the text or sheet
//! reader, decide the header with [`crate::infer::detect_header`] unless the caller says, and
//! feed the rows to one [`crate::infer::Inferrer`].
//!
//! ```no_run
//! use sluice_files::inspect::{inspect, preview, Options};
//! use std::sync::atomic::AtomicBool;
//! # fn main() -> Result<(), sluice_files::ReadError> {
//! let first = preview("orders.csv".as_ref(), &Options::default())?;
//! println!("{} columns, delimiter {:?}", first.columns.len(), first.delimiter);
//! let cancel = AtomicBool::new(false);
//! let schema = inspect("orders.csv".as_ref(), &Options::default(), &mut |_p| {}, &cancel)?;
//! for c in &schema.columns {
//!     println!("{} {}", c.name, c.sql_type);
//! }
//! # Ok(()) }
//! ```

pub mod format;
mod run;

use serde::{Deserialize, Serialize};

use crate::infer::ColumnSchema;
use crate::infer::SqlType;
use crate::sheet::SheetInfo;
use crate::text::{EscapeStyle, QuoteSetting, TextOptions};

pub use run::{inspect, preview};

/// Default number of data rows a preview shows.
pub const DEFAULT_PREVIEW_ROWS: usize = 100;
/// Records the header decision looks at during a whole-file inspection.
pub const HEADER_SAMPLE_ROWS: usize = 100;

/// The caller's overrides, as the CLI and the Node API take them. Every `None` is detected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// Spreadsheets: a sheet name, or its 1-based position written as digits.
    pub sheet: Option<String>,
    /// Spreadsheets: only these cells, `A1:H400`.
    pub range: Option<String>,
    pub header: HeaderSetting,
    /// Delimited text: the delimiter byte.
    pub delimiter: Option<u8>,
    /// Delimited text: an encoding label (`utf-8`, `windows-1252`, `utf-16le`, …).
    pub encoding: Option<String>,
    /// Delimited text: the quote character, or quoting off.
    pub quote: Option<QuoteSetting>,
    /// Delimited text: how a quote inside a quoted field is escaped.
    pub escape: Option<EscapeStyle>,
    /// Infer from at most this many data rows instead of the whole file.
    pub sample: Option<u64>,
    /// The values that mean NULL (default `NULL`, `NA`, `N/A`, `\N`; an empty field is NULL).
    pub null_tokens: Option<Vec<String>>,
    /// Data rows a preview shows (default [`DEFAULT_PREVIEW_ROWS`]).
    pub preview_rows: Option<usize>,
    /// The code page of the target collation (`1252`, `windows-1252`, `65001`, `utf-8` …): a
    /// text column whose every value it holds is proposed as `varchar` (lengths in its bytes)
    /// rather than `nvarchar`. Default: non-ASCII text is `nvarchar`.
    pub varchar_code_page: Option<String>,
}

impl Options {
    /// The text reader's options for these overrides (the rest detected).
    pub fn text_options(&self) -> TextOptions {
        let mut o = TextOptions {
            encoding: self.encoding.clone(),
            delimiter: self.delimiter,
            escape: self.escape,
            ..TextOptions::default()
        };
        o.set_quote(self.quote);
        o
    }

    /// True when a text-only setting is given.
    pub(crate) fn has_text_settings(&self) -> bool {
        self.delimiter.is_some()
            || self.encoding.is_some()
            || self.quote.is_some()
            || self.escape.is_some()
    }
}

/// Where the column names come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HeaderSetting {
    /// Decided from the first records ([`crate::infer::detect_header`]).
    #[default]
    Detect,
    /// This 1-based row holds the names: the sheet's row for spreadsheets, the N-th record for
    /// text. Rows above it are skipped.
    Row(u32),
    /// No header: the columns are `column1…`.
    Absent,
}

/// What was detected and why, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetectionEvidence {
    /// Text: why this encoding.
    pub encoding: Option<String>,
    /// Text: why this delimiter.
    pub delimiter: Option<String>,
    /// Text: why this quote escaping.
    pub escape: Option<String>,
    /// Text: why this quote character, or quoting off.
    pub quote: Option<String>,
    /// Why the first record is (or is not) a header.
    pub header: String,
    /// Spreadsheets: why this sheet.
    pub sheet: Option<String>,
}

/// A column as a preview shows it: its names and a provisional type from the previewed rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewColumn {
    pub name: String,
    pub proposed_name: String,
    /// From the previewed rows only; the whole-file inspection decides.
    pub sql_type: SqlType,
    pub nullable: bool,
}

/// The first rows of a file with the settings detected for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// `csv`, `tsv`, `xlsx`, `xlsm`, `xlsb`, `xls` or `ods`.
    pub format: String,
    /// Text: the encoding read with; `None` for spreadsheets.
    pub encoding: Option<String>,
    /// Text: the delimiter; `None` for spreadsheets.
    pub delimiter: Option<String>,
    /// Text: the quote character; `None` for spreadsheets and with quoting off.
    pub quote: Option<String>,
    /// Text with quoting: how a quote inside a quoted field is escaped.
    pub escape: Option<EscapeStyle>,
    pub has_header: bool,
    /// Spreadsheets: the workbook's sheets in tab order (empty for text).
    pub sheets: Vec<SheetInfo>,
    /// Spreadsheets: the sheet read.
    pub sheet: Option<String>,
    pub columns: Vec<PreviewColumn>,
    /// Data rows: each value as text (`None` for an empty field or blank cell).
    pub rows: Vec<Vec<Option<String>>>,
    /// The row of each entry of `rows` as the user sees it (file line or sheet row).
    pub row_numbers: Vec<u64>,
    pub detection: DetectionEvidence,
}

/// The whole-file inference's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub format: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    /// Text: the quote character; `None` for spreadsheets and with quoting off.
    pub quote: Option<String>,
    /// Text with quoting: how a quote inside a quoted field is escaped.
    pub escape: Option<EscapeStyle>,
    pub has_header: bool,
    /// Data rows read (all of them, or the `sample`).
    pub row_count: u64,
    /// False when `sample` stopped the reading before the end of the data.
    pub complete: bool,
    /// Bytes of the file read (for progress: the last figure, which `on_progress` is not sent).
    pub bytes_read: u64,
    pub sheet: Option<String>,
    pub columns: Vec<ColumnSchema>,
    pub detection: DetectionEvidence,
}

/// How far an inspection has read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub bytes_read: u64,
    pub rows: u64,
}

#[cfg(test)]
mod inspect_tests;

/// The encoding of a code page as SQL Server collations name them: a number (`1252`, `932`,
/// `65001`, through the table the TDS codec uses for collations) or the label of one of those
/// encodings (`windows-1252`, `utf-8`).
pub fn code_page_encoding(label: &str) -> Result<&'static encoding_rs::Encoding, String> {
    let label = label.trim();
    let number = label
        .strip_prefix("cp")
        .or(label.strip_prefix("CP"))
        .unwrap_or(label);
    let found = match number.parse::<u16>() {
        Ok(n) => tds::collation::encoding_of_code_page(n),
        // A label counts when it names one of those encodings.
        Err(_) => encoding_rs::Encoding::for_label(label.as_bytes()).filter(|e| {
            tds::collation::CODE_PAGES
                .iter()
                .any(|&cp| tds::collation::encoding_of_code_page(cp) == Some(*e))
        }),
    };
    found.ok_or_else(|| {
        format!(
            "code page {label:?} is not one a SQL Server collation uses (give 1252, 1250 … 1258, 874, 932, 936, 949, 950, 65001 or a label such as windows-1252)"
        )
    })
}
