//! The one set of parsing functions: inference decides a column's type with them, and the
//! loader converts values with them (through [`super::convert()`]), so a value the inference
//! accepted as, say, a day-first date is converted as that same date.
//!
//! Every function takes text already stripped of surrounding ASCII spaces by [`trim_spaces`]
//! (text columns keep their spaces; only typed readings ignore them) and never panics.

pub mod boolean;
pub mod calendar;
pub mod guid;
pub mod number;
pub mod temporal;

pub use boolean::{parse_bit, parse_bool_word};
pub use guid::parse_guid;
pub use number::{parse_number, Number};
pub use temporal::{parse_temporal, DateForm, DateOrder, OrderSet, Temporal, TemporalKind};

/// Removes leading and trailing ASCII spaces and tabs (`a, b` exports put one after a comma).
#[inline]
pub fn trim_spaces(s: &str) -> &str {
    let b = s.as_bytes();
    let edge = |c: Option<&u8>| matches!(c, Some(b' ' | b'\t'));
    if !edge(b.first()) && !edge(b.last()) {
        return s;
    }
    s.trim_matches(|c| c == ' ' || c == '\t')
}

/// What a piece of text reads as, trying the most specific readings first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextValue {
    Bool(bool),
    Number(Number),
    Temporal(Temporal),
    Guid([u8; 16]),
    /// None of the above.
    Text,
}

/// Reads `s` (already trimmed) as the most specific value it can be.
pub fn classify(s: &str) -> TextValue {
    let Some(&first) = s.as_bytes().first() else {
        return TextValue::Text;
    };
    if first.is_ascii_alphabetic() && s.len() <= 5 {
        if let Some(b) = parse_bool_word(s) {
            return TextValue::Bool(b);
        }
    }
    if first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.') {
        if let Some(n) = parse_number(s) {
            return TextValue::Number(n);
        }
    }
    if let Some(t) = parse_temporal(s, OrderSet::BOTH) {
        return TextValue::Temporal(t);
    }
    if let Some(g) = parse_guid(s) {
        return TextValue::Guid(g);
    }
    TextValue::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_picks_the_most_specific_reading() {
        assert_eq!(classify("yes"), TextValue::Bool(true));
        assert_eq!(classify("42"), TextValue::Number(Number::Int(42)));
        assert!(matches!(classify("2024-03-05"), TextValue::Temporal(_)));
        assert!(matches!(classify("14:30"), TextValue::Temporal(_)));
        assert!(matches!(
            classify("12345678-1234-1234-1234-123456789abc"),
            TextValue::Guid(_)
        ));
        assert_eq!(classify("007"), TextValue::Text);
        assert_eq!(classify("hello"), TextValue::Text);
        assert_eq!(classify(""), TextValue::Text);
    }

    #[test]
    fn trim_spaces_removes_only_spaces_and_tabs() {
        assert_eq!(trim_spaces("  42\t"), "42");
        assert_eq!(trim_spaces("\u{a0}42"), "\u{a0}42");
    }
}
