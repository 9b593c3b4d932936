//! Comparing values the way SQL Server does under the default case-insensitive collation:
//! numbers by value across types, strings ignoring case and trailing blanks, mixed operands
//! after converting the lower-precedence side, `NULL` as unknown. Also `LIKE` matching.

use super::convert::cast;
use super::datetime::{Instant, TICKS_PER_DAY};
use super::error::SqlError;
use super::numeric::{num_of, rescale, Num};
use super::type_decl::{base_name, is_character};
use super::typed::Typed;
use std::cmp::Ordering;
use tds::types::SqlType;
use tds::value::Value;

/// The date/time type a string is converted to when compared with `ty`.
fn numeric_target(ty: &SqlType) -> SqlType {
    match ty {
        SqlType::Real | SqlType::Float => SqlType::Float,
        SqlType::Decimal { .. }
        | SqlType::Numeric { .. }
        | SqlType::Money
        | SqlType::SmallMoney => SqlType::Numeric {
            precision: 38,
            scale: 10,
        },
        SqlType::Bit => SqlType::Bit,
        _ => SqlType::BigInt,
    }
}

fn compare_nums(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Float(_), _) | (_, Num::Float(_)) => a.to_f64().partial_cmp(&b.to_f64()),
        _ => {
            let (m1, s1) = match a {
                Num::Int(i) => (i, 0),
                Num::Dec { m, s } => (m, s),
                Num::Float(_) => return None,
            };
            let (m2, s2) = match b {
                Num::Int(i) => (i, 0),
                Num::Dec { m, s } => (m, s),
                Num::Float(_) => return None,
            };
            let s = s1.max(s2);
            match (rescale(m1, s1, s), rescale(m2, s2, s)) {
                (Some(x), Some(y)) => Some(x.cmp(&y)),
                _ => a.to_f64().partial_cmp(&b.to_f64()),
            }
        }
    }
}

/// Strings compare case-insensitively with trailing blanks ignored.
pub(crate) fn compare_text(a: &str, b: &str) -> Ordering {
    let x = a.trim_end_matches(' ').to_lowercase();
    let y = b.trim_end_matches(' ').to_lowercase();
    x.cmp(&y)
}

/// The instant in UTC ticks, so that datetimeoffset values compare by the moment they denote.
fn utc_ticks(v: &Value) -> Option<i128> {
    let i = Instant::from_value(v)?;
    Some(
        i128::from(i.days) * i128::from(TICKS_PER_DAY) + i128::from(i.ticks)
            - i128::from(i.offset_minutes) * 600_000_000,
    )
}

/// SQL Server orders uniqueidentifiers by the last group first (bytes 10–15, 8–9, 6–7, 4–5,
/// then 0–3).
fn guid_key(g: &[u8; 16]) -> [u8; 16] {
    let order = [10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3];
    let mut k = [0u8; 16];
    for (slot, i) in k.iter_mut().zip(order) {
        *slot = g[i];
    }
    k
}

fn incompatible(a: &SqlType, b: &SqlType) -> SqlError {
    SqlError::new(
        402,
        16,
        1,
        format!(
            "The data types {} and {} are incompatible in the comparison operator.",
            base_name(a),
            base_name(b)
        ),
    )
}

/// Compares two values; `Ok(None)` when either is NULL.
pub(crate) fn compare(a: &Typed, b: &Typed) -> Result<Option<Ordering>, SqlError> {
    if a.is_null() || b.is_null() {
        return Ok(None);
    }
    let (a_text, b_text) = (is_character(&a.ty), is_character(&b.ty));
    // A string meets a non-string: convert it to the other side's type family.
    if a_text != b_text {
        let (s, other, flipped) = if a_text { (a, b, false) } else { (b, a, true) };
        let target = if other.ty.is_temporal() || other.ty == SqlType::UniqueIdentifier {
            other.ty
        } else if num_of(&other.value).is_some() {
            numeric_target(&other.ty)
        } else {
            return Err(incompatible(&a.ty, &b.ty));
        };
        let converted = cast(s, &target)?;
        let ord = compare(&converted, other)?;
        return Ok(if flipped {
            ord.map(Ordering::reverse)
        } else {
            ord
        });
    }
    Ok(match (&a.value, &b.value) {
        (Value::String(x), Value::String(y)) => Some(compare_text(x, y)),
        (Value::Binary(x), Value::Binary(y)) => Some(x.cmp(y)),
        (Value::Guid(x), Value::Guid(y)) => Some(guid_key(x).cmp(&guid_key(y))),
        (x, y) => {
            if let (Some(n), Some(m)) = (num_of(x), num_of(y)) {
                compare_nums(n, m)
            } else if let (Some(t), Some(u)) = (utc_ticks(x), utc_ticks(y)) {
                Some(t.cmp(&u))
            } else {
                return Err(incompatible(&a.ty, &b.ty));
            }
        }
    })
}

