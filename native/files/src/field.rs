//! One cell as a reader hands it out.

/// A cell borrowed from the reader's buffer; valid until the reader advances.
///
/// Delimited text only ever gives [`Field::Empty`] and [`Field::Text`] (already decoded to
/// UTF-8, unquoted and unescaped). Spreadsheets give their cells' own types: a number stays a
/// number, a date-formatted cell is a [`Field::DateTime`], never text to be parsed again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field<'a> {
    /// An empty field (`,,` in text) or a blank cell. A quoted empty field (`""`) is
    /// `Text("")` instead, so that exports which write NULL as nothing and the empty string as
    /// `""` keep the two apart.
    Empty,
    /// Text exactly as it stands in the file, after unquoting and decoding to UTF-8.
    Text(&'a str),
    /// A spreadsheet number stored as an integer.
    Int(i64),
    /// A spreadsheet number.
    Float(f64),
    /// A spreadsheet boolean.
    Bool(bool),
    /// A spreadsheet cell whose number format is a date, time or date-time format.
    DateTime(SheetDateTime),
    /// A spreadsheet error value such as `#N/A` or `#DIV/0!`, as its text.
    Error(&'a str),
}

/// A spreadsheet date, time or date-time, already turned into civil parts (no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetDateTime {
    /// Days since 1970-01-01 (negative before). Zero for a pure time; whole days for a
    /// [`DateKind::Duration`].
    pub days: i32,
    /// Nanoseconds since midnight.
    pub nanos: u64,
    /// What the cell's number format shows.
    pub kind: DateKind,
}

/// What a date-formatted spreadsheet cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    Date,
    DateTime,
    Time,
    /// An elapsed time (`[h]:mm:ss` in Excel, or an OpenDocument time value of a day or
    /// more): `days` whole days plus `nanos`, not a point in time.
    Duration,
}
