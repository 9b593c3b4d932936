//! A1-style cell references and ranges (`B3`, `A1:H400`), as the user types them.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Excel's sheet limits (ECMA-376 Part 1, 18.3.1.73 and 18.3.1.13): 1,048,576 rows, 16,384
/// columns (`XFD`).
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLUMNS: u32 = 16_384;

/// A rectangle of cells, 0-based and inclusive on both ends (calamine's convention). Displayed
/// and parsed in A1 notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub struct CellRange {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl CellRange {
    /// True when the 0-based cell lies inside.
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_col..=self.last_col).contains(&col)
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        (self.last_col - self.first_col) as usize + 1
    }

    /// The overlap of two ranges, if any.
    pub fn intersect(&self, other: &CellRange) -> Option<CellRange> {
        let r = CellRange {
            first_row: self.first_row.max(other.first_row),
            first_col: self.first_col.max(other.first_col),
            last_row: self.last_row.min(other.last_row),
            last_col: self.last_col.min(other.last_col),
        };
        (r.first_row <= r.last_row && r.first_col <= r.last_col).then_some(r)
    }
}

/// Why a range did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a cell range like A1:H400 (columns A to XFD, rows 1 to 1048576, top-left first)"
)]
pub struct BadRange(pub String);

impl FromStr for CellRange {
    type Err = BadRange;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadRange(s.to_string());
        let (a, b) = s.trim().split_once(':').ok_or_else(bad)?;
        let (first_row, first_col) = parse_cell(a).ok_or_else(bad)?;
        let (last_row, last_col) = parse_cell(b).ok_or_else(bad)?;
        if first_row > last_row || first_col > last_col {
            return Err(bad());
        }
        Ok(CellRange {
            first_row,
            first_col,
            last_row,
            last_col,
        })
    }
}

/// `B3` (optionally `$B$3`) into 0-based (row, column).
pub fn parse_cell(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('$');
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let (col_part, rest) = s.split_at(letters);
    let row_part = rest.strip_prefix('$').unwrap_or(rest);
    if row_part.is_empty() || row_part.len() > 7 || !row_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = col_part.bytes().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row: u32 = row_part.parse().ok()?;
    if col == 0 || col > MAX_COLUMNS || row == 0 || row > MAX_ROWS {
        return None;
    }
    Some((row - 1, col - 1))
}

/// Column letters of a 0-based column (`0` → `A`, `27` → `AB`).
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A1 name of a 0-based cell.
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

impl fmt::Display for CellRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}",
            cell_name(self.first_row, self.first_col),
            cell_name(self.last_row, self.last_col)
        )
    }
}

impl From<CellRange> for String {
    fn from(r: CellRange) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_in_a1_notation_to_zero_based_corners() {
        let r: CellRange = "A1:H400".parse().unwrap();
        assert_eq!(
            (r.first_row, r.first_col, r.last_row, r.last_col),
            (0, 0, 399, 7)
        );
        let r: CellRange = "$b$3:aa10".parse().unwrap();
        assert_eq!(
            (r.first_row, r.first_col, r.last_row, r.last_col),
            (2, 1, 9, 26)
        );
        assert_eq!(r.to_string(), "B3:AA10");
        assert_eq!(r.width(), 26);
    }

    #[test]
    fn malformed_or_reversed_ranges_are_refused() {
        for bad in [
            "",
            "A1",
            "A0:B2",
            "1A:B2",
            "H400:A1",
            "A1:XFE1",
            "A1:A1048577",
            "é1:B2",
        ] {
            assert!(bad.parse::<CellRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn column_names_of_any_u32_do_not_overflow() {
        assert_eq!(column_name(u32::MAX), "MWLQKWV");
    }

    #[test]
    fn column_names_round_trip() {
        for (col, name) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (701, "ZZ"),
            (16_383, "XFD"),
        ] {
            assert_eq!(column_name(col), name);
            assert_eq!(parse_cell(&format!("{name}1")), Some((0, col)));
        }
    }
}
