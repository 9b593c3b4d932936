//! The fields the reader thread converted (see `ReadAheadOptions::convert`): how a block keeps
//! them, and how the caller reads them back.
//!
//! A converted field is kept as four plain words, each written and read whole. Kept as an
//! enum, every copy moved the whole union, and the bytes another variant had left half-written
//! made the copies wait on store-to-load forwarding: the main cost of the hand-over.

use crate::field::DateKind;
use crate::infer::{ConvertError, Converted};
use crate::{Field, SheetDateTime};

/// What a [`Prepared`] holds (its `kind` word).
mod kind {
    pub const UNSET: u64 = 0;
    pub const NULL: u64 = 1;
    pub const INT: u64 = 2;
    pub const DECIMAL: u64 = 3;
    pub const FLOAT: u64 = 4;
    pub const BOOL: u64 = 5;
    pub const DATE: u64 = 6;
    pub const DATETIME: u64 = 7;
    pub const DATETIMEOFFSET: u64 = 8;
    pub const TIME: u64 = 9;
    pub const GUID: u64 = 10;
    pub const CELL_INT: u64 = 11;
    pub const CELL_FLOAT: u64 = 12;
    pub const CELL_BOOL: u64 = 13;
    pub const CELL_DATETIME: u64 = 14;
    pub const TEXT: u64 = 15;
    pub const FAILED: u64 = 16;
}

/// One field converted on the reader thread (or left to the caller: `UNSET`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Prepared {
    kind: u64,
    a: u64,
    b: u64,
    c: u64,
}

impl Prepared {
    /// Not converted here: the caller converts the field.
    pub(super) const UNSET: Prepared = Prepared::of(kind::UNSET, 0, 0, 0);

    #[inline]
    const fn of(kind: u64, a: u64, b: u64, c: u64) -> Prepared {
        Prepared { kind, a, b, c }
    }

    /// Text: this range of the block's text.
    #[inline]
    pub(super) fn text(start: usize, end: usize) -> Prepared {
        Prepared::of(kind::TEXT, start as u64, end as u64, 0)
    }

    /// The conversion failed: the block's error at this index.
    #[inline]
    pub(super) fn failed(index: usize) -> Prepared {
        Prepared::of(kind::FAILED, index as u64, 0, 0)
    }

    /// `v`, when it borrows nothing (text is kept as a range instead: [`Prepared::text`]).
    #[inline]
    pub(super) fn value(v: Converted<'_>) -> Option<Prepared> {
        let i = |n: i64| n as u64;
        Some(match v {
            Converted::Null => Prepared::of(kind::NULL, 0, 0, 0),
            Converted::Int(n) => Prepared::of(kind::INT, i(n), 0, 0),
            Converted::Decimal { mantissa, scale } => Prepared::of(
                kind::DECIMAL,
                mantissa as u64,
                (mantissa >> 64) as u64,
                u64::from(scale),
            ),
            Converted::Float(f) => Prepared::of(kind::FLOAT, f.to_bits(), 0, 0),
            Converted::Bool(b) => Prepared::of(kind::BOOL, u64::from(b), 0, 0),
            Converted::Date { days } => Prepared::of(kind::DATE, i(days.into()), 0, 0),
            Converted::DateTime { days, nanos } => {
                Prepared::of(kind::DATETIME, i(days.into()), nanos, 0)
            }
            Converted::DateTimeOffset {
                days,
                nanos,
                offset_minutes,
            } => Prepared::of(
                kind::DATETIMEOFFSET,
                i(days.into()),
                nanos,
                i(offset_minutes.into()),
            ),
            Converted::Time { nanos } => Prepared::of(kind::TIME, nanos, 0, 0),
            Converted::Guid(g) => {
                let (lo, hi) = g.split_at(8);
                let word = |b: &[u8]| b.try_into().map_or(0, u64::from_le_bytes);
                Prepared::of(kind::GUID, word(lo), word(hi), 0)
            }
            Converted::CellText(Field::Int(n)) => Prepared::of(kind::CELL_INT, i(n), 0, 0),
            Converted::CellText(Field::Float(f)) => {
                Prepared::of(kind::CELL_FLOAT, f.to_bits(), 0, 0)
            }
            Converted::CellText(Field::Bool(b)) => {
                Prepared::of(kind::CELL_BOOL, u64::from(b), 0, 0)
            }
            Converted::CellText(Field::DateTime(d)) => Prepared::of(
                kind::CELL_DATETIME,
                i(d.days.into()),
                d.nanos,
                match d.kind {
                    DateKind::Date => 0,
                    DateKind::DateTime => 1,
                    DateKind::Time => 2,
                    DateKind::Duration => 3,
                },
            ),
            Converted::CellText(Field::Empty | Field::Text(_) | Field::Error(_))
            | Converted::Text(_) => return None,
        })
    }

