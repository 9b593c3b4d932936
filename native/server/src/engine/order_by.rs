//! ORDER BY: by select-list position, alias, or any expression over the row; NULLs first.

use super::compare::compare;
use super::error::SqlError;
use super::eval::{eval, Env};
use super::select::{row_of, Item, Source};
use super::typed::Typed;
use sqlparser::ast::{Expr, OrderByKind, Value as AstValue};
use std::cell::RefCell;
use std::cmp::Ordering;
use tds::types::SqlType;
use tds::value::Value;

pub(crate) fn sort_rows(
    out: &mut Vec<Vec<Value>>,
    matching: &[&[Value]],
    ob: &sqlparser::ast::OrderBy,
    items: &[Item<'_>],
    env0: &Env<'_>,
    src: &Source,
) -> Result<(), SqlError> {
    let OrderByKind::Expressions(exprs) = &ob.kind else {
        return Err(SqlError::unsupported("ORDER BY ALL"));
    };
    // Key values per row: a select-list position or alias, or an expression over the row.
    let mut keyed: Vec<(Vec<Typed>, Vec<Value>)> = Vec::with_capacity(out.len());
    for (values, row) in matching.iter().zip(out.drain(..)) {
        let env = env0.with_row(row_of(src, values));
        let mut keys = Vec::with_capacity(exprs.len());
        for o in exprs {
            let by_position = match &o.expr {
                Expr::Value(v) => match &v.value {
                    AstValue::Number(n, _) => Some(n.parse::<usize>().ok().filter(|p| *p >= 1 && *p <= items.len()).ok_or_else(|| {
                        SqlError::new(108, 16, 1, format!("The ORDER BY position number {n} is out of range of the number of items in the select list."))
                    })?),
                    _ => None,
                },
                Expr::Identifier(i) => items
                    .iter()
                    .position(|it| matches!(it, Item::Expr { name, .. } | Item::Column { name, .. } if name.eq_ignore_ascii_case(&i.value)))
                    .map(|p| p + 1),
                _ => None,
            };
            let key = match by_position {
                Some(p) => {
                    let v = row.get(p - 1).cloned().unwrap_or(Value::Null);
                    let ty = match items.get(p - 1) {
                        Some(Item::Expr { expr, .. }) => eval(expr, &env, 0)?.ty,
                        Some(Item::Column { index, .. }) => env
                            .row
                            .and_then(|r| r.columns.get(*index))
                            .map(|c| c.ty)
                            .unwrap_or(SqlType::Int),
                        _ => SqlType::Int,
                    };
                    Typed::nullable(v, ty)
                }
                None => eval(&o.expr, &env, 0)?,
            };
            keys.push(key);
        }
        keyed.push((keys, row));
    }
    let descending: Vec<bool> = exprs
        .iter()
        .map(|o| matches!(o.options.sort, Some(sqlparser::ast::OrderBySort::Desc)))
        .collect();
    let error = RefCell::new(None);
    keyed.sort_by(|(a, _), (b, _)| {
        for ((x, y), desc) in a.iter().zip(b).zip(&descending) {
            let ord = match (x.is_null(), y.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                _ => match compare(x, y) {
                    Ok(o) => o.unwrap_or(Ordering::Equal),
                    Err(e) => {
                        error.borrow_mut().get_or_insert(e);
                        Ordering::Equal
                    }
                },
            };
            let ord = if *desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    if let Some(e) = error.into_inner() {
        return Err(e);
    }
    out.extend(keyed.into_iter().map(|(_, r)| r));
    Ok(())
}
