//! Values a file reader has already parsed (exact decimals, civil dates and times, GUID bytes):
//! turned into the crate's [`Value`] without going through text, so a converted field is written
//! as it was read. Where the column would round (fewer decimal places, a date column for a value
//! with a time), the value is refused instead, as everywhere in `encode_cell`.

use super::Cell;
use crate::types::SqlType;
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
    u32::try_from(i64::from(days) + UNIX_EPOCH_DAYS)
        .ok()
        .filter(|&d| d <= MAX_DATE)
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
