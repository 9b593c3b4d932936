//! Text ↔ value conversions: [`parse_text`] converts a string as SQL Server converts a string
//! literal on insert; [`Value::to_text`] shows a value as SQL Server Management Studio does.
//!
//! Where SQL Server would silently change data (an empty string becoming 0 or 1900-01-01, a
//! character missing from the code page becoming `?`, a non-zero offset dropped from a
//! `datetime2`), these refuse instead: a loader must load what the file says.

use super::{Date, Decimal, Value};
use crate::types::{SqlType, VarLen};

// Helper modules shared by the value codecs; declared here so that `value/mod.rs` (owned
// elsewhere) needs no change. They live beside this file.
#[path = "datetime_text.rs"]
pub mod datetime_text;
#[path = "numeric.rs"]
pub mod numeric;
#[path = "temporal.rs"]
pub mod temporal;

use numeric::DecimalTextError;
use temporal::Moment;

/// Why a text (or other source value) cannot become a value of a column's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    #[error("cannot convert {value:?} to {ty}: {reason}")]
    Invalid {
        value: String,
        ty: String,
        reason: String,
    },
}

impl ConvertError {
    /// An error naming the value (shortened to 100 characters), the column type and the reason.
    pub fn invalid(value: &str, ty: &SqlType, reason: impl Into<String>) -> Self {
        let value = match value.char_indices().nth(100) {
            Some((i, _)) => format!("{}…", &value[..i]),
            None => value.to_string(),
        };
        ConvertError::Invalid {
            value,
            ty: ty.sql_name(),
            reason: reason.into(),
        }
    }
}

/// The SQL name of a value's kind, for error messages.
pub fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Bit(_) => "bit",
        Value::TinyInt(_) => "tinyint",
        Value::SmallInt(_) => "smallint",
        Value::Int(_) => "int",
        Value::BigInt(_) => "bigint",
        Value::Real(_) => "real",
        Value::Float(_) => "float",
        Value::Decimal(_) => "decimal",
        Value::Money(_) => "money",
        Value::Date(_) => "date",
        Value::Time(_) => "time",
        Value::DateTime { .. } => "datetime",
        Value::SmallDateTime { .. } => "smalldatetime",
        Value::DateTime2 { .. } => "datetime2",
        Value::DateTimeOffset { .. } => "datetimeoffset",
        Value::Guid(_) => "uniqueidentifier",
        Value::String(_) => "string",
        Value::Binary(_) => "binary",
    }
}

