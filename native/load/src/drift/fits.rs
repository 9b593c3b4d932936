//! Does what the file holds now still fit the type the template expects? Decided on the
//! inferred type and, where the type alone would be too coarse, on the values' own figures
//! (an `int` column whose values all lie in 0–200 fits `tinyint`; one whose longest value
//! has 12 characters fits `varchar(20)`). A `true` here means every value the inference saw
//! converts into the expected type with `sluice_files::infer::convert`.

use sluice_files::infer::SqlType;

use super::FoundColumn;

/// True when every value of `found` converts into `expected`. Unknown types (a header only)
/// fit.
pub(crate) fn fits(found: &FoundColumn, expected: SqlType) -> bool {
    use SqlType::*;
    let Some(f) = found.sql_type else {
        return true;
    };
    if f == expected {
        return true;
    }
    match (f, expected) {
        // Text into text: lengths compare (`None` is max); varchar's ASCII fits nvarchar.
        (VarChar(a), VarChar(b)) | (VarChar(a), NVarChar(b)) | (NVarChar(a), NVarChar(b)) => {
            length_fits(a.map(u64::from), b)
        }
        // Typed values as written (ASCII: numbers, dates, GUIDs) into text.
        (_, VarChar(n) | NVarChar(n)) if !f.is_text() => length_fits(Some(found.max_length), n),
        (TinyInt | SmallInt | Int | BigInt, TinyInt | SmallInt | Int | BigInt | Bit) => {
            let (lo, hi) = integer_range(expected);
            match found.integer_bounds() {
                Some((min, max)) => lo <= min && max <= hi,
                None => {
                    let (flo, fhi) = integer_range(f);
                    lo <= flo && fhi <= hi
                }
            }
        }
        (TinyInt | SmallInt | Int | BigInt, Decimal { precision, scale }) => {
            let digits = match found.integer_bounds() {
                Some((min, max)) => digits(min).max(digits(max)),
                None => type_digits(f),
            };
            u32::from(precision.saturating_sub(scale)) >= digits
        }
        (
            Decimal {
                precision: p1,
                scale: s1,
            },
            Decimal {
                precision: p2,
                scale: s2,
            },
        ) => s1 <= s2 && p1.saturating_sub(s1) <= p2.saturating_sub(s2),
        (TinyInt | SmallInt | Int | BigInt | Decimal { .. }, Float) => true,
        (Date, DateTime2(_) | DateTimeOffset(_)) => true,
        (DateTime2(a), DateTime2(b) | DateTimeOffset(b))
        | (DateTimeOffset(a), DateTimeOffset(b))
        | (Time(a), Time(b)) => a <= b,
        _ => false,
    }
}

fn length_fits(found: Option<u64>, expected: Option<u32>) -> bool {
    match (found, expected) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a <= u64::from(b),
    }
}

fn integer_range(t: SqlType) -> (i128, i128) {
    match t {
        SqlType::Bit => (0, 1),
        SqlType::TinyInt => (0, 255),
        SqlType::SmallInt => (i16::MIN.into(), i16::MAX.into()),
        SqlType::Int => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    }
}

fn type_digits(t: SqlType) -> u32 {
    match t {
        SqlType::TinyInt => 3,
        SqlType::SmallInt => 5,
        SqlType::Int => 10,
        _ => 19,
    }
}

/// Decimal digits of `v` without its sign (1 for zero).
fn digits(v: i128) -> u32 {
    v.unsigned_abs().checked_ilog10().map_or(1, |d| d + 1)
}
