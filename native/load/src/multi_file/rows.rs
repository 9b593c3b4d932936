//! Rows across files. The one inferrer sees every file's records with row numbers made
//! unique across the files (file k's rows are shifted past the last row of the files before
//! it); afterwards each row in the evidence is turned back into (file, row in that file).

use sluice_files::infer::{ColumnSchema, Evidence};
use sluice_files::{Field, ReadError, RowSource};

/// Where each file's rows start in the combined numbering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RowMap {
    /// `offsets[k]`: added to file k's row numbers. Strictly increasing.
    offsets: Vec<u64>,
    /// The combined number the next file starts after.
    next: u64,
}

impl RowMap {
    /// Starts file k; returns its offset.
    pub(crate) fn start_file(&mut self) -> u64 {
        self.offsets.push(self.next);
        self.next
    }

    /// Ends the current file, whose largest row number was `last_row`.
    pub(crate) fn end_file(&mut self, last_row: u64) {
        if let Some(&offset) = self.offsets.last() {
            self.next = self.next.max(offset.saturating_add(last_row));
        }
    }

    /// The file and its own row number for a combined row (0 stays 0: "no row").
    pub(crate) fn locate(&self, combined: u64) -> Option<(usize, u64)> {
        if combined == 0 {
            return None;
        }
        let k = self
            .offsets
            .partition_point(|&o| o < combined)
            .checked_sub(1)?;
        let offset = self.offsets.get(k)?;
        Some((k, combined - offset))
    }
}

/// A source whose fields are rearranged into the combined column order and whose row numbers
/// are shifted. Field `i` is the file's field `map[i]` (empty when the file lacks column `i`).
pub(crate) struct Combined<'a> {
    pub inner: &'a mut dyn RowSource,
    pub map: Vec<Option<usize>>,
    pub offset: u64,
}

impl RowSource for Combined<'_> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        self.inner.advance()
    }
    fn row_number(&self) -> u64 {
        self.offset.saturating_add(self.inner.row_number())
    }
    fn len(&self) -> usize {
        self.map.len()
    }
    fn field(&self, i: usize) -> Field<'_> {
        match self.map.get(i).copied().flatten() {
            Some(j) => self.inner.field(j),
            None => Field::Empty,
        }
    }
    fn bytes_read(&self) -> u64 {
        self.inner.bytes_read()
    }
}

/// Rewrites every row of `schema`'s evidence to the row in its own file, and names the file
/// in each widening's reason and in notes for the values quoted (longest, first non-ASCII,
/// the one that settled the date order). `names[k]` is file k's name as shown.
pub(crate) fn localise(schema: &mut ColumnSchema, rows: &RowMap, names: &[String]) {
    let e: &mut Evidence = &mut schema.evidence;
    let file = |k: usize| names.get(k).map_or("?", String::as_str);
    let local = |row: &mut u64| -> Option<usize> {
        let (k, r) = rows.locate(*row)?;
        *row = r;
        Some(k)
    };
    for w in &mut e.widenings {
        if let Some(k) = local(&mut w.row) {
            w.reason = format!("{} (in {})", w.reason, file(k));
        }
    }
    let mut notes = Vec::new();
    if let Some(k) = local(&mut e.longest_row) {
        notes.push(format!(
            "the longest value is in {}, row {}",
            file(k),
            e.longest_row
        ));
    }
    if let Some(x) = e.first_non_ascii.as_mut() {
        if let Some(k) = local(&mut x.row) {
            notes.push(format!(
                "the first non-ASCII value is in {}, row {}",
                file(k),
                x.row
            ));
        }
    }
    if let Some(x) = e.first_error.as_mut() {
        if let Some(k) = local(&mut x.row) {
            notes.push(format!(
                "the first error cell is in {}, row {}",
                file(k),
                x.row
            ));
        }
    }
    if let Some(x) = e.date_order.as_mut().and_then(|d| d.settled_by.as_mut()) {
        if let Some(k) = local(&mut x.row) {
            notes.push(format!(
                "the date order was settled in {}, row {}",
                file(k),
                x.row
            ));
        }
    }
    if let Some(d) = e.decimal.as_mut() {
        if let Some(k) = local(&mut d.integer_digits_row) {
            notes.push(format!(
                "the most integer digits are in {}, row {}",
                file(k),
                d.integer_digits_row
            ));
        }
        if let Some(k) = local(&mut d.scale_row) {
            notes.push(format!(
                "the most decimal places are in {}, row {}",
                file(k),
                d.scale_row
            ));
        }
    }
    if let Some(x) = e.fraction_digits_set_by.as_mut() {
        if let Some(k) = local(&mut x.row) {
            notes.push(format!(
                "the most fraction-of-second digits are in {}, row {}",
                file(k),
                x.row
            ));
        }
    }
    e.notes.extend(notes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_rows_map_back_to_each_file_and_its_row() {
        let mut m = RowMap::default();
        assert_eq!(m.start_file(), 0);
        m.end_file(11); // a.csv: lines 2–11
        assert_eq!(m.start_file(), 11);
        m.end_file(4); // b.csv: lines 2–4
        assert_eq!(m.start_file(), 15);
        m.end_file(0); // c.csv: empty
        assert_eq!(m.start_file(), 15);
        m.end_file(3);
        assert_eq!(m.locate(0), None);
        assert_eq!(m.locate(2), Some((0, 2)));
        assert_eq!(m.locate(11), Some((0, 11)));
        assert_eq!(m.locate(12), Some((1, 1)));
        assert_eq!(m.locate(15), Some((1, 4)));
        // c.csv had no rows: its offset equals d's, and d's rows go to the later file.
        assert_eq!(m.locate(16), Some((3, 1)));
        assert_eq!(m.locate(18), Some((3, 3)));
    }
}
