//! Exact numeric conversions and arithmetic with SQL Server's result types
//! (data type precedence, and the precision/scale rules for decimal operands).

use super::error::SqlError;
use super::type_decl::base_name;
use super::typed::Typed;
use tds::types::SqlType;
use tds::value::{Decimal, Value};

/// A number taken out of a value: exact integer, exact decimal, or binary float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    Int(i128),
    Dec { m: i128, s: u8 },
    Float(f64),
}

pub(crate) fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// Number of decimal digits of |m| (1 for zero).
pub(crate) fn digit_count(m: i128) -> u32 {
    let mut n = m.unsigned_abs();
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// Moves `m × 10^-from` to scale `to`, rounding half away from zero when digits are dropped.
pub(crate) fn rescale(m: i128, from: u8, to: u8) -> Option<i128> {
    if to >= from {
        m.checked_mul(pow10(u32::from(to - from))?)
    } else {
        let div = pow10(u32::from(from - to))?;
        let q = m / div;
        let r = m % div;
        if r.unsigned_abs() * 2 >= div.unsigned_abs() {
            Some(q + m.signum())
        } else {
            Some(q)
        }
    }
}

pub(crate) fn num_of(v: &Value) -> Option<Num> {
    Some(match v {
        Value::Bit(b) => Num::Int(i128::from(*b)),
        Value::TinyInt(n) => Num::Int(i128::from(*n)),
        Value::SmallInt(n) => Num::Int(i128::from(*n)),
        Value::Int(n) => Num::Int(i128::from(*n)),
        Value::BigInt(n) => Num::Int(i128::from(*n)),
        Value::Decimal(d) => Num::Dec {
            m: d.mantissa,
            s: d.scale,
        },
        Value::Money(m) => Num::Dec {
            m: i128::from(*m),
            s: 4,
        },
        Value::Real(f) => Num::Float(f64::from(*f)),
        Value::Float(f) => Num::Float(*f),
        _ => return None,
    })
}

impl Num {
    /// Integer part: truncation for decimals and floats, rounding for money (as SQL Server).
    pub fn to_integer(self, from_money: bool) -> Option<i128> {
        match self {
            Num::Int(i) => Some(i),
            Num::Dec { m, s } if from_money => rescale(m, s, 0),
            Num::Dec { m, s } => Some(m / pow10(u32::from(s))?),
            Num::Float(f) => {
                let t = f.trunc();
                (t.is_finite() && t.abs() < 1e38).then_some(t as i128)
            }
        }
    }

    /// The mantissa at scale `s`, if it has at most `p` digits.
    pub fn to_decimal(self, p: u8, s: u8) -> Option<i128> {
        let m = match self {
            Num::Int(i) => rescale(i, 0, s)?,
            Num::Dec { m, s: from } => rescale(m, from, s)?,
            Num::Float(f) => {
                if !f.is_finite() {
                    return None;
                }
                let text = format!("{:.*}", usize::from(s), f);
                let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
                let m: i128 = digits.parse().ok()?;
                if f < 0.0 {
                    -m
                } else {
                    m
                }
            }
        };
        (digit_count(m) <= u32::from(p) || m == 0).then_some(m)
    }

    pub fn to_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Dec { m, s } => m as f64 / 10f64.powi(i32::from(s)),
            Num::Float(f) => f,
        }
    }
}

/// The integer types' ranges.
pub(crate) fn integer_range(ty: &SqlType) -> Option<(i128, i128)> {
    Some(match ty {
        SqlType::TinyInt => (0, 255),
        SqlType::SmallInt => (i128::from(i16::MIN), i128::from(i16::MAX)),
        SqlType::Int => (i128::from(i32::MIN), i128::from(i32::MAX)),
        SqlType::BigInt => (i128::from(i64::MIN), i128::from(i64::MAX)),
        _ => return None,
    })
}

/// An integer value of an integer type; the caller has checked the range.
pub(crate) fn integer_value(ty: &SqlType, i: i128) -> Value {
    match ty {
        SqlType::TinyInt => Value::TinyInt(i as u8),
        SqlType::SmallInt => Value::SmallInt(i as i16),
        SqlType::Int => Value::Int(i as i32),
        _ => Value::BigInt(i as i64),
    }
}

