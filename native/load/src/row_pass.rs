//! The load pass, on a worker thread: each record's fields are converted with the column's rule
//! (the inference's own parsing functions) and encoded straight into the bulk session's packet
//! buffer; a row that fails is cut off again and goes to the reject file. No per-field String,
//! no row object: fields borrow the reader's buffer, values live on the stack.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bytes::BytesMut;
use sluice_client::bulk::{BulkEncoder, SourcePosition};
use sluice_files::infer::cell_text::CellText;
use sluice_files::infer::{convert, ColumnRule, ConvertError, Converted};
use sluice_files::read_ahead::ConvertedRow;
use sluice_files::{Field, RowSource};
use tds::bulk::{encode_cell, BulkColumn, Cell, CellError};
use tokio::runtime::Handle;

use crate::cell::{code_page_cell, to_cell};
use crate::mapping::{TargetColumn, ValueSource};
use crate::progress::ReadCounters;
use crate::reject_file::{RejectWriter, Rejected};
use crate::source::render_csv;
use crate::{LoadError, LoadErrorKind};

/// Where converted rows go.
pub enum Sink<'a> {
    /// The bulk session's encoder (its plan's columns are the target columns, in order).
    Session {
        encoder: &'a mut BulkEncoder,
        rt: Handle,
    },
    /// A dry run against the table's columns: encoded into a scratch buffer, then dropped.
    Scratch {
        columns: &'a [BulkColumn],
        buf: BytesMut,
    },
    /// A dry run for a table not created yet: converted only.
    ConvertOnly,
}

/// How the pass ended.
#[derive(Debug, PartialEq, Eq)]
pub enum PassEnd {
    /// Every record was read.
    Done,
    /// The runner stopped (failure or cancel): its outcome says why.
    SessionStopped,
    Cancelled,
}

pub struct Pass<'a> {
    pub columns: &'a [TargetColumn],
    pub counters: &'a ReadCounters,
    pub cancel: &'a Arc<AtomicBool>,
    pub rejects: Option<&'a mut RejectWriter>,
    /// Rows that may be rejected; one more stops the load.
    pub max_errors: u64,
    /// Rows rejected so far (all files).
    pub rejected: u64,
    /// Data records to read and drop first (a resumed load's committed part).
    pub skip: u64,
    /// Data records read so far, skipped ones included: the position the journal records.
    pub record: u64,
    /// Per target column, the field of the file being read that feeds it (`None`: a
    /// constant, or a column the file lacks): where its value is in a [`ConvertedRow`].
    pub file_fields: Vec<Option<usize>>,
}

impl Pass<'_> {
    /// Reads `src` to its end into `sink`. Returns how it ended and the file's (read, rejected).
    pub fn run(
        &mut self,
        src: &mut dyn RowSource,
        sink: &mut Sink<'_>,
    ) -> Result<(PassEnd, u64, u64), LoadError> {
        let (mut read, mut rejected) = (0u64, 0u64);
        let mut raw_copy = Vec::new();
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                return Ok((PassEnd::Cancelled, read, rejected));
            }
            if !src.advance().map_err(crate::source::read_error)? {
                if self.skip > 0 {
                    return Err(LoadError::input(format!(
                        "--resume: the file ended {} record(s) before the part already committed did",
                        self.skip
                    )));
                }
                break;
            }
            self.record += 1;
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            read += 1;
            if let Sink::Session { encoder, .. } = sink {
                // Where a resume goes on if this row's batch is the last to commit.
                encoder.set_source_position(SourcePosition {
                    next_row: self.record + 1,
                    next_offset: src.resume_offset(),
                });
            }
            let result = match sink {
                Sink::Session { encoder, .. } => {
                    let fields = &self.file_fields;
                    encoder.encode_row(|plan, buf| {
                        fill(self.columns, fields, &plan.columns, &*src, buf)
                    })
                }
                Sink::Scratch { columns, buf } => {
                    buf.clear();
                    fill(self.columns, &self.file_fields, columns, &*src, buf)
                }
                Sink::ConvertOnly => convert_only(self.columns, &self.file_fields, &*src),
            };
            if let Err(e) = result {
                rejected += 1;
                self.rejected += 1;
                self.counters.rows_rejected.fetch_add(1, Ordering::Relaxed);
                if self.rejected > self.max_errors {
                    let limit = if self.max_errors == 0 {
                        "the load stops at the first bad row (--max-errors N skips up to N)"
                            .to_string()
                    } else {
                        format!("more than --max-errors {} rows rejected", self.max_errors)
                    };
                    return Err(LoadError::input(format!(
                        "row {}: {e} (value {:?}); {limit}",
                        src.row_number(),
                        e.value
                    )));
                }
                if let Some(w) = self.rejects.as_deref_mut() {
                    let raw = match src.raw_record() {
                        Some(r) => r,
                        None => {
                            raw_copy.clear();
                            render_csv(&*src, &mut raw_copy);
                            &raw_copy
                        }
                    };
                    w.write(&Rejected {
                        raw,
                        row: src.row_number(),
                        column: &e.column,
                        value: &e.value,
                        error: &e.reason,
                    })?;
                }
            }
            self.counters.rows_read.fetch_add(1, Ordering::Relaxed);
            if read.is_multiple_of(1024) {
                self.counters
                    .bytes_read
                    .store(src.bytes_read(), Ordering::Relaxed);
            }
            if let Sink::Session { encoder, rt } = sink {
                if encoder.has_backlog() && rt.block_on(encoder.flush()).is_err() {
                    return Ok((PassEnd::SessionStopped, read, rejected));
                }
            }
        }
        self.counters
            .bytes_read
            .store(src.bytes_read(), Ordering::Relaxed);
        Ok((PassEnd::Done, read, rejected))
    }
}

