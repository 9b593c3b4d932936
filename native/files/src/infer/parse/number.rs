//! Numbers as text: integers, exact decimals and floats.
//!
//! The rules, shared by inference and conversion:
//! - An optional `+` or `-`, then digits. A leading zero followed by more digits (`007`, `-01`)
//!   is not a number: such values are codes (ZIP codes, account numbers) and stay text, so
//!   their zeros survive.
//! - A point and at least one digit make an exact decimal (`12.50` has scale 2; `.5` is
//!   accepted, `5.` is not). Trailing zeros count towards the scale, as they do in SQL Server.
//! - An exponent (`1.5e10`, `2E-3`) makes a float. Infinity, NaN and values beyond `f64` are
//!   not numbers.
//! - No thousands separators and no decimal comma: `1,234` means 1234 in one locale and 1.234
//!   in another, so rather than guess, such values stay text and the evidence shows them.
//! - Exactness: an integer with more than 38 digits (SQL Server's largest precision) stays text
//!   because no exact numeric type holds it (it is an identifier, not a quantity). A decimal
//!   whose digits exceed 38 becomes a float: its fraction says it is a measurement.
//!
//! Surrounding ASCII spaces are removed by the caller ([`super::trim_spaces`]) before these
//! functions run, in inference and in conversion alike.

/// SQL Server's largest decimal precision.
pub const MAX_PRECISION: u32 = 38;

/// A number read from text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer that fits `i64`.
    Int(i64),
    /// An exact decimal: `mantissa / 10^scale`, with `int_digits` significant digits before
    /// the point (0 for `0.5`). Integers beyond `i64` come here with scale 0.
    Decimal {
        mantissa: i128,
        scale: u8,
        int_digits: u8,
    },
    /// A float written with an exponent, or a decimal too long to be exact.
    Float(f64),
}

impl Number {
    /// The value as a float, for ordering (min/max) and for float columns.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(v) => v as f64,
            Number::Decimal {
                mantissa, scale, ..
            } => mantissa as f64 / 10f64.powi(scale as i32),
            Number::Float(v) => v,
        }
    }
}

/// Reads `s` as a number under the rules in the module documentation.
#[inline]
pub fn parse_number(s: &str) -> Option<Number> {
    let bytes = s.as_bytes();
    if let Some(n) = plain_number(bytes) {
        return Some(n);
    }
    let (negative, body) = match bytes.first()? {
        b'-' => (true, bytes.get(1..)?),
        b'+' => (false, bytes.get(1..)?),
        _ => (false, bytes),
    };
    let int_len = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let (int_part, mut rest) = body.split_at(int_len);
    if int_part.len() > 1 && int_part.first() == Some(&b'0') {
        return None;
    }
    let mut frac: &[u8] = &[];
    if let Some((b'.', tail)) = rest.split_first() {
        let frac_len = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        if frac_len == 0 {
            return None;
        }
        (frac, rest) = tail.split_at(frac_len);
    }
    if int_part.is_empty() && frac.is_empty() {
        return None;
    }
    if !rest.is_empty() {
        return parse_exponent_form(s, rest);
    }
    let int_digits = if int_part == b"0" { 0 } else { int_part.len() };
    if frac.is_empty() && int_digits <= 18 {
        // At most 18 digits always fit i64: the common case, without i128 arithmetic.
        let magnitude = digits_u64(int_part, 0) as i64;
        return Some(Number::Int(if negative { -magnitude } else { magnitude }));
    }
    let precision = int_digits + frac.len();
    if precision > MAX_PRECISION as usize {
        return if frac.is_empty() {
            None
        } else {
            finite_float(s)
        };
    }
    let magnitude = if int_part.len() + frac.len() <= 19 {
        // Up to 19 digits fit u64: cheaper than i128 for the common decimals.
        i128::from(digits_u64(frac, digits_u64(int_part, 0)))
    } else {
        let acc = int_part
            .iter()
            .fold(0i128, |acc, d| acc * 10 + i128::from(d - b'0'));
        frac.iter()
            .fold(acc, |acc, d| acc * 10 + i128::from(d - b'0'))
    };
    let mantissa = if negative { -magnitude } else { magnitude };
    if frac.is_empty() {
        if let Ok(v) = i64::try_from(mantissa) {
            return Some(Number::Int(v));
        }
    }
    Some(Number::Decimal {
        mantissa,
        scale: frac.len() as u8,
        int_digits: int_digits as u8,
    })
}

