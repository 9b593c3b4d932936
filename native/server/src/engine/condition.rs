//! Search conditions (WHERE, IF, CASE WHEN): comparisons, AND/OR/NOT with SQL's three-valued
//! logic, IS NULL, IN, BETWEEN, LIKE.

use super::compare::{compare, like};
use super::error::SqlError;
use super::eval::{check_depth, eval, Env};
use super::select::run_query;
use super::typed::Typed;
use sqlparser::ast::{BinaryOperator, Expr, InTarget, UnaryOperator};
use std::cmp::Ordering;
use tds::value::Value;

/// Evaluates a search condition: `Some(true)`, `Some(false)` or unknown (`None`).
pub(crate) fn predicate(
    expr: &Expr,
    env: &Env<'_>,
    depth: usize,
) -> Result<Option<bool>, SqlError> {
    check_depth(depth)?;
    let cmp = |a: &Expr, b: &Expr| -> Result<Option<Ordering>, SqlError> {
        compare(&eval(a, env, depth + 1)?, &eval(b, env, depth + 1)?)
    };
    Ok(match expr {
        Expr::Nested(e) => predicate(e, env, depth + 1)?,
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => predicate(expr, env, depth + 1)?.map(|b| !b),
        Expr::BinaryOp {
            op: op @ (BinaryOperator::And | BinaryOperator::Or),
            ..
        } => logical_chain(expr, op, env, depth)?,
        Expr::BinaryOp { left, op, right } => {
            let ord = cmp(left, right)?;
            let test: fn(Ordering) -> bool = match op {
                BinaryOperator::Eq => Ordering::is_eq,
                BinaryOperator::NotEq => Ordering::is_ne,
                BinaryOperator::Lt => Ordering::is_lt,
                BinaryOperator::LtEq => Ordering::is_le,
                BinaryOperator::Gt => Ordering::is_gt,
                BinaryOperator::GtEq => Ordering::is_ge,
                _ => return Err(non_boolean(expr)),
            };
            ord.map(test)
        }
        Expr::Exists { subquery, negated } => {
            let rs = run_query(subquery, env.catalog, env.session, false)?;
            Some(rs.rows.is_empty() == *negated)
        }
        Expr::IsNull(e) => Some(eval(e, env, depth + 1)?.is_null()),
        Expr::IsNotNull(e) => Some(!eval(e, env, depth + 1)?.is_null()),
        Expr::Between {
            expr: e,
            negated,
            low,
            high,
        } => {
            let v = eval(e, env, depth + 1)?;
            let lo = compare(&v, &eval(low, env, depth + 1)?)?.map(Ordering::is_ge);
            let hi = compare(&v, &eval(high, env, depth + 1)?)?.map(Ordering::is_le);
            let r = match (lo, hi) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            if *negated {
                r.map(|b| !b)
            } else {
                r
            }
        }
        Expr::In {
            expr: e,
            target,
            negated,
            ..
        } => {
            let InTarget::List(list) = target else {
                return Err(SqlError::unsupported(&target.to_string()));
            };
            let v = eval(e, env, depth + 1)?;
            let mut result = Some(false);
            for item in list {
                match compare(&v, &eval(item, env, depth + 1)?)? {
                    Some(Ordering::Equal) => {
                        result = Some(true);
                        break;
                    }
                    None => result = None,
                    Some(_) => {}
                }
            }
            if *negated {
                result.map(|b| !b)
            } else {
                result
            }
        }
        Expr::Like {
            negated,
            any: false,
            expr: e,
            pattern,
            escape_char,
        } => {
            let v = eval(e, env, depth + 1)?;
            let p = eval(pattern, env, depth + 1)?;
            let esc = match escape_char {
                Some(x) => match eval(x, env, depth + 1)?.value {
                    Value::String(s) => s.chars().next(),
                    _ => None,
                },
                None => None,
            };
            let text = |t: &Typed| match &t.value {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => super::value_text::value_as_text(other),
            };
            match (text(&v), text(&p)) {
                (Some(s), Some(pat)) => Some(like(&s, &pat, esc) != *negated),
                _ => None,
            }
        }
        other => return Err(non_boolean(other)),
    })
}

/// `a AND b AND c …` (or OR): the left spine of one operator is walked with a loop, not
/// recursion, so long generated conditions keep the stack flat. Three-valued: for AND, false
/// wins over unknown; for OR, true does.
fn logical_chain(
    expr: &Expr,
    op: &BinaryOperator,
    env: &Env<'_>,
    depth: usize,
) -> Result<Option<bool>, SqlError> {
    let decisive = *op == BinaryOperator::Or;
    let mut operands = Vec::new();
    let mut leftmost = expr;
    while let Expr::BinaryOp { left, op: o, right } = leftmost {
        if o != op {
            break;
        }
        operands.push(right.as_ref());
        leftmost = left;
    }
    operands.push(leftmost);
    let mut result = Some(!decisive);
    for e in operands.into_iter().rev() {
        match predicate(e, env, depth + 1)? {
            Some(v) if v == decisive => return Ok(Some(decisive)),
            None => result = None,
            Some(_) => {}
        }
    }
    Ok(result)
}

fn non_boolean(expr: &Expr) -> SqlError {
    let near: String = expr.to_string().chars().take(60).collect();
    SqlError::new(
        4145,
        15,
        1,
        format!("An expression of non-boolean type specified in a context where a condition is expected, near '{near}'."),
    )
}
