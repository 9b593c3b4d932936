//! The import template: everything a load needs besides the file and the connection, as a
//! versioned JSON document (`template.schema.json` beside this crate is its JSON Schema).
//! `sluice inspect FILE --template OUT.json` writes a starting one; `sluice load --map` and the
//! desktop app read it. Field names are camelCase in JSON.
//!
//! [`Template::read`] checks the version first (a newer format is refused for its version, not
//! for a field this build does not know), then the shape (serde, unknown fields refused), then
//! [`Template::validate`]: what the parts must agree on, every problem listed with its place.
//! [`Template::write`] validates and writes pretty JSON in a stable order.

use serde::{Deserialize, Serialize};
use sluice_files::infer::sql_type::TypeSpellingError;
use sluice_files::infer::{DateOrder, SqlType};

mod check;
mod file;
mod from_inspection;
#[cfg(test)]
mod schema_tests;
#[cfg(test)]
mod tests;

pub use check::Problem;
pub use file::TemplateError;
pub use from_inspection::InspectedFile;

/// The format version this build writes and reads.
pub const TEMPLATE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Template {
    /// Always [`TEMPLATE_VERSION`] for now; a reader refuses versions it does not know.
    pub version: u32,
    pub source: SourceSettings,
    /// The source columns the template expects, in file order, with the types inferred when
    /// it was made: loading a file whose columns differ is schema drift.
    pub columns: Vec<ExpectedColumn>,
    pub target: Target,
    /// Target columns in table order and where each value comes from.
    pub mapping: Vec<ColumnMapping>,
    #[serde(default)]
    pub options: LoadSettings,
}

/// How to read the file (each `None` means "detect").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceSettings {
    /// `csv` (any delimited text), `xlsx`, `xlsm`, `xlsb`, `xls`, `ods`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Sheet name (spreadsheets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Cell range such as `A1:H400` (spreadsheets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    /// 1-based row holding the column names; `Some(0)` for a file without a header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The quote character of delimited text, or `none` for quotes read as data; absent means
    /// detect (templates write it only when it is not `"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Field texts read as NULL (default: empty, `NULL`, `NA`, `N/A`, `\N`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_tokens: Option<Vec<String>>,
}

/// A source column as the template expects it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedColumn {
    pub name: String,
    /// SQL Server's spelling, as the inference proposes it (`decimal(12,2)`, `nvarchar(40)`).
    pub sql_type: String,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    /// `[schema.]name`, quoted by the loader, never pasted into SQL as is.
    pub table: String,
    pub mode: LoadMode,
    /// Columns of the primary key to declare when the table is created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LoadMode {
    /// `CREATE TABLE` from the mapping; refuses an existing table.
    Create,
    /// Rows go into the existing table.
    Append,
    /// The existing table is emptied first.
    Truncate,
}

/// One target column and where its values come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ColumnMapping {
    /// Target column name.
    pub target: String,
    /// Source column name (as in `columns`); `None` with `constant` for a value the file lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A constant for every row (text, converted like a field of the column's type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant: Option<String>,
    /// The target type, SQL Server's spelling; overrides the inference.
    pub sql_type: String,
    pub nullable: bool,
    /// Whether an empty field is NULL (default true) or an empty string.
    #[serde(default = "yes")]
    pub empty_as_null: bool,
    /// `dmy` or `mdy` for numeric dates such as `05/03/2024`; `None` keeps the inference's
    /// decision. `ymd` says the dates are year first (`2024-03-05`, `2024/03/05`), which the
    /// reader always reads as year, month, day: it records the choice (the app's "YMD") and
    /// keeps the inference's day/month order for any other form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<String>,
    /// Overrides the source's NULL tokens for this column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_tokens: Option<Vec<String>>,
}

impl ExpectedColumn {
    /// The expected type, read from its spelling ([`Template::validate`] has checked it).
    pub fn parsed_type(&self) -> Result<SqlType, TypeSpellingError> {
        self.sql_type.parse()
    }
}

impl ColumnMapping {
    /// The target type, read from its spelling ([`Template::validate`] has checked it).
    pub fn parsed_type(&self) -> Result<SqlType, TypeSpellingError> {
        self.sql_type.parse()
    }

    /// The day/month order this mapping sets, if any (`None` also for an unknown spelling,
    /// which [`Template::validate`] refuses).
    pub fn parsed_date_order(&self) -> Option<DateOrder> {
        self.date_order.as_deref().and_then(date_order_from_name)
    }
}

/// The date-order spellings a template may hold: [`date_order_from_name`]'s and `ymd`.
pub const DATE_ORDER_NAMES: [&str; 3] = ["dmy", "mdy", "ymd"];

/// Whether `name` is one of [`DATE_ORDER_NAMES`] (case-insensitive).
pub fn is_date_order_name(name: &str) -> bool {
    DATE_ORDER_NAMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// `dmy` → day first, `mdy` → month first (case-insensitive); `None` for `ymd`, whose dates
/// fix their own order.
pub fn date_order_from_name(name: &str) -> Option<DateOrder> {
    match name.to_ascii_lowercase().as_str() {
        "dmy" => Some(DateOrder::DayFirst),
        "mdy" => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// The template's spelling of a day/month order.
pub fn date_order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayFirst => "dmy",
        DateOrder::MonthFirst => "mdy",
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadSettings {
    #[serde(default = "default_batch_size")]
    pub batch_size: u32,
    /// Rows that may be rejected before the load stops (0 = stop at the first bad row).
    #[serde(default)]
    pub max_errors: u64,
    #[serde(default = "yes")]
    pub table_lock: bool,
}

fn default_batch_size() -> u32 {
    100_000
}

impl Default for LoadSettings {
    fn default() -> Self {
        Self {
            batch_size: default_batch_size(),
            max_errors: 0,
            table_lock: true,
        }
    }
}
