//! Rows across files. The one inferrer sees every file's records with row numbers made
//! unique across the files (file k's rows are shifted past the last row of the files before
//! it); afterwards each row in the evidence is turned back into (file, row in that file).

use serde::{Deserialize, Serialize};
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
    /// Up to the last combined column this record has a field for: columns past the end of
    /// a short (ragged) record are missing, as they are when one file is inferred alone.
    fn len(&self) -> usize {
        width_of(&self.map, self.inner.len())
    }
    fn field(&self, i: usize) -> Field<'_> {
        match self.map.get(i).copied().flatten() {
            Some(j) => self.inner.field(j),
            None => Field::Empty,
        }
    }
    fn record_code_page(&self) -> Option<&'static encoding_rs::Encoding> {
        self.inner.record_code_page()
    }
    fn field_code_page_bytes(&self, i: usize) -> Option<&[u8]> {
        self.inner
            .field_code_page_bytes(self.map.get(i).copied().flatten()?)
    }
    fn raw_record(&self) -> Option<&[u8]> {
        self.inner.raw_record()
    }
    fn bytes_read(&self) -> u64 {
        self.inner.bytes_read()
    }
    fn resume_offset(&self) -> Option<u64> {
        self.inner.resume_offset()
    }
    /// The file's own fields, indexed as in the file (not in the combined order).
    #[inline]
    fn converted_row(&self) -> Option<sluice_files::read_ahead::ConvertedRow<'_>> {
        self.inner.converted_row()
    }
}

/// How many combined columns a record of `width` fields reaches: one past the last combined
/// column whose field it has.
pub(crate) fn width_of(map: &[Option<usize>], width: usize) -> usize {
    map.iter()
        .rposition(|j| j.is_some_and(|j| j < width))
        .map_or(0, |i| i + 1)
}

/// The file (an index into the run's files) each row quoted in a column's evidence is in,
/// for the rows whose evidence has no room for a file name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceFiles {
    pub longest: Option<usize>,
    pub first_non_ascii: Option<usize>,
    pub first_error: Option<usize>,
    pub date_order_settled: Option<usize>,
    pub integer_digits: Option<usize>,
    pub scale: Option<usize>,
    pub fraction_digits: Option<usize>,
}

/// Rewrites every row of `schema`'s evidence to the row in its own file, names the file in
/// each widening's reason (`… (in b.csv)`) and in notes for the other rows quoted, and
/// returns which file each of those rows is in. `names[k]` is file k's name as shown.
pub(crate) fn localise(
    schema: &mut ColumnSchema,
    rows: &RowMap,
    names: &[String],
) -> EvidenceFiles {
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
    let mut at = EvidenceFiles {
        longest: local(&mut e.longest_row),
        first_non_ascii: e.first_non_ascii.as_mut().and_then(|x| local(&mut x.row)),
        first_error: e.first_error.as_mut().and_then(|x| local(&mut x.row)),
        date_order_settled: e
            .date_order
            .as_mut()
            .and_then(|d| d.settled_by.as_mut())
            .and_then(|x| local(&mut x.row)),
        ..EvidenceFiles::default()
    };
    if let Some(d) = e.decimal.as_mut() {
        at.integer_digits = local(&mut d.integer_digits_row);
        at.scale = local(&mut d.scale_row);
    }
    at.fraction_digits = e
        .fraction_digits_set_by
        .as_mut()
        .and_then(|x| local(&mut x.row));
    let mut note = |what: &str, k: Option<usize>, row: Option<u64>| {
        if let (Some(k), Some(row)) = (k, row) {
            e.notes.push(format!("{what} is in {}, row {row}", file(k)));
        }
    };
    let rows_of = (
        e.longest_row,
        e.first_non_ascii.as_ref().map(|x| x.row),
        e.first_error.as_ref().map(|x| x.row),
        e.date_order
            .as_ref()
            .and_then(|d| d.settled_by.as_ref())
            .map(|x| x.row),
        e.decimal
            .as_ref()
            .map(|d| (d.integer_digits_row, d.scale_row)),
        e.fraction_digits_set_by.as_ref().map(|x| x.row),
    );
    note("the longest value", at.longest, Some(rows_of.0));
    note("the first non-ASCII value", at.first_non_ascii, rows_of.1);
    note("the first error cell", at.first_error, rows_of.2);
    note(
        "the value that settled the date order",
        at.date_order_settled,
        rows_of.3,
    );
    note(
        "the value with the most integer digits",
        at.integer_digits,
        rows_of.4.map(|d| d.0),
    );
    note(
        "the value with the most decimal places",
        at.scale,
        rows_of.4.map(|d| d.1),
    );
    note(
        "the value with the most fraction-of-second digits",
        at.fraction_digits,
        rows_of.5,
    );
    at
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
