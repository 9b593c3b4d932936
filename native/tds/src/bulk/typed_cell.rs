//! Values a file reader has already parsed (exact decimals, civil dates and times, GUID bytes):
//! turned into the crate's [`Value`] without going through text, so a converted field is written
//! as it was read. Where the column would round (fewer decimal places, a date column for a value
//! with a time), the value is refused instead, as everywhere in `encode_cell`.

use bytes::{BufMut, BytesMut};

use super::Cell;
use crate::type_info::{decimal_byte_len, time_byte_len};
use crate::types::SqlType;
use crate::value::decode::guid_from_wire;
use crate::value::text::temporal::MAX_DATE;
use crate::value::{Date, Decimal, Time, Value};

/// 1970-01-01 as days since 0001-01-01 (the unit of `date`).
const UNIX_EPOCH_DAYS: i64 = 719_162;
const NANOS_PER_UNIT7: u64 = 100;
const UNITS7_PER_DAY: i64 = 864_000_000_000;
const UNITS7_PER_MINUTE: i64 = 600_000_000;

/// The value for column type `ty`: exact decimals are rescaled to the column's scale (refused
/// when digits would be lost); everything else is the plain value, which the value encoder
/// coerces (a datetime2 into `datetime` rounds to 1/300 s, as SQL Server does).
#[inline]
pub(super) fn value_of(ty: &SqlType, cell: Cell<'_>) -> Result<Value, String> {
    match (cell, *ty) {
        (
            Cell::Decimal { mantissa, scale },
            SqlType::Decimal { scale: to, .. } | SqlType::Numeric { scale: to, .. },
        ) => Ok(Value::Decimal(Decimal {
            mantissa: rescale(mantissa, scale, to, ty)?,
            scale: to,
        })),
        (Cell::Decimal { mantissa, scale }, SqlType::Money | SqlType::SmallMoney) => {
            Ok(Value::Decimal(Decimal {
                mantissa: rescale(mantissa, scale, 4, ty)?,
                scale: 4,
            }))
        }
        (
            Cell::Decimal { mantissa, scale },
            SqlType::TinyInt | SqlType::SmallInt | SqlType::Int | SqlType::BigInt,
        ) => {
            let whole = rescale(mantissa, scale, 0, ty)?;
            let n = i64::try_from(whole)
                .map_err(|_| format!("{} is out of range for {}", show(cell), ty.sql_name()))?;
            Ok(Value::BigInt(n))
        }
        (Cell::DateTime { nanos, .. }, SqlType::Date) if nanos != 0 => Err(format!(
            "{} has a time of day, which a date column would drop",
            show(cell)
        )),
        (Cell::DateTime { days, .. }, SqlType::Date) => date(days).map(Value::Date),
        _ => plain_value(cell),
    }
}

/// The common exact pairs written straight into the buffer, in the nullable form the bulk
/// stream uses: an integer into an integer column, a float into `float` or `real`, a boolean
/// into `bit`, a decimal into a decimal of the same scale or into money (scale 4), a date into `date`, a date and time into `datetime2`, a GUID into
/// `uniqueidentifier`. The bytes are the ones [`value_of`] and the value encoder give (a test
/// holds them to it); without a [`Value`] in between, a loaded field costs a few stores.
/// Returns `false`, having written nothing, for anything else, and for a value the column
/// cannot take as it is (out of range, more digits, a time that would round): the general path
/// then gives the answer, or the error.
#[inline]
pub(super) fn put_direct(ty: &SqlType, cell: Cell<'_>, buf: &mut BytesMut) -> bool {
    match (cell, *ty) {
        (Cell::Int(n), SqlType::BigInt) => {
            buf.put_u8(8);
            buf.put_i64_le(n);
        }
        (Cell::Int(n), SqlType::Int) => match i32::try_from(n) {
            Ok(n) => {
                buf.put_u8(4);
                buf.put_i32_le(n);
            }
            Err(_) => return false,
        },
        (Cell::Int(n), SqlType::SmallInt) => match i16::try_from(n) {
            Ok(n) => {
                buf.put_u8(2);
                buf.put_i16_le(n);
            }
            Err(_) => return false,
        },
        (Cell::Int(n), SqlType::TinyInt) => match u8::try_from(n) {
            Ok(n) => {
                buf.put_u8(1);
                buf.put_u8(n);
            }
            Err(_) => return false,
        },
        (Cell::Float(f), SqlType::Float) if f.is_finite() => {
            buf.put_u8(8);
            buf.put_f64_le(f);
        }
        (Cell::Float(f), SqlType::Real) if (f as f32).is_finite() => {
            buf.put_u8(4);
            buf.put_f32_le(f as f32);
        }
        (Cell::Decimal { mantissa, scale: 4 }, SqlType::Money) => match i64::try_from(mantissa) {
            // High 32 bits first, then the low 32 (MS-TDS 2.2.5.5.1.4).
            Ok(m) => {
                buf.put_u8(8);
                buf.put_i32_le((m >> 32) as i32);
                buf.put_u32_le(m as u32);
            }
            Err(_) => return false,
        },
        (Cell::Decimal { mantissa, scale: 4 }, SqlType::SmallMoney) => {
            match i32::try_from(mantissa) {
                Ok(m) => {
                    buf.put_u8(4);
                    buf.put_i32_le(m);
                }
                Err(_) => return false,
            }
        }
        (Cell::Bool(b), SqlType::Bit) => {
            buf.put_u8(1);
            buf.put_u8(u8::from(b));
        }
        (
            Cell::Decimal { mantissa, scale },
            SqlType::Decimal {
                precision,
                scale: to,
            }
            | SqlType::Numeric {
                precision,
                scale: to,
            },
        ) if scale == to => {
            let magnitude = mantissa.unsigned_abs();
            let fits = 10u128
                .checked_pow(u32::from(precision))
                .is_some_and(|limit| magnitude < limit);
            let len = decimal_byte_len(precision);
            let bytes = magnitude.to_le_bytes();
            let Some(digits) = bytes.get(..usize::from(len - 1)) else {
                return false;
            };
            if !fits {
                return false;
            }
            buf.put_u8(len);
            buf.put_u8(u8::from(mantissa >= 0));
            buf.put_slice(digits);
        }
        (Cell::Date { days }, SqlType::Date) => match day_number(days) {
            Some(d) => {
                buf.put_u8(3);
                buf.put_slice(&d.to_le_bytes()[..3]);
            }
            None => return false,
        },
        (Cell::DateTime { days, nanos }, SqlType::DateTime2 { scale }) => {
            // Only a time the column holds exactly: one that would round (and perhaps carry
            // into the next day) is the general path's.
            let Some(step) = 10u64.checked_pow(9 - u32::from(scale.min(7))) else {
                return false;
            };
            let (Some(d), true) = (
                day_number(days),
                nanos.is_multiple_of(step) && nanos < 86_400_000_000_000,
            ) else {
                return false;
            };
            let n = usize::from(time_byte_len(scale));
            buf.put_u8(time_byte_len(scale) + 3);
            buf.put_slice(&(nanos / step).to_le_bytes()[..n]);
            buf.put_slice(&d.to_le_bytes()[..3]);
        }
        (Cell::Guid(g), SqlType::UniqueIdentifier) => {
            buf.put_u8(16);
            buf.put_slice(&guid_from_wire(g));
        }
        _ => return false,
    }
    true
}

