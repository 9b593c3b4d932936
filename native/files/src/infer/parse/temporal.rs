//! Dates, times, date-times and offsets as text.
//!
//! Accepted forms (the date, then optionally `T` or a space and a time, then optionally an
//! offset):
//! - ISO and year-first: `2024-03-05`, `2024/03/05`, `2024.03.05` (year, month, day).
//! - Numeric locale forms `05/03/2024`, `5.3.2024`, `5-3-2024`: day and month order is the
//!   caller's [`OrderSet`]; the value reports under which orders it reads as a real date.
//! - Month names (English, full or three letters, any case): `5-Mar-2024`, `05 March 2024`,
//!   `March 5, 2024`, `Mar 5 2024`.
//! - Times: `14:30`, `14:30:00`, `14:30:00.1234567`, `2:30 PM`; fractional seconds up to 7
//!   digits (SQL Server's largest time scale). Eight or more digits are not read: the value
//!   could not be stored without rounding, and rounding silently is what Sluice refuses.
//! - Offsets after a date-time: `Z`, `+02:00`, `+0200`, `+02`, within ±14:00 as SQL Server
//!   allows. A time without a date takes no offset (SQL Server has no such type).
//! - Years 0001–9999; two-digit years are not read (`05/03/24` stays text), because a third
//!   ambiguity (which century, and is `24` the year or the day) would be guessed.

use super::calendar::{days_from_civil, NANOS_PER_DAY};

/// Which of day and month comes first in numeric dates such as `05/03/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

impl DateOrder {
    fn index(self) -> usize {
        match self {
            DateOrder::DayFirst => 0,
            DateOrder::MonthFirst => 1,
        }
    }
}

/// A set of [`DateOrder`]s: the orders a caller allows, or under which a value is a real date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderSet(u8);

impl OrderSet {
    pub const NONE: OrderSet = OrderSet(0);
    pub const DAY_FIRST: OrderSet = OrderSet(1);
    pub const MONTH_FIRST: OrderSet = OrderSet(2);
    pub const BOTH: OrderSet = OrderSet(3);

    pub fn only(order: DateOrder) -> OrderSet {
        OrderSet(1 << order.index())
    }
    pub fn contains(self, order: DateOrder) -> bool {
        self.0 & (1 << order.index()) != 0
    }
    pub fn intersect(self, other: OrderSet) -> OrderSet {
        OrderSet(self.0 & other.0)
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The single order in the set, if there is exactly one.
    pub fn single(self) -> Option<DateOrder> {
        match self.0 {
            1 => Some(DateOrder::DayFirst),
            2 => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }
}

/// What a temporal value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TemporalKind {
    Date,
    DateTime,
    DateTimeOffset,
    Time,
}

/// The shape of the date part, which decides how the column's day/month order is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// No date part (a time), or a form that fixes the order (year first, month names).
    Fixed,
    /// Day and month as numbers separated by `/` or `-`.
    Numeric,
    /// Day and month as numbers separated by `.` (a day-first convention wherever it is used).
    Dotted,
}

/// A temporal value read from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Temporal {
    pub kind: TemporalKind,
    /// Day numbers since 1970-01-01 under each order, indexed day-first, month-first; valid
    /// for the orders in `orders` (equal when the form fixes the order). 0 for a time.
    days: [i32; 2],
    /// Nanoseconds since midnight (local time for an offset value).
    pub nanos: u64,
    /// Digits written after the seconds' point: this sets `datetime2(n)`/`time(n)`.
    pub frac_digits: u8,
    /// The offset from UTC in minutes (0 unless `kind` is `DateTimeOffset`).
    pub offset_minutes: i16,
    /// The orders under which the value is a real date (every order when the form fixes it).
    pub orders: OrderSet,
    pub form: DateForm,
}

