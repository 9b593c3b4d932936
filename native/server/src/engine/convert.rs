//! Converting a value to another SQL type: on INSERT/UPDATE (assignment to a column) and in
//! `CAST`/`CONVERT`, with the errors SQL Server raises for each kind of failure.
//!
//! Text is parsed into numbers, dates and GUIDs by the codec's [`parse_text`]; conversions
//! between numeric types and between date/time types are exact arithmetic here.

use super::datetime::Instant;
use super::error::SqlError;
use super::numeric::{integer_overflow, integer_range, integer_value, num_of, Num};
use super::type_decl::base_name;
use super::typed::Typed;
use super::value_text::{hex_text, value_as_text};
use tds::collation::Collation;
use tds::types::{SqlType, VarLen};
use tds::value::text::parse_text;
use tds::value::Value;

/// Assignment to a column raises 2628 on truncation; `CAST` truncates silently and allows
/// some conversions assignment does not (character data to binary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Assign,
    Cast,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConvError {
    Sql(SqlError),
    /// The value does not fit; `shown` is the part that would be kept, for message 2628.
    Truncated {
        shown: String,
    },
}

impl From<SqlError> for ConvError {
    fn from(e: SqlError) -> Self {
        ConvError::Sql(e)
    }
}

/// Converts for assignment to `column` of `table` (`db.dbo.t`), mapping truncation to 2628.
pub(crate) fn assign(
    src: &Typed,
    ty: &SqlType,
    column: &str,
    table: &str,
) -> Result<Value, SqlError> {
    convert(src, ty, Mode::Assign).map_err(|e| match e {
        ConvError::Sql(e) => e,
        ConvError::Truncated { shown } => SqlError::truncated(table, column, &shown),
    })
}

/// `CAST(src AS ty)`.
pub(crate) fn cast(src: &Typed, ty: &SqlType) -> Result<Typed, SqlError> {
    let value = convert(src, ty, Mode::Cast).map_err(|e| match e {
        ConvError::Sql(e) => e,
        ConvError::Truncated { shown } => SqlError::truncated("", "", &shown),
    })?;
    Ok(Typed {
        value,
        ty: *ty,
        nullable: src.nullable,
    })
}

pub(crate) fn convert(src: &Typed, to: &SqlType, mode: Mode) -> Result<Value, ConvError> {
    if src.is_null() {
        return Ok(Value::Null);
    }
    // The large types store what their `(max)` counterparts store; a sql_variant keeps the
    // value with its own base type (up to 8000 bytes, as SQL Server's 8016-byte limit allows).
    if let Some(proxy) = storage_type(to) {
        return convert(src, &proxy, mode);
    }
    if let SqlType::Variant = to {
        return to_variant(src, mode);
    }
    // Same fixed type: nothing to do (and nothing to round).
    let sized = matches!(
        to,
        SqlType::Char { .. }
            | SqlType::VarChar { .. }
            | SqlType::NChar { .. }
            | SqlType::NVarChar { .. }
            | SqlType::Binary { .. }
            | SqlType::VarBinary { .. }
    );
    if src.ty == *to && !sized {
        return Ok(src.value.clone());
    }
    match to {
        SqlType::Char { .. }
        | SqlType::VarChar { .. }
        | SqlType::NChar { .. }
        | SqlType::NVarChar { .. } => to_character(src, to, mode),
        SqlType::Binary { .. } | SqlType::VarBinary { .. } => to_binary(src, to, mode),
        SqlType::Date
        | SqlType::Time { .. }
        | SqlType::DateTime
        | SqlType::SmallDateTime
        | SqlType::DateTime2 { .. }
        | SqlType::DateTimeOffset { .. } => to_datetime(src, to, mode),
        SqlType::UniqueIdentifier => to_guid(src, mode),
        _ => to_number(src, to, mode),
    }
}

/// The type whose conversions a large type shares: `text` → `varchar(max)`, `ntext` and `xml`
/// → `nvarchar(max)`, `image` and CLR types → `varbinary(max)`.
fn storage_type(ty: &SqlType) -> Option<SqlType> {
    match *ty {
        SqlType::Text { collation } => Some(SqlType::VarChar {
            len: VarLen::Max,
            collation,
        }),
        SqlType::NText { collation } => Some(SqlType::NVarChar {
            len: VarLen::Max,
            collation,
        }),
        SqlType::Xml => Some(SqlType::NVarChar {
            len: VarLen::Max,
            collation: Collation::SQL_LATIN1_GENERAL_CP1_CI_AS,
        }),
        SqlType::Image | SqlType::Udt { .. } => Some(SqlType::VarBinary { len: VarLen::Max }),
        _ => None,
    }
}

