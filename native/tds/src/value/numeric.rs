//! Exact decimal arithmetic and conversions between numeric values.
//!
//! `decimal`/`numeric` travel as a sign and the magnitude of value × 10^scale (MS-TDS
//! 2.2.5.5.1.6), `money` as value × 10^4 (2.2.5.5.1.4): both are integers here, an `i128`
//! mantissa for decimals (38 digits fit) and an `i64` for money. Rounding is half away from zero,
//! as SQL Server rounds when a value gets a smaller scale on insert; binary floats go through
//! their shortest round-trip text so −2270.9954 becomes −22709954 × 10^-4, not …53.

use crate::value::Value;

/// The largest precision of `decimal`/`numeric`.
pub const MAX_PRECISION: u8 = 38;

/// 10^n, `None` past 10^38.
pub fn pow10(n: u8) -> Option<i128> {
    10i128.checked_pow(u32::from(n))
}

/// True when `mantissa` has at most `precision` digits.
pub fn fits_precision(mantissa: i128, precision: u8) -> bool {
    match 10u128.checked_pow(u32::from(precision)) {
        Some(limit) => mantissa.unsigned_abs() < limit,
        None => true,
    }
}

/// `mantissa × 10^-from` as a mantissa at scale `to`, rounding half away from zero; `None` when
/// the result does not fit an `i128`.
pub fn rescale(mantissa: i128, from: u8, to: u8) -> Option<i128> {
    if to >= from {
        return mantissa.checked_mul(pow10(to - from)?);
    }
    let Some(div) = pow10(from - to) else {
        // |mantissa| < 1.8e38 is below half of 10^39: the value rounds to zero.
        return Some(0);
    };
    let (q, r) = (mantissa / div, mantissa % div);
    let round = r.unsigned_abs() >= div.unsigned_abs().div_ceil(2);
    Some(if round { q + mantissa.signum() } else { q })
}

/// Why decimal text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalTextError {
    Syntax,
    Overflow,
}

/// Parses `[+-]digits[.digits]` (spaces around allowed, no exponent, as SQL Server's string to
/// decimal conversion) to a mantissa at `scale`, rounding extra fractional digits.
pub fn parse_decimal(text: &str, scale: u8) -> Result<i128, DecimalTextError> {
    let t = text.trim();
    let (negative, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return Err(DecimalTextError::Syntax);
    }
    let scale = usize::from(scale);
    let kept = frac.bytes().chain(std::iter::repeat(b'0')).take(scale);
    let mut m: i128 = 0;
    for d in int.trim_start_matches('0').bytes().chain(kept) {
        m = m
            .checked_mul(10)
            .and_then(|m| m.checked_add(i128::from(d - b'0')))
            .ok_or(DecimalTextError::Overflow)?;
    }
    if frac.as_bytes().get(scale).is_some_and(|&d| d >= b'5') {
        m = m.checked_add(1).ok_or(DecimalTextError::Overflow)?;
    }
    Ok(if negative { -m } else { m })
}

