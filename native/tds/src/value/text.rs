//! Text ↔ value conversions. STUB: being written (see issue 3); signatures are the contract.

use super::Value;
use crate::types::SqlType;

/// Why a text (or other source value) cannot become a value of a column's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    #[error("cannot convert {value:?} to {ty}: {reason}")]
    Invalid { value: String, ty: String, reason: String },
}

/// Converts `text` into a value of column type `ty`, as SQL Server converts a string literal
/// on insert (numbers, decimals, dates, times, GUIDs, hex for binary, …). Errors name the value.
pub fn parse_text(ty: &SqlType, text: &str) -> Result<Value, ConvertError> {
    Err(ConvertError::Invalid { value: text.to_string(), ty: format!("{ty:?}"), reason: "not implemented yet".into() })
}

impl Value {
    /// The value as SQL Server Management Studio would show it (ISO dates, exact decimals).
    pub fn to_text(&self) -> Option<String> {
        None
    }
}
