//! SQL type declarations: the text used in `INSERT BULK` column lists and `CREATE TABLE`.
//!
//! Both directions follow SQL Server's rules (CREATE TABLE documentation, "Data types"):
//! defaults when a parameter is left out, the ranges of lengths, precisions and scales, and the
//! ISO synonyms the parser accepts.

use crate::collation::Collation;
use crate::types::{SqlType, VarLen};

impl SqlType {
    /// The date and time types: date, time, datetime, smalldatetime, datetime2, datetimeoffset.
    pub fn is_temporal(&self) -> bool {
        matches!(
            self,
            SqlType::Date
                | SqlType::Time { .. }
                | SqlType::DateTime
                | SqlType::SmallDateTime
                | SqlType::DateTime2 { .. }
                | SqlType::DateTimeOffset { .. }
        )
    }

    /// The declaration as written in SQL: `int`, `decimal(18,4)`, `nvarchar(max)`, `datetime2(7)`,
    /// `varchar(20)` (no COLLATE clause; see [`SqlType::collation`]).
    pub fn sql_name(&self) -> String {
        let var = |len: VarLen| match len {
            VarLen::Max => "max".to_string(),
            VarLen::Len(n) => n.to_string(),
        };
        match *self {
            SqlType::Bit => "bit".into(),
            SqlType::TinyInt => "tinyint".into(),
            SqlType::SmallInt => "smallint".into(),
            SqlType::Int => "int".into(),
            SqlType::BigInt => "bigint".into(),
            SqlType::Real => "real".into(),
            SqlType::Float => "float".into(),
            SqlType::Decimal { precision, scale } => format!("decimal({precision},{scale})"),
            SqlType::Numeric { precision, scale } => format!("numeric({precision},{scale})"),
            SqlType::Money => "money".into(),
            SqlType::SmallMoney => "smallmoney".into(),
            SqlType::Date => "date".into(),
            SqlType::Time { scale } => format!("time({scale})"),
            SqlType::DateTime => "datetime".into(),
            SqlType::SmallDateTime => "smalldatetime".into(),
            SqlType::DateTime2 { scale } => format!("datetime2({scale})"),
            SqlType::DateTimeOffset { scale } => format!("datetimeoffset({scale})"),
            SqlType::UniqueIdentifier => "uniqueidentifier".into(),
            SqlType::Char { len, .. } => format!("char({len})"),
            SqlType::VarChar { len, .. } => format!("varchar({})", var(len)),
            SqlType::NChar { len, .. } => format!("nchar({len})"),
            SqlType::NVarChar { len, .. } => format!("nvarchar({})", var(len)),
            SqlType::Binary { len } => format!("binary({len})"),
            SqlType::VarBinary { len } => format!("varbinary({})", var(len)),
            SqlType::Text { .. } => "text".into(),
            SqlType::NText { .. } => "ntext".into(),
            SqlType::Image => "image".into(),
            SqlType::Xml => "xml".into(),
            SqlType::Variant => "sql_variant".into(),
            SqlType::Udt { kind } => kind.name().into(),
        }
    }

