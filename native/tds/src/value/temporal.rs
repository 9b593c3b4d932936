//! Calendar and clock arithmetic behind the TDS date/time encodings (MS-TDS 2.2.5.5.1.7 `date`,
//! `time`, `datetime2`, `datetimeoffset`; 2.2.5.5.1.8 `datetime`, `smalldatetime`).
//!
//! Every temporal value converts through a [`Moment`]: days since 0001-01-01 in the proleptic
//! Gregorian calendar (the `date` unit) plus 100-ns units since midnight (`time(7)`'s unit), so a
//! conversion rounds at most once, to the target's precision. Rounding is half away from zero, as
//! SQL Server rounds fractional seconds on conversion (it never truncates them).

use crate::types::SqlType;
use crate::value::{Date, Time, Value};

/// 9999-12-31 as days since 0001-01-01, the last day `date` can hold.
pub const MAX_DATE: u32 = 3_652_058;
/// 1900-01-01 as days since 0001-01-01: day 0 of `datetime` and `smalldatetime`.
pub const DAYS_0001_TO_1900: i64 = 693_595;
/// `datetime` days relative to 1900-01-01: 1753-01-01 ..= 9999-12-31.
pub const DATETIME_MIN_DAYS: i32 = -53_690;
pub const DATETIME_MAX_DAYS: i32 = 2_958_463;
/// `datetime` counts 1/300-second ticks since midnight.
pub const DATETIME_TICKS_PER_DAY: u32 = 25_920_000;
pub const MINUTES_PER_DAY: u16 = 1440;
/// SQL Server accepts offsets from -14:00 to +14:00.
pub const MAX_OFFSET_MINUTES: i16 = 840;
const UNITS7_PER_DAY: u64 = 864_000_000_000;

/// A date and a time of day at 100-ns precision; `days` may leave the `date` range while a
/// conversion is in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub days: i64,
    pub units7: u64,
}

/// Days since 0001-01-01 of a valid Gregorian date in years 1..=9999, else `None`.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Option<u32> {
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    // Howard Hinnant's algorithm: count from 0000-03-01 so the leap day ends the year.
    let y = i64::from(if month <= 2 { year - 1 } else { year });
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    u32::try_from(era * 146_097 + doe - 306).ok()
}

/// (year, month, day) of a day count since 0001-01-01; any count works (clamped far outside
/// the calendar SQL Server knows), so formatting a bogus value cannot overflow.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.clamp(-(1 << 40), 1 << 40) + 306;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 10^scale for a fractional-second scale (0..=7 in valid values).
pub fn pow10(scale: u8) -> Option<u64> {
    10u64.checked_pow(u32::from(scale))
}

/// Units of `time(scale)` in a day.
pub fn units_per_day(scale: u8) -> Option<u64> {
    pow10(scale)?.checked_mul(86_400)
}

/// Converts `units` at scale `from` to scale `to`, rounding half away from zero.
pub fn rescale_units(units: u64, from: u8, to: u8) -> Option<u64> {
    if to >= from {
        units.checked_mul(pow10(to - from)?)
    } else {
        let div = pow10(from - to)?;
        Some(units / div + u64::from(units % div >= div.div_ceil(2)))
    }
}

/// Checks a `time` value and returns its 100-ns units.
fn time_units7(t: Time) -> Result<u64, &'static str> {
    if t.scale > 7 {
        return Err("time scale exceeds 7");
    }
    if t.units >= units_per_day(t.scale).unwrap_or(0) {
        return Err("time of day is not before 24:00:00");
    }
    rescale_units(t.units, t.scale, 7).ok_or("time out of range")
}

fn check_date(d: Date) -> Result<i64, &'static str> {
    if d.0 > MAX_DATE {
        return Err("date is after 9999-12-31");
    }
    Ok(i64::from(d.0))
}

