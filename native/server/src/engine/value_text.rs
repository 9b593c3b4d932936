//! Values as text: for conversions to character types and for error messages.
//!
//! [`Value::to_text`] from the codec is the reference; the local formatting here covers only
//! the cases SQL Server's own conversions spell differently (money with 2 decimals in `CAST`,
//! integral floats without an exponent).

use tds::value::text::numeric::format_decimal;
use tds::value::Value;

/// Binary as `0x…` hex, as [`Value::to_text`] prints it.
pub(crate) fn hex_text(b: &[u8]) -> String {
    Value::Binary(b.to_vec()).to_text().unwrap_or_default()
}

/// A float as SQL Server prints it in text: integral values without a fraction, otherwise
/// the shortest round-trip digits.
pub(crate) fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

/// The value as text for conversion to a character type. Money keeps 2 decimals, as
/// `CAST(money AS varchar)` does with the default style.
pub(crate) fn value_as_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::Bit(b) => if *b { "1" } else { "0" }.to_string(),
        Value::TinyInt(n) => n.to_string(),
        Value::SmallInt(n) => n.to_string(),
        Value::Int(n) => n.to_string(),
        Value::BigInt(n) => n.to_string(),
        Value::Real(f) => float_text(f64::from(*f)),
        Value::Float(f) => float_text(*f),
        Value::Money(m) => {
            let cents = (i128::from(*m) + if *m < 0 { -50 } else { 50 }) / 100;
            format_decimal(cents, 2)
        }
        other => other.to_text()?,
    })
}

/// The value as SQL Server shows it inside messages (duplicate keys, truncated values).
pub(crate) fn display_value(v: &Value) -> String {
    match v {
        Value::Money(m) => format_decimal(i128::from(*m), 4),
        Value::Null => "NULL".to_string(),
        other => value_as_text(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tds::value::Decimal;

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(
            value_as_text(&Value::Decimal(Decimal {
                mantissa: 12345,
                scale: 2
            }))
            .unwrap(),
            "123.45"
        );
        assert_eq!(
            value_as_text(&Value::Decimal(Decimal {
                mantissa: -5,
                scale: 3
            }))
            .unwrap(),
            "-0.005"
        );
        assert_eq!(
            value_as_text(&Value::Decimal(Decimal {
                mantissa: 7,
                scale: 0
            }))
            .unwrap(),
            "7"
        );
    }

    #[test]
    fn money_converts_with_two_decimals_and_shows_four() {
        assert_eq!(value_as_text(&Value::Money(125_050)).unwrap(), "12.51");
        assert_eq!(display_value(&Value::Money(125_050)), "12.5050");
    }

    #[test]
    fn guids_and_binaries_are_upper_case() {
        let g = [
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD,
            0xEE, 0xFF,
        ];
        assert_eq!(
            value_as_text(&Value::Guid(g)).unwrap(),
            "00112233-4455-6677-8899-AABBCCDDEEFF"
        );
        assert_eq!(hex_text(&[0x0a, 0xff]), "0x0AFF");
    }

    #[test]
    fn floats_drop_an_integral_fraction() {
        assert_eq!(float_text(1e10), "10000000000");
        assert_eq!(float_text(2.5), "2.5");
    }
}