    /// Parses a type as declared in SQL (`name` case-insensitive, `params` the numbers in the
    /// parentheses, `None` standing for `max`). `None` for an unknown type or bad parameters.
    ///
    /// Defaults are SQL Server's: `decimal` is `decimal(18,0)`, a character or binary type
    /// without a length has length 1, `time`/`datetime2`/`datetimeoffset` have scale 7, and
    /// `float(n)` is `real` for n ≤ 24. `collation` applies to character types and defaults to
    /// `SQL_Latin1_General_CP1_CI_AS`.
    pub fn from_declaration(
        name: &str,
        params: &[Option<u32>],
        collation: Option<Collation>,
    ) -> Option<SqlType> {
        let collation = collation.unwrap_or(Collation::SQL_LATIN1_GENERAL_CP1_CI_AS);
        let name = name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let none = |ty: SqlType| params.is_empty().then_some(ty);
        match name.as_str() {
            "bit" => none(SqlType::Bit),
            "tinyint" => none(SqlType::TinyInt),
            "smallint" => none(SqlType::SmallInt),
            "int" | "integer" => none(SqlType::Int),
            "bigint" => none(SqlType::BigInt),
            "real" => none(SqlType::Real),
            "double precision" => none(SqlType::Float),
            "float" => match params {
                [] => Some(SqlType::Float),
                [Some(1..=24)] => Some(SqlType::Real),
                [Some(25..=53)] => Some(SqlType::Float),
                _ => None,
            },
            "money" => none(SqlType::Money),
            "smallmoney" => none(SqlType::SmallMoney),
            "date" => none(SqlType::Date),
            "datetime" => none(SqlType::DateTime),
            "smalldatetime" => none(SqlType::SmallDateTime),
            "uniqueidentifier" => none(SqlType::UniqueIdentifier),
            "decimal" | "dec" | "numeric" => {
                let (precision, scale) = match params {
                    [] => (18, 0),
                    [Some(p)] => (*p, 0),
                    [Some(p), Some(s)] => (*p, *s),
                    _ => return None,
                };
                if !(1..=38).contains(&precision) || scale > precision {
                    return None;
                }
                let (precision, scale) = (precision as u8, scale as u8);
                Some(if name == "numeric" {
                    SqlType::Numeric { precision, scale }
                } else {
                    SqlType::Decimal { precision, scale }
                })
            }
            "time" => scale_param(params).map(|scale| SqlType::Time { scale }),
            "datetime2" => scale_param(params).map(|scale| SqlType::DateTime2 { scale }),
            "datetimeoffset" => scale_param(params).map(|scale| SqlType::DateTimeOffset { scale }),
            "char" | "character" => {
                fixed_len(params, 8000).map(|len| SqlType::Char { len, collation })
            }
            "varchar" | "char varying" | "character varying" => {
                var_len(params, 8000).map(|len| SqlType::VarChar { len, collation })
            }
            "nchar" | "national char" | "national character" => {
                fixed_len(params, 4000).map(|len| SqlType::NChar { len, collation })
            }
            "nvarchar"
            | "nchar varying"
            | "national char varying"
            | "national character varying" => {
                var_len(params, 4000).map(|len| SqlType::NVarChar { len, collation })
            }
            "binary" => fixed_len(params, 8000).map(|len| SqlType::Binary { len }),
            "varbinary" | "binary varying" => {
                var_len(params, 8000).map(|len| SqlType::VarBinary { len })
            }
            "text" => none(SqlType::Text { collation }),
            "ntext" | "national text" => none(SqlType::NText { collation }),
            "image" => none(SqlType::Image),
            "xml" => none(SqlType::Xml),
            "sql_variant" => none(SqlType::Variant),
            "hierarchyid" | "geometry" | "geography" => none(SqlType::Udt {
                kind: crate::types::UdtKind::from_type_name(&name),
            }),
            _ => None,
        }
    }
}

/// Fractional-second scale: 0..=7, 7 when left out.
fn scale_param(params: &[Option<u32>]) -> Option<u8> {
    match params {
        [] => Some(7),
        [Some(s @ 0..=7)] => Some(*s as u8),
        _ => None,
    }
}

/// Length of `char`/`nchar`/`binary`: 1..=max, 1 when left out; `max` is not allowed.
fn fixed_len(params: &[Option<u32>], max: u32) -> Option<u16> {
    match params {
        [] => Some(1),
        [Some(n)] if (1..=max).contains(n) => u16::try_from(*n).ok(),
        _ => None,
    }
}

