//! What the caller may set, and the settings a reader runs with once detection has filled in
//! whatever the caller left open.

use serde::{Deserialize, Serialize};

/// Default cap on one record's size in bytes (raw, as in the file). A record is held whole in
/// memory, so this bounds the reader's memory: about twice this (the raw bytes and the unquoted
/// fields) in the worst case.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 << 20;
/// Default cap on fields per record. 10,000-column exports exist; 16,384 is Excel's column limit.
pub const DEFAULT_MAX_FIELDS: usize = 16_384;
/// Default bytes read at open for encoding and dialect detection. Opening never reads more, so a
/// preview of a multi-GB file costs the same as that of a small one.
pub const DEFAULT_SAMPLE_BYTES: usize = 1 << 20;
/// Default number of records the dialect detection looks at.
pub const DEFAULT_SAMPLE_RECORDS: usize = 2_000;

/// How the quote character inside a quoted field is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EscapeStyle {
    /// RFC 4180 §2.7: a quote inside a quoted field is written twice (`""`).
    Doubled,
    /// A backslash makes the next character literal (`\"`), as MySQL and many scripts write.
    /// Doubled quotes are still accepted.
    Backslash,
}

impl std::str::FromStr for EscapeStyle {
    type Err = String;

    /// `\` or `backslash`; `double`, `doubled`, or the quote character itself (the quote
    /// escapes itself) for doubling.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "\\" | "backslash" => Ok(EscapeStyle::Backslash),
            "double" | "doubled" | "\"" | "'" | "\"\"" | "''" => Ok(EscapeStyle::Doubled),
            _ => Err(format!(
                "`{s}` is not an escape style: give `\\` (backslash) or `double` (a quote written twice)"
            )),
        }
    }
}

/// The caller's quote choice in one value, as the CLI's `--quote` and the Node options take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum QuoteSetting {
    /// This byte encloses fields.
    Char(u8),
    /// No quoting: quote characters are data.
    Off,
}

impl std::str::FromStr for QuoteSetting {
    type Err = String;

    /// One ASCII character other than a line break, or `none` for quoting off.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes() {
            b"none" | b"off" => Ok(QuoteSetting::Off),
            [b] if b.is_ascii() && !matches!(b, b'\r' | b'\n') => Ok(QuoteSetting::Char(*b)),
            _ => Err(format!(
                "`{s}` is not a quote: give one ASCII character (`\"`, `'`) or `none`"
            )),
        }
    }
}

impl QuoteSetting {
    /// As the template and `--quote` write it: the character, or `none`.
    pub fn as_text(self) -> String {
        match self {
            QuoteSetting::Char(b) => char::from(b).to_string(),
            QuoteSetting::Off => "none".to_string(),
        }
    }
}

impl TextOptions {
    /// Applies a caller's quote choice (`None` leaves it to detection).
    pub fn set_quote(&mut self, quote: Option<QuoteSetting>) {
        match quote {
            None => {}
            Some(QuoteSetting::Char(b)) => {
                self.quote = Some(b);
                self.quoting = true;
            }
            Some(QuoteSetting::Off) => self.quoting = false,
        }
    }
}

/// What to do with bytes that are not valid UTF-8 in a file read as UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InvalidUtf8 {
    /// Stop with [`ReadErrorKind::InvalidEncoding`](crate::ReadErrorKind::InvalidEncoding)
    /// naming the byte offset, row and column.
    #[default]
    Error,
    /// Replace each invalid sequence with U+FFFD and count it
    /// ([`TextReader::replacements`](super::TextReader::replacements)).
    Replace,
}

/// The caller's choices. Every `None` is detected from the sample read at open. Serializes in
/// camelCase; a missing field takes its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TextOptions {
    /// An encoding label as WHATWG spells them (`utf-8`, `windows-1252`, `utf-16le`, `latin1`…).
    pub encoding: Option<String>,
    pub delimiter: Option<u8>,
    /// The quote character; `None` detects `"`, `'` or none (see [`QuoteSetting`] for a
    /// caller's choice in one value). See also `quoting`.
    pub quote: Option<u8>,
    /// `false` reads quote characters as ordinary data.
    pub quoting: bool,
    pub escape: Option<EscapeStyle>,
    /// Lines whose first byte is this are skipped (and counted as lines). Off by default: `#`
    /// is data in many files.
    pub comment: Option<u8>,
    pub invalid_utf8: InvalidUtf8,
    /// See [`DEFAULT_MAX_RECORD_BYTES`].
    pub max_record_bytes: usize,
    /// See [`DEFAULT_MAX_FIELDS`].
    pub max_fields: usize,
    /// See [`DEFAULT_SAMPLE_BYTES`].
    pub sample_bytes: usize,
    /// See [`DEFAULT_SAMPLE_RECORDS`].
    pub sample_records: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            encoding: None,
            delimiter: None,
            quote: None,
            quoting: true,
            escape: None,
            comment: None,
            invalid_utf8: InvalidUtf8::Error,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            max_fields: DEFAULT_MAX_FIELDS,
            sample_bytes: DEFAULT_SAMPLE_BYTES,
            sample_records: DEFAULT_SAMPLE_RECORDS,
        }
    }
}

/// How records and fields are delimited: everything csv-core needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    #[serde(serialize_with = "byte_as_text")]
    pub delimiter: u8,
    /// `None`: quoting off, quote characters are data.
    #[serde(serialize_with = "opt_byte_as_text")]
    pub quote: Option<u8>,
    pub escape: EscapeStyle,
    #[serde(serialize_with = "opt_byte_as_text")]
    pub comment: Option<u8>,
}

/// A delimiter or quote byte as a one-character string in JSON (`"\t"`, not `9`).
pub(crate) fn byte_as_text<S: serde::Serializer>(b: &u8, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(char::from(*b).encode_utf8(&mut [0; 4]))
}

pub(crate) fn opt_byte_as_text<S: serde::Serializer>(
    b: &Option<u8>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match b {
        Some(b) => byte_as_text(b, s),
        None => s.serialize_none(),
    }
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            delimiter: b',',
            quote: Some(b'"'),
            escape: EscapeStyle::Doubled,
            comment: None,
        }
    }
}

impl Dialect {
    /// A csv-core parser for this dialect. CR, LF and CRLF all end a record.
    pub(crate) fn parser(&self) -> csv_core::Reader {
        let mut b = csv_core::ReaderBuilder::new();
        b.delimiter(self.delimiter)
            .terminator(csv_core::Terminator::CRLF)
            .double_quote(true);
        match self.quote {
            Some(q) => {
                b.quote(q).quoting(true);
            }
            None => {
                b.quoting(false);
            }
        }
        if self.escape == EscapeStyle::Backslash {
            b.escape(Some(b'\\'));
        }
        // Comment lines are skipped by the reader itself (it counts their lines), never by
        // csv-core, which sees only record starts.
        b.build()
    }
}
