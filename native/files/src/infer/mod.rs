//! Whole-file type inference and the parsing functions the loader converts with.
//!
//! - [`parse`]: the one set of parsing functions (numbers, booleans, dates and times, GUIDs).
//! - [`column`](mod@column): per-column candidate types that widen one step at a time, with evidence.
//! - [`Inferrer`]: observes records from any [`crate::RowSource`] and proposes a
//!   [`ColumnSchema`] per column (serialisable, camelCase JSON).
//! - [`detect_header`]: is record 1 a header, and why.
//! - [`propose_names`]: valid, unique SQL Server identifiers beside the header's names.
//! - [`convert()`]: what the loader calls per value, with the [`ColumnRule`] inference decided.

pub mod cell_text;
pub mod column;
pub mod convert;
pub mod evidence;
pub mod header;
pub mod inferrer;
pub mod names;
pub mod nulls;
pub mod parse;
mod sheet_value;
pub mod sql_type;
#[cfg(test)]
pub(crate) mod test_source;

pub use column::InferOptions;
pub use convert::{convert, ColumnRule, ConvertError, ConvertFailure, Converted};
pub use evidence::Evidence;
pub use header::{detect_header, header_names, HeaderChoice, HeaderDecision, RecordSample};
pub use inferrer::{ColumnSchema, Inferrer};
pub use names::{default_names, propose_names};
pub use nulls::NullPolicy;
pub use parse::DateOrder;
pub use sql_type::SqlType;
