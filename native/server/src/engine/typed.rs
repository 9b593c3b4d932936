//! Values with their SQL type: what expressions evaluate to, and how literals are typed.

use super::collation_names::default_collation;
use super::error::SqlError;
use tds::types::{SqlType, VarLen};
use tds::value::{Decimal, Value};

/// A value with the type SQL Server gives the expression that produced it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Typed {
    pub value: Value,
    pub ty: SqlType,
    pub nullable: bool,
}

impl Typed {
    /// `NULL` with no other type information is an `int` in SQL Server.
    pub fn null() -> Typed {
        Typed {
            value: Value::Null,
            ty: SqlType::Int,
            nullable: true,
        }
    }

    pub fn not_null(value: Value, ty: SqlType) -> Typed {
        Typed {
            value,
            ty,
            nullable: false,
        }
    }

    pub fn nullable(value: Value, ty: SqlType) -> Typed {
        Typed {
            value,
            ty,
            nullable: true,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn int(v: i32) -> Typed {
        Typed::not_null(Value::Int(v), SqlType::Int)
    }

    /// An `nvarchar(len)` value (the type of most system functions' results).
    pub fn nvarchar(s: Option<String>, len: u16) -> Typed {
        let ty = SqlType::NVarChar {
            len: VarLen::Len(len),
            collation: default_collation().collation,
        };
        match s {
            Some(s) => Typed::nullable(Value::String(s), ty),
            None => Typed::nullable(Value::Null, ty),
        }
    }

    /// A `varchar` literal: `varchar(n)` for its byte length, `varchar(max)` beyond 8000.
    pub fn varchar_literal(s: &str) -> Typed {
        let n = s.len();
        let len = if n > 8000 {
            VarLen::Max
        } else {
            VarLen::Len(n.max(1) as u16)
        };
        Typed::not_null(
            Value::String(s.to_string()),
            SqlType::VarChar {
                len,
                collation: default_collation().collation,
            },
        )
    }

    /// An `N'…'` literal: `nvarchar(n)` for its UTF-16 length, `nvarchar(max)` beyond 4000.
    pub fn nvarchar_literal(s: &str) -> Typed {
        let n = s.encode_utf16().count();
        let len = if n > 4000 {
            VarLen::Max
        } else {
            VarLen::Len(n.max(1) as u16)
        };
        Typed::not_null(
            Value::String(s.to_string()),
            SqlType::NVarChar {
                len,
                collation: default_collation().collation,
            },
        )
    }

    pub fn varbinary(b: Vec<u8>) -> Typed {
        let n = b.len();
        let len = if n > 8000 {
            VarLen::Max
        } else {
            VarLen::Len(n.max(1) as u16)
        };
        Typed::not_null(Value::Binary(b), SqlType::VarBinary { len })
    }

    pub fn decimal(mantissa: i128, precision: u8, scale: u8) -> Typed {
        Typed::not_null(
            Value::Decimal(Decimal { mantissa, scale }),
            SqlType::Numeric {
                precision: precision.clamp(1, 38),
                scale,
            },
        )
    }
}

fn out_of_range(text: &str) -> SqlError {
    SqlError::new(
        1007,
        15,
        1,
        format!("The number '{text}' is out of the range for numeric representation (maximum precision 38)."),
    )
}

/// Types a numeric literal as SQL Server does: `int` if it fits, else `numeric(p,0)`;
/// `numeric(p,s)` with a decimal point; `float` with an exponent.
pub(crate) fn number_literal(text: &str) -> Result<Typed, SqlError> {
    if text.contains(['e', 'E']) {
        let f: f64 = text.parse().map_err(|_| SqlError::syntax_near(text))?;
        if !f.is_finite() {
            return Err(SqlError::arithmetic_overflow("expression", "float"));
        }
        return Ok(Typed::not_null(Value::Float(f), SqlType::Float));
    }
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    if !int_part
        .chars()
        .chain(frac_part.unwrap_or("").chars())
        .all(|c| c.is_ascii_digit())
    {
        return Err(SqlError::syntax_near(text));
    }
    let int_digits = int_part.trim_start_matches('0');
    match frac_part {
        None => {
            if let Ok(v) = int_digits.parse::<i32>() {
                return Ok(Typed::int(v));
            }
            if int_digits.is_empty() {
                return Ok(Typed::int(0));
            }
            if int_digits.len() > 38 {
                return Err(out_of_range(text));
            }
            let m: i128 = int_digits.parse().map_err(|_| out_of_range(text))?;
            Ok(Typed::decimal(m, int_digits.len() as u8, 0))
        }
        Some(frac) => {
            let scale = frac.len();
            let precision = int_digits.len() + scale;
            if precision > 38 {
                return Err(out_of_range(text));
            }
            let digits = format!("{int_digits}{frac}");
            let m: i128 = if digits.is_empty() {
                0
            } else {
                digits.parse().map_err(|_| out_of_range(text))?
            };
            Ok(Typed::decimal(
                m,
                precision.max(scale).max(1) as u8,
                scale as u8,
            ))
        }
    }
}

/// A `$12.50` money literal (at most 4 decimals are kept, rounded).
pub(crate) fn money_literal(text: &str) -> Result<Typed, SqlError> {
    let body = text.trim_start_matches('$');
    let t = number_literal(body)?;
    let (m, s) = match t.value {
        Value::Int(i) => (i128::from(i), 0u8),
        Value::Decimal(d) => (d.mantissa, d.scale),
        _ => return Err(SqlError::syntax_near(text)),
    };
    let scaled = super::numeric::rescale(m, s, 4)
        .ok_or_else(|| SqlError::arithmetic_overflow("expression", "money"))?;
    let v =
        i64::try_from(scaled).map_err(|_| SqlError::arithmetic_overflow("expression", "money"))?;
    Ok(Typed::not_null(Value::Money(v), SqlType::Money))
}

/// A `0x…` literal; an odd number of digits gets a leading zero, as in SQL Server.
pub(crate) fn hex_literal(digits: &str) -> Result<Typed, SqlError> {
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits.to_string()
    };
    let bytes = (0..padded.len())
        .step_by(2)
        .map(|i| {
            padded
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| SqlError::syntax_near(&format!("0x{digits}")))?;
    Ok(Typed::varbinary(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_literals_are_int_until_they_overflow() {
        assert_eq!(number_literal("42").unwrap(), Typed::int(42));
        assert_eq!(
            number_literal("2147483648").unwrap().ty,
            SqlType::Numeric {
                precision: 10,
                scale: 0
            }
        );
        assert_eq!(number_literal(&"9".repeat(39)).unwrap_err().number, 1007);
    }

    #[test]
    fn decimal_and_float_literals() {
        let t = number_literal("12.50").unwrap();
        assert_eq!(
            t.ty,
            SqlType::Numeric {
                precision: 4,
                scale: 2
            }
        );
        assert_eq!(
            t.value,
            Value::Decimal(Decimal {
                mantissa: 1250,
                scale: 2
            })
        );
        assert_eq!(
            number_literal(".5").unwrap().ty,
            SqlType::Numeric {
                precision: 1,
                scale: 1
            }
        );
        assert_eq!(number_literal("1.5e3").unwrap().value, Value::Float(1500.0));
    }

    #[test]
    fn string_literals_are_sized_by_their_length() {
        assert!(matches!(
            Typed::varchar_literal("").ty,
            SqlType::VarChar {
                len: VarLen::Len(1),
                ..
            }
        ));
        assert!(matches!(
            Typed::nvarchar_literal("héllo").ty,
            SqlType::NVarChar {
                len: VarLen::Len(5),
                ..
            }
        ));
        assert!(matches!(
            Typed::varchar_literal(&"x".repeat(8001)).ty,
            SqlType::VarChar {
                len: VarLen::Max,
                ..
            }
        ));
    }

    #[test]
    fn hex_and_money_literals() {
        assert_eq!(
            hex_literal("ABC").unwrap().value,
            Value::Binary(vec![0x0A, 0xBC])
        );
        assert_eq!(hex_literal("").unwrap().value, Value::Binary(vec![]));
        assert_eq!(
            money_literal("$12.50").unwrap().value,
            Value::Money(125_000)
        );
    }
}
