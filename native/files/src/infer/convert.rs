//! Converting a field to its column's type, with the same parsing functions the inference used.
//!
//! The loader (issue 11) calls [`convert`] for every field with the [`ColumnRule`] the inference
//! (or the user) decided. A value the inference accepted always converts: a day-first column
//! converts day-first, a `decimal(12,2)` column rescales to scale 2, a `datetime2(3)` column
//! takes up to 3 fraction digits. Anything else is a [`ConvertError`] saying why; nothing is
//! rounded or cut silently.

use std::fmt;

use super::cell_text::{render_cell, CellText};
use super::nulls::NullPolicy;
use super::parse::{
    parse_bit, parse_guid, parse_number, parse_temporal, trim_spaces, DateOrder, Number, OrderSet,
    Temporal, TemporalKind,
};
use super::sheet_value::{sheet_number, sheet_temporal};
use super::sql_type::SqlType;
use crate::field::DateKind;
use crate::Field;

/// What the loader needs to convert one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRule {
    pub sql_type: SqlType,
    /// How numeric dates are read (only matters for date/time types).
    pub date_order: DateOrder,
    pub nulls: NullPolicy,
}

/// A converted value, borrowing text from the field.
///
/// The tag is a whole word (`repr(u64)`): with a one-byte tag, copies of the value (the load
/// moves each one from the read-ahead block to the packet buffer) went through two overlapping
/// 4-byte moves of bytes 1..8, which stall store-to-load forwarding on every field.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(u64)]
pub enum Converted<'a> {
    Null,
    Int(i64),
    /// `mantissa / 10^scale`, at the column's scale. (`scale` first: with the word tag the
    /// fields keep their order, and this order makes the value 32 bytes, not 48.)
    Decimal {
        scale: u8,
        mantissa: i128,
    },
    Float(f64),
    Bool(bool),
    /// Days since 1970-01-01.
    Date {
        days: i32,
    },
    /// Civil date and time (no zone).
    DateTime {
        days: i32,
        nanos: u64,
    },
    /// Local civil date and time, and its offset from UTC (UTC = local − offset).
    DateTimeOffset {
        days: i32,
        nanos: u64,
        offset_minutes: i16,
    },
    /// Nanoseconds since midnight.
    Time {
        nanos: u64,
    },
    /// The 16 bytes in written (RFC 4122) order.
    Guid([u8; 16]),
    /// The field's text, untouched.
    Text(&'a str),
    /// A spreadsheet number, boolean or date cell in a character column: written as the text
    /// [`render_cell`] gives (checked against the column's length here) when it is encoded.
    /// The cell, not its text, travels: a value stays small on the hot path.
    CellText(Field<'a>),
}

/// Why a value does not convert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    /// The value as written (shortened to 100 characters).
    pub value: String,
    pub expected: SqlType,
    pub reason: ConvertFailure,
}

/// The kinds of conversion failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvertFailure {
    /// Not a value of the type at all.
    NotOfType,
    /// A number outside the type's range, or with too many digits before the point.
    OutOfRange,
    /// More fraction digits (decimal or seconds) than the column's scale: it would round.
    TooPrecise,
    /// Longer than the character column (length in the type's units).
    TooLong { length: u64 },
    /// An empty string in a non-character column whose policy keeps empty apart from NULL.
    EmptyNotNull,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.expected;
        let v = &self.value;
        match self.reason {
            ConvertFailure::NotOfType => write!(f, "{v:?} is not a valid {t} value"),
            ConvertFailure::OutOfRange => write!(f, "{v:?} is out of range for {t}"),
            ConvertFailure::TooPrecise => {
                write!(f, "{v:?} has more fraction digits than {t} keeps")
            }
            ConvertFailure::TooLong { length } => {
                write!(f, "{v:?} ({length} long) does not fit {t}")
            }
            ConvertFailure::EmptyNotNull => write!(f, "an empty string is not a valid {t} value"),
        }
    }
}

impl std::error::Error for ConvertError {}

