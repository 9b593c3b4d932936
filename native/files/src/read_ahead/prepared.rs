//! The fields the reader thread converted (see `ReadAheadOptions::convert`): how a block keeps
//! them, and how the caller reads them back.

use crate::infer::{ConvertError, Converted};
use crate::Field;

/// One field converted on the reader thread.
#[derive(Debug, Clone, Copy)]
pub(super) enum Prepared {
    /// Not converted here: the caller converts the field.
    Unset,
    /// A value that borrows nothing.
    Value(Converted<'static>),
    /// Text: this range of the block's text.
    Text { start: usize, end: usize },
    /// The conversion failed: the block's error at this index.
    Failed(usize),
}

/// The current record's fields as the reader thread converted them, indexed by field: one
/// look-up per field, no call through the source per field.
#[derive(Clone, Copy)]
pub struct ConvertedRow<'a> {
    pub(super) prepared: &'a [Prepared],
    pub(super) text: &'a str,
    pub(super) errors: &'a [ConvertError],
}

impl<'a> ConvertedRow<'a> {
    /// Field `i` converted, or `None` where the reader thread left it to the caller.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Result<Converted<'a>, &'a ConvertError>> {
        match *self.prepared.get(i)? {
            Prepared::Unset => None,
            Prepared::Value(v) => Some(Ok(v)),
            Prepared::Text { start, end } => Some(Ok(Converted::Text(self.text.get(start..end)?))),
            Prepared::Failed(e) => self.errors.get(e).map(Err),
        }
    }
}

/// `v` as a value that borrows nothing, when it is one (text is kept as a range instead).
#[inline]
pub(super) fn detach(v: Converted<'_>) -> Option<Converted<'static>> {
    Some(match v {
        Converted::Null => Converted::Null,
        Converted::Int(n) => Converted::Int(n),
        Converted::Decimal { mantissa, scale } => Converted::Decimal { mantissa, scale },
        Converted::Float(f) => Converted::Float(f),
        Converted::Bool(b) => Converted::Bool(b),
        Converted::Date { days } => Converted::Date { days },
        Converted::DateTime { days, nanos } => Converted::DateTime { days, nanos },
        Converted::DateTimeOffset {
            days,
            nanos,
            offset_minutes,
        } => Converted::DateTimeOffset {
            days,
            nanos,
            offset_minutes,
        },
        Converted::Time { nanos } => Converted::Time { nanos },
        Converted::Guid(g) => Converted::Guid(g),
        Converted::CellText(cell) => Converted::CellText(match cell {
            Field::Int(v) => Field::Int(v),
            Field::Float(v) => Field::Float(v),
            Field::Bool(v) => Field::Bool(v),
            Field::DateTime(v) => Field::DateTime(v),
            Field::Empty | Field::Text(_) | Field::Error(_) => return None,
        }),
        Converted::Text(_) => return None,
    })
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