impl Temporal {
    /// A value whose form fixes the day/month order (a spreadsheet date cell, say).
    pub fn from_parts(kind: TemporalKind, days: i32, nanos: u64, frac_digits: u8) -> Self {
        Temporal {
            kind,
            days: [days, days],
            nanos,
            frac_digits,
            offset_minutes: 0,
            orders: OrderSet::BOTH,
            form: DateForm::Fixed,
        }
    }

    /// The day number under `order`, or under the only order the value allows.
    pub fn days(&self, order: DateOrder) -> i32 {
        let index = match self.orders.single() {
            Some(only) => only.index(),
            None => order.index(),
        };
        self.days.get(index).copied().unwrap_or(0)
    }
}

/// Reads `s` as a date, time, date-time or date-time with offset, allowing the day/month
/// orders in `allowed` for numeric dates. `None` when it is none of the accepted forms, or
/// names no real date under any allowed order.
pub fn parse_temporal(s: &str, allowed: OrderSet) -> Option<Temporal> {
    let mut cur = Cursor {
        b: s.as_bytes(),
        i: 0,
    };
    let first = *cur.b.first()?;
    if first.is_ascii_digit() && is_time_start(cur.b) {
        let (nanos, frac_digits) = parse_time(&mut cur)?;
        return cur.at_end().then_some(Temporal {
            kind: TemporalKind::Time,
            days: [0, 0],
            nanos,
            frac_digits,
            offset_minutes: 0,
            orders: OrderSet::BOTH,
            form: DateForm::Fixed,
        });
    }
    let (days, orders, form) = parse_date(&mut cur, allowed)?;
    let mut value = Temporal {
        kind: TemporalKind::Date,
        days,
        nanos: 0,
        frac_digits: 0,
        offset_minutes: 0,
        orders,
        form,
    };
    if cur.at_end() {
        return Some(value);
    }
    if !matches!(cur.next()?, b'T' | b' ') {
        return None;
    }
    (value.nanos, value.frac_digits) = parse_time(&mut cur)?;
    value.kind = TemporalKind::DateTime;
    if cur.at_end() {
        return Some(value);
    }
    value.offset_minutes = parse_offset(&mut cur)?;
    value.kind = TemporalKind::DateTimeOffset;
    cur.at_end().then_some(value)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn at_end(&self) -> bool {
        self.i >= self.b.len()
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }
    /// Between `min` and `max` digits, as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut value = 0u32;
        while self.i - start < max {
            match self.peek() {
                Some(c) if c.is_ascii_digit() => {
                    value = value * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        let n = self.i - start;
        (n >= min).then_some((value, n))
    }
    fn letters(&mut self) -> &[u8] {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        self.b.get(start..self.i).unwrap_or_default()
    }
}

/// A time starts with one or two digits and a colon.
fn is_time_start(b: &[u8]) -> bool {
    matches!(b, [_, b':', ..]) || matches!(b, [_, d, b':', ..] if d.is_ascii_digit())
}

fn parse_date(cur: &mut Cursor<'_>, allowed: OrderSet) -> Option<([i32; 2], OrderSet, DateForm)> {
    let fixed = |days: i32| Some(([days, days], OrderSet::BOTH, DateForm::Fixed));
    // The ISO `yyyy-mm-dd` shape, read at fixed positions (the common case, and the cheapest).
    if let Some([y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]) =
        cur.b.get(..10).and_then(|p| <[u8; 10]>::try_from(p).ok())
    {
        let year = fixed_number(&[y0, y1, y2, y3]);
        let month = fixed_number(&[m0, m1]);
        let day = fixed_number(&[d0, d1]);
        if let (Some(year), Some(month), Some(day)) = (year, month, day) {
            cur.i = 10;
            return fixed(days_from_civil(year, month, day)?);
        }
    }
    if cur.peek()?.is_ascii_alphabetic() {
        // `March 5, 2024`, `Mar 5 2024`
        let month = month_from_name(cur.letters())?;
        if !cur.eat(b' ') {
            return None;
        }
        let (day, _) = cur.digits(1, 2)?;
        cur.eat(b',');
        if !cur.eat(b' ') {
            return None;
        }
        let (year, _) = cur.digits(4, 4)?;
        return fixed(days_from_civil(year, month, day)?);
    }
    let (a, a_len) = cur.digits(1, 4)?;
    let sep = cur.next()?;
    if !matches!(sep, b'-' | b'/' | b'.' | b' ') {
        return None;
    }
    if a_len == 4 {
        if sep == b' ' {
            return None;
        }
        let (month, _) = cur.digits(1, 2)?;
        if !cur.eat(sep) {
            return None;
        }
        let (day, _) = cur.digits(1, 2)?;
        return fixed(days_from_civil(a, month, day)?);
    }
    if a_len > 2 {
        return None;
    }
    if cur.peek()?.is_ascii_alphabetic() {
        // `5-Mar-2024`, `05 March 2024`, `5/Mar/2024`
        let month = month_from_name(cur.letters())?;
        if !cur.eat(sep) {
            return None;
        }
        let (year, _) = cur.digits(4, 4)?;
        return fixed(days_from_civil(year, month, a)?);
    }
    if sep == b' ' {
        return None;
    }
    let (b, _) = cur.digits(1, 2)?;
    if !cur.eat(sep) {
        return None;
    }
    let (year, _) = cur.digits(4, 4)?;
    let day_first = days_from_civil(year, b, a);
    let month_first = days_from_civil(year, a, b);
    let mut orders = OrderSet::NONE;
    if day_first.is_some() {
        orders = OrderSet(orders.0 | OrderSet::DAY_FIRST.0);
    }
    if month_first.is_some() {
        orders = OrderSet(orders.0 | OrderSet::MONTH_FIRST.0);
    }
    let orders = orders.intersect(allowed);
    if orders.is_empty() {
        return None;
    }
    let form = if sep == b'.' {
        DateForm::Dotted
    } else {
        DateForm::Numeric
    };
    Some((
        [day_first.unwrap_or(0), month_first.unwrap_or(0)],
        orders,
        form,
    ))
}

fn month_from_name(word: &[u8]) -> Option<u32> {
    const NAMES: [&[u8]; 12] = [
        b"january",
        b"february",
        b"march",
        b"april",
        b"may",
        b"june",
        b"july",
        b"august",
        b"september",
        b"october",
        b"november",
        b"december",
    ];
    if word.len() < 3 || word.len() > 9 {
        return None;
    }
    let mut lower = [0u8; 9];
    for (dst, src) in lower.iter_mut().zip(word) {
        *dst = src.to_ascii_lowercase();
    }
    let word = lower.get(..word.len())?;
    if word == b"sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|name| *name == word || (word.len() == 3 && name.starts_with(word)))
        .map(|i| i as u32 + 1)
}

/// Nanoseconds per unit of a fraction written with `n` digits (index `n`, 1–7).
const FRACTION_SCALE: [u64; 8] = [
    1_000_000_000,
    100_000_000,
    10_000_000,
    1_000_000,
    100_000,
    10_000,
    1_000,
    100,
];

/// The value of a run of ASCII digits, or `None` if any byte is not a digit.
#[inline]
fn fixed_number(digits: &[u8]) -> Option<u32> {
    let mut value = 0u32;
    let mut bad = false;
    for &c in digits {
        let d = c.wrapping_sub(b'0');
        bad |= d > 9;
        value = value * 10 + u32::from(d);
    }
    (!bad).then_some(value)
}

/// `H:MM[:SS[.fffffff]][ AM|PM]` → (nanoseconds since midnight, fraction digits).
fn parse_time(cur: &mut Cursor<'_>) -> Option<(u64, u8)> {
    // `HH:MM:SS` at fixed positions, then the optional fraction; anything else (one-digit
    // hours, no seconds, AM/PM) takes the general path below.
    let rest = cur.b.get(cur.i..)?;
    if let Some([h0, h1, b':', m0, m1, b':', s0, s1]) =
        rest.get(..8).and_then(|p| <[u8; 8]>::try_from(p).ok())
    {
        if let (Some(h), Some(m), Some(sec)) = (
            fixed_number(&[h0, h1]),
            fixed_number(&[m0, m1]),
            fixed_number(&[s0, s1]),
        ) {
            let after = rest.get(8).copied();
            if h <= 23
                && m <= 59
                && sec <= 59
                && !after.is_some_and(|c| {
                    c.is_ascii_alphabetic() || c == b' ' && is_meridiem_next(rest.get(9..))
                })
            {
                cur.i += 8;
                let mut frac = 0u64;
                let mut frac_digits = 0u8;
                if cur.eat(b'.') {
                    let (f, n) = cur.digits(1, 7)?;
                    if cur.peek().is_some_and(|c| c.is_ascii_digit()) {
                        return None;
                    }
                    frac = u64::from(f) * FRACTION_SCALE.get(n).copied().unwrap_or(0);
                    frac_digits = n as u8;
                }
                let secs = u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(sec);
                return Some((secs * 1_000_000_000 + frac, frac_digits));
            }
        }
    }
    let (mut hour, _) = cur.digits(1, 2)?;
    if !cur.eat(b':') {
        return None;
    }
    let (minute, _) = cur.digits(2, 2)?;
    let mut second = 0;
    let mut frac = 0u64;
    let mut frac_digits = 0u8;
    if cur.eat(b':') {
        second = cur.digits(2, 2)?.0;
        if cur.eat(b'.') {
            let (f, n) = cur.digits(1, 7)?;
            if cur.peek().is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
            frac = u64::from(f) * FRACTION_SCALE.get(n).copied().unwrap_or(0);
            frac_digits = n as u8;
        }
    }
    if let Some(pm) = parse_meridiem(cur) {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = (hour % 12) + if pm { 12 } else { 0 };
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let nanos = (u64::from(hour) * 3600 + u64::from(minute) * 60 + u64::from(second))
        * 1_000_000_000
        + frac;
    debug_assert!(nanos < NANOS_PER_DAY);
    Some((nanos, frac_digits))
}

/// True when `rest` starts with `AM`/`PM` in any case.
fn is_meridiem_next(rest: Option<&[u8]>) -> bool {
    matches!(rest, Some([a, b'm' | b'M', ..]) if matches!(a, b'a' | b'A' | b'p' | b'P'))
}

/// An optional ` AM`/`PM` (or without the space, any case): `Some(true)` for PM.
fn parse_meridiem(cur: &mut Cursor<'_>) -> Option<bool> {
    let rest = cur.b.get(cur.i..)?;
    let skip = usize::from(rest.first() == Some(&b' '));
    let word = rest.get(skip..skip + 2)?;
    let pm = match [
        word.first()?.to_ascii_uppercase(),
        word.get(1)?.to_ascii_uppercase(),
    ] {
        [b'A', b'M'] => false,
        [b'P', b'M'] => true,
        _ => return None,
    };
    if rest
        .get(skip + 2)
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    cur.i += skip + 2;
    Some(pm)
}

/// `Z`, `±HH:MM`, `±HHMM` or `±HH`, optionally after one space; within ±14:00.
fn parse_offset(cur: &mut Cursor<'_>) -> Option<i16> {
    cur.eat(b' ');
    let sign: i32 = match cur.next()? {
        b'Z' | b'z' => return Some(0),
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, _) = cur.digits(2, 2)?;
    let minutes = if cur.at_end() {
        0
    } else {
        cur.eat(b':');
        cur.digits(2, 2)?.0
    };
    let total = hours * 60 + minutes;
    if minutes > 59 || total > 14 * 60 {
        return None;
    }
    i16::try_from(sign * total as i32).ok()
}

#[cfg(test)]
#[path = "temporal_tests.rs"]
mod tests;
