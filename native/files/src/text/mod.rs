//! Delimited text (CSV, TSV, …): encodings, dialect detection, and the streaming reader.
//!
//! [`TextReader::open`] reads a bounded sample (1 MiB by default), detects the encoding and
//! the dialect from it — each with the evidence in words, each overridable through
//! [`TextOptions`] — and then streams records with constant memory as a [`RowSource`]:
//! fields are slices of the reader's buffer, checked or decoded to UTF-8 once per record.
//!
//! ```
//! use sluice_files::text::{TextOptions, TextReader};
//! use sluice_files::{Field, RowSource};
//!
//! let bytes = "id;name\r\n1;\"Zoë\"\r\n2;\"\"\r\n".as_bytes().to_vec();
//! let mut reader = TextReader::from_bytes("pasted.csv", bytes, &TextOptions::default())?;
//! assert_eq!(reader.detection().dialect.delimiter, b';');
//! let mut names = Vec::new();
//! while reader.advance()? {
//!     if let Field::Text(name) = reader.field(1) {
//!         names.push((reader.row_number(), name.to_string()));
//!     }
//! }
//! assert_eq!(names, [(1, "name".into()), (2, "Zoë".into()), (3, "".into())]);
//! # Ok::<(), sluice_files::ReadError>(())
//! ```
//!
//! Limits that bound memory, with their defaults: a record of at most
//! [`DEFAULT_MAX_RECORD_BYTES`] (64 MiB) → [`ReadErrorKind::FieldTooLong`]; at most
//! [`DEFAULT_MAX_FIELDS`] (16,384) fields → [`ReadErrorKind::TooManyFields`].
//!
//! A file that changes while it is read: the size seen at open is the end. Bytes appended later
//! are not read; a file that shrinks below it is an [`ReadErrorKind::Io`] error naming the
//! byte where it ended.
//!
//! [`RowSource`]: crate::RowSource
//! [`ReadErrorKind::FieldTooLong`]: crate::ReadErrorKind::FieldTooLong
//! [`ReadErrorKind::TooManyFields`]: crate::ReadErrorKind::TooManyFields
//! [`ReadErrorKind::Io`]: crate::ReadErrorKind::Io

mod detect;
mod dialect_detect;
mod encoding_detect;
mod input;
mod options;
mod quote_detect;
mod quoted_empty;
mod reader;
mod record_decode;

pub use detect::Detection;
pub use dialect_detect::{delimiter_name, CandidateStats, DialectChoice, CANDIDATE_DELIMITERS};
pub use encoding_detect::{detect_encoding, EncodingChoice};
pub use options::{
    Dialect, EscapeStyle, InvalidUtf8, QuoteSetting, TextOptions, DEFAULT_MAX_FIELDS,
    DEFAULT_MAX_RECORD_BYTES, DEFAULT_SAMPLE_BYTES, DEFAULT_SAMPLE_RECORDS,
};
pub use quote_detect::{quote_name, CANDIDATE_QUOTES};
pub use reader::{OwnedRecord, TextReader};

#[cfg(test)]
mod code_page_tests;
#[cfg(test)]
mod equivalence_tests;
#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod plain_split_tests;
#[cfg(test)]
mod reader_tests;
#[cfg(test)]
mod seek_tests;
#[cfg(test)]
mod testdata_tests;
