//! Calendar arithmetic for the date and time types: the clock (`GETDATE()`), conversions
//! between the date/time types, and ISO text.
//!
//! Everything goes through [`Instant`]: days since 0001-01-01 plus 100 ns ticks since midnight
//! and an offset, which holds any SQL Server date/time value exactly.

use tds::types::SqlType;
use tds::value::{Date, Time, Value};

pub(crate) const TICKS_PER_DAY: u64 = 864_000_000_000;
/// 1900-01-01, the epoch of datetime and smalldatetime, in days since 0001-01-01.
pub(crate) const DAYS_TO_1900: i64 = 693_595;
/// 1970-01-01 in days since 0001-01-01.
const DAYS_TO_1970: i64 = 719_162;
/// 9999-12-31 in days since 0001-01-01.
const MAX_DAYS: i64 = 3_652_058;

/// A local date and time of day, with the offset from UTC it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Instant {
    pub days: i64,
    pub ticks: u64,
    pub offset_minutes: i16,
}

fn pow10(n: u8) -> u64 {
    10u64.pow(u32::from(n.min(7)))
}

impl Instant {
    /// The current UTC time. The test server's local time zone is UTC.
    pub fn now() -> Instant {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let secs = since.as_secs();
        let days = (secs / 86_400) as i64 + DAYS_TO_1970;
        let ticks = (secs % 86_400) * 10_000_000 + u64::from(since.subsec_nanos()) / 100;
        Instant {
            days,
            ticks,
            offset_minutes: 0,
        }
    }

    /// The instant a date/time value stands for (`None` for other values).
    pub fn from_value(v: &Value) -> Option<Instant> {
        let at = |days: i64, ticks: u64| {
            Some(Instant {
                days,
                ticks,
                offset_minutes: 0,
            })
        };
        match v {
            Value::Date(d) => at(i64::from(d.0), 0),
            Value::Time(t) => at(
                DAYS_TO_1900,
                t.units.saturating_mul(pow10(7 - t.scale.min(7))),
            ),
            Value::DateTime { days, ticks } => {
                // 1/300 s ticks to 100 ns, rounded to the nearest.
                at(
                    i64::from(*days) + DAYS_TO_1900,
                    (u64::from(*ticks) * 100_000 + 1) / 3,
                )
            }
            Value::SmallDateTime { days, minutes } => at(
                i64::from(*days) + DAYS_TO_1900,
                u64::from(*minutes) * 600_000_000,
            ),
            Value::DateTime2 { date, time } => at(
                i64::from(date.0),
                time.units.saturating_mul(pow10(7 - time.scale.min(7))),
            ),
            Value::DateTimeOffset {
                date,
                time,
                offset_minutes,
            } => {
                let utc = Instant {
                    days: i64::from(date.0),
                    ticks: time.units.saturating_mul(pow10(7 - time.scale.min(7))),
                    offset_minutes: 0,
                };
                let mut local = utc.shifted(i64::from(*offset_minutes));
                local.offset_minutes = *offset_minutes;
                Some(local)
            }
            _ => None,
        }
    }

    /// The same wall clock moved by `minutes`.
    fn shifted(self, minutes: i64) -> Instant {
        let total = i128::from(self.days) * i128::from(TICKS_PER_DAY)
            + i128::from(self.ticks)
            + i128::from(minutes) * 600_000_000;
        let per_day = i128::from(TICKS_PER_DAY);
        Instant {
            days: total.div_euclid(per_day) as i64,
            ticks: total.rem_euclid(per_day) as u64,
            offset_minutes: self.offset_minutes,
        }
    }

    /// Rounds the time of day to `unit` ticks, carrying into the next day.
    fn rounded(self, unit: u64) -> Instant {
        let ticks = (self.ticks + unit / 2) / unit * unit;
        if ticks >= TICKS_PER_DAY {
            Instant {
                days: self.days + 1,
                ticks: ticks - TICKS_PER_DAY,
                ..self
            }
        } else {
            Instant { ticks, ..self }
        }
    }

