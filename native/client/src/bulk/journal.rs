//! The load journal: each batch commits together with one row naming it, in one transaction,
//! so that a batch whose answer was lost can be looked up instead of guessed.
//!
//! Per batch, with a journal, the runner sends
//! `BEGIN TRAN` · `INSERT BULK …` + the rows · `INSERT INTO [schema].[sluice_load_journal]
//! (load_id, batch, first_row, last_row, source_end_offset, rows, committed_at) VALUES (…);
//! COMMIT TRAN`. The batch's rows and its journal row are durable together or not at all, so:
//! - a failure before the COMMIT request went out leaves nothing of the batch (SQL Server rolls
//!   back a transaction whose connection closes; the runner rolls back itself when the
//!   connection is still usable) — the batch is *failed*, never in doubt;
//! - when the COMMIT request went out and its answer never came, the batch is *in doubt* until
//!   [`read_journal`] on a new connection says whether its row is there.
//!
//! The cost is two more round trips per batch and one small INSERT (measured in the report of
//! issue 11: see `native/load/src/journal.rs`).

use crate::connection::Connection;
use crate::error::Error;
use tds::bulk::quote_identifier;
use tds::value::Value;

/// The journal table's default name.
pub const JOURNAL_TABLE: &str = "sluice_load_journal";

/// Where a batch ended in its source: what a resume needs to start after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourcePosition {
    /// 1-based number of the next data record (rows rejected on the way included).
    pub next_row: u64,
    /// Byte offset in the source where the next record starts, when the source knows it.
    pub next_offset: Option<u64>,
}

/// What makes a load journaled (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalSpec {
    /// Schema of the journal table (the target's schema, usually `dbo`).
    pub schema: String,
    /// The journal table's name, [`JOURNAL_TABLE`] unless changed.
    pub table: String,
    /// Names this load across runs (a resume keeps it).
    pub load_id: String,
    /// Batches committed by earlier runs of the load: this run's first batch is numbered one
    /// more.
    pub batches_before: u64,
    /// The source row this run starts at (1-based): the first batch's `first_row`.
    pub first_row: u64,
    /// The caller created the journal table just before (a load checks it can before it
    /// changes anything): the runner does not send the `CREATE` again.
    pub table_ready: bool,
}

impl JournalSpec {
    pub fn new(schema: &str, load_id: &str) -> Self {
        JournalSpec {
            schema: schema.to_string(),
            table: JOURNAL_TABLE.to_string(),
            load_id: load_id.to_string(),
            batches_before: 0,
            first_row: 1,
            table_ready: false,
        }
    }

    /// `[schema].[table]`, quoted.
    pub fn qualified_table(&self) -> String {
        format!(
            "{}.{}",
            quote_identifier(&self.schema),
            quote_identifier(&self.table)
        )
    }

    /// Creates the journal table unless it exists.
    pub fn create_sql(&self) -> String {
        let name = self.qualified_table();
        format!(
            "IF OBJECT_ID({}, N'U') IS NULL CREATE TABLE {name} (load_id nvarchar(100) NOT NULL, \
             batch bigint NOT NULL, first_row bigint NOT NULL, last_row bigint NOT NULL, \
             source_end_offset bigint NULL, rows bigint NOT NULL, committed_at datetime2(3) NOT NULL, \
             PRIMARY KEY (load_id, batch))",
            literal(&name)
        )
    }

    /// The journal row of one batch, then the COMMIT that makes it durable with the rows —
    /// or, if the row could not be written (a duplicate batch number, say), the ROLLBACK: rows
    /// never commit without their journal row.
    pub(crate) fn record_and_commit_sql(&self, e: &JournalEntry) -> String {
        format!(
            "INSERT INTO {} (load_id, batch, first_row, last_row, source_end_offset, rows, committed_at) \
             VALUES ({}, {}, {}, {}, {}, {}, SYSUTCDATETIME()); \
             IF @@ERROR = 0 COMMIT TRAN ELSE ROLLBACK TRAN",
            self.qualified_table(),
            literal(&self.load_id),
            e.batch,
            e.first_row,
            e.last_row,
            e.source_end_offset
                .map_or_else(|| "NULL".to_string(), |o| o.to_string()),
            e.rows
        )
    }
}

