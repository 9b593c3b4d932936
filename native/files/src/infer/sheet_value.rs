//! Spreadsheet cells as the values the text parsers would give, so a sheet column and a
//! text column of the same data infer and convert alike.

use super::cell_text::CellText;
use super::parse::{parse_number, Number, Temporal, TemporalKind, TextValue};
use crate::field::{DateKind, SheetDateTime};
use crate::Field;

/// A spreadsheet cell as the value the text parsers would give: integral numbers are
/// integers, other numbers are exact decimals when their shortest form has at most 15
/// significant digits (what a double holds exactly), else floats.
pub(crate) fn sheet_value(field: Field<'_>, text: Option<CellText>) -> TextValue {
    match field {
        Field::Int(v) => TextValue::Number(Number::Int(v)),
        Field::Float(v) => TextValue::Number(sheet_number(v, text)),
        Field::Bool(b) => TextValue::Bool(b),
        // SQL Server has no interval type: an elapsed time stays its `[h]:mm:ss` text.
        Field::DateTime(dt) if dt.kind == DateKind::Duration => TextValue::Text,
        Field::DateTime(dt) => TextValue::Temporal(sheet_temporal(dt)),
        Field::Empty | Field::Text(_) | Field::Error(_) => TextValue::Text,
    }
}

/// Largest integer a double holds exactly (2^53).
const EXACT_DOUBLE_INT: f64 = 9_007_199_254_740_992.0;

pub(crate) fn sheet_number(v: f64, text: Option<CellText>) -> Number {
    if v.fract() == 0.0 && v.abs() <= EXACT_DOUBLE_INT {
        return Number::Int(v as i64);
    }
    match text.as_ref().map(CellText::as_str).and_then(parse_number) {
        Some(
            n @ Number::Decimal {
                int_digits, scale, ..
            },
        ) if u32::from(int_digits) + u32::from(scale) <= 15 => n,
        _ => Number::Float(v),
    }
}

/// A date-formatted cell as a temporal value; fraction digits are those its time needs,
/// at most 7 (a cell's time is a fraction of a day in a double, finer than 100 ns is noise).
pub(crate) fn sheet_temporal(dt: SheetDateTime) -> Temporal {
    let kind = match dt.kind {
        DateKind::Date => TemporalKind::Date,
        DateKind::DateTime => TemporalKind::DateTime,
        DateKind::Time | DateKind::Duration => TemporalKind::Time,
    };
    let nanos = dt.nanos % super::parse::calendar::NANOS_PER_DAY;
    let frac = (nanos % 1_000_000_000) / 100;
    let frac_digits = if frac == 0 {
        0
    } else {
        let mut trailing = 0u8;
        let mut f = frac;
        while f.is_multiple_of(10) {
            f /= 10;
            trailing += 1;
        }
        7 - trailing
    };
    Temporal::from_parts(kind, dt.days, nanos - nanos % 100, frac_digits)
}