/// A value into a sql_variant: kept as it is, unless it is a large type or over 8000 bytes
/// (SQL Server: "Operand type clash" for the large types, 8000 bytes of data at most).
fn to_variant(src: &Typed, mode: Mode) -> Result<Value, ConvError> {
    if storage_type(&src.ty).is_some() {
        return Err(clash(&src.ty, &SqlType::Variant, mode));
    }
    let bytes = match &src.value {
        Value::String(s) => s.encode_utf16().count() * 2,
        Value::Binary(b) => b.len(),
        _ => 0,
    };
    if bytes > 8000 {
        return Err(ConvError::Sql(SqlError::new(
            8152,
            16,
            2,
            "String or binary data would be truncated (a sql_variant holds at most 8000 bytes).",
        )));
    }
    Ok(src.value.clone())
}

fn clash(from: &SqlType, to: &SqlType, mode: Mode) -> ConvError {
    ConvError::Sql(match mode {
        Mode::Assign => SqlError::new(
            206,
            16,
            2,
            format!(
                "Operand type clash: {} is incompatible with {}",
                base_name(from),
                base_name(to)
            ),
        ),
        Mode::Cast => SqlError::new(
            529,
            16,
            2,
            format!(
                "Explicit conversion from data type {} to {} is not allowed.",
                base_name(from),
                base_name(to)
            ),
        ),
    })
}

fn is_unicode(ty: &SqlType) -> bool {
    matches!(ty, SqlType::NChar { .. } | SqlType::NVarChar { .. })
}

/// `varchar` or `nvarchar`, as messages name the source of a failed conversion.
fn text_type_name(ty: &SqlType) -> &'static str {
    if is_unicode(ty) {
        "nvarchar"
    } else {
        "varchar"
    }
}

/// Whether varchar data in this collation is stored in code page 1252 (the Latin1 family).
fn is_code_page_1252(c: Collation) -> bool {
    !c.is_utf8()
        && matches!(
            c.lcid(),
            0x0409
                | 0x040C
                | 0x10407
                | 0x0407
                | 0x0C0A
                | 0x040A
                | 0x0406
                | 0x040B
                | 0x0413
                | 0x0410
        )
}

const CP1252_EXTRAS: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

fn in_cp1252(c: char) -> bool {
    (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) || CP1252_EXTRAS.contains(c)
}