/// Converts `text` into a value of column type `ty`, as SQL Server converts a string literal
/// on insert (numbers, decimals, dates, times, GUIDs, hex for binary, …). Errors name the value.
///
/// Numbers, dates and GUIDs may have spaces around them; strings are taken as they are. Integers
/// are `[+-]digits`; `bit` is `1`, `0`, `true` or `false`; floats may have an exponent;
/// decimals and money are rounded to the column's scale (half away from zero) and overflow is an
/// error; dates and times follow [`datetime_text::parse_datetime_text`] and are rounded to the
/// column's precision (`datetime` to 1/300 s, `smalldatetime` to the minute); binary is `0x` and
/// hex digits.
pub fn parse_text(ty: &SqlType, text: &str) -> Result<Value, ConvertError> {
    let err = |reason: &str| ConvertError::invalid(text, ty, reason);
    let t = text.trim();
    Ok(match *ty {
        SqlType::Bit => match t.to_ascii_lowercase().as_str() {
            "1" | "true" => Value::Bit(true),
            "0" | "false" => Value::Bit(false),
            _ => return Err(err("bit must be 1, 0, true or false")),
        },
        SqlType::TinyInt => Value::TinyInt(int_in_range(t).map_err(err)?),
        SqlType::SmallInt => Value::SmallInt(int_in_range(t).map_err(err)?),
        SqlType::Int => Value::Int(int_in_range(t).map_err(err)?),
        SqlType::BigInt => Value::BigInt(int_in_range(t).map_err(err)?),
        SqlType::Real => {
            check_float_syntax(t).map_err(err)?;
            match t.parse::<f32>() {
                Ok(f) if f.is_finite() => Value::Real(f),
                _ => return Err(err("Arithmetic overflow")),
            }
        }
        SqlType::Float => {
            check_float_syntax(t).map_err(err)?;
            match t.parse::<f64>() {
                Ok(f) if f.is_finite() => Value::Float(f),
                _ => return Err(err("Arithmetic overflow")),
            }
        }
        SqlType::Decimal { precision, scale } | SqlType::Numeric { precision, scale } => {
            match numeric::parse_decimal(t, scale) {
                Ok(mantissa) if numeric::fits_precision(mantissa, precision) => {
                    Value::Decimal(Decimal { mantissa, scale })
                }
                Err(DecimalTextError::Syntax) => return Err(err("not a decimal number")),
                _ => return Err(err("Arithmetic overflow")),
            }
        }
        SqlType::Money | SqlType::SmallMoney => {
            let m = match numeric::parse_decimal(t, 4) {
                Ok(m) => m,
                Err(DecimalTextError::Syntax) => return Err(err("not a decimal number")),
                Err(DecimalTextError::Overflow) => return Err(err("Arithmetic overflow")),
            };
            let m = match *ty {
                SqlType::SmallMoney => i32::try_from(m).map(i64::from).ok(),
                _ => i64::try_from(m).ok(),
            };
            Value::Money(m.ok_or_else(|| err("Arithmetic overflow"))?)
        }
        SqlType::Date
        | SqlType::Time { .. }
        | SqlType::DateTime
        | SqlType::SmallDateTime
        | SqlType::DateTime2 { .. }
        | SqlType::DateTimeOffset { .. } => parse_temporal(ty, t).map_err(err)?,
        SqlType::UniqueIdentifier => Value::Guid(parse_guid(t).ok_or_else(|| {
            err("uniqueidentifier must be xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (braces optional)")
        })?),
        SqlType::Char { len, collation }
        | SqlType::VarChar {
            len: VarLen::Len(len),
            collation,
        } => {
            let bytes = collation
                .encode_str(text)
                .map_err(|e| err(&e.to_string()))?;
            check_len(bytes.len(), len, "bytes").map_err(|e| err(&e))?;
            Value::String(text.to_string())
        }
        SqlType::NChar { len, .. }
        | SqlType::NVarChar {
            len: VarLen::Len(len),
            ..
        } => {
            check_len(text.encode_utf16().count(), len, "UTF-16 code units")
                .map_err(|e| err(&e))?;
            Value::String(text.to_string())
        }
        SqlType::VarChar {
            len: VarLen::Max,
            collation,
        } => {
            collation
                .encode_str(text)
                .map_err(|e| err(&e.to_string()))?;
            Value::String(text.to_string())
        }
        SqlType::Text { collation } => {
            collation
                .encode_str(text)
                .map_err(|e| err(&e.to_string()))?;
            Value::String(text.to_string())
        }
        // Text into a sql_variant stays text (its base type becomes nvarchar); xml is checked
        // by the server, which knows its schema collection.
        SqlType::NVarChar {
            len: VarLen::Max, ..
        }
        | SqlType::NText { .. }
        | SqlType::Xml
        | SqlType::Variant => Value::String(text.to_string()),
        SqlType::Image | SqlType::Udt { .. } => Value::Binary(parse_hex(t).map_err(err)?),
        SqlType::Binary { len }
        | SqlType::VarBinary {
            len: VarLen::Len(len),
        } => {
            let bytes = parse_hex(t).map_err(err)?;
            check_len(bytes.len(), len, "bytes").map_err(|e| err(&e))?;
            Value::Binary(bytes)
        }
        SqlType::VarBinary { len: VarLen::Max } => Value::Binary(parse_hex(t).map_err(err)?),
    })
}

