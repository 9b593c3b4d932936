//! The target table: `CREATE TABLE` from the mapping, and for an existing table the columns
//! matched by name and the table's metadata checked against the file before any row is sent.

use sluice_files::infer::{ColumnSchema, SqlType};
use tds::bulk::{quote_identifier, quote_multipart, BulkColumn};
use tds::types::{SqlType as WireType, VarLen};

use crate::mapping::{name_key, TargetColumn, ValueSource};

/// `CREATE TABLE [schema].[name] (…)` for the mapping; every identifier quoted with
/// [`quote_identifier`], so a name is only ever a name.
pub fn create_table_sql(
    table: &[String],
    columns: &[TargetColumn],
    primary_key: &[String],
) -> String {
    let mut sql = format!("CREATE TABLE {} (", quote_multipart(table));
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let null = if c.nullable { "NULL" } else { "NOT NULL" };
        sql.push_str(&format!(
            "{} {} {null}",
            quote_identifier(&c.name),
            c.rule.sql_type
        ));
    }
    if !primary_key.is_empty() {
        let keys: Vec<String> = primary_key.iter().map(|k| quote_identifier(k)).collect();
        sql.push_str(&format!(", PRIMARY KEY ({})", keys.join(", ")));
    }
    sql.push(')');
    sql
}

/// The conversion type for a column of the table: the values are parsed straight into the
/// column's own type. Character columns convert as unbounded text: the length is checked in
/// the column's own units (code-page bytes, UTF-16 units) when encoded. `None` for types the
/// inference does not propose (binary, sql_variant …): the inferred type stands, and encoding
/// decides.
pub fn conversion_type(ty: &WireType) -> Option<SqlType> {
    Some(match *ty {
        WireType::Bit => SqlType::Bit,
        WireType::TinyInt => SqlType::TinyInt,
        WireType::SmallInt => SqlType::SmallInt,
        WireType::Int => SqlType::Int,
        WireType::BigInt => SqlType::BigInt,
        WireType::Real | WireType::Float => SqlType::Float,
        WireType::Decimal { precision, scale } | WireType::Numeric { precision, scale } => {
            SqlType::Decimal { precision, scale }
        }
        WireType::Money => SqlType::Decimal {
            precision: 19,
            scale: 4,
        },
        WireType::SmallMoney => SqlType::Decimal {
            precision: 10,
            scale: 4,
        },
        WireType::Date => SqlType::Date,
        WireType::DateTime2 { scale } => SqlType::DateTime2(scale),
        // datetime keeps 1/300 s and smalldatetime minutes: SQL Server rounds, as it does.
        WireType::DateTime | WireType::SmallDateTime => SqlType::DateTime2(7),
        WireType::DateTimeOffset { scale } => SqlType::DateTimeOffset(scale),
        WireType::Time { scale } => SqlType::Time(scale),
        WireType::UniqueIdentifier => SqlType::UniqueIdentifier,
        WireType::Char { .. } | WireType::VarChar { .. } => SqlType::VarChar(None),
        WireType::NChar { .. } | WireType::NVarChar { .. } => SqlType::NVarChar(None),
        _ => return None,
    })
}

/// The file's columns matched to the table's by name (case and punctuation aside), each
/// converted into its column's type. Table columns without a source are left out (they take
/// NULL or their default — [`check_table`] refuses those that cannot).
pub fn match_table(schema: &[ColumnSchema], table: &[BulkColumn]) -> Vec<TargetColumn> {
    let mut out = Vec::new();
    for col in table {
        let key = name_key(&col.name);
        let Some(i) = schema
            .iter()
            .position(|s| name_key(&s.name) == key || name_key(&s.proposed_name) == key)
        else {
            continue;
        };
        let Some(src) = schema.get(i) else { continue };
        let mut rule = src.rule.clone();
        if let Some(t) = conversion_type(&col.ty) {
            rule.sql_type = t;
        }
        out.push(TargetColumn {
            name: col.name.clone(),
            source: ValueSource::Field(i),
            source_name: src.name.clone(),
            rule,
            nullable: col.nullable,
        });
    }
    out
}