/// Days since 0001-01-01 of `days` since 1970-01-01, within SQL Server's dates.
#[inline]
fn day_number(days: i32) -> Option<u32> {
    u32::try_from(i64::from(days) + UNIX_EPOCH_DAYS)
        .ok()
        .filter(|&d| d <= MAX_DATE)
}

/// The cell as a value of its own type (for sql_variant, text rendering and messages).
pub(super) fn plain_value(cell: Cell<'_>) -> Result<Value, String> {
    Ok(match cell {
        Cell::Decimal { mantissa, scale } => Value::Decimal(Decimal { mantissa, scale }),
        Cell::Date { days } => Value::Date(date(days)?),
        Cell::DateTime { days, nanos } => Value::DateTime2 {
            date: date(days)?,
            time: time(nanos)?,
        },
        Cell::DateTimeOffset {
            days,
            nanos,
            offset_minutes,
        } => {
            // TDS carries the UTC moment and the offset (MS-TDS 2.2.5.5.1.8).
            // i128: any i32 day count times a day's units stays in range.
            let local = i128::from(days) * i128::from(UNITS7_PER_DAY) + i128::from(units7(nanos)?);
            let utc = local - i128::from(offset_minutes) * i128::from(UNITS7_PER_MINUTE);
            let per_day = i128::from(UNITS7_PER_DAY);
            let utc_days = i32::try_from(utc.div_euclid(per_day))
                .map_err(|_| "date outside 0001-01-01..9999-12-31".to_string())?;
            Value::DateTimeOffset {
                date: date(utc_days)?,
                time: Time {
                    units: utc.rem_euclid(per_day) as u64,
                    scale: 7,
                },
                offset_minutes,
            }
        }
        Cell::Time { nanos } => Value::Time(time(nanos)?),
        Cell::Guid(g) => Value::Guid(g),
        _ => return Err("not a parsed value".into()),
    })
}

fn date(days: i32) -> Result<Date, String> {
    day_number(days)
        .map(Date)
        .ok_or_else(|| "date outside 0001-01-01..9999-12-31".to_string())
}

fn units7(nanos: u64) -> Result<u64, String> {
    if !nanos.is_multiple_of(NANOS_PER_UNIT7) || nanos >= 86_400_000_000_000 {
        return Err(format!(
            "time of day {nanos} ns is not a SQL Server time (100 ns steps, under 24 h)"
        ));
    }
    Ok(nanos / NANOS_PER_UNIT7)
}

fn time(nanos: u64) -> Result<Time, String> {
    Ok(Time {
        units: units7(nanos)?,
        scale: 7,
    })
}

/// `mantissa / 10^from` as a mantissa at scale `to`; refused when non-zero digits would go.
fn rescale(mantissa: i128, from: u8, to: u8, ty: &SqlType) -> Result<i128, String> {
    let overflow = || format!("a value is out of range for {}", ty.sql_name());
    if to >= from {
        let f = 10i128
            .checked_pow(u32::from(to - from))
            .ok_or_else(overflow)?;
        return mantissa.checked_mul(f).ok_or_else(overflow);
    }
    let f = 10i128
        .checked_pow(u32::from(from - to))
        .ok_or_else(overflow)?;
    if mantissa % f != 0 {
        return Err(format!(
            "value {} has more than {to} decimal places for {}",
            Value::Decimal(Decimal {
                mantissa,
                scale: from
            })
            .to_text()
            .unwrap_or_default(),
            ty.sql_name()
        ));
    }
    Ok(mantissa / f)
}

fn show(cell: Cell<'_>) -> String {
    plain_value(cell)
        .ok()
        .and_then(|v| v.to_text())
        .unwrap_or_else(|| format!("{cell:?}"))
}