/// SQL Server refuses a value longer than its column ("String or binary data would be
/// truncated"); shorter `char`/`binary` values are padded by the server.
pub fn check_len(actual: usize, max: u16, unit: &str) -> Result<(), String> {
    if actual > usize::from(max) {
        return Err(format!(
            "string or binary data would be truncated: {actual} {unit}, the column holds {max}"
        ));
    }
    Ok(())
}

fn int_in_range<T: TryFrom<i64>>(t: &str) -> Result<T, &'static str> {
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not an integer");
    }
    let mut n: i64 = 0;
    for d in digits.bytes() {
        let d = i64::from(d - b'0');
        // Accumulating towards the sign reaches i64::MIN without overflowing.
        n = n
            .checked_mul(10)
            .and_then(|n| {
                if negative {
                    n.checked_sub(d)
                } else {
                    n.checked_add(d)
                }
            })
            .ok_or("Arithmetic overflow")?;
    }
    T::try_from(n).map_err(|_| "Arithmetic overflow")
}

/// `[+-]digits[.digits][(e|E)[+-]digits]` or `[+-].digits…`; refuses `inf`, `NaN` and hex,
/// which Rust's parser would take but SQL Server does not.
fn check_float_syntax(t: &str) -> Result<(), &'static str> {
    const BAD: &str = "not a number";
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(BAD);
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !digits(e) {
            return Err(BAD);
        }
    }
    Ok(())
}

fn parse_temporal(ty: &SqlType, t: &str) -> Result<Value, &'static str> {
    let p = datetime_text::parse_datetime_text(t)?;
    let local = |p: &datetime_text::ParsedDateTime| -> Result<Moment, &'static str> {
        let days = p.date.ok_or("a date is required")?;
        Ok(Moment {
            days: i64::from(days),
            units7: p.units7.unwrap_or(0),
        })
    };
    if !matches!(ty, SqlType::DateTimeOffset { .. }) && p.offset_minutes.is_some_and(|m| m != 0) {
        return Err("a non-zero offset needs a datetimeoffset column");
    }
    Ok(match *ty {
        // Like SQL Server, a date column takes the date of a date-and-time text, a time column
        // its time.
        SqlType::Date => Value::Date(Date(p.date.ok_or("a date is required")?)),
        SqlType::Time { scale } => Value::Time(temporal::to_time(
            p.units7.ok_or("a time is required")?,
            scale,
        )?),
        SqlType::DateTime2 { scale } => {
            let (date, time) = temporal::to_datetime2(local(&p)?, scale)?;
            Value::DateTime2 { date, time }
        }
        SqlType::DateTimeOffset { scale } => {
            let offset_minutes = p.offset_minutes.unwrap_or(0);
            let (date, time) = temporal::to_datetimeoffset(local(&p)?, offset_minutes, scale)?;
            Value::DateTimeOffset {
                date,
                time,
                offset_minutes,
            }
        }
        SqlType::DateTime => {
            let (days, ticks) = temporal::to_datetime(local(&p)?)?;
            Value::DateTime { days, ticks }
        }
        SqlType::SmallDateTime => {
            let (days, minutes) = temporal::to_smalldatetime(local(&p)?)?;
            Value::SmallDateTime { days, minutes }
        }
        _ => return Err("not a date/time type"),
    })
}