/// Converts one field under `rule`.
#[inline]
pub fn convert<'a>(
    field: Field<'a>,
    rule: &ColumnRule,
) -> Result<Converted<'a>, Box<ConvertError>> {
    let text = match field {
        Field::Error(_) => return Ok(Converted::Null),
        Field::Empty | Field::Text("") => {
            return if rule.nulls.empty_is_null {
                Ok(Converted::Null)
            } else if rule.sql_type.is_text() {
                Ok(Converted::Text(""))
            } else {
                Err(failure("", rule, ConvertFailure::EmptyNotNull))
            };
        }
        Field::Text(s) if rule.nulls.is_token(s) => return Ok(Converted::Null),
        Field::Text(s) => s,
        Field::Int(_) | Field::Float(_) | Field::Bool(_) | Field::DateTime(_) => {
            return convert_cell(field, rule);
        }
    };
    let fail = |reason| failure(text, rule, reason);
    let s = trim_spaces(text);
    match rule.sql_type {
        SqlType::VarChar(limit) => {
            // A varchar counts bytes of its collation's code page: one a character in
            // windows-1252, one or two in Shift_JIS, one to four in UTF-8. That is known only
            // where the value is encoded into the column, which checks the exact length; here
            // a value is refused only when even one byte a character is too long.
            let length = if text.is_ascii() {
                text.len()
            } else {
                text.chars().count()
            };
            fits(text, length as u64, limit, rule).map(|()| Converted::Text(text))
        }
        SqlType::NVarChar(limit) => {
            // ASCII (most text) is one UTF-16 unit per byte.
            let units = if text.is_ascii() {
                text.len() as u64
            } else {
                text.encode_utf16().count() as u64
            };
            fits(text, units, limit, rule).map(|()| Converted::Text(text))
        }
        SqlType::Bit => parse_bit(s)
            .map(Converted::Bool)
            .ok_or_else(|| fail(ConvertFailure::NotOfType)),
        SqlType::UniqueIdentifier => parse_guid(s)
            .map(Converted::Guid)
            .ok_or_else(|| fail(ConvertFailure::NotOfType)),
        SqlType::Date | SqlType::DateTime2(_) | SqlType::DateTimeOffset(_) | SqlType::Time(_) => {
            let t = parse_temporal(s, OrderSet::only(rule.date_order))
                .ok_or_else(|| fail(ConvertFailure::NotOfType))?;
            temporal(t, rule).map_err(fail)
        }
        SqlType::TinyInt
        | SqlType::SmallInt
        | SqlType::Int
        | SqlType::BigInt
        | SqlType::Decimal { .. }
        | SqlType::Float => {
            let n = parse_number(s).ok_or_else(|| fail(ConvertFailure::NotOfType))?;
            number(n, rule.sql_type).map_err(fail)
        }
    }
}

/// A spreadsheet number, boolean or date cell.
fn convert_cell<'a>(
    field: Field<'a>,
    rule: &ColumnRule,
) -> Result<Converted<'a>, Box<ConvertError>> {
    let text = render_cell(field);
    let shown = text.as_ref().map_or("", CellText::as_str);
    let fail = |reason| failure(shown, rule, reason);
    if rule.sql_type.is_text() {
        if text.is_none() {
            return Err(fail(ConvertFailure::TooLong { length: 64 }));
        }
        // Cell text is ASCII: bytes and UTF-16 units agree.
        let limit = match rule.sql_type {
            SqlType::VarChar(l) | SqlType::NVarChar(l) => l,
            _ => None,
        };
        return fits(shown, shown.len() as u64, limit, rule).map(|()| Converted::CellText(field));
    }
    match (field, rule.sql_type) {
        (Field::Bool(b), SqlType::Bit) => Ok(Converted::Bool(b)),
        (Field::DateTime(dt), _) if dt.kind == DateKind::Duration => {
            Err(fail(ConvertFailure::NotOfType))
        }
        (Field::DateTime(dt), _) => temporal(sheet_temporal(dt), rule).map_err(fail),
        (Field::Int(v), SqlType::Bit) if (0..=1).contains(&v) => Ok(Converted::Bool(v == 1)),
        (Field::Float(v), SqlType::Bit) if v == 0.0 || v == 1.0 => Ok(Converted::Bool(v == 1.0)),
        (Field::Int(v), t) => number(Number::Int(v), t).map_err(fail),
        (Field::Float(v), SqlType::Float) => Ok(Converted::Float(v)),
        (Field::Float(v), t) => number(sheet_number(v, text), t).map_err(fail),
        _ => Err(fail(ConvertFailure::NotOfType)),
    }
}

