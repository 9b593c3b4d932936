//! Aggregates without GROUP BY: COUNT, COUNT_BIG, MIN, MAX, SUM, AVG over the rows that pass
//! WHERE, giving one row.

use super::compare::compare;
use super::convert::cast;
use super::error::SqlError;
use super::eval::{eval, Env, Row};
use super::numeric::{arithmetic, ArithOp};
use super::select::{fit, unsupported_if, Item, Source};
use super::typed::Typed;
use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments};
use std::cmp::Ordering;
use tds::types::{ColumnMeta, SqlType};
use tds::value::Value;

/// The aggregate's name and its argument (`None` for `*`).
pub(crate) fn aggregate_parts(f: &Function) -> Result<(String, Option<&Expr>), SqlError> {
    let name = f.name.to_string().to_ascii_uppercase();
    let FunctionArguments::List(list) = &f.args else {
        return Err(SqlError::syntax_near(&name));
    };
    unsupported_if(
        list.duplicate_treatment.is_some() || !list.clauses.is_empty() || f.over.is_some(),
        &f.to_string(),
    )?;
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)] if name.starts_with("COUNT") => {
            Ok((name, None))
        }
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(e))] => Ok((name, Some(e))),
        _ => Err(SqlError::new(
            174,
            15,
            1,
            format!(
                "The {} function requires 1 argument(s).",
                name.to_lowercase()
            ),
        )),
    }
}

/// Result type of an aggregate over values of type `ty`.
pub(crate) fn aggregate_type(name: &str, arg: Option<&Typed>) -> SqlType {
    let ty = arg.map(|a| a.ty).unwrap_or(SqlType::Int);
    match name {
        "COUNT" => SqlType::Int,
        "COUNT_BIG" => SqlType::BigInt,
        "MIN" | "MAX" => ty,
        _ => match ty {
            SqlType::TinyInt | SqlType::SmallInt | SqlType::Int | SqlType::Bit => SqlType::Int,
            SqlType::Decimal { scale, .. } | SqlType::Numeric { scale, .. } => SqlType::Numeric {
                precision: 38,
                scale: if name == "AVG" { scale.max(6) } else { scale },
            },
            SqlType::SmallMoney => SqlType::Money,
            SqlType::Real => SqlType::Float,
            other => other,
        },
    }
}

pub(crate) fn aggregate_row(
    items: &[Item<'_>],
    rows: &[&[Value]],
    src: &Source,
    env0: &Env<'_>,
    metas: &[ColumnMeta],
) -> Result<Vec<Value>, SqlError> {
    let mut out = Vec::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        let value = match item {
            Item::Aggregate { func, .. } => {
                let (name, arg) = aggregate_parts(func)?;
                let target = metas.get(k).map(|m| m.type_info.ty).unwrap_or(SqlType::Int);
                let mut count: i64 = 0;
                let mut acc: Option<Typed> = None;
                for values in rows {
                    let Some(a) = arg else {
                        count += 1;
                        continue;
                    };
                    let env = env0.with_row(Row {
                        columns: &src.columns,
                        values,
                        qualifiers: &src.qualifiers,
                    });
                    let v = eval(a, &env, 0)?;
                    if v.is_null() {
                        continue;
                    }
                    count += 1;
                    acc = Some(match (acc, name.as_str()) {
                        (None, "MIN" | "MAX") => v,
                        (None, _) => cast(&v, &target)?,
                        (Some(cur), "MIN") => {
                            if compare(&v, &cur)? == Some(Ordering::Less) {
                                v
                            } else {
                                cur
                            }
                        }
                        (Some(cur), "MAX") => {
                            if compare(&v, &cur)? == Some(Ordering::Greater) {
                                v
                            } else {
                                cur
                            }
                        }
                        (Some(cur), "SUM" | "AVG") => cast(
                            &arithmetic(ArithOp::Add, &cur, &cast(&v, &target)?)?,
                            &target,
                        )?,
                        (Some(cur), _) => cur,
                    });
                }
                match name.as_str() {
                    "COUNT" => Value::Int(
                        i32::try_from(count)
                            .map_err(|_| SqlError::arithmetic_overflow("expression", "int"))?,
                    ),
                    "COUNT_BIG" => Value::BigInt(count),
                    "AVG" => match acc {
                        Some(sum) => {
                            cast(
                                &arithmetic(
                                    ArithOp::Div,
                                    &sum,
                                    &Typed::not_null(Value::BigInt(count), SqlType::BigInt),
                                )?,
                                &target,
                            )?
                            .value
                        }
                        None => Value::Null,
                    },
                    _ => acc.map(|a| a.value).unwrap_or(Value::Null),
                }
            }
            Item::Expr { expr, .. } => match eval(expr, env0, 0) {
                Ok(t) => fit(t, metas.get(k))?,
                Err(e) if e.number == 207 => return Err(not_in_aggregate(expr)),
                Err(e) => return Err(e),
            },
            Item::Column { index, .. } => {
                let name = src
                    .columns
                    .get(*index)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                return Err(not_in_aggregate(&Expr::Identifier(name.as_str().into())));
            }
        };
        out.push(value);
    }
    Ok(out)
}

fn not_in_aggregate(e: &Expr) -> SqlError {
    SqlError::new(
        8120,
        16,
        1,
        format!("Column '{e}' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause."),
    )
}
