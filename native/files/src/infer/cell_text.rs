//! Spreadsheet cells written as text, in a buffer on the stack.
//!
//! A number cell in a character column is loaded as the text a user would type for it, and a
//! non-integral number cell is checked for an exact decimal reading through that same text
//! (Rust's shortest round-trip form: `0.1` stays `0.1`, not `0.1000000000000000055…`).

use std::fmt::{self, Write};

use super::parse::calendar::civil_from_days;
use crate::field::{DateKind, SheetDateTime};
use crate::Field;

/// Up to 64 bytes of text held inline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CellText {
    buf: [u8; 64],
    len: u8,
}

impl CellText {
    fn new() -> Self {
        CellText {
            buf: [0; 64],
            len: 0,
        }
    }
    /// The text.
    pub fn as_str(&self) -> &str {
        let bytes = self.buf.get(..usize::from(self.len)).unwrap_or_default();
        // Only `write_str` fills the buffer, and it copies whole `&str`s.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl Default for CellText {
    fn default() -> Self {
        CellText::new()
    }
}

impl fmt::Debug for CellText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Write for CellText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let start = usize::from(self.len);
        let end = start + s.len();
        let dst = self.buf.get_mut(start..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end as u8;
        Ok(())
    }
}

/// Writes a non-text cell as text; `None` for text, empty and error cells.
pub fn render_cell(field: Field<'_>) -> Option<CellText> {
    let mut out = CellText::new();
    let written = match field {
        Field::Int(v) => write!(out, "{v}"),
        // Plain digits up to 16 places, scientific beyond, so every double fits the buffer.
        Field::Float(v) if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-6) => write!(out, "{v:e}"),
        Field::Float(v) => write!(out, "{v}"),
        Field::Bool(true) => out.write_str("TRUE"),
        Field::Bool(false) => out.write_str("FALSE"),
        Field::DateTime(dt) => write_sheet_datetime(&mut out, dt),
        Field::Empty | Field::Text(_) | Field::Error(_) => return None,
    };
    written.ok().map(|()| out)
}

fn write_sheet_datetime(out: &mut CellText, dt: SheetDateTime) -> fmt::Result {
    let (y, m, d) = civil_from_days(dt.days);
    let secs = dt.nanos / 1_000_000_000;
    let frac = dt.nanos % 1_000_000_000;
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    match dt.kind {
        DateKind::Date => write!(out, "{y:04}-{m:02}-{d:02}"),
        DateKind::Time => write!(out, "{hh:02}:{mm:02}:{ss:02}"),
        DateKind::DateTime => write!(out, "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
        // Elapsed time as a spreadsheet shows `[h]:mm:ss`: hours run past 24.
        DateKind::Duration => {
            let hours = i64::from(dt.days) * 24 + hh as i64;
            write!(out, "{hours}:{mm:02}:{ss:02}")
        }
    }?;
    if frac != 0 && dt.kind != DateKind::Date {
        let text = format_args!("{frac:09}");
        let mut digits = CellText::new();
        digits.write_fmt(text)?;
        out.write_char('.')?;
        out.write_str(digits.as_str().trim_end_matches('0'))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: Field<'_>) -> String {
        render_cell(f).unwrap().as_str().to_string()
    }

    #[test]
    fn number_and_boolean_cells_render_as_typed() {
        assert_eq!(text(Field::Int(-42)), "-42");
        assert_eq!(text(Field::Float(0.1)), "0.1");
        assert_eq!(text(Field::Float(12.5)), "12.5");
        assert_eq!(text(Field::Bool(true)), "TRUE");
        assert_eq!(text(Field::Float(1e300)), "1e300");
        assert_eq!(text(Field::Float(-2.5e-9)), "-2.5e-9");
        assert!(render_cell(Field::Text("x")).is_none());
    }

    #[test]
    fn date_cells_render_in_iso_form() {
        let dt = |kind, days, nanos| Field::DateTime(SheetDateTime { days, nanos, kind });
        assert_eq!(text(dt(DateKind::Date, 19_787, 0)), "2024-03-05");
        let t = (14 * 3600 + 30 * 60) * 1_000_000_000 + 120_000_000;
        assert_eq!(
            text(dt(DateKind::DateTime, 19_787, t)),
            "2024-03-05 14:30:00.12"
        );
        assert_eq!(text(dt(DateKind::Time, 0, t)), "14:30:00.12");
    }
}
