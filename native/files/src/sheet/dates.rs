//! Spreadsheet dates and times into civil parts ([`SheetDateTime`]), without a date library.
//!
//! Excel and the formats that copy it (xls, xlsx, xlsb) store a date as a serial number of
//! days, the time as the fraction of a day. Two epochs exist (ECMA-376 Part 1, 18.17.4.1):
//! - the 1900 date system: serial 1 is 1900-01-01, and serial 60 is 1900-02-29, a day that
//!   never was (Lotus 1-2-3 took 1900 for a leap year and Excel kept it for compatibility), so
//!   from serial 61 (1900-03-01) on, serial N is 1899-12-30 + N days;
//! - the 1904 date system (old Mac workbooks, `date1904` in workbook.xml): serial 0 is
//!   1904-01-01.
//!
//! OpenDocument stores `office:date-value` as ISO 8601 text (`2024-03-05` or
//! `2024-03-05T13:45:00.250`) and `office:time-value` as an ISO 8601 duration (`PT13H45M00S`);
//! xlsx cells of type `d` also hold ISO text. Those are parsed here, exactly, never guessed.

use crate::field::{DateKind, SheetDateTime};

const NANOS_PER_DAY: u64 = 86_400_000_000_000;
const NANOS_PER_MILLI: u64 = 1_000_000;
/// Days from 1899-12-30 (the 1900 system's effective day 0 from serial 61 on) to 1970-01-01.
const UNIX_FROM_1900_SYSTEM: i64 = 25_569;
/// Days from 1904-01-01 to 1970-01-01.
const UNIX_FROM_1904_SYSTEM: i64 = 24_107;
/// Excel's last day, 9999-12-31, as a 1900-system serial (one past it is rejected).
const MAX_SERIAL_1900: f64 = 2_958_466.0;

/// Why a stored date cannot be given as a civil date; handed out as [`crate::Field::Error`].
pub const NONEXISTENT_1900_02_29: &str = "#DATE! 1900-02-29 (a day that does not exist)";
/// A serial number outside Excel's range (before the epoch, after 9999-12-31, or NaN).
pub const SERIAL_OUT_OF_RANGE: &str = "#DATE! serial number out of range";
/// ISO text in a date cell that is not a date.
pub const BAD_ISO_DATE: &str = "#DATE! not an ISO 8601 date";

/// Converts an Excel serial date-time to civil parts. Times are rounded to the millisecond,
/// Excel's own precision: a double near 45,000 days resolves about a microsecond, so finer
/// digits are noise that would wrongly widen a `datetime2` scale.
pub fn from_serial(
    serial: f64,
    is_1904: bool,
    kind: DateKind,
) -> Result<SheetDateTime, &'static str> {
    if kind == DateKind::Duration {
        return duration_from_days(serial);
    }
    let max = if is_1904 {
        MAX_SERIAL_1900 - 1462.0
    } else {
        MAX_SERIAL_1900
    };
    if !(0.0..max).contains(&serial) {
        return Err(SERIAL_OUT_OF_RANGE);
    }
    let (mut whole, mut nanos) = split_days(serial);
    if nanos >= NANOS_PER_DAY {
        whole += 1;
        nanos -= NANOS_PER_DAY;
    }
    let days = if kind == DateKind::Time && whole == 0 {
        0
    } else if is_1904 {
        whole - UNIX_FROM_1904_SYSTEM
    } else if whole == 60 {
        return Err(NONEXISTENT_1900_02_29);
    } else if whole < 60 {
        // Serials 1..59 count from 1899-12-31 (serial 0, shown by Excel as 1900-01-00).
        whole - UNIX_FROM_1900_SYSTEM + 1
    } else {
        whole - UNIX_FROM_1900_SYSTEM
    };
    Ok(SheetDateTime {
        days: days as i32,
        nanos,
        kind,
    })
}

