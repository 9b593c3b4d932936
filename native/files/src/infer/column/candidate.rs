//! The candidate types a column moves through, and how they are named in the evidence.

use crate::infer::parse::{Number, TemporalKind, TextValue};

/// The narrowest type family that holds every value seen so far.
/// Declared from narrow to wide, so `max` picks the wider of two date-time kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Candidate {
    /// No value yet (only NULLs).
    Unseen,
    Bool,
    /// An integer; its size class is [`ColumnState::int_class`].
    Int,
    Decimal,
    Float,
    Date,
    DateTime,
    DateTimeOffset,
    Time,
    Guid,
    Text,
}

/// Integer size classes: tinyint, smallint, int, bigint.
pub(crate) const INT_CLASS_NAMES: [&str; 4] = ["tinyint", "smallint", "int", "bigint"];

pub(super) fn int_class(v: i64) -> u8 {
    if (0..=255).contains(&v) {
        0
    } else if i16::try_from(v).is_ok() {
        1
    } else if i32::try_from(v).is_ok() {
        2
    } else {
        3
    }
}

pub(super) fn candidate_of(value: &TextValue) -> Candidate {
    match value {
        TextValue::Bool(_) => Candidate::Bool,
        TextValue::Number(Number::Int(_)) => Candidate::Int,
        TextValue::Number(Number::Decimal { .. }) => Candidate::Decimal,
        TextValue::Number(Number::Float(_)) => Candidate::Float,
        TextValue::Temporal(t) => candidate_of_kind(t.kind),
        TextValue::Guid(_) => Candidate::Guid,
        TextValue::Text => Candidate::Text,
    }
}

pub(super) fn candidate_of_kind(kind: TemporalKind) -> Candidate {
    match kind {
        TemporalKind::Date => Candidate::Date,
        TemporalKind::DateTime => Candidate::DateTime,
        TemporalKind::DateTimeOffset => Candidate::DateTimeOffset,
        TemporalKind::Time => Candidate::Time,
    }
}

pub(crate) fn candidate_name(cand: Candidate, int_class: u8) -> &'static str {
    match cand {
        Candidate::Unseen => "none",
        Candidate::Bool => "bit",
        Candidate::Int => INT_CLASS_NAMES
            .get(usize::from(int_class))
            .copied()
            .unwrap_or("bigint"),
        Candidate::Decimal => "decimal",
        Candidate::Float => "float",
        Candidate::Date => "date",
        Candidate::DateTime => "datetime2",
        Candidate::DateTimeOffset => "datetimeoffset",
        Candidate::Time => "time",
        Candidate::Guid => "uniqueidentifier",
        Candidate::Text => "text",
    }
}

pub(super) fn describe(value: &TextValue) -> &'static str {
    match value {
        TextValue::Bool(_) => "a boolean word",
        TextValue::Number(Number::Int(_)) => "an integer",
        TextValue::Number(Number::Decimal { scale: 0, .. }) => "an integer beyond bigint",
        TextValue::Number(Number::Decimal { .. }) => "a number with a fraction",
        TextValue::Number(Number::Float(_)) => {
            "a number in scientific notation or too long to be exact"
        }
        TextValue::Temporal(t) => match t.kind {
            TemporalKind::Date => "a date",
            TemporalKind::DateTime => "a date with a time of day",
            TemporalKind::DateTimeOffset => "a date-time with a UTC offset",
            TemporalKind::Time => "a time of day",
        },
        TextValue::Guid(_) => "a GUID",
        TextValue::Text => "not a number, boolean, date, time or GUID",
    }
}
