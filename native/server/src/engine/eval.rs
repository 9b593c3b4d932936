//! Evaluating scalar expressions and search conditions against an optional current row.
//!
//! Result types are computed even when values are NULL, so evaluating a projection against
//! a row of NULLs yields the column metadata of an empty result.

use super::catalog::{Catalog, Column};
use super::collation_names;
use super::compare::compare;
use super::condition::predicate;
use super::convert::cast;
use super::error::SqlError;
use super::functions;
use super::numeric::{arithmetic, ArithOp};
use super::session::Session;
use super::type_decl::{self, is_character, DeclContext};
use super::typed::{hex_literal, money_literal, number_literal, Typed};
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Ident, UnaryOperator, Value as AstValue,
};
use std::cmp::Ordering;
use tds::types::{SqlType, VarLen};
use tds::value::Value;

/// Deeper expressions than this are refused with error 191 (the parser allows some depth
/// through operator chains; evaluation recurses).
const MAX_DEPTH: usize = 1200;

/// The row an expression can refer to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'a> {
    pub columns: &'a [Column],
    /// The values; an empty slice stands for a row of NULLs (used to type a projection).
    pub values: &'a [Value],
    /// Lowercase names the table answers to in `t.col` (its name and alias).
    pub qualifiers: &'a [String],
}

#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    pub catalog: &'a Catalog,
    pub session: &'a Session,
    pub row: Option<Row<'a>>,
}

impl<'a> Env<'a> {
    pub fn new(catalog: &'a Catalog, session: &'a Session) -> Self {
        Env {
            catalog,
            session,
            row: None,
        }
    }

    pub fn with_row(self, row: Row<'a>) -> Self {
        Env {
            row: Some(row),
            ..self
        }
    }

    fn column(&self, name: &str) -> Option<Typed> {
        let row = self.row?;
        let i = row
            .columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))?;
        let col = row.columns.get(i)?;
        let value = row.values.get(i).cloned().unwrap_or(Value::Null);
        Some(Typed {
            value,
            ty: col.ty,
            nullable: col.nullable,
        })
    }
}

pub(crate) fn check_depth(depth: usize) -> Result<(), SqlError> {
    if depth > MAX_DEPTH {
        Err(SqlError::nested_too_deeply())
    } else {
        Ok(())
    }
}

pub(crate) fn literal(v: &AstValue) -> Result<Typed, SqlError> {
    match v {
        AstValue::Number(n, _) => number_literal(n),
        AstValue::SingleQuotedString(s) => Ok(Typed::varchar_literal(s)),
        AstValue::NationalStringLiteral(s) => Ok(Typed::nvarchar_literal(s)),
        AstValue::HexStringLiteral(h) => hex_literal(h),
        AstValue::Null => Ok(Typed::null()),
        AstValue::Placeholder(p) if p.starts_with('$') => money_literal(p),
        other => Err(SqlError::syntax_near(&other.to_string())),
    }
}

/// Resolves a type written in `CAST`/`CONVERT`.
pub(crate) fn cast_type(dt: &DataType) -> Result<SqlType, SqlError> {
    let decl = type_decl::declaration(dt)?;
    type_decl::resolve(
        &decl,
        DeclContext::Cast,
        &collation_names::default_collation(),
    )
}

fn column_ref(name: &Ident, env: &Env<'_>) -> Result<Typed, SqlError> {
    let n = name.value.as_str();
    if n.starts_with("@@") {
        return functions::system_variable(n, env);
    }
    if n.starts_with('@') {
        return Err(SqlError::undeclared_variable(n));
    }
    if let Some(t) = env.column(n) {
        return Ok(t);
    }
    if name.quote_style.is_none() {
        if let Some(t) = functions::niladic(n, env)? {
            return Ok(t);
        }
    }
    Err(SqlError::invalid_column(n))
}

fn qualified_ref(parts: &[Ident], env: &Env<'_>) -> Result<Typed, SqlError> {
    let text = parts
        .iter()
        .map(|p| p.value.as_str())
        .collect::<Vec<_>>()
        .join(".");
    let (Some(col), Some(qual)) = (
        parts.last(),
        parts.len().checked_sub(2).and_then(|i| parts.get(i)),
    ) else {
        return Err(SqlError::invalid_column(&text));
    };
    let Some(row) = env.row else {
        return Err(SqlError::unbound_identifier(&text));
    };
    if !row
        .qualifiers
        .iter()
        .any(|q| q.eq_ignore_ascii_case(&qual.value))
    {
        return Err(SqlError::unbound_identifier(&text));
    }
    env.column(&col.value)
        .ok_or_else(|| SqlError::invalid_column(&col.value))
}