/// Appends the ASCII digits `digits` to `acc` (the caller bounds the count to 19 in all).
#[inline]
fn digits_u64(digits: &[u8], acc: u64) -> u64 {
    digits.iter().fold(acc, |acc, d| {
        acc.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))
    })
}

/// The common cases in one pass: an optional `-`, at most 19 digits with at most one point
/// among them, optionally an exponent. `None` sends anything else (and every rejection, so
/// the rules live in one place) down the general path.
#[inline]
fn plain_number(bytes: &[u8]) -> Option<Number> {
    let (negative, body) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if body.len() > 40 {
        return None;
    }
    let mut value = 0u64;
    let mut point = None;
    let mut end = digit_run(body, 0, &mut value);
    if body.get(end) == Some(&b'.') {
        point = Some(end);
        end = digit_run(body, end + 1, &mut value);
    }
    let int_len = point.unwrap_or(end);
    let digits = end - usize::from(point.is_some());
    let leading_zero = int_len > 1 && body.first() == Some(&b'0');
    // 19 digits fit u64 (up to 9,999,999,999,999,999,999 < 2^64).
    if digits == 0 || digits > 19 || leading_zero || point.is_some_and(|p| p + 1 == end) {
        return None;
    }
    let scale = point.map_or(0, |p| end - p - 1);
    if end < body.len() {
        return exact_float(negative, value, scale, body.get(end..)?);
    }
    let signed = if negative {
        -i128::from(value)
    } else {
        i128::from(value)
    };
    Some(match point {
        None => match i64::try_from(signed) {
            Ok(v) => Number::Int(v),
            Err(_) => Number::Decimal {
                mantissa: signed,
                scale: 0,
                int_digits: digits as u8,
            },
        },
        Some(p) => Number::Decimal {
            mantissa: signed,
            scale: scale as u8,
            int_digits: if body.get(..p) == Some(b"0") {
                0
            } else {
                p as u8
            },
        },
    })
}

/// Reads the run of ASCII digits of `body` from `start` into `value` (wrapping: the caller
/// rejects more than 19 digits) and returns where the run ends. Eight digits at a time where
/// it can (SWAR), so long numbers cost a few steps, not one per digit.
#[inline]
fn digit_run(body: &[u8], start: usize, value: &mut u64) -> usize {
    let mut i = start;
    while let Some(chunk) = body.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        if !eight_digits(x) {
            break;
        }
        *value = value
            .wrapping_mul(100_000_000)
            .wrapping_add(eight_digit_value(x));
        i += 8;
    }
    while let Some(&c) = body.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *value = value.wrapping_mul(10).wrapping_add(u64::from(d));
        i += 1;
    }
    i
}

/// True when all eight bytes of `x` are ASCII digits: each byte's high nibble is 3, and adding
/// 6 does not carry out of the low nibble (so the low nibble is at most 9).
#[inline]
fn eight_digits(x: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    (x & HIGH) == THREES && (x.wrapping_add(0x0606_0606_0606_0606) & HIGH) == THREES
}