/// The moment of a `datetime` value; ticks become 100-ns units, rounded (1 tick = 33333.3 units).
pub fn datetime_moment(days: i32, ticks: u32) -> Result<Moment, &'static str> {
    if !(DATETIME_MIN_DAYS..=DATETIME_MAX_DAYS).contains(&days) || ticks >= DATETIME_TICKS_PER_DAY {
        return Err("datetime out of range");
    }
    Ok(Moment {
        days: i64::from(days) + DAYS_0001_TO_1900,
        units7: (u64::from(ticks) * 200_000 + 3) / 6,
    })
}

/// The moment of a `smalldatetime` value.
pub fn smalldatetime_moment(days: u16, minutes: u16) -> Result<Moment, &'static str> {
    if minutes >= MINUTES_PER_DAY {
        return Err("smalldatetime minutes exceed a day");
    }
    Ok(Moment {
        days: i64::from(days) + DAYS_0001_TO_1900,
        units7: u64::from(minutes) * 600_000_000,
    })
}

/// The local moment of a value without an offset; `datetimeoffset` is refused because dropping
/// the offset would silently change the instant, `time` because it has no date.
fn moment_of(v: &Value) -> Result<Moment, String> {
    Ok(match *v {
        Value::Date(d) => Moment {
            days: check_date(d)?,
            units7: 0,
        },
        Value::DateTime { days, ticks } => datetime_moment(days, ticks)?,
        Value::SmallDateTime { days, minutes } => smalldatetime_moment(days, minutes)?,
        Value::DateTime2 { date, time } => Moment {
            days: check_date(date)?,
            units7: time_units7(time)?,
        },
        Value::DateTimeOffset { .. } => {
            return Err("converting a datetimeoffset would drop its offset".into())
        }
        Value::Time(_) => return Err("a time has no date".into()),
        _ => {
            return Err(format!(
                "a {} value is not a date or time",
                crate::value::text::kind_name(v)
            ))
        }
    })
}

/// Rounds to `time(scale)`; a value rounding up to 24:00:00 is refused rather than wrapped.
pub fn to_time(units7: u64, scale: u8) -> Result<Time, &'static str> {
    let units = rescale_units(units7, 7, scale).ok_or("invalid time scale")?;
    if units >= units_per_day(scale).ok_or("invalid time scale")? {
        return Err("time rounds up to 24:00:00");
    }
    Ok(Time { units, scale })
}

/// Rounds to `datetime2(scale)`, carrying into the next day.
pub fn to_datetime2(m: Moment, scale: u8) -> Result<(Date, Time), &'static str> {
    let per_day = units_per_day(scale).ok_or("invalid time scale")?;
    let mut units = rescale_units(m.units7, 7, scale).ok_or("invalid time scale")?;
    let mut days = m.days;
    if units >= per_day {
        units -= per_day;
        days += 1;
    }
    match u32::try_from(days) {
        Ok(d) if d <= MAX_DATE => Ok((Date(d), Time { units, scale })),
        _ => Err("date out of range 0001-01-01..9999-12-31"),
    }
}

/// `datetimeoffset(scale)` from a local moment and its offset: UTC date and time.
pub fn to_datetimeoffset(
    local: Moment,
    offset_minutes: i16,
    scale: u8,
) -> Result<(Date, Time), &'static str> {
    if offset_minutes.unsigned_abs() > MAX_OFFSET_MINUTES.unsigned_abs() {
        return Err("offset outside -14:00..+14:00");
    }
    let per_day = i128::from(units_per_day(scale).ok_or("invalid time scale")?);
    let units = i128::from(rescale_units(local.units7, 7, scale).ok_or("invalid time scale")?);
    let offset =
        i128::from(offset_minutes) * 60 * i128::from(pow10(scale).ok_or("invalid time scale")?);
    let utc = i128::from(local.days) * per_day + units - offset;
    let (days, units) = (utc.div_euclid(per_day), utc.rem_euclid(per_day));
    match (u32::try_from(days), u64::try_from(units)) {
        (Ok(d), Ok(units)) if d <= MAX_DATE => Ok((Date(d), Time { units, scale })),
        _ => Err("UTC date out of range 0001-01-01..9999-12-31"),
    }
}

