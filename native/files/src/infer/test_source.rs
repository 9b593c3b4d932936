//! A row source over records held in memory, for tests.

use crate::{Field, ReadError, RowSource};

/// Records of fields; row numbers start at `first_row` (2 for a file with a header).
pub struct VecSource<'a> {
    records: Vec<Vec<Field<'a>>>,
    first_row: u64,
    current: Option<usize>,
}

impl<'a> VecSource<'a> {
    pub fn new(records: Vec<Vec<Field<'a>>>, first_row: u64) -> Self {
        VecSource {
            records,
            first_row,
            current: None,
        }
    }

    /// Text records: `""` is [`Field::Empty`], anything else [`Field::Text`].
    pub fn text(rows: &[&[&'a str]], first_row: u64) -> Self {
        let records = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|s| {
                        if s.is_empty() {
                            Field::Empty
                        } else {
                            Field::Text(s)
                        }
                    })
                    .collect()
            })
            .collect();
        VecSource::new(records, first_row)
    }

    /// One text column.
    pub fn column(values: &[&'a str]) -> Self {
        let records = values
            .iter()
            .map(|s| {
                vec![if s.is_empty() {
                    Field::Empty
                } else {
                    Field::Text(s)
                }]
            })
            .collect();
        VecSource::new(records, 2)
    }
}

impl RowSource for VecSource<'_> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        let next = self.current.map_or(0, |c| c + 1);
        self.current = Some(next);
        Ok(next < self.records.len())
    }
    fn row_number(&self) -> u64 {
        self.first_row + self.current.unwrap_or(0) as u64
    }
    fn len(&self) -> usize {
        self.current
            .and_then(|c| self.records.get(c))
            .map_or(0, Vec::len)
    }
    fn field(&self, i: usize) -> Field<'_> {
        self.current
            .and_then(|c| self.records.get(c))
            .and_then(|r| r.get(i))
            .copied()
            .unwrap_or(Field::Empty)
    }
    fn bytes_read(&self) -> u64 {
        0
    }
}
