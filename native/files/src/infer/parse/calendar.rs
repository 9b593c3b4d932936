//! Proleptic Gregorian calendar arithmetic: civil dates to day numbers and back.
//!
//! SQL Server's `date`, `datetime2` and `datetimeoffset` span 0001-01-01 to 9999-12-31 in the
//! proleptic Gregorian calendar, so that is the range every parser here accepts. Day numbers count
//! from 1970-01-01 (the same epoch as [`crate::SheetDateTime::days`]).

/// Nanoseconds in one day.
pub const NANOS_PER_DAY: u64 = 86_400_000_000_000;

/// True for leap years of the Gregorian calendar.
pub fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` (1–12) of `year`; 0 for a month out of range.
#[inline]
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The day number of a civil date, or `None` when it is not a real date in 0001–9999.
#[inline]
pub fn days_from_civil(year: u32, month: u32, day: u32) -> Option<i32> {
    if !(1..=9999).contains(&year) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    // Count in a year that starts on March 1st, so the leap day is the last day of the year
    // and month lengths follow a fixed 153-days-per-5-months pattern.
    let (y, m) = if month <= 2 {
        (year as i64 - 1, month as i64 + 9)
    } else {
        (year as i64, month as i64 - 3)
    };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719_468 days lie between 0000-03-01 and 1970-01-01.
    i32::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

/// The civil date `(year, month, day)` of a day number (the inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i32) -> (i64, u32, u32) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates_have_their_day_numbers() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2024, 3, 5), Some(19_787));
        assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
        assert_eq!(days_from_civil(1, 1, 1), Some(-719_162));
        assert_eq!(days_from_civil(9999, 12, 31), Some(2_932_896));
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(1900, 2, 29), None);
        assert!(days_from_civil(2000, 2, 29).is_some());
        assert_eq!(days_from_civil(2024, 4, 31), None);
        assert_eq!(days_from_civil(2024, 13, 1), None);
        assert_eq!(days_from_civil(0, 1, 1), None);
        assert_eq!(days_from_civil(10_000, 1, 1), None);
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil_over_the_whole_range() {
        let first = days_from_civil(1, 1, 1).unwrap();
        let last = days_from_civil(9999, 12, 31).unwrap();
        for d in (first..=last).step_by(7) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y as u32, m, dd), Some(d));
        }
    }
}
