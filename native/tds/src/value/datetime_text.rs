//! Dates and times as text: the ISO forms SQL Server reads in string literals and the forms
//! SQL Server Management Studio shows. The calendar math is in `temporal`.

use super::temporal::{civil_from_days, days_from_civil, pow10, units_per_day, DAYS_0001_TO_1900};
use crate::value::{Date, Time};

/// A date and time read from text, local to `offset_minutes` when the text had an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDateTime {
    pub date: Option<u32>,
    pub units7: Option<u64>,
    pub offset_minutes: Option<i16>,
}

/// Parses `date [time] [offset]`: the date `YYYY-MM-DD`, `YYYY/MM/DD` or `YYYYMMDD`; the time
/// `H[H]:MM[:SS[.fffffff]]` after a space or `T`; the offset `+HH:MM`, `-HH:MM` or `Z`. A time
/// alone (no date) is accepted too, for `time` columns.
pub fn parse_datetime_text(s: &str) -> Result<ParsedDateTime, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty string");
    }
    let (date_str, rest) = match s.find([' ', 'T', 't']) {
        Some(i) => (&s[..i], s[i + 1..].trim_start()),
        None => (s, ""),
    };
    let (date, rest) = if date_str.contains(':') {
        (None, s)
    } else {
        (Some(parse_date(date_str)?), rest)
    };
    let (time_str, offset_str) = match rest.find(['+', '-', 'Z', 'z']) {
        Some(i) => (rest[..i].trim_end(), Some(&rest[i..])),
        None => (rest, None),
    };
    let units7 = if time_str.is_empty() {
        None
    } else {
        Some(parse_time(time_str)?)
    };
    let offset_minutes = offset_str.map(parse_offset).transpose()?;
    if date.is_none() && units7.is_none() {
        return Err("no date or time");
    }
    Ok(ParsedDateTime {
        date,
        units7,
        offset_minutes,
    })
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_date(s: &str) -> Result<u32, &'static str> {
    const BAD: &str = "date must be YYYY-MM-DD or YYYYMMDD";
    let (y, m, d) = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (s.get(..4), s.get(4..6), s.get(6..))
    } else {
        let sep = if s.contains('/') { '/' } else { '-' };
        let mut parts = s.split(sep);
        let ymd = (parts.next(), parts.next(), parts.next());
        if parts.next().is_some() {
            return Err(BAD);
        }
        ymd
    };
    let year = y.and_then(|y| digits(y, 4, 4)).ok_or(BAD)?;
    let month = m.and_then(|m| digits(m, 1, 2)).ok_or(BAD)?;
    let day = d.and_then(|d| digits(d, 1, 2)).ok_or(BAD)?;
    let year = i32::try_from(year).map_err(|_| BAD)?;
    days_from_civil(year, month, day).ok_or("no such date")
}

/// `H[H]:MM[:SS[.fffffff]]` as 100-ns units; more than 7 fractional digits is an error as in
/// SQL Server.
fn parse_time(s: &str) -> Result<u64, &'static str> {
    const BAD: &str = "time must be HH:MM[:SS[.fffffff]]";
    let (hms, frac) = match s.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (s, None),
    };
    let mut parts = hms.split(':');
    let hour = parts.next().and_then(|h| digits(h, 1, 2)).ok_or(BAD)?;
    let minute = parts.next().and_then(|m| digits(m, 2, 2)).ok_or(BAD)?;
    let second = match parts.next() {
        Some(sec) => digits(sec, 2, 2).ok_or(BAD)?,
        None if frac.is_some() => return Err(BAD),
        None => 0,
    };
    if parts.next().is_some() {
        return Err(BAD);
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err("time field out of range");
    }
    let frac_units = match frac {
        None => 0,
        Some(f) => {
            let n = digits(f, 1, 7).ok_or("at most 7 fractional-second digits")?;
            // `f` has 1..=7 digits, so the exponent is 0..=6.
            u64::from(n) * pow10(7 - f.len() as u8).unwrap_or(1)
        }
    };
    let seconds = u64::from(hour * 3600 + minute * 60 + second);
    Ok(seconds * 10_000_000 + frac_units)
}