/// Length of `varchar`/`nvarchar`/`varbinary`: like [`fixed_len`], or `max`.
fn var_len(params: &[Option<u32>], max: u32) -> Option<VarLen> {
    match params {
        [None] => Some(VarLen::Max),
        _ => fixed_len(params, max).map(VarLen::Len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CP1: Collation = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;

    fn decl(name: &str, params: &[Option<u32>]) -> Option<SqlType> {
        SqlType::from_declaration(name, params, None)
    }

    #[test]
    fn names_match_sql_server_spelling() {
        let cases = [
            (SqlType::Int, "int"),
            (
                SqlType::Decimal {
                    precision: 18,
                    scale: 4,
                },
                "decimal(18,4)",
            ),
            (
                SqlType::Numeric {
                    precision: 5,
                    scale: 0,
                },
                "numeric(5,0)",
            ),
            (
                SqlType::NVarChar {
                    len: VarLen::Max,
                    collation: CP1,
                },
                "nvarchar(max)",
            ),
            (
                SqlType::NVarChar {
                    len: VarLen::Len(50),
                    collation: CP1,
                },
                "nvarchar(50)",
            ),
            (SqlType::DateTime2 { scale: 7 }, "datetime2(7)"),
            (SqlType::Time { scale: 0 }, "time(0)"),
            (SqlType::DateTimeOffset { scale: 3 }, "datetimeoffset(3)"),
            (
                SqlType::VarChar {
                    len: VarLen::Len(20),
                    collation: CP1,
                },
                "varchar(20)",
            ),
            (
                SqlType::Char {
                    len: 10,
                    collation: CP1,
                },
                "char(10)",
            ),
            (
                SqlType::NChar {
                    len: 10,
                    collation: CP1,
                },
                "nchar(10)",
            ),
            (SqlType::Binary { len: 16 }, "binary(16)"),
            (SqlType::VarBinary { len: VarLen::Max }, "varbinary(max)"),
            (SqlType::UniqueIdentifier, "uniqueidentifier"),
            (SqlType::SmallDateTime, "smalldatetime"),
            (SqlType::Text { collation: CP1 }, "text"),
            (SqlType::NText { collation: CP1 }, "ntext"),
            (SqlType::Image, "image"),
            (SqlType::Xml, "xml"),
            (SqlType::Variant, "sql_variant"),
            (
                SqlType::Udt {
                    kind: crate::types::UdtKind::HierarchyId,
                },
                "hierarchyid",
            ),
        ];
        for (ty, name) in cases {
            assert_eq!(ty.sql_name(), name);
        }
    }

    #[test]
    fn every_name_parses_back_to_its_type() {
        let c = Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8;
        let types = [
            SqlType::Bit,
            SqlType::TinyInt,
            SqlType::SmallInt,
            SqlType::Int,
            SqlType::BigInt,
            SqlType::Real,
            SqlType::Float,
            SqlType::Decimal {
                precision: 38,
                scale: 10,
            },
            SqlType::Numeric {
                precision: 1,
                scale: 1,
            },
            SqlType::Money,
            SqlType::SmallMoney,
            SqlType::Date,
            SqlType::Time { scale: 2 },
            SqlType::DateTime,
            SqlType::SmallDateTime,
            SqlType::DateTime2 { scale: 0 },
            SqlType::DateTimeOffset { scale: 7 },
            SqlType::UniqueIdentifier,
            SqlType::Char {
                len: 8000,
                collation: c,
            },
            SqlType::VarChar {
                len: VarLen::Max,
                collation: c,
            },
            SqlType::NChar {
                len: 4000,
                collation: c,
            },
            SqlType::NVarChar {
                len: VarLen::Len(1),
                collation: c,
            },
            SqlType::Binary { len: 1 },
            SqlType::VarBinary {
                len: VarLen::Len(8000),
            },
        ];
        for ty in types {
            let name = ty.sql_name();
            let (base, params) = match name.split_once('(') {
                None => (name.as_str(), vec![]),
                Some((base, rest)) => {
                    let inner = rest.trim_end_matches(')');
                    (base, inner.split(',').map(|p| p.parse().ok()).collect())
                }
            };
            assert_eq!(
                SqlType::from_declaration(base, &params, Some(c)),
                Some(ty),
                "{name}"
            );
        }
    }

    #[test]
    fn defaults_follow_sql_server() {
        assert_eq!(
            decl("decimal", &[]),
            Some(SqlType::Decimal {
                precision: 18,
                scale: 0
            })
        );
        assert_eq!(
            decl("numeric", &[Some(10)]),
            Some(SqlType::Numeric {
                precision: 10,
                scale: 0
            })
        );
        assert_eq!(
            decl("varchar", &[]),
            Some(SqlType::VarChar {
                len: VarLen::Len(1),
                collation: CP1
            })
        );
        assert_eq!(
            decl("char", &[]),
            Some(SqlType::Char {
                len: 1,
                collation: CP1
            })
        );
        assert_eq!(
            decl("nvarchar", &[]),
            Some(SqlType::NVarChar {
                len: VarLen::Len(1),
                collation: CP1
            })
        );
        assert_eq!(
            decl("nchar", &[]),
            Some(SqlType::NChar {
                len: 1,
                collation: CP1
            })
        );
        assert_eq!(decl("binary", &[]), Some(SqlType::Binary { len: 1 }));
        assert_eq!(
            decl("varbinary", &[]),
            Some(SqlType::VarBinary {
                len: VarLen::Len(1)
            })
        );
        assert_eq!(decl("time", &[]), Some(SqlType::Time { scale: 7 }));
        assert_eq!(
            decl("datetime2", &[]),
            Some(SqlType::DateTime2 { scale: 7 })
        );
        assert_eq!(
            decl("datetimeoffset", &[]),
            Some(SqlType::DateTimeOffset { scale: 7 })
        );
    }

    #[test]
    fn names_are_case_insensitive_and_synonyms_are_accepted() {
        assert_eq!(decl("INT", &[]), Some(SqlType::Int));
        assert_eq!(decl("Integer", &[]), Some(SqlType::Int));
        assert_eq!(
            decl("DEC", &[Some(5), Some(2)]),
            Some(SqlType::Decimal {
                precision: 5,
                scale: 2
            })
        );
        assert_eq!(decl("double  precision", &[]), Some(SqlType::Float));
        assert_eq!(decl("float", &[Some(24)]), Some(SqlType::Real));
        assert_eq!(decl("float", &[Some(53)]), Some(SqlType::Float));
        assert_eq!(
            decl("Character Varying", &[Some(5)]),
            Some(SqlType::VarChar {
                len: VarLen::Len(5),
                collation: CP1
            })
        );
        assert_eq!(
            decl("national character varying", &[None]),
            Some(SqlType::NVarChar {
                len: VarLen::Max,
                collation: CP1
            })
        );
        assert_eq!(
            decl("NVARCHAR", &[None]),
            Some(SqlType::NVarChar {
                len: VarLen::Max,
                collation: CP1
            })
        );
    }

    #[test]
    fn collation_applies_to_character_types() {
        let c = Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8;
        let ty = SqlType::from_declaration("varchar", &[Some(10)], Some(c));
        assert_eq!(ty.and_then(|t| t.collation()), Some(c));
        assert_eq!(
            SqlType::from_declaration("int", &[], Some(c)),
            Some(SqlType::Int)
        );
    }

    #[test]
    fn bad_parameters_are_rejected() {
        let bad: &[(&str, &[Option<u32>])] = &[
            ("int", &[Some(4)]),
            ("decimal", &[Some(0)]),
            ("decimal", &[Some(39)]),
            ("decimal", &[Some(5), Some(6)]),
            ("decimal", &[None]),
            ("numeric", &[Some(5), Some(2), Some(1)]),
            ("time", &[Some(8)]),
            ("datetime2", &[None]),
            ("datetimeoffset", &[Some(1), Some(1)]),
            ("varchar", &[Some(0)]),
            ("varchar", &[Some(8001)]),
            ("char", &[None]),
            ("nchar", &[None]),
            ("binary", &[None]),
            ("nvarchar", &[Some(4001)]),
            ("nchar", &[Some(4001)]),
            ("varbinary", &[Some(8001)]),
            ("float", &[Some(0)]),
            ("float", &[Some(54)]),
            ("real", &[Some(24)]),
            ("text", &[Some(10)]),
            ("xml", &[Some(1)]),
            ("sql_variant", &[Some(8000)]),
            ("hierarchyid", &[Some(1)]),
        ];
        for (name, params) in bad {
            assert_eq!(decl(name, params), None, "{name} {params:?}");
        }
    }
}