/// Whole days and the remainder rounded to the millisecond (may equal a full day).
fn split_days(serial: f64) -> (i64, u64) {
    let whole = serial.floor();
    let millis = ((serial - whole) * 86_400_000.0).round() as u64;
    (whole as i64, millis * NANOS_PER_MILLI)
}

/// An elapsed time (`[h]:mm:ss`) of `days` days; negative durations are refused.
fn duration_from_days(days: f64) -> Result<SheetDateTime, &'static str> {
    if !(0.0..1.0e7).contains(&days) {
        return Err(SERIAL_OUT_OF_RANGE);
    }
    let (mut whole, mut nanos) = split_days(days);
    if nanos >= NANOS_PER_DAY {
        whole += 1;
        nanos -= NANOS_PER_DAY;
    }
    Ok(SheetDateTime {
        days: whole as i32,
        nanos,
        kind: DateKind::Duration,
    })
}

/// What a value of a date-formatted cell shows when the format itself is not known (xls, xlsb,
/// or a loaded range): whole days are dates, values under one day are times of day, the rest
/// date-times. xlsx cells use [`kind_of_format`] instead.
pub fn kind_of_serial(serial: f64) -> DateKind {
    if serial.fract() == 0.0 {
        DateKind::Date
    } else if (0.0..1.0).contains(&serial) {
        DateKind::Time
    } else {
        DateKind::DateTime
    }
}

/// What a number format shows: `None` when it is not a date or time format.
///
/// Reads the first section of an Excel format code (ECMA-376 Part 1, 18.8.31), skipping quoted
/// literals, `\`-escaped and `_`/`*` padding characters and bracketed colours or conditions:
/// `y` or `d` is a date part; `h`, `s` or `AM/PM` a time part; `m` is a month unless it stands
/// next to `h` or `s` (minutes); `[h]`, `[m]` or `[s]` make an elapsed duration.
pub fn kind_of_format(code: &str) -> Option<DateKind> {
    let mut date = false;
    let mut time = false;
    let mut elapsed = false;
    let mut month_or_minute = false;
    let mut chars = code.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            quoted = c != '"';
            continue;
        }
        match c.to_ascii_lowercase() {
            '"' => quoted = true,
            '\\' | '_' | '*' => {
                chars.next();
            }
            ';' => break,
            '[' => {
                let mut inner = String::new();
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                    inner.push(n.to_ascii_lowercase());
                }
                if !inner.is_empty() && inner.chars().all(|n| matches!(n, 'h' | 'm' | 's')) {
                    elapsed = true;
                }
            }
            'y' | 'd' => date = true,
            'h' | 's' => time = true,
            'm' => month_or_minute = true,
            'a' => {
                // AM/PM or A/P marks a clock time.
                let rest: String = chars
                    .clone()
                    .take(4)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if rest.starts_with("m/pm") || rest.starts_with("/p") {
                    time = true;
                }
            }
            _ => {}
        }
    }
    if elapsed {
        return Some(DateKind::Duration);
    }
    // A lone `m` with neither hours nor seconds (`mmm`, `mm/yy`) is a month.
    if month_or_minute && !time {
        date = true;
    }
    match (date, time) {
        (true, true) => Some(DateKind::DateTime),
        (true, false) => Some(DateKind::Date),
        (false, true) => Some(DateKind::Time),
        (false, false) => None,
    }
}

/// Parses ISO 8601 date or date-time text (`YYYY-MM-DD`, optionally `THH:MM[:SS[.fraction]]`),
/// as OpenDocument's `office:date-value` holds it. A trailing `Z` or offset is refused: a
/// spreadsheet cell has no time zone.
pub fn from_iso_datetime(text: &str) -> Result<SheetDateTime, &'static str> {
    let b = text.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(BAD_ISO_DATE);
    }
    let year = digits(&b[0..4])? as i64;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(BAD_ISO_DATE);
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Ok(SheetDateTime {
            days: days as i32,
            nanos: 0,
            kind: DateKind::Date,
        });
    }
    if b[10] != b'T' && b[10] != b' ' {
        return Err(BAD_ISO_DATE);
    }
    let nanos = clock_nanos(&b[11..])?;
    Ok(SheetDateTime {
        days: days as i32,
        nanos,
        kind: DateKind::DateTime,
    })
}