/// Called on the runner's task with each batch's journal row once its COMMIT was answered:
/// where a caller keeps its own record of the load (the state file).
pub type CommitCallback = Box<dyn FnMut(&JournalEntry) + Send + 'static>;

/// A journal as one run of a load uses it.
pub struct JournalRun {
    pub spec: JournalSpec,
    pub on_commit: Option<CommitCallback>,
    /// Called with the batch's journal row before it and the COMMIT are sent (the caller
    /// makes durable what a resume needs to read that row); an error stops the load with the
    /// batch rolled back.
    pub before_commit: Option<BeforeCommit>,
}

/// See [`JournalRun::before_commit`].
pub type BeforeCommit = Box<dyn FnMut(&JournalEntry) -> std::io::Result<()> + Send + 'static>;

impl JournalRun {
    pub fn new(spec: JournalSpec) -> Self {
        JournalRun {
            spec,
            on_commit: None,
            before_commit: None,
        }
    }
}

/// One journal row: a batch that committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalEntry {
    /// The load's batch number (earlier runs' batches included).
    pub batch: u64,
    /// Source rows `first_row..=last_row` (1-based) went into this batch or were rejected.
    pub first_row: u64,
    pub last_row: u64,
    /// Where the record after `last_row` starts, when the source knows.
    pub source_end_offset: Option<u64>,
    /// Rows the batch loaded.
    pub rows: u64,
}

impl JournalEntry {
    /// Where the source goes on after this batch.
    pub fn next_position(&self) -> SourcePosition {
        SourcePosition {
            next_row: self.last_row + 1,
            next_offset: self.source_end_offset,
        }
    }
}

/// `N'…'` with quotes doubled.
fn literal(s: &str) -> String {
    format!("N'{}'", s.replace('\'', "''"))
}

fn as_u64(v: &Value, what: &str) -> Result<Option<u64>, Error> {
    match v {
        Value::Null => Some(None),
        Value::Int(n) => u64::try_from(*n).ok().map(Some),
        Value::BigInt(n) => u64::try_from(*n).ok().map(Some),
        _ => None,
    }
    .ok_or_else(|| Error::Unsupported(format!("the load journal's {what} is {v:?}")))
}

/// The journal rows of `load_id`, by batch; empty when the journal table does not exist.
pub async fn read_journal(
    conn: &mut Connection,
    schema: &str,
    table: &str,
    load_id: &str,
) -> Result<Vec<JournalEntry>, Error> {
    let spec = JournalSpec {
        table: table.to_string(),
        ..JournalSpec::new(schema, load_id)
    };
    let name = spec.qualified_table();
    let sql = format!(
        "IF OBJECT_ID({}, N'U') IS NOT NULL SELECT batch, first_row, last_row, source_end_offset, rows \
         FROM {name} WHERE load_id = {} ORDER BY batch",
        literal(&name),
        literal(load_id)
    );
    let r = conn.execute(&sql).await?;
    let mut out = Vec::new();
    for set in &r.result_sets {
        for row in &set.rows {
            let [batch, first, last, offset, rows] = row.as_slice() else {
                return Err(Error::Unsupported(format!(
                    "the load journal returned {} columns, not 5",
                    row.len()
                )));
            };
            let need = |v: &Value, what: &str| {
                as_u64(v, what)?
                    .ok_or_else(|| Error::Unsupported(format!("the load journal's {what} is NULL")))
            };
            out.push(JournalEntry {
                batch: need(batch, "batch")?,
                first_row: need(first, "first_row")?,
                last_row: need(last, "last_row")?,
                source_end_offset: as_u64(offset, "source_end_offset")?,
                rows: need(rows, "rows")?,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_are_quoted() {
        let spec = JournalSpec {
            table: "j]ournal".into(),
            ..JournalSpec::new("s'x", "id';DROP TABLE t;--")
        };
        assert_eq!(spec.qualified_table(), "[s'x].[j]]ournal]");
        let sql = spec.record_and_commit_sql(&JournalEntry {
            batch: 3,
            first_row: 2001,
            last_row: 3000,
            source_end_offset: None,
            rows: 998,
        });
        assert!(
            sql.contains("VALUES (N'id'';DROP TABLE t;--', 3, 2001, 3000, NULL, 998,"),
            "{sql}"
        );
        assert!(spec
            .create_sql()
            .contains("OBJECT_ID(N'[s''x].[j]]ournal]', N'U')"));
    }
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod server_tests;
