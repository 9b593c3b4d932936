//! Booleans as text.
//!
//! Words only: `true`/`false`, `yes`/`no`, `t`/`f` (PostgreSQL's `COPY` output) and `y`/`n`,
//! in any ASCII case. `0` and `1` are numbers here; whether a 0/1 column is a flag is decided
//! per column (see the `column` module's bit rule), and a `bit` column converts `0`/`1` too.

/// Reads a boolean word.
pub fn parse_bool_word(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    if b.len() > 5 {
        return None;
    }
    let mut lower = [0u8; 5];
    for (dst, src) in lower.iter_mut().zip(b) {
        *dst = src.to_ascii_lowercase();
    }
    match lower.get(..b.len())? {
        b"true" | b"yes" | b"t" | b"y" => Some(true),
        b"false" | b"no" | b"f" | b"n" => Some(false),
        _ => None,
    }
}

/// Reads a value of a `bit` column: a boolean word, or an integer 0 or 1 as the number rules
/// read it (so `+1` and `-0` too, which a 0/1 column may hold).
pub fn parse_bit(s: &str) -> Option<bool> {
    match s {
        "1" => Some(true),
        "0" => Some(false),
        _ => match super::parse_number(s) {
            Some(super::Number::Int(v @ (0 | 1))) => Some(v == 1),
            _ => parse_bool_word(s),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boolean_words_in_any_case_parse() {
        for s in ["true", "TRUE", "True", "yes", "YES", "t", "T", "y", "Y"] {
            assert_eq!(parse_bool_word(s), Some(true), "{s}");
        }
        for s in ["false", "FALSE", "no", "No", "f", "F", "n", "N"] {
            assert_eq!(parse_bool_word(s), Some(false), "{s}");
        }
    }

    #[test]
    fn other_words_and_digits_are_not_boolean_words() {
        for s in ["", "1", "0", "on", "off", "truex", "ye", "falsey", "ÿes"] {
            assert_eq!(parse_bool_word(s), None, "{s}");
        }
    }

    #[test]
    fn bit_values_accept_zero_and_one_as_well() {
        assert_eq!(parse_bit("1"), Some(true));
        assert_eq!(parse_bit("0"), Some(false));
        assert_eq!(parse_bit("no"), Some(false));
        assert_eq!(parse_bit("2"), None);
        assert_eq!(parse_bit("+1"), Some(true));
        assert_eq!(parse_bit("-0"), Some(false));
    }
}