/// `6F9619FF-8B86-D011-B42D-00C04FC964FF`, optionally in braces, any case; bytes in display order.
fn parse_guid(t: &str) -> Option<[u8; 16]> {
    let t = t
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(t);
    let b = t.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b.get(i) != Some(&b'-')) {
        return None;
    }
    // The 32 hex digits without the dashes, on the stack: this runs once per GUID cell.
    let mut hex = [0u8; 32];
    let mut n = 0;
    for &c in b.iter().filter(|&&c| c != b'-') {
        *hex.get_mut(n)? = c;
        n += 1;
    }
    let mut out = [0u8; 16];
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *o = hex_pair(pair)?;
    }
    (n == 32).then_some(out)
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    let digit = |c: &u8| {
        char::from(*c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    Some((digit(pair.first()?)? << 4) | digit(pair.get(1)?)?)
}

fn parse_hex(t: &str) -> Result<Vec<u8>, &'static str> {
    const BAD: &str = "binary text must be 0x followed by pairs of hex digits";
    let digits = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .ok_or(BAD)?
        .as_bytes();
    let pairs = digits.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return Err(BAD);
    }
    pairs.map(|p| hex_pair(p).ok_or(BAD)).collect()
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Shortest text that reads back as the same float; exponent form (`1E+300`, `1.5E-07`) outside
/// 1e-5..1e15 as SQL Server Management Studio shows large and small floats.
fn format_float<T: std::fmt::Display + std::fmt::LowerExp>(v: T, magnitude: f64) -> String {
    if magnitude == 0.0 || !magnitude.is_finite() || (1e-5..1e15).contains(&magnitude) {
        return v.to_string();
    }
    let e = format!("{v:e}");
    match e.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = exp.strip_prefix('-').map_or(('+', exp), |d| ('-', d));
            format!("{mantissa}E{sign}{digits:0>2}")
        }
        None => e,
    }
}

impl Value {
    /// The value as SQL Server Management Studio would show it (ISO dates, exact decimals);
    /// `None` for NULL. bit is `1`/`0`; floats the shortest text that reads back the same
    /// (`1E+300` outside 1e-5..1e15); decimals every scale digit; money four decimals; `date`
    /// `YYYY-MM-DD`; `time` `HH:MM:SS` and exactly `scale` fractional digits; `datetime`
    /// milliseconds (`.003`, `.007`); `smalldatetime` whole minutes; `datetimeoffset` local time
    /// then `+HH:MM`; GUIDs and binary in uppercase hex (binary with `0x`). [`parse_text`] reads
    /// every one of these back to the same value.
    pub fn to_text(&self) -> Option<String> {
        Some(match self {
            Value::Null => return None,
            Value::Bit(b) => if *b { "1" } else { "0" }.to_string(),
            Value::TinyInt(n) => n.to_string(),
            Value::SmallInt(n) => n.to_string(),
            Value::Int(n) => n.to_string(),
            Value::BigInt(n) => n.to_string(),
            Value::Real(f) => format_float(*f, f64::from(f.abs())),
            Value::Float(f) => format_float(*f, f.abs()),
            Value::Decimal(d) => numeric::format_decimal(d.mantissa, d.scale),
            Value::Money(m) => numeric::format_decimal(i128::from(*m), 4),
            Value::Date(d) => datetime_text::format_date(i64::from(d.0)),
            Value::Time(t) => datetime_text::format_time(t.units, t.scale),
            Value::DateTime { days, ticks } => datetime_text::format_datetime(*days, *ticks),
            Value::SmallDateTime { days, minutes } => format!(
                "{} {:02}:{:02}:00",
                datetime_text::format_date(i64::from(*days) + temporal::DAYS_0001_TO_1900),
                minutes / 60,
                minutes % 60
            ),
            Value::DateTime2 { date, time } => {
                format!(
                    "{} {}",
                    datetime_text::format_date(i64::from(date.0)),
                    datetime_text::format_time(time.units, time.scale)
                )
            }
            Value::DateTimeOffset {
                date,
                time,
                offset_minutes,
            } => datetime_text::format_datetimeoffset(*date, *time, *offset_minutes),
            Value::Guid(b) => {
                let h = upper_hex(b);
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                )
            }
            Value::String(s) => s.clone(),
            Value::Binary(b) => format!("0x{}", upper_hex(b)),
        })
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