/// Everything wrong with loading the file into the table, found before any row is sent: NOT
/// NULL columns that get no value and have no default, file columns with no table column, and
/// types that cannot hold the file's values — each naming the column and the first offending
/// row from the inference's evidence.
pub fn check_table(
    schema: &[ColumnSchema],
    table: &[BulkColumn],
    mapping: &[TargetColumn],
) -> Vec<String> {
    let mut problems = Vec::new();
    for col in table {
        let mapped = mapping
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(&col.name));
        if !mapped && !col.nullable && !col.null_takes_default {
            problems.push(format!(
                "column {:?} is NOT NULL without a default, and the file has no column for it",
                col.name
            ));
        }
    }
    for (i, s) in schema.iter().enumerate() {
        let fed = mapping.iter().any(|m| m.source == ValueSource::Field(i));
        if !fed {
            problems.push(format!(
                "file column {:?} matches no column of the table (name it in a --map template to skip it)",
                s.name
            ));
        }
    }
    for m in mapping {
        let (ValueSource::Field(i), Some(col)) = (
            &m.source,
            table.iter().find(|c| c.name.eq_ignore_ascii_case(&m.name)),
        ) else {
            continue;
        };
        if let Some(src) = schema.get(*i) {
            if let Some(why) = misfit(src, &col.ty) {
                problems.push(format!(
                    "column {:?} ({}) cannot hold file column {:?} ({}): {why}",
                    col.name,
                    col.ty.sql_name(),
                    src.name,
                    src.sql_type
                ));
            }
        }
    }
    problems
}

