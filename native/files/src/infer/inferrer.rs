//! Whole-file inference: observe records from any [`RowSource`], then propose a schema.
//!
//! The caller drives the loop, so it can report progress ([`RowSource::bytes_read`]), cancel
//! between records, or stop after N records (`--sample N`):
//!
//! ```
//! # use sluice_files::infer::{Inferrer, InferOptions};
//! # use sluice_files::{RowSource, ReadError};
//! fn infer(src: &mut impl RowSource, names: Vec<String>) -> Result<(), ReadError> {
//!     let mut inferrer = Inferrer::new(InferOptions::default(), Some(names));
//!     while src.advance()? {
//!         inferrer.observe(src);
//!     }
//!     let schema = inferrer.finish();
//!     # let _ = schema;
//!     Ok(())
//! }
//! ```

use serde::Serialize;

use super::column::{ColumnState, InferOptions};
use super::convert::ColumnRule;
use super::evidence::Evidence;
use super::names::propose_names;
use super::sql_type::SqlType;
use crate::{Field, ReadError, RowSource};

mod naming;

/// One column of the proposed schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnSchema {
    /// The header's name as written (`columnN` without a header).
    pub name: String,
    /// A unique, valid SQL Server identifier for it.
    pub proposed_name: String,
    pub sql_type: SqlType,
    pub nullable: bool,
    pub evidence: Evidence,
    /// What the loader converts this column with (`rule.sql_type == sql_type`).
    #[serde(skip)]
    pub rule: ColumnRule,
}

/// Observes records and proposes a type per column.
#[derive(Debug, Clone)]
pub struct Inferrer {
    options: InferOptions,
    header: Vec<String>,
    columns: Vec<ColumnState>,
    rows: u64,
}

impl Inferrer {
    /// An inferrer for a file whose header names are `header` (`None`: no header). Feed it the
    /// data records only: the header record, if any, is not observed.
    pub fn new(options: InferOptions, header: Option<Vec<String>>) -> Self {
        let header = header.unwrap_or_default();
        let columns = header
            .iter()
            .map(|_| ColumnState::new(&options, 0))
            .collect();
        Inferrer {
            options,
            header,
            columns,
            rows: 0,
        }
    }

    /// Takes the source's current record. A record wider than any before adds columns (the
    /// earlier records count as missing there); a shorter one leaves its last columns missing.
    #[inline]
    pub fn observe<S: RowSource + ?Sized>(&mut self, src: &S) {
        let n = src.len();
        while self.columns.len() < n {
            self.columns
                .push(ColumnState::new(&self.options, self.rows));
        }
        let row = src.row_number();
        for (i, col) in self.columns.iter_mut().enumerate() {
            if i < n {
                col.observe(src.field(i), row, &self.options);
            } else {
                col.observe_missing();
            }
        }
        self.rows += 1;
    }

    /// Takes one record given as fields (for callers that hold records, such as a preview).
    pub fn observe_fields(&mut self, row: u64, fields: &[Field<'_>]) {
        while self.columns.len() < fields.len() {
            self.columns
                .push(ColumnState::new(&self.options, self.rows));
        }
        for (i, col) in self.columns.iter_mut().enumerate() {
            match fields.get(i) {
                Some(f) => col.observe(*f, row, &self.options),
                None => col.observe_missing(),
            }
        }
        self.rows += 1;
    }

    /// Advances `src` to its end, or through at most `limit` records, observing each.
    /// Returns the number of records observed.
    pub fn observe_all<S: RowSource + ?Sized>(
        &mut self,
        src: &mut S,
        limit: Option<u64>,
    ) -> Result<u64, ReadError> {
        let mut seen = 0;
        while limit.is_none_or(|l| seen < l) && src.advance()? {
            self.observe(src);
            seen += 1;
        }
        Ok(seen)
    }

    /// Records observed so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The proposed schema, one entry per column.
    pub fn finish(&self) -> Vec<ColumnSchema> {
        let names: Vec<String> = (0..self.columns.len())
            .map(|i| match self.header.get(i) {
                Some(h) => h.clone(),
                None => format!("column{}", i + 1),
            })
            .collect();
        let proposed = propose_names(&names);
        self.columns
            .iter()
            .zip(names)
            .zip(proposed)
            .map(|((col, name), proposed_name)| {
                let done = col.finish(&name, &self.options);
                ColumnSchema {
                    rule: ColumnRule {
                        sql_type: done.sql_type,
                        date_order: done.date_order,
                        nulls: self.options.nulls.clone(),
                    },
                    name,
                    proposed_name,
                    sql_type: done.sql_type,
                    nullable: done.nullable,
                    evidence: done.evidence,
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "inferrer_tests.rs"]
mod tests;
