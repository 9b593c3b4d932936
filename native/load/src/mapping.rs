//! Which target column takes which value: source column → target column (rename, reorder,
//! skip), a constant for a column the file lacks, and per column the type, nullability,
//! empty-as-NULL, date order and NULL tokens that override the inference.

use sluice_files::infer::{ColumnRule, ColumnSchema, DateOrder, NullPolicy, SqlType};

use crate::template::ColumnMapping;
use crate::LoadError;

/// Where a target column's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSource {
    /// Field `i` of each record (0-based).
    Field(usize),
    /// The same text for every row, converted like a field of the column's type.
    Constant(String),
}

/// One target column of the load.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetColumn {
    pub name: String,
    pub source: ValueSource,
    /// The source column's name, for messages.
    pub source_name: String,
    /// What each value is converted with.
    pub rule: ColumnRule,
    /// The column's declared nullability (for `CREATE TABLE`).
    pub nullable: bool,
}

/// The mapping of a new table: every source column under its proposed name and type.
pub fn from_schema(schema: &[ColumnSchema]) -> Vec<TargetColumn> {
    schema
        .iter()
        .enumerate()
        .map(|(i, c)| TargetColumn {
            name: c.proposed_name.clone(),
            source: ValueSource::Field(i),
            source_name: c.name.clone(),
            rule: c.rule.clone(),
            nullable: c.nullable,
        })
        .collect()
}

/// The mapping a template spells out, resolved against the file's columns.
pub fn from_template(
    schema: &[ColumnSchema],
    mapping: &[ColumnMapping],
    nulls: &NullPolicy,
) -> Result<Vec<TargetColumn>, LoadError> {
    mapping
        .iter()
        .map(|m| {
            let sql_type = parse_sql_type(&m.sql_type).ok_or_else(|| {
                LoadError::input(format!(
                    "mapping of column {:?}: unknown type {:?}",
                    m.target, m.sql_type
                ))
            })?;
            let (source, source_name, inferred_order) = match (&m.source, &m.constant) {
                (Some(name), None) => {
                    let i = find_source(schema, name).ok_or_else(|| {
                        LoadError::input(format!(
                            "mapping of column {:?} names source column {name:?}, which the file does not have (it has: {})",
                            m.target,
                            schema.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                        ))
                    })?;
                    let order = schema.get(i).map(|c| c.rule.date_order);
                    (ValueSource::Field(i), name.clone(), order)
                }
                (None, Some(text)) => (ValueSource::Constant(text.clone()), format!("constant {text:?}"), None),
                _ => {
                    return Err(LoadError::input(format!(
                        "mapping of column {:?} needs exactly one of source and constant",
                        m.target
                    )))
                }
            };
            let date_order = match m.date_order.as_deref() {
                None => inferred_order.unwrap_or(DateOrder::MonthFirst),
                Some("dmy") => DateOrder::DayFirst,
                Some("mdy") => DateOrder::MonthFirst,
                // Year-first dates read the same in either order.
                Some("ymd") => inferred_order.unwrap_or(DateOrder::MonthFirst),
                Some(other) => {
                    return Err(LoadError::input(format!(
                        "mapping of column {:?}: date order {other:?} is not dmy, mdy or ymd",
                        m.target
                    )))
                }
            };
            let tokens = m
                .null_tokens
                .clone()
                .unwrap_or_else(|| nulls.tokens().to_vec());
            Ok(TargetColumn {
                name: m.target.clone(),
                source,
                source_name,
                rule: ColumnRule {
                    sql_type,
                    date_order,
                    nulls: NullPolicy::new(tokens, m.empty_as_null),
                },
                nullable: m.nullable,
            })
        })
        .collect()
}

/// The source column called `name`: exactly, else by [`name_key`].
pub fn find_source(schema: &[ColumnSchema], name: &str) -> Option<usize> {
    schema
        .iter()
        .position(|c| c.name == name)
        .or_else(|| schema.iter().position(|c| c.proposed_name == name))
        .or_else(|| {
            let key = name_key(name);
            schema
                .iter()
                .position(|c| name_key(&c.name) == key || name_key(&c.proposed_name) == key)
        })
}

/// A column name for matching: letters and digits only, lower case (`Order Date`,
/// `order_date` and `ORDERDATE` match).
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// SQL Server's spelling of a type (`decimal(12,2)`, `nvarchar(max)`, `datetime2(3)`) as the
/// inference's [`SqlType`].
pub fn parse_sql_type(s: &str) -> Option<SqlType> {
    let s = s.trim().to_ascii_lowercase();
    let (name, args) = match s.split_once('(') {
        Some((n, rest)) => (n.trim(), Some(rest.strip_suffix(')')?.trim())),
        None => (s.as_str(), None),
    };
    let num = |a: &str| a.trim().parse::<u32>().ok();
    let length = |max: u32| -> Option<Option<u32>> {
        match args {
            None => Some(Some(1)),
            Some("max") => Some(None),
            Some(a) => num(a).filter(|n| (1..=max).contains(n)).map(Some),
        }
    };
    let fraction = || -> Option<u8> {
        match args {
            None => Some(7),
            Some(a) => num(a).filter(|n| *n <= 7).map(|n| n as u8),
        }
    };
    Some(match name {
        "bit" => SqlType::Bit,
        "tinyint" => SqlType::TinyInt,
        "smallint" => SqlType::SmallInt,
        "int" => SqlType::Int,
        "bigint" => SqlType::BigInt,
        "float" | "real" => SqlType::Float,
        "date" => SqlType::Date,
        "uniqueidentifier" => SqlType::UniqueIdentifier,
        "datetime2" => SqlType::DateTime2(fraction()?),
        "datetimeoffset" => SqlType::DateTimeOffset(fraction()?),
        "time" => SqlType::Time(fraction()?),
        "varchar" | "char" => SqlType::VarChar(length(8000)?),
        "nvarchar" | "nchar" => SqlType::NVarChar(length(4000)?),
        "decimal" | "numeric" => {
            let (p, s) = match args {
                None => (18, 0),
                Some(a) => match a.split_once(',') {
                    Some((p, s)) => (num(p)?, num(s)?),
                    None => (num(a)?, 0),
                },
            };
            if !(1..=38).contains(&p) || s > p {
                return None;
            }
            SqlType::Decimal {
                precision: p as u8,
                scale: s as u8,
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_ignoring_case_and_punctuation() {
        assert_eq!(name_key("Order Date"), name_key("order_date"));
        assert_eq!(name_key("ORDER-DATE"), "orderdate");
        assert_ne!(name_key("order date 2"), name_key("order date"));
    }

    #[test]
    fn type_spellings_parse_as_sql_server_writes_them() {
        assert_eq!(
            parse_sql_type("decimal(12, 2)"),
            Some(SqlType::Decimal {
                precision: 12,
                scale: 2
            })
        );
        assert_eq!(
            parse_sql_type("NVARCHAR(max)"),
            Some(SqlType::NVarChar(None))
        );
        assert_eq!(
            parse_sql_type("varchar(40)"),
            Some(SqlType::VarChar(Some(40)))
        );
        assert_eq!(parse_sql_type("datetime2(3)"), Some(SqlType::DateTime2(3)));
        assert_eq!(parse_sql_type("datetime2"), Some(SqlType::DateTime2(7)));
        assert_eq!(parse_sql_type("decimal(5,6)"), None);
        assert_eq!(parse_sql_type("varchar(9000)"), None);
        assert_eq!(parse_sql_type("geography"), None);
        assert_eq!(parse_sql_type("int; DROP TABLE x"), None);
    }
}