/// The exact text of `mantissa × 10^-scale` with all `scale` digits: `-0.50`, `12.3456`.
pub fn format_decimal(mantissa: i128, scale: u8) -> String {
    let scale = usize::from(scale);
    let digits = format!("{:0>width$}", mantissa.unsigned_abs(), width = scale + 1);
    let (int, frac) = digits.split_at(digits.len() - scale);
    let sign = if mantissa < 0 { "-" } else { "" };
    if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// The nearest `f64` to a decimal (correctly rounded through its text).
pub fn decimal_to_f64(mantissa: i128, scale: u8) -> f64 {
    format_decimal(mantissa, scale).parse().unwrap_or(f64::NAN)
}

fn float_to_decimal(f: f64, scale: u8) -> Result<i128, String> {
    if !f.is_finite() {
        return Err(format!("{f} is not a number SQL Server can store"));
    }
    // Display prints the shortest text that reads back as `f`, never an exponent.
    parse_decimal(&f.to_string(), scale).map_err(|_| "Arithmetic overflow".to_string())
}

fn float_of(v: &Value) -> Option<f64> {
    match *v {
        Value::Real(f) => Some(f64::from(f)),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// An integer value, for integer and bit columns: a decimal, money or float must have no
/// fractional part (SQL Server would truncate it; a loader must not lose digits silently).
pub fn to_i64(v: &Value) -> Result<i64, String> {
    let integral = |m: i128, scale: u8| -> Result<i64, String> {
        let div = pow10(scale).ok_or("invalid decimal scale")?;
        if m % div != 0 {
            return Err("the value has a fractional part".into());
        }
        i64::try_from(m / div).map_err(|_| "Arithmetic overflow".into())
    };
    match *v {
        Value::Bit(b) => Ok(i64::from(b)),
        Value::TinyInt(n) => Ok(i64::from(n)),
        Value::SmallInt(n) => Ok(i64::from(n)),
        Value::Int(n) => Ok(i64::from(n)),
        Value::BigInt(n) => Ok(n),
        Value::Decimal(d) => integral(d.mantissa, d.scale),
        Value::Money(m) => integral(i128::from(m), 4),
        Value::Real(_) | Value::Float(_) => {
            let f = float_of(v).unwrap_or(f64::NAN);
            if f.fract() != 0.0 || !f.is_finite() {
                return Err("the value is not a whole number".into());
            }
            // 2^63 is exact in f64; the cast is exact inside the range.
            if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
                return Err("Arithmetic overflow".into());
            }
            Ok(f as i64)
        }
        _ => Err(format!(
            "a {} value is not a number",
            crate::value::text::kind_name(v)
        )),
    }
}

/// A value for a `real`/`float` column.
pub fn to_f64(v: &Value) -> Result<f64, String> {
    let f = match *v {
        Value::Real(_) | Value::Float(_) => float_of(v).unwrap_or(f64::NAN),
        Value::Decimal(d) => decimal_to_f64(d.mantissa, d.scale),
        Value::Money(m) => decimal_to_f64(i128::from(m), 4),
        // Up to 2^53 exactly; beyond, the nearest double, as SQL Server converts.
        _ => to_i64(v)? as f64,
    };
    if !f.is_finite() {
        return Err(format!("{f} is not a number SQL Server can store"));
    }
    Ok(f)
}

/// A mantissa at `scale` for a `decimal(precision, scale)` column.
pub fn to_decimal(v: &Value, precision: u8, scale: u8) -> Result<i128, String> {
    let m = match *v {
        Value::Decimal(d) => rescale(d.mantissa, d.scale, scale),
        Value::Money(m) => rescale(i128::from(m), 4, scale),
        Value::Real(f) => Some(float_to_decimal(f64::from(f), scale)?),
        Value::Float(f) => Some(float_to_decimal(f, scale)?),
        _ => rescale(i128::from(to_i64(v)?), 0, scale),
    };
    match m {
        Some(m) if fits_precision(m, precision) => Ok(m),
        _ => Err(format!(
            "Arithmetic overflow: more than {} digits before the decimal point",
            precision.saturating_sub(scale)
        )),
    }
}

/// Value × 10^4 for a `money` column (range checks for `smallmoney` are the caller's).
pub fn to_money(v: &Value) -> Result<i64, String> {
    let m = match *v {
        Value::Money(m) => return Ok(m),
        Value::Decimal(d) => rescale(d.mantissa, d.scale, 4),
        Value::Real(f) => Some(float_to_decimal(f64::from(f), 4)?),
        Value::Float(f) => Some(float_to_decimal(f, 4)?),
        _ => rescale(i128::from(to_i64(v)?), 0, 4),
    };
    m.and_then(|m| i64::try_from(m).ok())
        .ok_or_else(|| "Arithmetic overflow: out of the money range".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Decimal;

    #[test]
    fn rescale_rounds_half_away_from_zero() {
        assert_eq!(rescale(12_345, 3, 2), Some(1_235));
        assert_eq!(rescale(-12_345, 3, 2), Some(-1_235));
        assert_eq!(rescale(12_344, 3, 2), Some(1_234));
        assert_eq!(rescale(5, 1, 0), Some(1));
        assert_eq!(rescale(-5, 1, 0), Some(-1));
        assert_eq!(rescale(4, 1, 0), Some(0));
        assert_eq!(rescale(7, 0, 3), Some(7_000));
        assert_eq!(rescale(i128::MAX, 0, 1), None);
        assert_eq!(rescale(i128::MAX, 60, 0), Some(0));
    }

    #[test]
    fn parses_decimal_text_exactly() {
        assert_eq!(parse_decimal("12.3456", 4), Ok(123_456));
        assert_eq!(parse_decimal(" -0.5 ", 2), Ok(-50));
        assert_eq!(parse_decimal("+.125", 2), Ok(13));
        assert_eq!(parse_decimal("-.125", 2), Ok(-13));
        assert_eq!(parse_decimal("7.", 0), Ok(7));
        assert_eq!(
            parse_decimal("0000000000000000000000000000000000000000001", 0),
            Ok(1)
        );
        let max = "9".repeat(38);
        assert_eq!(parse_decimal(&max, 0), Ok(10i128.pow(38) - 1));
        assert_eq!(
            parse_decimal(&"9".repeat(39), 0),
            Err(DecimalTextError::Overflow)
        );
        for bad in ["", ".", "-", "1e5", "1,5", "1.2.3", "0x10", "- 1", "١"] {
            assert_eq!(
                parse_decimal(bad, 2),
                Err(DecimalTextError::Syntax),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn formats_every_scale_digit() {
        assert_eq!(format_decimal(123_456, 4), "12.3456");
        assert_eq!(format_decimal(-50, 2), "-0.50");
        assert_eq!(format_decimal(0, 3), "0.000");
        assert_eq!(format_decimal(-7, 0), "-7");
        assert_eq!(
            format_decimal(i128::MIN, 38),
            "-1.70141183460469231731687303715884105728"
        );
    }

    #[test]
    fn money_from_a_float_rounds_instead_of_truncating() {
        assert_eq!(to_money(&Value::Float(-2270.9954)), Ok(-22_709_954));
        assert_eq!(to_money(&Value::Real(0.1)), Ok(1_000));
        assert_eq!(to_money(&Value::Int(1)), Ok(10_000));
        assert!(to_money(&Value::Float(1e300)).is_err());
        assert!(to_money(&Value::Float(f64::NAN)).is_err());
    }

    #[test]
    fn decimals_fit_or_overflow() {
        let d = |mantissa, scale| Value::Decimal(Decimal { mantissa, scale });
        assert_eq!(to_decimal(&d(123_456, 4), 18, 2), Ok(1_235));
        assert_eq!(to_decimal(&Value::Int(-5), 5, 2), Ok(-500));
        assert!(to_decimal(&Value::Int(1_000), 5, 2).is_err());
        // 99.995 rounds to 100.00: five digits, too many for decimal(4,2).
        assert!(to_decimal(&d(99_995, 3), 4, 2).is_err());
        assert_eq!(to_decimal(&d(99_995, 3), 5, 2), Ok(10_000));
    }

    #[test]
    fn integers_refuse_fractions_and_overflow() {
        assert_eq!(
            to_i64(&Value::Decimal(Decimal {
                mantissa: 500,
                scale: 2
            })),
            Ok(5)
        );
        assert!(to_i64(&Value::Decimal(Decimal {
            mantissa: 501,
            scale: 2
        }))
        .is_err());
        assert!(to_i64(&Value::Float(0.5)).is_err());
        assert!(to_i64(&Value::Float(9.3e18)).is_err());
        assert_eq!(to_i64(&Value::Float(-(2f64.powi(63)))), Ok(i64::MIN));
        assert_eq!(to_i64(&Value::Money(-20_000)), Ok(-2));
        assert!(to_i64(&Value::String("1".into())).is_err());
        assert_eq!(
            to_f64(&Value::Decimal(Decimal {
                mantissa: 1,
                scale: 1
            })),
            Ok(0.1)
        );
    }
}