/// SQL Server's overflow error for an integer result: 220 names the value for the small
/// types, 8115 for int and bigint.
pub(crate) fn integer_overflow(ty: &SqlType, value: i128) -> SqlError {
    match ty {
        SqlType::TinyInt | SqlType::SmallInt => SqlError::new(
            220,
            16,
            2,
            format!(
                "Arithmetic overflow error for data type {}, value = {value}.",
                base_name(ty)
            ),
        ),
        _ => SqlError::arithmetic_overflow("expression", base_name(ty)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl ArithOp {
    fn verb(self) -> &'static str {
        match self {
            ArithOp::Add => "add",
            ArithOp::Sub => "subtract",
            ArithOp::Mul => "multiply",
            ArithOp::Div => "divide",
            ArithOp::Mod => "modulo",
        }
    }
}

fn rank(ty: &SqlType) -> Option<u8> {
    Some(match ty {
        SqlType::TinyInt => 1,
        SqlType::SmallInt => 2,
        SqlType::Int => 3,
        SqlType::BigInt => 4,
        SqlType::SmallMoney | SqlType::Money => 5,
        SqlType::Decimal { .. } | SqlType::Numeric { .. } => 6,
        SqlType::Real => 7,
        SqlType::Float => 8,
        _ => return None,
    })
}

/// Precision and scale of an exact operand.
fn precision_scale(ty: &SqlType) -> (u32, u32) {
    match ty {
        SqlType::TinyInt => (3, 0),
        SqlType::SmallInt => (5, 0),
        SqlType::Int => (10, 0),
        SqlType::BigInt => (19, 0),
        SqlType::Money => (19, 4),
        SqlType::SmallMoney => (10, 4),
        SqlType::Decimal { precision, scale } | SqlType::Numeric { precision, scale } => {
            (u32::from(*precision), u32::from(*scale))
        }
        _ => (38, 0),
    }
}

/// Result precision and scale of a decimal operation, reduced to at most 38 digits while
/// keeping at least 6 decimals where possible.
fn decimal_result(op: ArithOp, a: &SqlType, b: &SqlType) -> (u32, u32) {
    let ((p1, s1), (p2, s2)) = (precision_scale(a), precision_scale(b));
    let (p, s) = match op {
        ArithOp::Add | ArithOp::Sub => (s1.max(s2) + (p1 - s1).max(p2 - s2) + 1, s1.max(s2)),
        ArithOp::Mul => (p1 + p2 + 1, s1 + s2),
        ArithOp::Div => {
            let s = 6u32.max(s1 + p2 + 1);
            (p1 - s1 + s2 + s, s)
        }
        ArithOp::Mod => ((p1 - s1).min(p2 - s2) + s1.max(s2), s1.max(s2)),
    };
    if p <= 38 {
        return (p.max(1), s);
    }
    let integral = p - s;
    let s = s.min(38u32.saturating_sub(integral).max(6)).min(38);
    (38, s)
}

/// `a op b` for numeric operands (the caller handles strings and NULL typing).
pub(crate) fn arithmetic(op: ArithOp, a: &Typed, b: &Typed) -> Result<Typed, SqlError> {
    let invalid = |t: &SqlType| {
        SqlError::new(
            8117,
            16,
            1,
            format!(
                "Operand data type {} is invalid for {} operator.",
                base_name(t),
                op.verb()
            ),
        )
    };
    let ra = rank(&a.ty).ok_or_else(|| invalid(&a.ty))?;
    let rb = rank(&b.ty).ok_or_else(|| invalid(&b.ty))?;
    let nullable = a.nullable || b.nullable;
    let (hi, _) = if ra >= rb { (a.ty, ra) } else { (b.ty, rb) };
    let hi_rank = ra.max(rb);
    if hi_rank >= 7 {
        let ty = if a.ty == SqlType::Real && b.ty == SqlType::Real {
            SqlType::Real
        } else {
            SqlType::Float
        };
        let (Some(x), Some(y)) = (num_of(&a.value), num_of(&b.value)) else {
            return Ok(Typed {
                value: Value::Null,
                ty,
                nullable,
            });
        };
        if op == ArithOp::Mod {
            return Err(invalid(&ty));
        }
        let (x, y) = (x.to_f64(), y.to_f64());
        if matches!(op, ArithOp::Div) && y == 0.0 {
            return Err(SqlError::divide_by_zero());
        }
        let r = match op {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
            _ => x / y,
        };
        if !r.is_finite() {
            return Err(SqlError::arithmetic_overflow("expression", base_name(&ty)));
        }
        let value = if ty == SqlType::Real {
            Value::Real(r as f32)
        } else {
            Value::Float(r)
        };
        return Ok(Typed {
            value,
            ty,
            nullable,
        });
    }
    if hi_rank == 6 {
        let (p, s) = decimal_result(op, &a.ty, &b.ty);
        let ty = SqlType::Numeric {
            precision: p as u8,
            scale: s as u8,
        };
        let (Some(x), Some(y)) = (num_of(&a.value), num_of(&b.value)) else {
            return Ok(Typed {
                value: Value::Null,
                ty,
                nullable,
            });
        };
        let m = decimal_op(op, x, y, s as u8)
            .ok_or_else(|| SqlError::arithmetic_overflow("expression", "numeric"))??;
        if digit_count(m) > p {
            return Err(SqlError::arithmetic_overflow("expression", "numeric"));
        }
        return Ok(Typed {
            value: Value::Decimal(Decimal {
                mantissa: m,
                scale: s as u8,
            }),
            ty,
            nullable,
        });
    }
    if hi_rank == 5 {
        let ty = SqlType::Money;
        let (Some(x), Some(y)) = (num_of(&a.value), num_of(&b.value)) else {
            return Ok(Typed {
                value: Value::Null,
                ty,
                nullable,
            });
        };
        let m = decimal_op(op, x, y, 4)
            .ok_or_else(|| SqlError::arithmetic_overflow("expression", "money"))??;
        let v =
            i64::try_from(m).map_err(|_| SqlError::arithmetic_overflow("expression", "money"))?;
        return Ok(Typed {
            value: Value::Money(v),
            ty,
            nullable,
        });
    }
    let ty = hi;
    let (Some(Num::Int(x)), Some(Num::Int(y))) = (num_of(&a.value), num_of(&b.value)) else {
        return Ok(Typed {
            value: Value::Null,
            ty,
            nullable,
        });
    };
    let r = match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div | ArithOp::Mod if y == 0 => return Err(SqlError::divide_by_zero()),
        ArithOp::Div => x / y,
        ArithOp::Mod => x % y,
    };
    let (lo, hi_v) = integer_range(&ty).unwrap_or((i128::MIN, i128::MAX));
    if r < lo || r > hi_v {
        return Err(integer_overflow(&ty, r));
    }
    Ok(Typed {
        value: integer_value(&ty, r),
        ty,
        nullable,
    })
}

/// `x op y` as a mantissa at scale `s`. The outer `None` is an overflow; the inner error a
/// division by zero.
fn decimal_op(op: ArithOp, x: Num, y: Num, s: u8) -> Option<Result<i128, SqlError>> {
    let parts = |n: Num| match n {
        Num::Int(i) => Some((i, 0u8)),
        Num::Dec { m, s } => Some((m, s)),
        Num::Float(_) => None,
    };
    let ((m1, s1), (m2, s2)) = (parts(x)?, parts(y)?);
    Some(Ok(match op {
        ArithOp::Add => rescale(m1, s1, s)?.checked_add(rescale(m2, s2, s)?)?,
        ArithOp::Sub => rescale(m1, s1, s)?.checked_sub(rescale(m2, s2, s)?)?,
        ArithOp::Mul => rescale(m1.checked_mul(m2)?, s1 + s2, s)?,
        ArithOp::Div | ArithOp::Mod if m2 == 0 => return Some(Err(SqlError::divide_by_zero())),
        ArithOp::Div => {
            // m1/10^s1 ÷ m2/10^s2 at scale s: m1 × 10^(s + s2 − s1) ÷ m2, rounded.
            let shift = i32::from(s) + i32::from(s2) - i32::from(s1);
            let (num, den) = if shift >= 0 {
                (m1.checked_mul(pow10(shift as u32)?)?, m2)
            } else {
                (m1, m2.checked_mul(pow10((-shift) as u32)?)?)
            };
            let q = num / den;
            let r = num % den;
            if r.unsigned_abs() * 2 >= den.unsigned_abs() {
                q + num.signum() * den.signum()
            } else {
                q
            }
        }
        ArithOp::Mod => {
            let common = s1.max(s2);
            rescale(
                rescale(m1, s1, common)? % rescale(m2, s2, common)?,
                common,
                s,
            )?
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(m: i128, p: u8, s: u8) -> Typed {
        Typed::decimal(m, p, s)
    }

    #[test]
    fn rescale_rounds_half_away_from_zero() {
        assert_eq!(rescale(125, 2, 1), Some(13));
        assert_eq!(rescale(-125, 2, 1), Some(-13));
        assert_eq!(rescale(124, 2, 1), Some(12));
        assert_eq!(rescale(5, 0, 2), Some(500));
    }

    #[test]
    fn integer_arithmetic_keeps_int_and_reports_overflow() {
        let r = arithmetic(ArithOp::Add, &Typed::int(1), &Typed::int(2)).unwrap();
        assert_eq!(r, Typed::int(3));
        let e = arithmetic(ArithOp::Mul, &Typed::int(i32::MAX), &Typed::int(2)).unwrap_err();
        assert_eq!(e.number, 8115);
        assert_eq!(
            arithmetic(ArithOp::Div, &Typed::int(10), &Typed::int(3))
                .unwrap()
                .value,
            Value::Int(3)
        );
        assert_eq!(
            arithmetic(ArithOp::Div, &Typed::int(1), &Typed::int(0))
                .unwrap_err()
                .number,
            8134
        );
    }

    #[test]
    fn decimal_arithmetic_follows_precision_rules() {
        let r = arithmetic(ArithOp::Add, &dec(15, 2, 1), &Typed::int(1)).unwrap();
        assert_eq!(
            r.ty,
            SqlType::Numeric {
                precision: 12,
                scale: 1
            }
        );
        assert_eq!(
            r.value,
            Value::Decimal(Decimal {
                mantissa: 25,
                scale: 1
            })
        );
        let r = arithmetic(ArithOp::Div, &Typed::int(1), &dec(3, 1, 0)).unwrap();
        assert_eq!(
            r.ty,
            SqlType::Numeric {
                precision: 16,
                scale: 6
            }
        );
        assert_eq!(
            r.value,
            Value::Decimal(Decimal {
                mantissa: 333_333,
                scale: 6
            })
        );
    }

    #[test]
    fn float_wins_over_exact_types() {
        let r = arithmetic(
            ArithOp::Mul,
            &Typed::not_null(Value::Float(1.5), SqlType::Float),
            &Typed::int(2),
        )
        .unwrap();
        assert_eq!(r.value, Value::Float(3.0));
    }

    #[test]
    fn null_operands_give_typed_null() {
        let r = arithmetic(ArithOp::Add, &Typed::null(), &Typed::int(1)).unwrap();
        assert_eq!(r.value, Value::Null);
        assert_eq!(r.ty, SqlType::Int);
    }

    #[test]
    fn num_conversions() {
        assert_eq!(Num::Dec { m: 25, s: 1 }.to_integer(false), Some(2));
        assert_eq!(Num::Dec { m: 25_000, s: 4 }.to_integer(true), Some(3));
        assert_eq!(Num::Float(-2.7).to_integer(false), Some(-2));
        assert_eq!(Num::Float(1.005).to_decimal(5, 2), Some(100));
        assert_eq!(Num::Int(1000).to_decimal(3, 0), None);
    }
}