fn negate(t: Typed) -> Result<Typed, SqlError> {
    let overflow = || SqlError::arithmetic_overflow("expression", type_decl::base_name(&t.ty));
    let value = match &t.value {
        Value::Null => Value::Null,
        Value::TinyInt(n) => Value::SmallInt(-i16::from(*n)),
        Value::SmallInt(n) => Value::SmallInt(n.checked_neg().ok_or_else(overflow)?),
        Value::Int(n) => Value::Int(n.checked_neg().ok_or_else(overflow)?),
        Value::BigInt(n) => Value::BigInt(n.checked_neg().ok_or_else(overflow)?),
        Value::Decimal(d) => Value::Decimal(tds::value::Decimal {
            mantissa: -d.mantissa,
            scale: d.scale,
        }),
        Value::Money(m) => Value::Money(m.checked_neg().ok_or_else(overflow)?),
        Value::Real(f) => Value::Real(-f),
        Value::Float(f) => Value::Float(-f),
        _ => {
            return Err(SqlError::new(
                8117,
                16,
                1,
                format!(
                    "Operand data type {} is invalid for minus operator.",
                    type_decl::base_name(&t.ty)
                ),
            ))
        }
    };
    let ty = if t.ty == SqlType::TinyInt {
        SqlType::SmallInt
    } else {
        t.ty
    };
    Ok(Typed {
        value,
        ty,
        nullable: t.nullable,
    })
}

/// `a + b` on character data: concatenation (NULL if either side is NULL).
fn concat(a: &Typed, b: &Typed) -> Typed {
    let unicode = matches!(a.ty, SqlType::NChar { .. } | SqlType::NVarChar { .. })
        || matches!(b.ty, SqlType::NChar { .. } | SqlType::NVarChar { .. });
    let len = |t: &SqlType| match t {
        SqlType::Char { len, .. } | SqlType::NChar { len, .. } => Some(u32::from(*len)),
        SqlType::VarChar {
            len: VarLen::Len(n),
            ..
        }
        | SqlType::NVarChar {
            len: VarLen::Len(n),
            ..
        } => Some(u32::from(*n)),
        _ => None,
    };
    let collation = type_decl::collation_of(&a.ty)
        .unwrap_or_else(|| collation_names::default_collation().collation);
    let limit = if unicode { 4000 } else { 8000 };
    let total = match (len(&a.ty), len(&b.ty)) {
        (Some(x), Some(y)) if x + y <= limit => VarLen::Len((x + y) as u16),
        (Some(_), Some(_)) => VarLen::Len(limit as u16),
        _ => VarLen::Max,
    };
    let ty = if unicode {
        SqlType::NVarChar {
            len: total,
            collation,
        }
    } else {
        SqlType::VarChar {
            len: total,
            collation,
        }
    };
    let value = match (&a.value, &b.value) {
        (Value::String(x), Value::String(y)) => Value::String(format!("{x}{y}")),
        _ => Value::Null,
    };
    Typed {
        value,
        ty,
        nullable: a.nullable || b.nullable,
    }
}

fn arith_op(op: &BinaryOperator) -> Option<ArithOp> {
    Some(match op {
        BinaryOperator::Plus => ArithOp::Add,
        BinaryOperator::Minus => ArithOp::Sub,
        BinaryOperator::Multiply => ArithOp::Mul,
        BinaryOperator::Divide => ArithOp::Div,
        BinaryOperator::Modulo => ArithOp::Mod,
        _ => return None,
    })
}

fn is_null_literal(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if v.value == AstValue::Null)
}

/// `a op b` for values already evaluated; `*_null` say whether an operand was a bare NULL.
fn combine(op: ArithOp, a: Typed, a_null: bool, b: Typed, b_null: bool) -> Result<Typed, SqlError> {
    // A bare NULL has no type of its own: the result takes the other operand's.
    if a_null || b_null {
        let ty = if a_null { b.ty } else { a.ty };
        return Ok(Typed::nullable(Value::Null, ty));
    }
    match (is_character(&a.ty), is_character(&b.ty)) {
        (true, true) if op == ArithOp::Add => Ok(concat(&a, &b)),
        // A string meets a number: the string converts to the number's type (precedence).
        (true, false) => arithmetic(op, &cast(&a, &b.ty)?, &b),
        (false, true) => arithmetic(op, &a, &cast(&b, &a.ty)?),
        _ => arithmetic(op, &a, &b),
    }
}

/// Evaluates a chain of arithmetic operators. Operators associate to the left, so a long
/// `a + b + c + …` is a deep left spine: it is walked with a loop, not recursion, to keep the
/// stack flat.
fn binary_chain(expr: &Expr, env: &Env<'_>, depth: usize) -> Result<Typed, SqlError> {
    let mut spine = Vec::new();
    let mut leftmost = expr;
    while let Expr::BinaryOp { left, op, right } = leftmost {
        let Some(arith) = arith_op(op) else { break };
        spine.push((arith, right.as_ref()));
        leftmost = left;
    }
    if spine.is_empty() {
        if let Expr::BinaryOp { op, .. } = expr {
            return Err(SqlError::syntax_near(&op.to_string()));
        }
    }
    let mut acc = eval(leftmost, env, depth + 1)?;
    let mut acc_null = is_null_literal(leftmost);
    for (op, right) in spine.into_iter().rev() {
        let b = eval(right, env, depth + 1)?;
        acc = combine(op, acc, acc_null, b, is_null_literal(right))?;
        acc_null = false;
    }
    Ok(acc)
}