    /// Converts to a value of a date/time type; `None` when out of the type's range.
    pub fn to_value(self, ty: &SqlType) -> Option<Value> {
        let date = |days: i64| (0..=MAX_DAYS).contains(&days).then_some(Date(days as u32));
        match ty {
            SqlType::Date => Some(Value::Date(date(self.days)?)),
            SqlType::Time { scale } => {
                let unit = pow10(7 - (*scale).min(7));
                let r = Instant { days: 0, ..self }.rounded(unit);
                Some(Value::Time(Time {
                    units: r.ticks / unit,
                    scale: *scale,
                }))
            }
            SqlType::DateTime2 { scale } => {
                let unit = pow10(7 - (*scale).min(7));
                let r = self.rounded(unit);
                Some(Value::DateTime2 {
                    date: date(r.days)?,
                    time: Time {
                        units: r.ticks / unit,
                        scale: *scale,
                    },
                })
            }
            SqlType::DateTimeOffset { scale } => {
                let unit = pow10(7 - (*scale).min(7));
                let utc = self.rounded(unit).shifted(-i64::from(self.offset_minutes));
                Some(Value::DateTimeOffset {
                    date: date(utc.days)?,
                    time: Time {
                        units: utc.ticks / unit,
                        scale: *scale,
                    },
                    offset_minutes: self.offset_minutes,
                })
            }
            SqlType::DateTime => {
                // 1753-01-01 is the first datetime day.
                let mut days = self.days - DAYS_TO_1900;
                let mut ticks = (self.ticks * 3 + 50_000) / 100_000;
                if ticks >= 25_920_000 {
                    ticks -= 25_920_000;
                    days += 1;
                }
                ((-53_690..=2_958_463).contains(&days)).then_some(Value::DateTime {
                    days: days as i32,
                    ticks: ticks as u32,
                })
            }
            SqlType::SmallDateTime => {
                let r = self.rounded(600_000_000);
                let days = r.days - DAYS_TO_1900;
                (0..=65_535)
                    .contains(&days)
                    .then_some(Value::SmallDateTime {
                        days: days as u16,
                        minutes: (r.ticks / 600_000_000) as u16,
                    })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tds::value::text::temporal::civil_from_days;

    fn datetime2(days: u32, units: u64) -> Value {
        Value::DateTime2 {
            date: Date(days),
            time: Time { units, scale: 7 },
        }
    }

    #[test]
    fn calendar_matches_known_dates() {
        assert_eq!(civil_from_days(DAYS_TO_1970), (1970, 1, 1));
        assert_eq!(civil_from_days(DAYS_TO_1900), (1900, 1, 1));
        assert_eq!(civil_from_days(0), (1, 1, 1));
        assert_eq!(civil_from_days(MAX_DAYS), (9999, 12, 31));
    }

    #[test]
    fn datetime_rounds_to_three_hundredths_and_carries_midnight() {
        let almost_midnight = datetime2(DAYS_TO_1900 as u32, TICKS_PER_DAY - 1);
        let v = Instant::from_value(&almost_midnight)
            .unwrap()
            .to_value(&SqlType::DateTime)
            .unwrap();
        assert_eq!(v, Value::DateTime { days: 1, ticks: 0 });
        let dt = Value::DateTime { days: 0, ticks: 1 };
        assert_eq!(dt.to_text().unwrap(), "1900-01-01 00:00:00.003");
    }

    #[test]
    fn datetime_and_smalldatetime_survive_a_round_trip() {
        for ticks in (0..25_920_000u32)
            .step_by(7_919)
            .chain([1, 2, 299, 25_919_999])
        {
            let v = Value::DateTime {
                days: -53_690,
                ticks,
            };
            assert_eq!(
                Instant::from_value(&v)
                    .unwrap()
                    .to_value(&SqlType::DateTime),
                Some(v)
            );
        }
        for minutes in [0u16, 1, 719, 1439] {
            let v = Value::SmallDateTime {
                days: 65_535,
                minutes,
            };
            assert_eq!(
                Instant::from_value(&v)
                    .unwrap()
                    .to_value(&SqlType::SmallDateTime),
                Some(v)
            );
        }
    }

    #[test]
    fn out_of_range_dates_are_rejected() {
        let early = Value::Date(Date(0));
        assert!(Instant::from_value(&early)
            .unwrap()
            .to_value(&SqlType::DateTime)
            .is_none());
        assert!(Instant::from_value(&early)
            .unwrap()
            .to_value(&SqlType::SmallDateTime)
            .is_none());
        assert!(Instant::from_value(&early)
            .unwrap()
            .to_value(&SqlType::DateTime2 { scale: 0 })
            .is_some());
    }

    #[test]
    fn datetimeoffset_keeps_local_time_in_text_and_utc_in_value() {
        let local = Instant {
            days: DAYS_TO_1970,
            ticks: 3600 * 10_000_000,
            offset_minutes: 120,
        };
        let v = local
            .to_value(&SqlType::DateTimeOffset { scale: 0 })
            .unwrap();
        assert_eq!(
            v,
            Value::DateTimeOffset {
                date: Date((DAYS_TO_1970 - 1) as u32),
                time: Time {
                    units: 23 * 3600,
                    scale: 0
                },
                offset_minutes: 120
            }
        );
        assert_eq!(v.to_text().unwrap(), "1970-01-01 01:00:00 +02:00");
    }
}
