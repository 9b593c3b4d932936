//! Per-column inference: a candidate type that widens one step at a time, with the evidence.
//!
//! Each column holds one candidate, the narrowest type that holds every value seen so far,
//! and the figures that size it (integer range, decimal digits, fraction-of-second digits,
//! lengths). A value the candidate cannot hold moves it to the narrowest wider type that holds
//! both — recording the value, its row and why:
//!
//! ```text
//! bit(0/1) → tinyint → smallint → int → bigint → decimal(p,s) → float ─┐
//! bit(words: true/false, yes/no, t/f, y/n)  ──────────────────────────┤
//! date → datetime2(n) → datetimeoffset(n)  ───────────────────────────┤
//! time(n) ─────────────────────────────────────────────────────────────┼→ varchar(n) / nvarchar(n|max)
//! uniqueidentifier ────────────────────────────────────────────────────┘
//! ```
//!
//! `tinyint` and `smallint` are proposed only when asked ([`InferOptions::narrow_integers`]):
//! by default the narrowest integer type is `int`, as a later file of the same feed rarely
//! stays under 255. Integers beyond `bigint` widen to `decimal(p,0)`; a decimal whose precision
//! would pass 38 widens to `float`.
//!
//! The 0/1 flag rule: a column whose values are all `0` or `1` is `bit` only when its name
//! reads as a flag (`is_*`, `has_*`, `can_*`, `*_flag`, `isActive`, `active`, `enabled`,
//! `deleted` …, see [`reads_as_flag`]); otherwise it stays `int`, because quantities and
//! counts are often 0 or 1 in a file and would lose their meaning as `bit`. Boolean words mixed
//! with `0`/`1` make `bit` whatever the name.
//!
//! Day/month order is decided over the whole column: numeric dates each allow one or both
//! orders, and the column keeps the orders every value allows. One value with a day above 12
//! settles it; a value that contradicts a settled order makes the column text. When nothing
//! settles it, the evidence says so and which order was taken and why.
//!
//! Spreadsheet error cells (`#N/A`, `#DIV/0!`) count as NULL, with the count and the first
//! one in the evidence: the column keeps the type its real values have, rather than becoming
//! text because of a formula that failed.
//!
//! Hot path: a value costs one parse against the current candidate (or a length and ASCII
//! check once the column is text), and nothing is allocated except when evidence is recorded.

mod candidate;
mod finish;
mod state;

pub use finish::reads_as_flag;
pub(crate) use state::ColumnState;

use super::nulls::NullPolicy;
use super::parse::DateOrder;

/// What every column of one inference run shares.
#[derive(Debug, Clone)]
pub struct InferOptions {
    pub nulls: NullPolicy,
    /// The order taken for a column of numeric dates that no value settles (dotted dates such
    /// as `5.3.2024` take day first regardless). The default is month first, which is how SQL
    /// Server itself reads such text under its default language (us_english, `DATEFORMAT mdy`);
    /// a caller that knows the file's locale should say so.
    pub default_date_order: DateOrder,
    /// Propose `tinyint`/`smallint` for small ranges (default: `int` at least).
    pub narrow_integers: bool,
    /// The code page of the target's collation (`windows-1252` for `Latin1_General_*`, UTF-8
    /// for a `*_UTF8` collation …): a text column whose every value that code page holds is
    /// proposed as `varchar`, its length in that code page's bytes, rather than `nvarchar`.
    /// `None` (the default): non-ASCII text is `nvarchar`.
    pub varchar_code_page: Option<&'static encoding_rs::Encoding>,
}

impl Default for InferOptions {
    fn default() -> Self {
        InferOptions {
            nulls: NullPolicy::default(),
            default_date_order: DateOrder::MonthFirst,
            narrow_integers: false,
            varchar_code_page: None,
        }
    }
}

#[cfg(test)]
#[path = "column_tests.rs"]
mod tests;
