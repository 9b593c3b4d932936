//! Reading a type back from SQL Server's spelling (`decimal(12,2)`, `nvarchar(max)`), as
//! templates and users write it: the inverse of [`SqlType`]'s `Display`.
//!
//! Accepted: the types [`SqlType`] has, names in any case, spaces around parentheses and
//! commas, the synonyms SQL Server itself accepts (`integer`, `numeric`, `dec`), and the
//! defaults SQL Server gives an omitted parameter where that default is not a trap:
//! `decimal` is `decimal(18,0)`, `decimal(p)` is `decimal(p,0)`, `datetime2`/`time`/
//! `datetimeoffset` take 7 fraction digits. A bare `varchar`/`nvarchar` is refused: SQL Server
//! reads it as length 1 in a column, which is never what a template means.
//!
//! Types SQL Server has but the loader does not convert to (`datetime`, `char(n)`, `money` …)
//! are refused with a hint at the type to use instead.

use std::fmt;
use std::str::FromStr;

use super::{SqlType, NVARCHAR_MAX_N, VARCHAR_MAX_N};

/// Why a type spelling was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSpellingError {
    /// The spelling as given.
    pub spelling: String,
    pub reason: String,
}

impl fmt::Display for TypeSpellingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a column type: {}",
            self.spelling, self.reason
        )
    }
}

impl std::error::Error for TypeSpellingError {}

/// A parameter: a number, or `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    N(u32),
    Max,
}

impl FromStr for SqlType {
    type Err = TypeSpellingError;