/// `value LIKE pattern` with `%`, `_`, `[set]`, `[^set]` and an optional escape character,
/// case-insensitively. Iterative, so hostile patterns cost at most len(value) × len(pattern).
pub(crate) fn like(value: &str, pattern: &str, escape: Option<char>) -> bool {
    #[derive(Debug)]
    enum Tok {
        Any,
        One,
        Lit(char),
        Set(Vec<(char, char)>, bool),
    }
    let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
    let mut toks = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if Some(c) == escape {
            if let Some(n) = chars.next() {
                toks.push(Tok::Lit(lower(n)));
            }
            continue;
        }
        match c {
            '%' => toks.push(Tok::Any),
            '_' => toks.push(Tok::One),
            '[' => {
                let mut body = Vec::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == ']' && !body.is_empty() {
                        closed = true;
                        break;
                    }
                    body.push(lower(n));
                }
                if !closed {
                    toks.push(Tok::Lit('['));
                    toks.extend(body.into_iter().map(Tok::Lit));
                    continue;
                }
                let negated = body.first() == Some(&'^');
                let items = if negated { &body[1..] } else { &body[..] };
                let mut ranges = Vec::new();
                let mut i = 0;
                while i < items.len() {
                    if i + 2 < items.len() && items[i + 1] == '-' {
                        ranges.push((items[i], items[i + 2]));
                        i += 3;
                    } else {
                        ranges.push((items[i], items[i]));
                        i += 1;
                    }
                }
                toks.push(Tok::Set(ranges, negated));
            }
            other => toks.push(Tok::Lit(lower(other))),
        }
    }
    let n = toks.len();
    // `Any` matches the empty string: extend every reachable state across following `%`s.
    let closure = |states: &mut Vec<bool>| {
        for (j, t) in toks.iter().enumerate() {
            if states[j] && matches!(t, Tok::Any) {
                states[j + 1] = true;
            }
        }
    };
    // cur[j]: the characters read so far can match the first j tokens.
    let mut cur = vec![false; n + 1];
    cur[0] = true;
    closure(&mut cur);
    for c in value.chars().map(lower) {
        let mut next = vec![false; n + 1];
        for (j, t) in toks.iter().enumerate() {
            if !cur[j] {
                continue;
            }
            match t {
                Tok::Any => next[j] = true,
                Tok::One => next[j + 1] = true,
                Tok::Lit(l) if *l == c => next[j + 1] = true,
                Tok::Set(ranges, negated)
                    if ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated =>
                {
                    next[j + 1] = true
                }
                _ => {}
            }
        }
        closure(&mut next);
        cur = next;
    }
    cur[n]
}

#[cfg(test)]
mod tests {
    use super::*;
    use tds::value::Decimal;

    #[test]
    fn numbers_compare_across_types() {
        let a = Typed::int(2);
        let b = Typed::decimal(25, 2, 1);
        assert_eq!(compare(&a, &b).unwrap(), Some(Ordering::Less));
        let f = Typed::not_null(Value::Float(2.0), SqlType::Float);
        assert_eq!(compare(&a, &f).unwrap(), Some(Ordering::Equal));
        let d = Typed::not_null(
            Value::Decimal(Decimal {
                mantissa: 200,
                scale: 2,
            }),
            SqlType::Decimal {
                precision: 5,
                scale: 2,
            },
        );
        assert_eq!(compare(&a, &d).unwrap(), Some(Ordering::Equal));
    }

    #[test]
    fn strings_ignore_case_and_trailing_blanks() {
        let a = Typed::varchar_literal("Abc  ");
        let b = Typed::nvarchar_literal("aBC");
        assert_eq!(compare(&a, &b).unwrap(), Some(Ordering::Equal));
    }

    #[test]
    fn null_compares_unknown() {
        assert_eq!(compare(&Typed::null(), &Typed::int(1)).unwrap(), None);
    }

    #[test]
    fn like_patterns() {
        assert!(like("Hello", "h%", None));
        assert!(like("Hello", "%LL%", None));
        assert!(like("Hello", "H_llo", None));
        assert!(!like("Hello", "H_lo", None));
        assert!(like("b", "[a-c]", None));
        assert!(!like("b", "[^a-c]", None));
        assert!(like("50%", "50!%", Some('!')));
        assert!(!like("500", "50!%", Some('!')));
        assert!(like("", "%", None));
        assert!(like("abc", "%%c", None));
        assert!(!like("aaaa", "%a%b", None));
        assert!(!like(
            &"a".repeat(2000),
            &"%a".repeat(500).replace("%a%a", "%a%b"),
            None
        ));
    }
}