/// `datetime`: rounds to 1/300-second ticks (hence the .000/.003/.007 endings SQL Server shows),
/// carrying into the next day, within 1753-01-01..9999-12-31.
pub fn to_datetime(m: Moment) -> Result<(i32, u32), &'static str> {
    let (days, ticks) = round_ticks(m);
    match i32::try_from(days) {
        Ok(d) if (DATETIME_MIN_DAYS..=DATETIME_MAX_DAYS).contains(&d) => Ok((d, ticks)),
        _ => Err("datetime out of range 1753-01-01..9999-12-31"),
    }
}

fn round_ticks(m: Moment) -> (i64, u32) {
    // 1 tick = 100000/3 units: ticks = round(units * 3 / 100000), half up.
    let ticks = (m.units7.min(UNITS7_PER_DAY) * 3 + 50_000) / 100_000;
    let days = m.days - DAYS_0001_TO_1900;
    match u32::try_from(ticks) {
        Ok(t) if t < DATETIME_TICKS_PER_DAY => (days, t),
        _ => (days + 1, 0),
    }
}

/// `smalldatetime`: rounds first to `datetime` ticks, then to the minute (29.998 s rounds down,
/// 29.999 s up, as SQL Server documents), within 1900-01-01..2079-06-06.
pub fn to_smalldatetime(m: Moment) -> Result<(u16, u16), &'static str> {
    let (mut days, ticks) = round_ticks(m);
    let mut minutes = (ticks + 9_000) / 18_000;
    if minutes >= u32::from(MINUTES_PER_DAY) {
        minutes = 0;
        days += 1;
    }
    match (u16::try_from(days), u16::try_from(minutes)) {
        (Ok(d), Ok(min)) => Ok((d, min)),
        _ => Err("smalldatetime out of range 1900-01-01..2079-06-06"),
    }
}

