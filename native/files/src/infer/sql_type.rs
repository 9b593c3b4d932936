//! SQL Server column types, spelled as SQL Server spells them.

use std::fmt;

mod spelling;
pub use spelling::TypeSpellingError;

/// A proposed column type. `Display` gives the T-SQL spelling (`decimal(12,2)`,
/// `datetime2(3)`, `nvarchar(max)`), which is also how it serialises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlType {
    Bit,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Decimal {
        precision: u8,
        scale: u8,
    },
    Float,
    Date,
    /// `datetime2(n)`, n = fraction digits 0–7.
    DateTime2(u8),
    /// `datetimeoffset(n)`.
    DateTimeOffset(u8),
    /// `time(n)`.
    Time(u8),
    UniqueIdentifier,
    /// `varchar(n)`, n in bytes; `None` is `varchar(max)`.
    VarChar(Option<u32>),
    /// `nvarchar(n)`, n in UTF-16 code units; `None` is `nvarchar(max)`.
    NVarChar(Option<u32>),
}

/// The largest `n` of `varchar(n)`; beyond it, `varchar(max)`.
pub const VARCHAR_MAX_N: u32 = 8000;
/// The largest `n` of `nvarchar(n)`; beyond it, `nvarchar(max)`.
pub const NVARCHAR_MAX_N: u32 = 4000;

impl SqlType {
    /// `varchar(n)` for a longest value of `bytes` bytes (at least 1), or `varchar(max)`.
    pub fn varchar_for(bytes: u64) -> SqlType {
        SqlType::VarChar(sized(bytes, VARCHAR_MAX_N))
    }
    /// `nvarchar(n)` for a longest value of `units` UTF-16 code units, or `nvarchar(max)`.
    pub fn nvarchar_for(units: u64) -> SqlType {
        SqlType::NVarChar(sized(units, NVARCHAR_MAX_N))
    }
    /// True for the character types.
    pub fn is_text(self) -> bool {
        matches!(self, SqlType::VarChar(_) | SqlType::NVarChar(_))
    }
}

fn sized(len: u64, limit: u32) -> Option<u32> {
    let n = len.max(1);
    (n <= u64::from(limit)).then_some(n as u32)
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::Bit => f.write_str("bit"),
            SqlType::TinyInt => f.write_str("tinyint"),
            SqlType::SmallInt => f.write_str("smallint"),
            SqlType::Int => f.write_str("int"),
            SqlType::BigInt => f.write_str("bigint"),
            SqlType::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            SqlType::Float => f.write_str("float"),
            SqlType::Date => f.write_str("date"),
            SqlType::DateTime2(n) => write!(f, "datetime2({n})"),
            SqlType::DateTimeOffset(n) => write!(f, "datetimeoffset({n})"),
            SqlType::Time(n) => write!(f, "time({n})"),
            SqlType::UniqueIdentifier => f.write_str("uniqueidentifier"),
            SqlType::VarChar(Some(n)) => write!(f, "varchar({n})"),
            SqlType::VarChar(None) => f.write_str("varchar(max)"),
            SqlType::NVarChar(Some(n)) => write!(f, "nvarchar({n})"),
            SqlType::NVarChar(None) => f.write_str("nvarchar(max)"),
        }
    }
}

impl serde::Serialize for SqlType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Read back from its spelling (`decimal(12,2)`), as [`SqlType::from_str`] reads it.
impl<'de> serde::Deserialize<'de> for SqlType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spelling = String::deserialize(deserializer)?;
        spelling.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_display_as_sql_server_spells_them() {
        let cases = [
            (SqlType::Int, "int"),
            (SqlType::BigInt, "bigint"),
            (
                SqlType::Decimal {
                    precision: 12,
                    scale: 2,
                },
                "decimal(12,2)",
            ),
            (SqlType::Float, "float"),
            (SqlType::Bit, "bit"),
            (SqlType::Date, "date"),
            (SqlType::DateTime2(3), "datetime2(3)"),
            (SqlType::DateTimeOffset(7), "datetimeoffset(7)"),
            (SqlType::Time(0), "time(0)"),
            (SqlType::UniqueIdentifier, "uniqueidentifier"),
            (SqlType::VarChar(Some(37)), "varchar(37)"),
            (SqlType::NVarChar(None), "nvarchar(max)"),
            (SqlType::TinyInt, "tinyint"),
            (SqlType::SmallInt, "smallint"),
        ];
        for (t, s) in cases {
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn character_lengths_clamp_to_one_and_switch_to_max() {
        assert_eq!(SqlType::varchar_for(0), SqlType::VarChar(Some(1)));
        assert_eq!(SqlType::varchar_for(8000), SqlType::VarChar(Some(8000)));
        assert_eq!(SqlType::varchar_for(8001), SqlType::VarChar(None));
        assert_eq!(SqlType::nvarchar_for(4000), SqlType::NVarChar(Some(4000)));
        assert_eq!(SqlType::nvarchar_for(4001), SqlType::NVarChar(None));
    }

    #[test]
    fn types_serialise_as_their_spelling() {
        let json = serde_json::to_string(&SqlType::Decimal {
            precision: 5,
            scale: 1,
        })
        .unwrap();
        assert_eq!(json, "\"decimal(5,1)\"");
    }
}