    /// The field as converted, its text in `text` and its error in `errors`; `None` where the
    /// reader thread left it to the caller.
    #[inline]
    fn get<'a>(
        self,
        text: &'a str,
        errors: &'a [ConvertError],
    ) -> Option<Result<Converted<'a>, &'a ConvertError>> {
        let Prepared { kind, a, b, c } = self;
        let (ia, ic) = (a as i64, c as i64);
        let days = ia as i32;
        Some(Ok(match kind {
            kind::NULL => Converted::Null,
            kind::INT => Converted::Int(ia),
            kind::DECIMAL => Converted::Decimal {
                mantissa: (i128::from(b as i64) << 64) | i128::from(a),
                scale: c as u8,
            },
            kind::FLOAT => Converted::Float(f64::from_bits(a)),
            kind::BOOL => Converted::Bool(a != 0),
            kind::DATE => Converted::Date { days },
            kind::DATETIME => Converted::DateTime { days, nanos: b },
            kind::DATETIMEOFFSET => Converted::DateTimeOffset {
                days,
                nanos: b,
                offset_minutes: ic as i16,
            },
            kind::TIME => Converted::Time { nanos: a },
            kind::GUID => {
                let mut g = [0u8; 16];
                let (lo, hi) = g.split_at_mut(8);
                lo.copy_from_slice(&a.to_le_bytes());
                hi.copy_from_slice(&b.to_le_bytes());
                Converted::Guid(g)
            }
            kind::CELL_INT => Converted::CellText(Field::Int(ia)),
            kind::CELL_FLOAT => Converted::CellText(Field::Float(f64::from_bits(a))),
            kind::CELL_BOOL => Converted::CellText(Field::Bool(a != 0)),
            kind::CELL_DATETIME => Converted::CellText(Field::DateTime(SheetDateTime {
                days,
                nanos: b,
                kind: match c {
                    0 => DateKind::Date,
                    1 => DateKind::DateTime,
                    2 => DateKind::Time,
                    _ => DateKind::Duration,
                },
            })),
            kind::TEXT => Converted::Text(text.get(a as usize..b as usize)?),
            kind::FAILED => return errors.get(a as usize).map(Err),
            _ => return None,
        }))
    }
}

/// The current record's fields as the reader thread converted them, indexed by field: one
/// look-up per field, no call through the source per field.
#[derive(Clone, Copy)]
pub struct ConvertedRow<'a> {
    pub(super) prepared: &'a [Prepared],
    /// The record's fields as read, one slot per field (as `prepared`).
    pub(super) cells: &'a [super::Slot],
    pub(super) text: &'a str,
    pub(super) errors: &'a [ConvertError],
}

impl<'a> ConvertedRow<'a> {
    /// Field `i` converted, or `None` where the reader thread left it to the caller.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Result<Converted<'a>, &'a ConvertError>> {
        self.prepared.get(i)?.get(self.text, self.errors)
    }

    /// Field `i` of the record as read (`Field::Empty` past its end): for the fields the
    /// reader thread left to the caller, without a call through the source.
    #[inline]
    pub fn field(&self, i: usize) -> Field<'a> {
        self.cells
            .get(i)
            .map_or(Field::Empty, |slot| slot.field(self.text))
    }
}

/// Where `part` (a slice of `text`) lies in `text`.
#[inline]
pub(super) fn range_in(text: &str, part: &str) -> Option<(usize, usize)> {
    if part.is_empty() {
        return Some((0, 0));
    }
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= text.len()).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of value comes back exactly as it went in, edges included.
    #[test]
    fn every_value_comes_back_as_it_went_in() {
        let values = [
            Converted::Null,
            Converted::Int(i64::MIN),
            Converted::Int(-1),
            Converted::Decimal {
                mantissa: -(10i128.pow(38)) + 1,
                scale: 38,
            },
            Converted::Decimal {
                mantissa: 10i128.pow(38) - 1,
                scale: 0,
            },
            Converted::Decimal {
                mantissa: -5,
                scale: 4,
            },
            Converted::Float(-0.0),
            Converted::Float(f64::MAX),
            Converted::Bool(true),
            Converted::Bool(false),
            Converted::Date { days: i32::MIN },
            Converted::Date { days: -1 },
            Converted::DateTime {
                days: i32::MAX,
                nanos: u64::MAX,
            },
            Converted::DateTimeOffset {
                days: -719_162,
                nanos: 86_399_999_999_999,
                offset_minutes: -840,
            },
            Converted::DateTimeOffset {
                days: 1,
                nanos: 0,
                offset_minutes: i16::MAX,
            },
            Converted::Time { nanos: 1 },
            Converted::Guid(*b"\x00\xff0123456789ab\x80\x7f"),
            Converted::CellText(Field::Int(i64::MAX)),
            Converted::CellText(Field::Float(f64::MIN_POSITIVE)),
            Converted::CellText(Field::Bool(true)),
            Converted::CellText(Field::DateTime(SheetDateTime {
                days: -3,
                nanos: 5,
                kind: DateKind::Duration,
            })),
            Converted::CellText(Field::DateTime(SheetDateTime {
                days: 45_000,
                nanos: 0,
                kind: DateKind::Date,
            })),
            Converted::CellText(Field::DateTime(SheetDateTime {
                days: 0,
                nanos: 3_600_000_000_000,
                kind: DateKind::Time,
            })),
            Converted::CellText(Field::DateTime(SheetDateTime {
                days: 45_000,
                nanos: 7,
                kind: DateKind::DateTime,
            })),
        ];
        for v in values {
            let p = Prepared::value(v).expect("borrows nothing");
            assert_eq!(p.get("", &[]), Some(Ok(v)), "{v:?}");
        }
        let text = "abcdef";
        assert_eq!(Prepared::value(Converted::Text(&text[1..3])), None);
        assert_eq!(
            Prepared::text(1, 3).get(text, &[]),
            Some(Ok(Converted::Text("bc")))
        );
        assert_eq!(Prepared::text(4, 9).get(text, &[]), None);
        assert_eq!(Prepared::UNSET.get(text, &[]), None);
        assert_eq!(Prepared::failed(0).get(text, &[]), None);
    }
}