/// Evaluates a scalar expression.
pub(crate) fn eval(expr: &Expr, env: &Env<'_>, depth: usize) -> Result<Typed, SqlError> {
    check_depth(depth)?;
    match expr {
        Expr::Value(v) => literal(&v.value),
        Expr::Identifier(ident) => column_ref(ident, env),
        Expr::CompoundIdentifier(parts) => qualified_ref(parts, env),
        Expr::Nested(e) => eval(e, env, depth + 1),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => negate(eval(expr, env, depth + 1)?),
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } => eval(expr, env, depth + 1),
        Expr::BinaryOp { .. } => binary_chain(expr, env, depth),
        Expr::Cast {
            kind,
            expr,
            data_type,
            ..
        } => {
            let ty = cast_type(data_type)?;
            let v = eval(expr, env, depth + 1)?;
            convert_or_null(
                &v,
                &ty,
                !matches!(kind, CastKind::Cast | CastKind::DoubleColon),
            )
        }
        Expr::Convert {
            is_try,
            expr,
            data_type: Some(data_type),
            ..
        } => {
            let ty = cast_type(data_type)?;
            let v = eval(expr, env, depth + 1)?;
            convert_or_null(&v, &ty, *is_try)
        }
        Expr::Function(f) => functions::call(f, env, depth + 1),
        Expr::Subquery(q) => scalar_subquery(q, env),
        Expr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => {
            let mut branches = Vec::new();
            let mut chosen = None;
            for cw in conditions {
                let hit = match operand {
                    Some(op) => {
                        let a = eval(op, env, depth + 1)?;
                        let b = eval(&cw.condition, env, depth + 1)?;
                        compare(&a, &b)? == Some(Ordering::Equal)
                    }
                    None => predicate(&cw.condition, env, depth + 1)? == Some(true),
                };
                let r = eval(&cw.result, env, depth + 1)?;
                if hit && chosen.is_none() {
                    chosen = Some(r.clone());
                }
                branches.push(r);
            }
            let else_value = match else_result {
                Some(e) => eval(e, env, depth + 1)?,
                None => Typed::null(),
            };
            let result_ty = branches
                .iter()
                .chain([&else_value])
                .find(|t| !t.is_null())
                .map(|t| t.ty)
                .unwrap_or(SqlType::Int);
            let picked = chosen.unwrap_or(else_value);
            let mut out = cast(&picked, &result_ty)?;
            out.nullable = true;
            Ok(out)
        }
        Expr::Collate { expr, collation } => {
            let name = collation.to_string();
            let named = collation_names::lookup(name.trim_matches(['[', ']']))
                .ok_or_else(|| SqlError::invalid_collation(&name))?;
            let mut t = eval(expr, env, depth + 1)?;
            t.ty = match t.ty {
                SqlType::Char { len, .. } => SqlType::Char {
                    len,
                    collation: named.collation,
                },
                SqlType::VarChar { len, .. } => SqlType::VarChar {
                    len,
                    collation: named.collation,
                },
                SqlType::NChar { len, .. } => SqlType::NChar {
                    len,
                    collation: named.collation,
                },
                SqlType::NVarChar { len, .. } => SqlType::NVarChar {
                    len,
                    collation: named.collation,
                },
                other => {
                    return Err(SqlError::new(
                        447,
                        16,
                        1,
                        format!(
                            "Expression type {} is invalid for COLLATE clause.",
                            type_decl::base_name(&other)
                        ),
                    ))
                }
            };
            Ok(t)
        }
        Expr::IsNull(_)
        | Expr::IsNotNull(_)
        | Expr::In { .. }
        | Expr::Between { .. }
        | Expr::Like { .. }
        | Expr::UnaryOp {
            op: UnaryOperator::Not,
            ..
        } => Err(SqlError::syntax_near(&expr.to_string())),
        other => Err(SqlError::unsupported(&other.to_string())),
    }
}

/// `(SELECT …)` as a value: its single column, NULL without rows, error 512 with several.
fn scalar_subquery(q: &sqlparser::ast::Query, env: &Env<'_>) -> Result<Typed, SqlError> {
    let rs = super::select::run_query(q, env.catalog, env.session, false)?;
    let [meta] = rs.columns.as_slice() else {
        return Err(SqlError::new(
            116,
            16,
            1,
            "Only one expression can be specified in the select list when the subquery is not introduced with EXISTS.",
        ));
    };
    if rs.rows.len() > 1 {
        return Err(SqlError::new(
            512,
            16,
            1,
            "Subquery returned more than 1 value. This is not permitted when the subquery follows =, !=, <, <= , >, >= or when the subquery is used as an expression.",
        ));
    }
    let value = rs
        .rows
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .unwrap_or(Value::Null);
    Ok(Typed::nullable(value, meta.type_info.ty))
}

fn convert_or_null(v: &Typed, ty: &SqlType, try_: bool) -> Result<Typed, SqlError> {
    match cast(v, ty) {
        Ok(t) => Ok(t),
        Err(_) if try_ => Ok(Typed::nullable(Value::Null, *ty)),
        Err(e) => Err(e),
    }
}