/// Converts a temporal value to the canonical [`Value`] of a temporal column type: lossless
/// conversions, or rounding to the column's precision. Dropping a time of day, an offset or a
/// date is refused.
pub fn coerce_temporal(ty: &SqlType, v: &Value) -> Result<Value, String> {
    Ok(match (*ty, v) {
        (SqlType::Time { scale }, Value::Time(t)) => Value::Time(to_time(time_units7(*t)?, scale)?),
        (SqlType::Time { .. }, _) => return Err("only a time value fits a time column".into()),
        (
            SqlType::DateTimeOffset { scale },
            Value::DateTimeOffset {
                date,
                time,
                offset_minutes,
            },
        ) => {
            let utc = Moment {
                days: check_date(*date)?,
                units7: time_units7(*time)?,
            };
            // Rounding the UTC moment then shifting equals rounding the local one: offsets
            // are whole minutes.
            if offset_minutes.unsigned_abs() > MAX_OFFSET_MINUTES.unsigned_abs() {
                return Err("offset outside -14:00..+14:00".into());
            }
            let (date, time) = to_datetimeoffset(utc, 0, scale)?;
            Value::DateTimeOffset {
                date,
                time,
                offset_minutes: *offset_minutes,
            }
        }
        (SqlType::DateTimeOffset { scale }, _) => {
            let (date, time) = to_datetimeoffset(moment_of(v)?, 0, scale)?;
            Value::DateTimeOffset {
                date,
                time,
                offset_minutes: 0,
            }
        }
        (SqlType::Date, _) => {
            let m = moment_of(v)?;
            if m.units7 != 0 {
                return Err("the value has a time of day a date column would drop".into());
            }
            Value::Date(Date(
                u32::try_from(m.days).map_err(|_| "date out of range")?,
            ))
        }
        (SqlType::DateTime2 { scale }, _) => {
            let (date, time) = to_datetime2(moment_of(v)?, scale)?;
            Value::DateTime2 { date, time }
        }
        (SqlType::DateTime, &Value::DateTime { days, ticks }) => {
            datetime_moment(days, ticks)?;
            Value::DateTime { days, ticks }
        }
        (SqlType::DateTime, &Value::SmallDateTime { days, minutes }) => {
            smalldatetime_moment(days, minutes)?;
            Value::DateTime {
                days: i32::from(days),
                ticks: u32::from(minutes) * 18_000,
            }
        }
        (SqlType::DateTime, _) => {
            let (days, ticks) = to_datetime(moment_of(v)?)?;
            Value::DateTime { days, ticks }
        }
        (SqlType::SmallDateTime, _) => {
            let (days, minutes) = to_smalldatetime(moment_of(v)?)?;
            Value::SmallDateTime { days, minutes }
        }
        _ => return Err(format!("{} is not a date/time type", ty.sql_name())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::text::datetime_text::{format_datetime, format_datetimeoffset};

    fn ymd(y: i32, m: u32, d: u32) -> u32 {
        days_from_civil(y, m, d).unwrap()
    }

    #[test]
    fn calendar_anchors() {
        assert_eq!(ymd(1, 1, 1), 0);
        assert_eq!(i64::from(ymd(1900, 1, 1)), DAYS_0001_TO_1900);
        assert_eq!(ymd(9999, 12, 31), MAX_DATE);
        assert_eq!(
            i64::from(ymd(1753, 1, 1)) - DAYS_0001_TO_1900,
            i64::from(DATETIME_MIN_DAYS)
        );
        assert_eq!(
            i64::from(ymd(9999, 12, 31)) - DAYS_0001_TO_1900,
            i64::from(DATETIME_MAX_DAYS)
        );
        assert_eq!(i64::from(ymd(2079, 6, 6)) - DAYS_0001_TO_1900, 65_535);
        assert_eq!(ymd(1970, 1, 1), 719_162);
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(2000, 2, 29), Some(ymd(2000, 2, 28) + 1));
        assert_eq!(days_from_civil(1900, 2, 29), None);
        assert_eq!(days_from_civil(10000, 1, 1), None);
        assert_eq!(days_from_civil(0, 12, 31), None);
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        for days in (0..=MAX_DATE)
            .step_by(997)
            .chain([MAX_DATE, 59, 60, 365, 366])
        {
            let (y, m, d) = civil_from_days(i64::from(days));
            assert_eq!(days_from_civil(y as i32, m, d), Some(days));
        }
        let _ = civil_from_days(i64::MIN);
        let _ = civil_from_days(i64::MAX);
    }

    #[test]
    fn datetime_rounds_to_three_hundredths_like_sql_server() {
        let ms = |millis: u64| {
            to_datetime(Moment {
                days: DAYS_0001_TO_1900,
                units7: millis * 10_000,
            })
            .unwrap()
        };
        let shown = |millis| {
            let (d, t) = ms(millis);
            format_datetime(d, t)
        };
        assert_eq!(ms(3), (0, 1));
        for (input, out) in [
            (1, "000"),
            (2, "003"),
            (4, "003"),
            (5, "007"),
            (6, "007"),
            (8, "007"),
            (9, "010"),
        ] {
            assert_eq!(
                shown(input),
                format!("1900-01-01 00:00:00.{out}"),
                "{input}"
            );
        }
        assert_eq!(shown(86_399_999), "1900-01-02 00:00:00.000");
        assert_eq!(shown(86_399_998), "1900-01-01 23:59:59.997");
    }

    #[test]
    fn smalldatetime_rounds_to_the_minute_at_29_999_seconds() {
        let at = |units7| {
            to_smalldatetime(Moment {
                days: DAYS_0001_TO_1900,
                units7,
            })
        };
        assert_eq!(at(299_980_000), Ok((0, 0)));
        assert_eq!(at(299_990_000), Ok((0, 1)));
        assert_eq!(at(UNITS7_PER_DAY - 1), Ok((1, 0)));
        assert!(to_smalldatetime(Moment {
            days: DAYS_0001_TO_1900 - 1,
            units7: 0
        })
        .is_err());
        let last = Moment {
            days: i64::from(ymd(2079, 6, 6)),
            units7: 23 * 36_000_000_000 + 59 * 600_000_000,
        };
        assert_eq!(to_smalldatetime(last), Ok((65_535, 1439)));
        assert!(to_smalldatetime(Moment {
            units7: last.units7 + 300_000_000,
            ..last
        })
        .is_err());
    }

    #[test]
    fn datetime2_rounding_carries_into_the_next_day_but_not_past_9999() {
        let m = Moment {
            days: 10,
            units7: UNITS7_PER_DAY - 1,
        };
        assert_eq!(
            to_datetime2(m, 7),
            Ok((
                Date(10),
                Time {
                    units: UNITS7_PER_DAY - 1,
                    scale: 7
                }
            ))
        );
        assert_eq!(
            to_datetime2(m, 6),
            Ok((Date(11), Time { units: 0, scale: 6 }))
        );
        assert!(to_datetime2(
            Moment {
                days: i64::from(MAX_DATE),
                ..m
            },
            0
        )
        .is_err());
        assert_eq!(
            to_time(UNITS7_PER_DAY - 1, 0),
            Err("time rounds up to 24:00:00")
        );
    }

    #[test]
    fn datetimeoffset_stores_utc() {
        let local = Moment {
            days: i64::from(ymd(2024, 1, 1)),
            units7: 3_600 * 10_000_000,
        };
        let (date, time) = to_datetimeoffset(local, 120, 0).unwrap();
        assert_eq!(
            (date, time),
            (
                Date(ymd(2023, 12, 31)),
                Time {
                    units: 23 * 3600,
                    scale: 0
                }
            )
        );
        assert_eq!(
            format_datetimeoffset(date, time, 120),
            "2024-01-01 01:00:00 +02:00"
        );
        let (date, time) = to_datetimeoffset(local, -330, 3).unwrap();
        assert_eq!(
            format_datetimeoffset(date, time, -330),
            "2024-01-01 01:00:00.000 -05:30"
        );
        assert!(to_datetimeoffset(Moment { days: 0, units7: 0 }, 60, 7).is_err());
        assert!(to_datetimeoffset(local, 841, 7).is_err());
    }

    #[test]
    fn coercion_between_temporal_types() {
        let day = Date(ymd(2020, 5, 17));
        let dt2 = Value::DateTime2 {
            date: day,
            time: Time {
                units: 12_345_678,
                scale: 7,
            },
        };
        assert_eq!(
            coerce_temporal(&SqlType::DateTime2 { scale: 3 }, &dt2),
            Ok(Value::DateTime2 {
                date: day,
                time: Time {
                    units: 1_235,
                    scale: 3
                }
            })
        );
        assert!(coerce_temporal(&SqlType::Date, &dt2).is_err());
        let midnight = Value::DateTime2 {
            date: day,
            time: Time { units: 0, scale: 7 },
        };
        assert_eq!(
            coerce_temporal(&SqlType::Date, &midnight),
            Ok(Value::Date(day))
        );
        let dto = Value::DateTimeOffset {
            date: day,
            time: Time { units: 0, scale: 7 },
            offset_minutes: 60,
        };
        assert!(coerce_temporal(&SqlType::DateTime2 { scale: 7 }, &dto).is_err());
        assert_eq!(
            coerce_temporal(&SqlType::DateTimeOffset { scale: 0 }, &Value::Date(day)),
            Ok(Value::DateTimeOffset {
                date: day,
                time: Time { units: 0, scale: 0 },
                offset_minutes: 0
            })
        );
        let small = Value::SmallDateTime {
            days: 1,
            minutes: 2,
        };
        assert_eq!(
            coerce_temporal(&SqlType::DateTime, &small),
            Ok(Value::DateTime {
                days: 1,
                ticks: 36_000
            })
        );
        assert!(coerce_temporal(&SqlType::DateTime, &Value::Date(Date(0))).is_err());
        assert!(coerce_temporal(&SqlType::Time { scale: 7 }, &Value::Int(1)).is_err());
        assert!(coerce_temporal(&SqlType::Date, &Value::Date(Date(MAX_DATE + 1))).is_err());
    }
}