#[cold]
fn failure(value: &str, rule: &ColumnRule, reason: ConvertFailure) -> Box<ConvertError> {
    Box::new(ConvertError {
        value: super::evidence::Example::new(0, value).value,
        expected: rule.sql_type,
        reason,
    })
}

#[inline]
fn fits(
    text: &str,
    length: u64,
    limit: Option<u32>,
    rule: &ColumnRule,
) -> Result<(), Box<ConvertError>> {
    match limit {
        Some(n) if length > u64::from(n) => {
            Err(failure(text, rule, ConvertFailure::TooLong { length }))
        }
        _ => Ok(()),
    }
}

#[inline]
fn number(n: Number, t: SqlType) -> Result<Converted<'static>, ConvertFailure> {
    let (lo, hi) = match t {
        SqlType::TinyInt => (0, 255),
        SqlType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
        SqlType::Int => (i64::from(i32::MIN), i64::from(i32::MAX)),
        SqlType::BigInt => (i64::MIN, i64::MAX),
        SqlType::Float => return Ok(Converted::Float(n.as_f64())),
        SqlType::Decimal { precision, scale } => return decimal(n, precision, scale),
        _ => return Err(ConvertFailure::NotOfType),
    };
    match n {
        Number::Int(v) if (lo..=hi).contains(&v) => Ok(Converted::Int(v)),
        Number::Int(_) | Number::Decimal { scale: 0, .. } => Err(ConvertFailure::OutOfRange),
        Number::Decimal { .. } => Err(ConvertFailure::TooPrecise),
        Number::Float(_) => Err(ConvertFailure::NotOfType),
    }
}

#[inline]
fn decimal(n: Number, precision: u8, scale: u8) -> Result<Converted<'static>, ConvertFailure> {
    let (mantissa, from_scale) = match n {
        Number::Int(v) => (i128::from(v), 0),
        Number::Decimal {
            mantissa, scale, ..
        } => (mantissa, scale),
        Number::Float(_) => return Err(ConvertFailure::NotOfType),
    };
    if from_scale > scale {
        return Err(ConvertFailure::TooPrecise);
    }
    let factor = 10i128
        .checked_pow(u32::from(scale - from_scale))
        .ok_or(ConvertFailure::OutOfRange)?;
    let mantissa = mantissa
        .checked_mul(factor)
        .ok_or(ConvertFailure::OutOfRange)?;
    let limit = 10i128
        .checked_pow(u32::from(precision))
        .ok_or(ConvertFailure::OutOfRange)?;
    if mantissa.unsigned_abs() >= limit.unsigned_abs() {
        return Err(ConvertFailure::OutOfRange);
    }
    Ok(Converted::Decimal { mantissa, scale })
}

#[inline]
fn temporal(t: Temporal, rule: &ColumnRule) -> Result<Converted<'static>, ConvertFailure> {
    let days = t.days(rule.date_order);
    let kind_ok = match rule.sql_type {
        SqlType::Date => t.kind == TemporalKind::Date,
        SqlType::DateTime2(_) => matches!(t.kind, TemporalKind::Date | TemporalKind::DateTime),
        SqlType::DateTimeOffset(_) => t.kind != TemporalKind::Time,
        SqlType::Time(_) => t.kind == TemporalKind::Time,
        _ => false,
    };
    if !kind_ok {
        return Err(ConvertFailure::NotOfType);
    }
    match rule.sql_type {
        SqlType::DateTime2(n) | SqlType::DateTimeOffset(n) | SqlType::Time(n)
            if t.frac_digits > n =>
        {
            Err(ConvertFailure::TooPrecise)
        }
        SqlType::Date => Ok(Converted::Date { days }),
        SqlType::DateTime2(_) => Ok(Converted::DateTime {
            days,
            nanos: t.nanos,
        }),
        SqlType::DateTimeOffset(_) => Ok(Converted::DateTimeOffset {
            days,
            nanos: t.nanos,
            offset_minutes: t.offset_minutes,
        }),
        _ => Ok(Converted::Time { nanos: t.nanos }),
    }
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