    fn from_str(spelling: &str) -> Result<SqlType, TypeSpellingError> {
        let err = |reason: String| TypeSpellingError {
            spelling: spelling.to_string(),
            reason,
        };
        let text = spelling.trim();
        let (name, params) = match text.find('(') {
            Some(open) => {
                let inner = text
                    .get(open + 1..)
                    .and_then(|rest| rest.strip_suffix(')'))
                    .ok_or_else(|| err("a '(' without its closing ')' at the end".into()))?;
                let params = inner
                    .split(',')
                    .map(|p| {
                        parse_param(p.trim())
                            .ok_or_else(|| err(format!("{:?} is not a number or max", p.trim())))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (text.get(..open).unwrap_or_default().trim(), params)
            }
            None => (text, Vec::new()),
        };
        let name = name.to_ascii_lowercase();
        let name = name.strip_prefix("sys.").unwrap_or(&name);
        let no_params = |t: SqlType| {
            if params.is_empty() {
                Ok(t)
            } else {
                Err(err(format!("{name} takes no parameters")))
            }
        };
        let fraction = |make: fn(u8) -> SqlType| match params.as_slice() {
            [] => Ok(make(7)),
            [Param::N(n)] if *n <= 7 => Ok(make(*n as u8)),
            _ => Err(err(format!(
                "{name} takes one fraction-digit count from 0 to 7"
            ))),
        };
        let length = |max_n: u32, make: fn(Option<u32>) -> SqlType| match params.as_slice() {
            [Param::Max] => Ok(make(None)),
            [Param::N(n)] if (1..=max_n).contains(n) => Ok(make(Some(*n))),
            [Param::N(n)] => Err(err(format!(
                "the length {n} is outside 1 to {max_n} (use {name}(max) beyond)"
            ))),
            [] => Err(err(format!("give a length: {name}(n) or {name}(max)"))),
            _ => Err(err(format!("{name} takes one length"))),
        };
        match name {
            "bit" => no_params(SqlType::Bit),
            "tinyint" => no_params(SqlType::TinyInt),
            "smallint" => no_params(SqlType::SmallInt),
            "int" | "integer" => no_params(SqlType::Int),
            "bigint" => no_params(SqlType::BigInt),
            "date" => no_params(SqlType::Date),
            "uniqueidentifier" => no_params(SqlType::UniqueIdentifier),
            "float" => match params.as_slice() {
                // float(n) with n ≤ 24 is `real`, which the loader does not produce.
                [] | [Param::N(25..=53)] => Ok(SqlType::Float),
                _ => Err(err("float takes no parameter, or one from 25 to 53 (float(1…24) is real, which the loader does not convert to)".into())),
            },
            "decimal" | "numeric" | "dec" => {
                let (precision, scale) = match params.as_slice() {
                    [] => (18, 0),
                    [Param::N(p)] => (*p, 0),
                    [Param::N(p), Param::N(s)] => (*p, *s),
                    _ => return Err(err(format!("{name} takes (precision) or (precision,scale)"))),
                };
                if !(1..=38).contains(&precision) {
                    return Err(err(format!("the precision {precision} is outside 1 to 38")));
                }
                if scale > precision {
                    return Err(err(format!("the scale {scale} is above the precision {precision}")));
                }
                Ok(SqlType::Decimal {
                    precision: precision as u8,
                    scale: scale as u8,
                })
            }
            "datetime2" => fraction(SqlType::DateTime2),
            "datetimeoffset" => fraction(SqlType::DateTimeOffset),
            "time" => fraction(SqlType::Time),
            "varchar" => length(VARCHAR_MAX_N, SqlType::VarChar),
            "nvarchar" => length(NVARCHAR_MAX_N, SqlType::NVarChar),
            other => Err(err(match unsupported_hint(other) {
                Some(hint) => format!("the loader does not convert to {other}; {hint}"),
                None => "not a SQL Server type the loader knows (bit, int, bigint, decimal(p,s), float, date, datetime2(n), datetimeoffset(n), time(n), uniqueidentifier, varchar(n|max), nvarchar(n|max) …)".to_string(),
            })),
        }
    }
}

fn parse_param(p: &str) -> Option<Param> {
    if p.eq_ignore_ascii_case("max") {
        return Some(Param::Max);
    }
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Oversized numbers saturate and are then refused as out of range.
    Some(Param::N(p.parse::<u32>().unwrap_or(u32::MAX)))
}

/// What to use instead of a SQL Server type the loader has no conversion for.
fn unsupported_hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "datetime" | "smalldatetime" => "use datetime2(3) (or datetime2(0))",
        "char" | "text" => "use varchar(n)",
        "nchar" | "ntext" => "use nvarchar(n)",
        "money" | "smallmoney" => "use decimal(19,4)",
        "real" => "use float",
        "binary" | "varbinary" | "image" => "binary columns cannot come from a file's text",
        "xml" | "sql_variant" | "geography" | "geometry" | "hierarchyid" => "use nvarchar(max)",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<SqlType, TypeSpellingError> {
        s.parse()
    }

    #[test]
    fn every_display_spelling_reads_back_as_the_same_type() {
        let types = [
            SqlType::Bit,
            SqlType::TinyInt,
            SqlType::SmallInt,
            SqlType::Int,
            SqlType::BigInt,
            SqlType::Decimal {
                precision: 12,
                scale: 2,
            },
            SqlType::Decimal {
                precision: 38,
                scale: 0,
            },
            SqlType::Float,
            SqlType::Date,
            SqlType::DateTime2(0),
            SqlType::DateTime2(7),
            SqlType::DateTimeOffset(3),
            SqlType::Time(6),
            SqlType::UniqueIdentifier,
            SqlType::VarChar(Some(37)),
            SqlType::VarChar(None),
            SqlType::NVarChar(Some(4000)),
            SqlType::NVarChar(None),
        ];
        for t in types {
            assert_eq!(parse(&t.to_string()), Ok(t), "{t}");
        }
    }

    #[test]
    fn case_spaces_synonyms_and_safe_defaults_are_accepted() {
        assert_eq!(parse(" NVarChar ( MAX ) "), Ok(SqlType::NVarChar(None)));
        assert_eq!(parse("INTEGER"), Ok(SqlType::Int));
        assert_eq!(
            parse("numeric(10, 3)"),
            Ok(SqlType::Decimal {
                precision: 10,
                scale: 3
            })
        );
        assert_eq!(
            parse("decimal"),
            Ok(SqlType::Decimal {
                precision: 18,
                scale: 0
            })
        );
        assert_eq!(
            parse("dec(9)"),
            Ok(SqlType::Decimal {
                precision: 9,
                scale: 0
            })
        );
        assert_eq!(parse("datetime2"), Ok(SqlType::DateTime2(7)));
        assert_eq!(parse("float(53)"), Ok(SqlType::Float));
        assert_eq!(parse("sys.int"), Ok(SqlType::Int));
    }

    #[test]
    fn bad_spellings_are_refused_with_the_reason() {
        let reason = |s: &str| parse(s).unwrap_err().to_string();
        assert!(
            reason("varchar").contains("give a length"),
            "{}",
            reason("varchar")
        );
        assert!(reason("varchar(8001)").contains("outside 1 to 8000"));
        assert!(reason("nvarchar(0)").contains("outside 1 to 4000"));
        assert!(reason("decimal(5,6)").contains("scale 6 is above the precision 5"));
        assert!(reason("decimal(39,0)").contains("outside 1 to 38"));
        assert!(reason("datetime2(8)").contains("0 to 7"));
        assert!(reason("int(4)").contains("takes no parameters"));
        assert!(reason("datetime").contains("use datetime2(3)"));
        assert!(reason("money").contains("decimal(19,4)"));
        assert!(reason("float(10)").contains("real"));
        assert!(reason("varchar(ten)").contains("\"ten\" is not a number"));
        assert!(reason("varchar(10").contains("closing ')'"));
        assert!(reason("blob").contains("not a SQL Server type"));
        assert!(reason("").contains("not a SQL Server type"));
        assert!(reason("varchar(99999999999999999999)").contains("outside"));
    }
}