fn to_character(src: &Typed, to: &SqlType, mode: Mode) -> Result<Value, ConvError> {
    let unicode = is_unicode(to);
    let mut text = match &src.value {
        Value::Binary(b) if unicode => {
            let units: Vec<u16> = b
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Value::Binary(b) => b.iter().map(|&x| char::from(x)).collect(),
        v => value_as_text(v).ok_or_else(|| clash(&src.ty, to, mode))?,
    };
    let (limit, fixed, collation) = match to {
        SqlType::Char { len, collation } | SqlType::NChar { len, collation } => {
            (Some(usize::from(*len)), true, *collation)
        }
        SqlType::VarChar { len, collation } | SqlType::NVarChar { len, collation } => match len {
            VarLen::Len(n) => (Some(usize::from(*n)), false, *collation),
            VarLen::Max => (None, false, *collation),
        },
        _ => return Err(clash(&src.ty, to, mode)),
    };
    let utf8 = !unicode && collation.is_utf8();
    if !unicode && is_code_page_1252(collation) && !text.chars().all(in_cp1252) {
        text = text
            .chars()
            .map(|c| if in_cp1252(c) { c } else { '?' })
            .collect();
    }
    // Storage units: UTF-16 code units for n-types, bytes for UTF-8 varchar, else characters.
    let units = |c: char| {
        if unicode {
            c.len_utf16()
        } else if utf8 {
            c.len_utf8()
        } else {
            1
        }
    };
    let measure = |s: &str| s.chars().map(units).sum::<usize>();
    let prefix = |s: &str, n: usize| {
        let mut used = 0;
        s.chars()
            .take_while(|c| {
                used += units(*c);
                used <= n
            })
            .collect::<String>()
    };
    if let Some(n) = limit {
        if measure(&text) > n {
            // Trailing blanks are dropped silently; anything else is truncation.
            if measure(text.trim_end_matches(' ')) > n && mode == Mode::Assign {
                return Err(ConvError::Truncated {
                    shown: prefix(&text, n),
                });
            }
            text = prefix(&text, n);
        }
        if fixed {
            let pad = n.saturating_sub(measure(&text));
            text.push_str(&" ".repeat(pad));
        }
    }
    Ok(Value::String(text))
}

fn to_binary(src: &Typed, to: &SqlType, mode: Mode) -> Result<Value, ConvError> {
    let mut bytes = match &src.value {
        Value::Binary(b) => b.clone(),
        Value::String(s) if mode == Mode::Cast => {
            if is_unicode(&src.ty) {
                s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
            } else if super::type_decl::collation_of(&src.ty).is_some_and(|c| c.is_utf8()) {
                s.as_bytes().to_vec()
            } else {
                s.chars().map(|c| if (c as u32) < 256 { c as u8 } else { b'?' }).collect()
            }
        }
        Value::String(_) => {
            return Err(ConvError::Sql(SqlError::new(
                257,
                16,
                3,
                format!(
                    "Implicit conversion from data type {} to {} is not allowed. Use the CONVERT function to run this query.",
                    text_type_name(&src.ty),
                    base_name(to)
                ),
            )))
        }
        Value::Bit(b) => vec![u8::from(*b)],
        Value::TinyInt(n) => vec![*n],
        Value::SmallInt(n) => n.to_be_bytes().to_vec(),
        Value::Int(n) => n.to_be_bytes().to_vec(),
        Value::BigInt(n) => n.to_be_bytes().to_vec(),
        Value::Guid(g) if mode == Mode::Cast => guid_wire_order(g).to_vec(),
        _ => return Err(clash(&src.ty, to, mode)),
    };
    let (limit, fixed) = match to {
        SqlType::Binary { len } => (Some(usize::from(*len)), true),
        SqlType::VarBinary {
            len: VarLen::Len(n),
        } => (Some(usize::from(*n)), false),
        _ => (None, false),
    };
    if let Some(n) = limit {
        if bytes.len() > n {
            if mode == Mode::Assign {
                return Err(ConvError::Truncated {
                    shown: hex_text(&bytes[..n]),
                });
            }
            bytes.truncate(n);
        }
        if fixed {
            bytes.resize(n, 0);
        }
    }
    Ok(Value::Binary(bytes))
}

/// A GUID's bytes as stored (and sent on the wire): the first three groups little-endian.
fn guid_wire_order(g: &[u8; 16]) -> [u8; 16] {
    let mut w = *g;
    w[0..4].reverse();
    w[4..6].reverse();
    w[6..8].reverse();
    w
}

fn looks_integer(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn looks_numeric(t: &str) -> bool {
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (i, f) = body.split_once('.').unwrap_or((body, ""));
    !(i.is_empty() && f.is_empty()) && i.chars().chain(f.chars()).all(|c| c.is_ascii_digit())
}

fn string_to_number(s: &str, from: &SqlType, to: &SqlType) -> Result<Value, ConvError> {
    let t = s.trim();
    // SQL Server reads an empty string as zero for integer, float and money types.
    if t.is_empty() && !matches!(to, SqlType::Decimal { .. } | SqlType::Numeric { .. }) {
        return to_number(&Typed::int(0), to, Mode::Assign);
    }
    if let Ok(v) = parse_text(to, t) {
        return Ok(v);
    }
    let src = text_type_name(from);
    let to_name = base_name(to);
    Err(ConvError::Sql(match to {
        SqlType::TinyInt | SqlType::SmallInt | SqlType::Int | SqlType::BigInt if looks_integer(t) => SqlError::new(
            248,
            16,
            1,
            format!("The conversion of the {src} value '{s}' overflowed an {to_name} column. Use a larger integer column."),
        ),
        SqlType::Bit | SqlType::TinyInt | SqlType::SmallInt | SqlType::Int | SqlType::BigInt => SqlError::new(
            245,
            16,
            1,
            format!("Conversion failed when converting the {src} value '{s}' to data type {to_name}."),
        ),
        SqlType::Decimal { .. } | SqlType::Numeric { .. } if looks_numeric(t) => {
            SqlError::arithmetic_overflow(src, "numeric")
        }
        SqlType::Decimal { .. } | SqlType::Numeric { .. } => {
            SqlError::new(8114, 16, 5, format!("Error converting data type {src} to numeric."))
        }
        SqlType::Money | SqlType::SmallMoney => {
            SqlError::new(235, 16, 0, "Cannot convert a char value to money. The char value has incorrect syntax.")
        }
        _ => SqlError::new(8114, 16, 5, format!("Error converting data type {src} to {to_name}.")),
    }))
}

fn to_number(src: &Typed, to: &SqlType, mode: Mode) -> Result<Value, ConvError> {
    let num = match &src.value {
        Value::String(s) => return string_to_number(s, &src.ty, to),
        Value::Binary(b) if integer_range(to).is_some() || *to == SqlType::Bit => {
            let tail = &b[b.len().saturating_sub(8)..];
            let mut buf = [0u8; 8];
            buf[8 - tail.len()..].copy_from_slice(tail);
            Num::Int(i128::from(i64::from_be_bytes(buf)))
        }
        v => num_of(v).ok_or_else(|| clash(&src.ty, to, mode))?,
    };
    let from_money = matches!(src.ty, SqlType::Money | SqlType::SmallMoney);
    let from_name = match src.ty {
        SqlType::Decimal { .. } | SqlType::Numeric { .. } => "numeric",
        ref other => base_name(other),
    };
    Ok(match to {
        SqlType::Bit => Value::Bit(match num {
            Num::Int(i) => i != 0,
            Num::Dec { m, .. } => m != 0,
            Num::Float(f) => f != 0.0,
        }),
        SqlType::TinyInt | SqlType::SmallInt | SqlType::Int | SqlType::BigInt => {
            let i = num
                .to_integer(from_money)
                .ok_or_else(|| SqlError::arithmetic_overflow("expression", base_name(to)))?;
            let (lo, hi) = integer_range(to).unwrap_or((i128::MIN, i128::MAX));
            if i < lo || i > hi {
                return Err(if matches!(num, Num::Int(_)) {
                    integer_overflow(to, i).into()
                } else {
                    SqlError::arithmetic_overflow("expression", base_name(to)).into()
                });
            }
            integer_value(to, i)
        }
        SqlType::Real => {
            let f = num.to_f64() as f32;
            if !f.is_finite() {
                return Err(SqlError::arithmetic_overflow(from_name, "real").into());
            }
            Value::Real(f)
        }
        SqlType::Float => Value::Float(num.to_f64()),
        SqlType::Decimal { precision, scale } | SqlType::Numeric { precision, scale } => {
            let m = num
                .to_decimal(*precision, *scale)
                .ok_or_else(|| SqlError::arithmetic_overflow(from_name, "numeric"))?;
            Value::Decimal(tds::value::Decimal {
                mantissa: m,
                scale: *scale,
            })
        }
        SqlType::Money | SqlType::SmallMoney => {
            let overflow = || SqlError::arithmetic_overflow("expression", base_name(to));
            let m = num.to_decimal(19, 4).ok_or_else(overflow)?;
            let (lo, hi) = if *to == SqlType::Money {
                (i128::from(i64::MIN), i128::from(i64::MAX))
            } else {
                (i128::from(i32::MIN), i128::from(i32::MAX))
            };
            if m < lo || m > hi {
                return Err(overflow().into());
            }
            Value::Money(m as i64)
        }
        _ => return Err(clash(&src.ty, to, mode)),
    })
}

fn to_datetime(src: &Typed, to: &SqlType, mode: Mode) -> Result<Value, ConvError> {
    if let Value::String(s) = &src.value {
        // SQL Server reads an empty string as 1900-01-01 00:00.
        if s.trim().is_empty() {
            let epoch = Instant {
                days: super::datetime::DAYS_TO_1900,
                ticks: 0,
                offset_minutes: 0,
            };
            return epoch.to_value(to).ok_or_else(|| clash(&src.ty, to, mode));
        }
        return parse_text(to, s.trim()).map_err(|_| {
            ConvError::Sql(SqlError::new(
                241,
                16,
                1,
                "Conversion failed when converting date and/or time from character string.",
            ))
        });
    }
    let instant = match Instant::from_value(&src.value) {
        Some(i) => i,
        None if matches!(to, SqlType::DateTime | SqlType::SmallDateTime) => {
            // Numbers convert to datetime as days (and fractions of a day) since 1900-01-01.
            let n = num_of(&src.value)
                .ok_or_else(|| clash(&src.ty, to, mode))?
                .to_f64();
            if !n.is_finite() || n.abs() > 3_000_000.0 {
                return Err(SqlError::arithmetic_overflow("expression", base_name(to)).into());
            }
            let days = n.floor();
            let ticks = ((n - days) * super::datetime::TICKS_PER_DAY as f64) as u64;
            Instant {
                days: days as i64 + super::datetime::DAYS_TO_1900,
                ticks,
                offset_minutes: 0,
            }
        }
        None => return Err(clash(&src.ty, to, mode)),
    };
    instant.to_value(to).ok_or_else(|| {
        ConvError::Sql(SqlError::new(
            242,
            16,
            3,
            format!(
                "The conversion of a {} data type to a {} data type resulted in an out-of-range value.",
                base_name(&src.ty),
                base_name(to)
            ),
        ))
    })
}

fn to_guid(src: &Typed, mode: Mode) -> Result<Value, ConvError> {
    match &src.value {
        Value::Guid(g) => Ok(Value::Guid(*g)),
        Value::String(s) => parse_text(&SqlType::UniqueIdentifier, s.trim()).map_err(|_| {
            ConvError::Sql(SqlError::new(
                8169,
                16,
                2,
                "Conversion failed when converting from a character string to uniqueidentifier.",
            ))
        }),
        Value::Binary(b) if mode == Mode::Cast && b.len() >= 16 => {
            let mut g = [0u8; 16];
            g.copy_from_slice(&b[..16]);
            Ok(Value::Guid(guid_wire_order(&g)))
        }
        _ => Err(clash(&src.ty, &SqlType::UniqueIdentifier, mode)),
    }
}
