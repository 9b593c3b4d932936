//! Why a file could not be read, with where: the file, and where known the byte offset, row and
//! column.

use std::fmt;
use std::path::PathBuf;

/// A read failure that names its place in the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ReadError {
    pub file: PathBuf,
    /// Byte offset in the file where the problem was found.
    pub byte_offset: Option<u64>,
    /// The row as the user sees it (file line, or sheet row), 1-based.
    pub row: Option<u64>,
    /// The column, 1-based.
    pub column: Option<usize>,
    pub kind: ReadErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadErrorKind {
    #[error("cannot open or read the file: {0}")]
    Io(String),
    #[error("the file is empty")]
    Empty,
    #[error("not a text file: {0}")]
    Binary(String),
    #[error("invalid {encoding} byte sequence")]
    InvalidEncoding { encoding: String },
    #[error("a quoted field is never closed")]
    UnterminatedQuote,
    #[error("a field is longer than {limit} bytes")]
    FieldTooLong { limit: usize },
    #[error("a record has more than {limit} fields")]
    TooManyFields { limit: usize },
    #[error("not a readable workbook: {0}")]
    Workbook(String),
    #[error("the workbook is encrypted (password-protected); save an unprotected copy")]
    Encrypted,
    #[error("no sheet named '{name}'; the workbook has {}", quote_list(available))]
    SheetNotFound {
        name: String,
        available: Vec<String>,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("cancelled")]
    Cancelled,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(col) = self.column {
            write!(f, ", column {col}")?;
        }
        if let Some(off) = self.byte_offset {
            write!(f, " (byte {off})")?;
        }
        write!(f, ": {}", self.kind)
    }
}

fn quote_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}