/// Why values inferred as `src` do not all fit `ty`, with the first offending row.
fn misfit(src: &ColumnSchema, ty: &WireType) -> Option<String> {
    let ev = &src.evidence;
    if ev.values == 0 {
        return None;
    }
    let s = src.sql_type;
    // The first widening that left the types `ty` takes: the value that does not fit.
    let widened_past = |ok: &dyn Fn(&str) -> bool| {
        ev.widenings
            .iter()
            .find(|w| !ok(&w.to))
            .map(|w| format!("row {} has {:?} ({})", w.row, w.value, w.reason))
            .unwrap_or_else(|| format!("its values are {s}"))
    };
    let integer = |t: &str| matches!(t, "bit" | "tinyint" | "smallint" | "int" | "bigint");
    let int_range = |lo: i64, hi: i64| -> Option<String> {
        let parse = |v: &Option<String>| v.as_deref().and_then(|x| x.parse::<i64>().ok());
        match (parse(&ev.min), parse(&ev.max)) {
            (Some(a), Some(b)) if a >= lo && b <= hi => None,
            _ => Some(format!(
                "its values range from {} to {}",
                ev.min.as_deref().unwrap_or("?"),
                ev.max.as_deref().unwrap_or("?")
            )),
        }
    };
    match *ty {
        WireType::TinyInt | WireType::SmallInt | WireType::Int | WireType::BigInt => {
            if !matches!(
                s,
                SqlType::Bit
                    | SqlType::TinyInt
                    | SqlType::SmallInt
                    | SqlType::Int
                    | SqlType::BigInt
            ) {
                return Some(widened_past(&integer));
            }
            let (lo, hi) = match ty {
                WireType::TinyInt => (0, 255),
                WireType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
                WireType::Int => (i64::from(i32::MIN), i64::from(i32::MAX)),
                _ => (i64::MIN, i64::MAX),
            };
            int_range(lo, hi)
        }
        WireType::Decimal { precision, scale } | WireType::Numeric { precision, scale } => {
            let room = precision.saturating_sub(scale);
            match s {
                SqlType::Decimal {
                    precision: p,
                    scale: sc,
                } => {
                    let d = ev.decimal.as_ref();
                    if sc > scale {
                        return Some(format!(
                            "row {} has {sc} decimal places",
                            d.map_or(0, |d| d.scale_row)
                        ));
                    }
                    (p - sc > room).then(|| {
                        format!(
                            "row {} has {} digits before the point",
                            d.map_or(0, |d| d.integer_digits_row),
                            p - sc
                        )
                    })
                }
                SqlType::Bit
                | SqlType::TinyInt
                | SqlType::SmallInt
                | SqlType::Int
                | SqlType::BigInt => {
                    let limit = 10i128.checked_pow(u32::from(room)).unwrap_or(i128::MAX);
                    let too_big = [&ev.min, &ev.max].iter().any(|v| {
                        v.as_deref()
                            .and_then(|x| x.parse::<i128>().ok())
                            .is_some_and(|n| n.abs() >= limit)
                    });
                    too_big.then(|| {
                        format!(
                            "its values range from {} to {}",
                            ev.min.as_deref().unwrap_or("?"),
                            ev.max.as_deref().unwrap_or("?")
                        )
                    })
                }
                _ => Some(widened_past(&|t: &str| {
                    integer(t) || t.starts_with("decimal")
                })),
            }
        }
        WireType::Real | WireType::Float | WireType::Money | WireType::SmallMoney => match s {
            SqlType::Bit
            | SqlType::TinyInt
            | SqlType::SmallInt
            | SqlType::Int
            | SqlType::BigInt
            | SqlType::Decimal { .. }
            | SqlType::Float => None,
            _ => Some(widened_past(&|t: &str| {
                integer(t) || t.starts_with("decimal") || t == "float"
            })),
        },
        WireType::Bit => (s != SqlType::Bit).then(|| widened_past(&|t: &str| t == "bit")),
        WireType::UniqueIdentifier => (s != SqlType::UniqueIdentifier)
            .then(|| widened_past(&|t: &str| t == "uniqueidentifier")),
        WireType::Date => (s != SqlType::Date).then(|| widened_past(&|t: &str| t == "date")),
        WireType::DateTime2 { scale: n } | WireType::DateTimeOffset { scale: n } => {
            let offset_ok = matches!(ty, WireType::DateTimeOffset { .. });
            match s {
                SqlType::Date => None,
                SqlType::DateTime2(m) | SqlType::DateTimeOffset(m)
                    if offset_ok || matches!(s, SqlType::DateTime2(_)) =>
                {
                    (m > n).then(|| fraction_row(src, m))
                }
                _ => Some(widened_past(&|t: &str| {
                    t == "date"
                        || t.starts_with("datetime2")
                        || (offset_ok && t.starts_with("datetimeoffset"))
                })),
            }
        }
        WireType::DateTime | WireType::SmallDateTime => match s {
            SqlType::Date | SqlType::DateTime2(_) => None,
            _ => Some(widened_past(&|t: &str| {
                t == "date" || t.starts_with("datetime2")
            })),
        },
        WireType::Time { scale: n } => match s {
            SqlType::Time(m) => (m > n).then(|| fraction_row(src, m)),
            _ => Some(widened_past(&|t: &str| t.starts_with("time"))),
        },
        WireType::Char { len, .. } | WireType::NChar { len, .. } => too_long(src, u64::from(len)),
        WireType::VarChar {
            len: VarLen::Len(len),
            ..
        }
        | WireType::NVarChar {
            len: VarLen::Len(len),
            ..
        } => too_long(src, u64::from(len)),
        _ => None,
    }
}

fn fraction_row(src: &ColumnSchema, digits: u8) -> String {
    match &src.evidence.fraction_digits_set_by {
        Some(e) => format!("row {} has {:?} ({digits} fraction digits)", e.row, e.value),
        None => format!("its values have {digits} fraction digits"),
    }
}

/// A character column shorter than the longest value (lengths as the inference measured them:
/// bytes for ASCII text, UTF-16 units otherwise — what varchar and nvarchar count for them).
fn too_long(src: &ColumnSchema, len: u64) -> Option<String> {
    let ev = &src.evidence;
    (ev.max_length > len).then(|| {
        format!(
            "row {} has a value {} {} long",
            ev.longest_row, ev.max_length, ev.length_unit
        )
    })
}

#[cfg(test)]
#[path = "target_tests.rs"]
mod tests;