/// The value of eight ASCII digits loaded little-endian (the first digit in the lowest byte):
/// pairs, then quads, then the whole, each step one multiply-add across lanes.
#[inline]
fn eight_digit_value(x: u64) -> u64 {
    let digits = x.wrapping_sub(0x3030_3030_3030_3030);
    // Each 16-bit lane: first digit × 10 + second.
    let pairs = (digits.wrapping_mul(10) + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
    // Each 32-bit lane: first pair × 100 + second.
    let quads = (pairs.wrapping_mul(100) + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    // First quad × 10,000 + second.
    (quads.wrapping_mul(10_000) + (quads >> 32)) & 0xFFFF_FFFF
}

/// Powers of ten that a double holds exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `mantissa × 10^(exponent − scale)` where `rest` is the exponent (`e`, sign, up to 4 digits),
/// when one multiplication or division gives the correctly rounded double: the mantissa is
/// below 2^53 and the power of ten at most 22 (Clinger's fast path). `None` otherwise, and
/// the general path parses it.
fn exact_float(negative: bool, mantissa: u64, scale: usize, rest: &[u8]) -> Option<Number> {
    let (first, exp) = rest.split_first()?;
    if !matches!(first, b'e' | b'E') {
        return None;
    }
    let (exp_negative, digits) = match exp.split_first() {
        Some((b'-', d)) => (true, d),
        Some((b'+', d)) => (false, d),
        _ => (false, exp),
    };
    if digits.is_empty() || digits.len() > 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let magnitude = digits
        .iter()
        .fold(0i64, |a, d| a * 10 + i64::from(d - b'0'));
    let power = if exp_negative { -magnitude } else { magnitude } - scale as i64;
    if mantissa >= 1 << 53 {
        return None;
    }
    let factor = *EXACT_POW10.get(usize::try_from(power.unsigned_abs()).ok()?)?;
    let m = mantissa as f64;
    let v = if power >= 0 { m * factor } else { m / factor };
    Some(Number::Float(if negative { -v } else { v }))
}

/// `rest` follows the digits: only an exponent (`e`, optional sign, digits) may stand there.
fn parse_exponent_form(s: &str, rest: &[u8]) -> Option<Number> {
    let (first, exp) = rest.split_first()?;
    if !matches!(first, b'e' | b'E') {
        return None;
    }
    let digits = match exp.first() {
        Some(b'+' | b'-') => exp.get(1..)?,
        _ => exp,
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    finite_float(s)
}

fn finite_float(s: &str) -> Option<Number> {
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(Number::Float(v))
}

/// Number of digits of `v` (1 for 0), as SQL Server counts precision.
pub fn digit_count(v: i64) -> u8 {
    let mut n = v.unsigned_abs();
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(mantissa: i128, scale: u8, int_digits: u8) -> Option<Number> {
        Some(Number::Decimal {
            mantissa,
            scale,
            int_digits,
        })
    }

    #[test]
    fn integers_with_signs_parse() {
        assert_eq!(parse_number("0"), Some(Number::Int(0)));
        assert_eq!(parse_number("-0"), Some(Number::Int(0)));
        assert_eq!(parse_number("42"), Some(Number::Int(42)));
        assert_eq!(parse_number("+42"), Some(Number::Int(42)));
        assert_eq!(
            parse_number("-2147483649"),
            Some(Number::Int(-2_147_483_649))
        );
        assert_eq!(
            parse_number("9223372036854775807"),
            Some(Number::Int(i64::MAX))
        );
        assert_eq!(
            parse_number("-9223372036854775808"),
            Some(Number::Int(i64::MIN))
        );
    }

    #[test]
    fn leading_zeros_keep_a_value_text() {
        assert_eq!(parse_number("007"), None);
        assert_eq!(parse_number("-01"), None);
        assert_eq!(parse_number("00.5"), None);
        assert_eq!(parse_number("0.5"), dec(5, 1, 0));
    }

    #[test]
    fn integers_beyond_i64_are_decimals_up_to_38_digits_then_text() {
        assert_eq!(
            parse_number("9223372036854775808"),
            dec(9_223_372_036_854_775_808, 0, 19)
        );
        let d38 = "9".repeat(38);
        assert!(matches!(
            parse_number(&d38),
            Some(Number::Decimal { int_digits: 38, .. })
        ));
        assert_eq!(parse_number(&"9".repeat(39)), None);
    }

    #[test]
    fn decimals_keep_their_scale_including_trailing_zeros() {
        assert_eq!(parse_number("12.50"), dec(1250, 2, 2));
        assert_eq!(parse_number("-0.001"), dec(-1, 3, 0));
        assert_eq!(parse_number(".5"), dec(5, 1, 0));
        assert_eq!(parse_number("-.5"), dec(-5, 1, 0));
        assert_eq!(parse_number("5."), None);
        assert_eq!(parse_number("."), None);
    }

    #[test]
    fn decimals_longer_than_38_digits_become_floats() {
        let long = format!("3.{}", "1".repeat(40));
        assert!(matches!(parse_number(&long), Some(Number::Float(v)) if (v - 3.111).abs() < 0.01));
    }

    #[test]
    fn the_exact_float_path_agrees_with_the_standard_parser() {
        for s in [
            "3.412345e-5",
            "1e22",
            "9007199254740991e-22",
            "-2.5E+3",
            "0.1e1",
            "123456789e-20",
            "9007199254740993e0",
            "1e23",
            "5e-324",
            "1.7976931348623157e308",
            ".5e1",
            "-0e0",
        ] {
            let expected: f64 = s.parse().unwrap();
            assert_eq!(parse_number(s), Some(Number::Float(expected)), "{s}");
        }
        assert_eq!(parse_number("05e3"), None);
        assert_eq!(parse_number("5.e3"), None);
        assert_eq!(parse_number("1e00005"), Some(Number::Float(1e5)));
    }

    #[test]
    fn scientific_notation_is_a_float() {
        assert_eq!(parse_number("1.5e10"), Some(Number::Float(1.5e10)));
        assert_eq!(parse_number("2E-3"), Some(Number::Float(0.002)));
        assert_eq!(parse_number("-7e+2"), Some(Number::Float(-700.0)));
        assert_eq!(parse_number("1e"), None);
        assert_eq!(parse_number("1e+"), None);
        assert_eq!(parse_number("1e400"), None);
    }

    #[test]
    fn words_separators_and_specials_are_not_numbers() {
        for s in [
            "", "-", "+", "abc", "1,234", "1 234", "12a", "inf", "NaN", "0x1F", "1.2.3", "--1",
            "١٢",
        ] {
            assert_eq!(parse_number(s), None, "{s:?}");
        }
    }

    #[test]
    fn eight_digit_words_read_like_one_digit_at_a_time() {
        for s in ["00000000", "12345678", "99999999", "10203040", "87654321"] {
            let mut word = [0u8; 8];
            word.copy_from_slice(s.as_bytes());
            let x = u64::from_le_bytes(word);
            assert!(eight_digits(x), "{s}");
            assert_eq!(eight_digit_value(x), s.parse::<u64>().unwrap(), "{s}");
        }
        for s in ["1234567a", "/2345678", ":2345678", "1234 678", "12345.78"] {
            let mut word = [0u8; 8];
            word.copy_from_slice(s.as_bytes());
            assert!(!eight_digits(u64::from_le_bytes(word)), "{s}");
        }
        assert_eq!(
            parse_number("1234567890123456789"),
            Some(Number::Int(1_234_567_890_123_456_789))
        );
        assert_eq!(
            parse_number("-12345678.87654321"),
            dec(-1_234_567_887_654_321, 8, 8)
        );
    }

    /// The fast path (SWAR, up to 19 digits) and the general path (beyond) against a plain
    /// reference: the digits without the point, read as one integer.
    #[test]
    fn random_numbers_read_as_their_digits_say() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..20_000 {
            let sign = if next(2) == 0 { "-" } else { "" };
            let int_len = next(26) as usize;
            let mut int: String = (0..int_len)
                .map(|_| char::from(b'0' + next(10) as u8))
                .collect();
            if int.starts_with('0') && int.len() > 1 {
                int.replace_range(..1, "7");
            }
            let frac_len = if next(2) == 0 {
                0
            } else {
                1 + next(25) as usize
            };
            let frac: String = (0..frac_len)
                .map(|_| char::from(b'0' + next(10) as u8))
                .collect();
            if int.is_empty() && frac.is_empty() {
                continue;
            }
            let text = if frac.is_empty() {
                format!("{sign}{int}")
            } else {
                format!("{sign}{int}.{frac}")
            };
            let got = parse_number(&text);
            let int_digits = if int == "0" { 0 } else { int.len() };
            if int_digits + frac.len() > 38 {
                assert!(
                    frac.is_empty() && got.is_none() || matches!(got, Some(Number::Float(_))),
                    "{text}"
                );
                continue;
            }
            let reference: i128 = format!("{sign}{int}{frac}").parse().unwrap();
            let (mantissa, scale) = match got {
                Some(Number::Int(v)) => (i128::from(v), 0),
                Some(Number::Decimal {
                    mantissa, scale, ..
                }) => (mantissa, scale),
                other => panic!("{text}: {other:?}"),
            };
            assert_eq!(
                (mantissa, usize::from(scale)),
                (reference, frac.len()),
                "{text}"
            );
        }
    }

    #[test]
    fn digit_count_counts_like_sql_precision() {
        assert_eq!(digit_count(0), 1);
        assert_eq!(digit_count(-99), 2);
        assert_eq!(digit_count(i64::MIN), 19);
    }
}