fn parse_offset(s: &str) -> Result<i16, &'static str> {
    const BAD: &str = "offset must be +HH:MM, -HH:MM or Z";
    if s.eq_ignore_ascii_case("z") {
        return Ok(0);
    }
    let (sign, hm) = match s.split_at_checked(1) {
        Some(("+", hm)) => (1, hm),
        Some(("-", hm)) => (-1, hm),
        _ => return Err(BAD),
    };
    let (h, m) = hm.trim_start().split_once(':').ok_or(BAD)?;
    let (h, m) = (digits(h, 2, 2).ok_or(BAD)?, digits(m, 2, 2).ok_or(BAD)?);
    if m > 59 || h * 60 + m > 840 {
        return Err("offset outside -14:00..+14:00");
    }
    Ok(sign * i16::try_from(h * 60 + m).map_err(|_| BAD)?)
}

/// `YYYY-MM-DD`.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `HH:MM:SS` followed by exactly `scale` fractional digits (none for scale 0).
pub fn format_time(units: u64, scale: u8) -> String {
    let scale = usize::from(scale);
    let digits = format!("{units:0>width$}", width = scale + 1);
    let (whole, frac) = digits.split_at(digits.len() - scale);
    let secs: u64 = whole.parse().unwrap_or(0);
    let mut out = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if scale > 0 {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// `datetime` as SQL Server shows it: milliseconds rounded from ticks (.000, .003, .007, …).
pub fn format_datetime(days: i32, ticks: u32) -> String {
    let secs = ticks / 300;
    let millis = (ticks % 300 * 10 + 1) / 3;
    format!(
        "{} {:02}:{:02}:{:02}.{millis:03}",
        format_date(i64::from(days) + DAYS_0001_TO_1900),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `datetimeoffset`: local date and time (UTC + offset), then the offset.
pub fn format_datetimeoffset(date: Date, time: Time, offset_minutes: i16) -> String {
    let per_day = i128::from(units_per_day(time.scale).unwrap_or(u64::MAX));
    let shift = i128::from(offset_minutes) * 60 * i128::from(pow10(time.scale).unwrap_or(0));
    let local = i128::from(date.0) * per_day + i128::from(time.units) + shift;
    let days = i64::try_from(local.div_euclid(per_day)).unwrap_or(0);
    let units = u64::try_from(local.rem_euclid(per_day)).unwrap_or(0);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{} {} {sign}{:02}:{:02}",
        format_date(days),
        format_time(units, time.scale),
        off / 60,
        off % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> u32 {
        days_from_civil(y, m, d).unwrap()
    }

    #[test]
    fn parses_iso_forms() {
        let p = |s| parse_datetime_text(s);
        let d = ymd(2024, 2, 29);
        assert_eq!(
            p("2024-02-29"),
            Ok(ParsedDateTime {
                date: Some(d),
                units7: None,
                offset_minutes: None
            })
        );
        assert_eq!(p("20240229").unwrap().date, Some(d));
        assert_eq!(p(" 2024/2/29 ").unwrap().date, Some(d));
        let full = p("2024-02-29T13:45:10.1234567+05:30").unwrap();
        assert_eq!(
            full.units7,
            Some((13 * 3600 + 45 * 60 + 10) * 10_000_000 + 1_234_567)
        );
        assert_eq!(full.offset_minutes, Some(330));
        assert_eq!(
            p("2024-02-29 1:02 -08:00").unwrap().offset_minutes,
            Some(-480)
        );
        assert_eq!(p("2024-02-29 00:00:00.5Z").unwrap().units7, Some(5_000_000));
        assert_eq!(p("23:59:59.9999999").unwrap().date, None);
        for bad in [
            "",
            "2024-02-30",
            "2024-13-01",
            "24-01-01",
            "2024-01-01 24:00",
            "2024-01-01 10:60",
            "2024-01-01 10:00:00.12345678",
            "2024-01-01 10:00 +15:00",
            "2024-01-01 10:00 +05",
            "2024-01-01-01",
            "abc",
            "2024-01-01 10.5",
        ] {
            assert!(p(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn formats_times_with_exact_scale_digits() {
        assert_eq!(format_time(0, 0), "00:00:00");
        assert_eq!(format_time(5, 1), "00:00:00.5");
        assert_eq!(format_time(863_999_999_999, 7), "23:59:59.9999999");
        assert_eq!(
            format_time(u64::MAX, 30),
            "00:00:00.000000000018446744073709551615"
        );
    }
}
