//! The evidence behind a proposed column type, as the CLI and the app show it.

use serde::{Deserialize, Deserializer, Serialize};

use super::parse::DateOrder;

/// Longest text kept of a value quoted as evidence (in characters).
pub const EXAMPLE_CHARS: usize = 100;

/// A value quoted from the file, with the row it is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub row: u64,
    /// The value as written (shortened to [`EXAMPLE_CHARS`] characters, then `…`).
    pub value: String,
}

impl Example {
    pub fn new(row: u64, value: &str) -> Self {
        let value = match value.char_indices().nth(EXAMPLE_CHARS) {
            Some((cut, _)) => format!("{}…", value.get(..cut).unwrap_or_default()),
            None => value.to_string(),
        };
        Example { row, value }
    }
}

/// One step from a narrower candidate type to a wider one, and the value that forced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Widening {
    pub from: String,
    pub to: String,
    pub row: u64,
    pub value: String,
    pub reason: String,
}

/// How the day/month order of a date column was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DateOrderEvidence {
    pub order: DateOrder,
    /// True when no value settled the order and it was chosen.
    pub ambiguous: bool,
    /// The first value that can only be read in `order` (a day above 12).
    pub settled_by: Option<Example>,
    pub reason: String,
}

/// Where a decimal's precision and scale come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecimalEvidence {
    /// Most digits before the point, and the first row that has that many.
    pub integer_digits: u8,
    pub integer_digits_row: u64,
    /// Most digits after the point, and the first row that has that many.
    pub scale: u8,
    pub scale_row: u64,
}

/// Everything behind one column's proposed type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// Records observed (every record counts for every column).
    pub rows: u64,
    /// Non-NULL values.
    pub values: u64,
    /// Values that load as NULL: NULL tokens, empty fields when empty means NULL, error cells.
    pub nulls: u64,
    /// Empty fields (whether or not they count as NULL).
    pub empty_strings: u64,
    /// Records that end before this column (ragged rows): NULL.
    pub missing: u64,
    /// Fields equal to one of the NULL tokens.
    pub null_tokens: u64,
    /// Spreadsheet error cells (`#N/A`, `#DIV/0!` …), loaded as NULL; the first one is quoted.
    pub errors: u64,
    pub first_error: Option<Example>,
    /// Smallest and largest value, for numbers and dates/times (in the column's type).
    pub min: Option<String>,
    pub max: Option<String>,
    /// The longest value, in `length_unit`s (bytes for `varchar` and the non-text types,
    /// UTF-16 code units for `nvarchar`).
    pub max_length: u64,
    #[serde(deserialize_with = "length_unit")]
    pub length_unit: LengthUnit,
    /// The first row with a value of `max_length` (0 when there are no values).
    pub longest_row: u64,
    /// Up to five distinct values, in order of first appearance.
    pub distinct: Vec<String>,
    /// True when `distinct` lists every distinct value of the column.
    pub distinct_complete: bool,
    /// Each widening, in the order they happened.
    pub widenings: Vec<Widening>,
    /// The first value outside ASCII (what makes a character column `nvarchar`).
    pub first_non_ascii: Option<Example>,
    pub date_order: Option<DateOrderEvidence>,
    pub decimal: Option<DecimalEvidence>,
    /// The first value with the most fraction-of-second digits (sets the `n` of datetime2(n),
    /// datetimeoffset(n), time(n)).
    pub fraction_digits_set_by: Option<Example>,
    /// Other remarks (the 0/1 flag rule, a column without values …).
    pub notes: Vec<String>,
}

/// A unit name (`bytes`, `utf16CodeUnits`). An alias, so that serde's derive does not take the
/// `'static` reference for a string borrowed from the input.
pub type LengthUnit = &'static str;

/// The unit names [`Evidence::length_unit`] is written with, read back as the same `'static`
/// strings (an evidence read from a cache compares equal to the one written).
fn length_unit<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    let unit = String::deserialize(deserializer)?;
    match unit.as_str() {
        "utf16CodeUnits" => Ok("utf16CodeUnits"),
        "bytes" => Ok("bytes"),
        other => Err(serde::de::Error::custom(format!(
            "unknown length unit {other:?}"
        ))),
    }
}