#[inline]
fn field<'s>(tc: &'s TargetColumn, src: &'s dyn RowSource) -> Field<'s> {
    match &tc.source {
        ValueSource::Field(i) => src.field(*i),
        ValueSource::Constant(text) => Field::Text(text),
    }
}

/// A field that did not convert: the reader thread's error, or one made here. Small, so that
/// the `Result` a field's value travels in stays the size of the value (a `CellError`, three
/// `String`s, is made only for the row that failed).
enum Failed<'s> {
    Ahead(&'s ConvertError),
    Here(Box<ConvertError>),
}

#[cold]
#[inline(never)]
fn failed(tc: &TargetColumn, f: Failed<'_>) -> CellError {
    let e = match &f {
        Failed::Ahead(e) => *e,
        Failed::Here(e) => &**e,
    };
    CellError {
        column: tc.name.clone(),
        value: e.value.clone(),
        reason: e.to_string(),
    }
}

/// Converts and encodes one row's cells, in target order, into `buf`.
#[inline]
fn fill(
    columns: &[TargetColumn],
    file_fields: &[Option<usize>],
    wire: &[BulkColumn],
    src: &dyn RowSource,
    buf: &mut BytesMut,
) -> Result<(), CellError> {
    // Where a spreadsheet cell bound for a character column is written as text.
    let mut scratch = CellText::default();
    // Asked once a row: most records offer no code-page bytes (UTF-8 files, ASCII records).
    let code_page = src.record_code_page();
    let ahead = src.converted_row();
    for (k, (tc, col)) in columns.iter().zip(wire).enumerate() {
        let v = match value(tc, file_fields.get(k).copied().flatten(), ahead, src) {
            Ok(v) => v,
            Err(f) => return Err(failed(tc, f)),
        };
        // Text the file holds in a single-byte code page goes as those bytes (copied as they
        // are into a varchar of that page, transcoded once into any other column).
        let cell = match (v, &tc.source, code_page) {
            (Converted::Text(t), &ValueSource::Field(i), Some(encoding)) if !t.is_empty() => {
                code_page_cell(src, i, encoding).unwrap_or(Cell::Text(t))
            }
            _ => to_cell(v, &mut scratch),
        };
        encode_cell(col, cell, buf)?;
    }
    Ok(())
}

/// The column's value in the current record: converted already by the read-ahead thread (its
/// file field `file_field` in `ahead`), or converted here — the same `convert` under the same
/// rule either way.
#[inline]
fn value<'s>(
    tc: &'s TargetColumn,
    file_field: Option<usize>,
    ahead: Option<ConvertedRow<'s>>,
    src: &'s dyn RowSource,
) -> Result<Converted<'s>, Failed<'s>> {
    let field = match ahead.zip(file_field) {
        Some((row, j)) => match row.get(j) {
            Some(Ok(v)) => return Ok(v),
            Some(Err(e)) => return Err(Failed::Ahead(e)),
            // Left to this thread: the field from the block, without a call through `src`.
            None => row.field(j),
        },
        None => field(tc, src),
    };
    convert(field, &tc.rule).map_err(Failed::Here)
}

/// Per target column, the field of the file (`map`: combined column → the file's field) that
/// feeds it, for [`Pass::file_fields`].
pub fn file_fields(columns: &[TargetColumn], map: &[Option<usize>]) -> Vec<Option<usize>> {
    columns
        .iter()
        .map(|tc| match tc.source {
            ValueSource::Field(c) => map.get(c).copied().flatten(),
            ValueSource::Constant(_) => None,
        })
        .collect()
}

/// Per field of a file, the rule the read-ahead thread converts it by: the rule of the one
/// target column it feeds (`file_fields`, from [`file_fields`]). A field feeding no column, or
/// several with other rules, is left to the pass.
pub fn rules_by_field(
    columns: &[TargetColumn],
    file_fields: &[Option<usize>],
) -> Vec<Option<ColumnRule>> {
    let mut rules: Vec<Option<ColumnRule>> = Vec::new();
    let mut mixed = Vec::new();
    for (tc, j) in columns.iter().zip(file_fields) {
        let Some(j) = *j else {
            continue;
        };
        if rules.len() <= j {
            rules.resize(j + 1, None);
        }
        match rules.get_mut(j) {
            Some(slot @ None) if !mixed.contains(&j) => *slot = Some(tc.rule.clone()),
            Some(slot) if slot.as_ref() != Some(&tc.rule) => {
                *slot = None;
                mixed.push(j);
            }
            _ => {}
        }
    }
    rules
}

fn convert_only(
    columns: &[TargetColumn],
    file_fields: &[Option<usize>],
    src: &dyn RowSource,
) -> Result<(), CellError> {
    let ahead = src.converted_row();
    for (k, tc) in columns.iter().enumerate() {
        let v = value(tc, file_fields.get(k).copied().flatten(), ahead, src)
            .map_err(|f| failed(tc, f))?;
        if matches!(v, Converted::Null) && !tc.nullable {
            return Err(CellError {
                column: tc.name.clone(),
                value: "NULL".into(),
                reason: "NULL into a NOT NULL column".into(),
            });
        }
    }
    Ok(())
}

/// The error for a cancelled pass.
pub fn cancelled() -> LoadError {
    LoadError::new(LoadErrorKind::Cancelled, "the load was cancelled")
}

#[cfg(test)]
#[path = "row_pass_tests.rs"]
mod tests;
