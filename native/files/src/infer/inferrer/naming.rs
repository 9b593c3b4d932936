//! Naming columns after the fact, for runs whose columns become known as they go: several
//! files read into one schema, where a later file may bring a new column.

use super::{ColumnState, Inferrer};

impl Inferrer {
    /// Sets the header names. Names the finished schema gives its columns, and that the flag
    /// rule (`is_*`, `*_flag` …) reads, so call it before [`Inferrer::finish`]. A name beyond
    /// the columns seen so far adds a column with every record so far missing there.
    pub fn name_columns(&mut self, names: Vec<String>) {
        while self.columns.len() < names.len() {
            self.columns
                .push(ColumnState::new(&self.options, self.rows));
        }
        self.header = names;
    }
}

#[cfg(test)]
mod tests {
    use crate::infer::{InferOptions, Inferrer, SqlType};
    use crate::Field;

    #[test]
    fn names_set_after_the_records_name_the_columns_and_drive_the_flag_rule() {
        let mut inf = Inferrer::new(InferOptions::default(), None);
        inf.observe_fields(1, &[Field::Text("0"), Field::Text("1")]);
        inf.observe_fields(2, &[Field::Text("1"), Field::Text("0")]);
        inf.name_columns(vec!["is_active".into(), "count".into(), "later".into()]);
        let s = inf.finish();
        let got: Vec<(&str, SqlType, bool)> = s
            .iter()
            .map(|c| (c.name.as_str(), c.sql_type, c.nullable))
            .collect();
        assert_eq!(got[0], ("is_active", SqlType::Bit, false));
        assert_eq!(got[1], ("count", SqlType::Int, false));
        assert_eq!(got[2].0, "later");
        assert!(
            got[2].2,
            "a column no record had is all missing, so nullable"
        );
        assert_eq!(s[2].evidence.missing, 2);
    }
}