/// Parses an ISO 8601 duration `PnDTnHnMn.nS` (OpenDocument's `office:time-value`). Under a
/// day it is a time of day (OpenDocument uses the same value type for both); a day or more is a
/// duration.
pub fn from_iso_duration(text: &str) -> Result<SheetDateTime, &'static str> {
    let t = text.trim();
    let body = t.strip_prefix('P').ok_or(BAD_ISO_DATE)?;
    let mut nanos: u128 = 0;
    let mut in_time = false;
    let mut number = String::new();
    for c in body.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            'D' | 'H' | 'M' | 'S' => {
                let unit: u128 = match (c, in_time) {
                    ('D', false) => NANOS_PER_DAY as u128,
                    ('H', true) => 3_600_000_000_000,
                    ('M', true) => 60_000_000_000,
                    ('S', true) => 1_000_000_000,
                    _ => return Err(BAD_ISO_DATE),
                };
                let value: f64 = number.parse().map_err(|_| BAD_ISO_DATE)?;
                if !(0.0..1.0e12).contains(&value) {
                    return Err(BAD_ISO_DATE);
                }
                nanos += (value * unit as f64).round() as u128;
                number.clear();
            }
            _ => return Err(BAD_ISO_DATE),
        }
    }
    if !number.is_empty() {
        return Err(BAD_ISO_DATE);
    }
    // Round to the millisecond as for serial values.
    let nanos = (nanos + 500_000) / 1_000_000 * 1_000_000;
    let day = NANOS_PER_DAY as u128;
    let days = i32::try_from(nanos / day).map_err(|_| BAD_ISO_DATE)?;
    let kind = if days == 0 {
        DateKind::Time
    } else {
        DateKind::Duration
    };
    Ok(SheetDateTime {
        days,
        nanos: (nanos % day) as u64,
        kind,
    })
}

/// `HH:MM[:SS[.fraction]]` into nanoseconds since midnight.
fn clock_nanos(b: &[u8]) -> Result<u64, &'static str> {
    if b.len() < 5 || b[2] != b':' {
        return Err(BAD_ISO_DATE);
    }
    let h = digits(&b[0..2])? as u64;
    let m = digits(&b[3..5])? as u64;
    let mut s = 0u64;
    let mut frac = 0u64;
    if b.len() > 5 {
        if b[5] != b':' || b.len() < 8 {
            return Err(BAD_ISO_DATE);
        }
        s = digits(&b[6..8])? as u64;
        if b.len() > 8 {
            if b[8] != b'.' && b[8] != b',' {
                return Err(BAD_ISO_DATE);
            }
            let f = &b[9..];
            if f.is_empty() || !f.iter().all(u8::is_ascii_digit) {
                return Err(BAD_ISO_DATE);
            }
            // Nanosecond precision at most; further digits are dropped.
            for (i, d) in f.iter().take(9).enumerate() {
                frac += u64::from(d - b'0') * 10u64.pow(8 - i as u32);
            }
        }
    }
    if h > 23 || m > 59 || s > 59 {
        return Err(BAD_ISO_DATE);
    }
    Ok(((h * 60 + m) * 60 + s) * 1_000_000_000 + frac)
}

fn digits(b: &[u8]) -> Result<u32, &'static str> {
    b.iter().try_fold(0u32, |acc, d| {
        if d.is_ascii_digit() {
            Ok(acc * 10 + u32::from(d - b'0'))
        } else {
            Err(BAD_ISO_DATE)
        }
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`
/// algorithm, described at <https://howardhinnant.github.io/date_algorithms.html>).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;
