//! Resuming a load that stopped: find its state file, refuse a changed file or mapping, settle
//! the in-doubt batch from the journal, and say where the source goes on.
//!
//! The runner of `sluice load --resume` calls, in order:
//! 1. [`ResumePoint::load`]`(state_dir, file, target, mapping_sha256)` — `None` when nothing
//!    is recorded; an error naming what changed when the file or mapping did;
//! 2. [`ResumePoint::settle`]`(&mut conn)` — reads the journal (`SELECT … WHERE load_id = …`):
//!    a batch the journal has and the state file lacks (the in-doubt one, or one committed
//!    just before a crash) is recorded; the journal is the authority;
//! 3. skips [`ResumePoint::skip_records`] data records of the source
//!    ([`ResumePoint::skip`]: the records are read and dropped — the text reader cannot start
//!    at a byte offset yet, so resuming costs one pass over the committed part of the file at
//!    reader speed, ~0.3 s per million CSV rows; the offset is recorded for when it can);
//! 4. does not create the table again ([`ResumePoint::created_table`] says this load made it);
//! 5. loads the rest with [`ResumePoint::journal_spec`] (same load id, batch numbers and row
//!    numbers going on), recording each batch through `crate::journal::JournalRecorder`.

use crate::state_file::{CommittedBatch, FileIdentity, StateError, StateFile};
use sluice_client::bulk::{read_journal, JournalSpec};
use sluice_client::Connection;
use sluice_files::{ReadError, RowSource};
use std::path::{Path, PathBuf};

/// Why a load cannot be resumed.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    #[error("{}: cannot read it to check it is the file the load began with: {error}", path.display())]
    File {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} changed since the load began, so it cannot be resumed (start a new load without --resume): {}", path.display(), differences.join("; "))]
    FileChanged {
        path: PathBuf,
        differences: Vec<String>,
    },
    #[error("the mapping differs from the one the load began with, so it cannot be resumed (start a new load without --resume)")]
    MappingChanged,
    #[error("batch {batch} of the load is in doubt and the load kept no journal to settle it: check the table by hand (rows {first_row} and on of the file)")]
    InDoubtWithoutJournal { batch: u64, first_row: u64 },
    #[error("the journal of load {load_id} lists {journal} batch(es), the state file {recorded}: the journal table was changed or dropped; refusing to guess")]
    JournalBehind {
        load_id: String,
        journal: u64,
        recorded: u64,
    },
    #[error("reading the load journal: {0}")]
    Journal(sluice_client::Error),
    #[error(
        "the file has {found} data record(s), fewer than the {expected} the load already committed"
    )]
    SourceShorter { expected: u64, found: u64 },
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    State(#[from] StateError),
}

/// Where a recorded load goes on.
#[derive(Debug)]
pub struct ResumePoint {
    pub state: StateFile,
}

impl ResumePoint {
    /// The recorded load of `file` into `target`, checked against the file as it is now and
    /// the mapping's hash; `None` when nothing is recorded.
    pub fn load(
        state_dir: &Path,
        file: &Path,
        target: &str,
        mapping_sha256: &str,
    ) -> Result<Option<ResumePoint>, ResumeError> {
        let now = FileIdentity::of(file).map_err(|error| ResumeError::File {
            path: file.to_path_buf(),
            error,
        })?;
        let Some(state) = StateFile::open(&StateFile::path_for(state_dir, &now, target))? else {
            return Ok(None);
        };
        let differences = state.state.file.differences(&now);
        if !differences.is_empty() {
            return Err(ResumeError::FileChanged {
                path: file.to_path_buf(),
                differences,
            });
        }
        if state.state.mapping_sha256 != mapping_sha256 {
            return Err(ResumeError::MappingChanged);
        }
        if let (Some(batch), None) = (state.state.in_doubt_batch, &state.state.journal) {
            return Err(ResumeError::InDoubtWithoutJournal {
                batch,
                first_row: state.state.last_batch().map_or(1, |b| b.last_row + 1),
            });
        }
        Ok(Some(ResumePoint { state }))
    }

    /// Brings the record up to the journal: batches the journal holds that the state file
    /// lacks committed (the in-doubt batch among them, if it did). Returns how many were
    /// added. Without a journal there is nothing to settle.
    pub async fn settle(&mut self, conn: &mut Connection) -> Result<u64, ResumeError> {
        let Some(j) = self.state.state.journal.clone() else {
            return Ok(0);
        };
        let load_id = self.state.state.load_id.clone();
        let entries = read_journal(conn, &j.schema, &j.table, &load_id)
            .await
            .map_err(ResumeError::Journal)?;
        let recorded = self.state.state.batches.len() as u64;
        let missing = self
            .state
            .state
            .batches
            .iter()
            .any(|b| !entries.iter().any(|e| e.batch == b.batch));
        if missing {
            return Err(ResumeError::JournalBehind {
                load_id,
                journal: entries.len() as u64,
                recorded,
            });
        }
        let mut added = 0;
        for e in &entries {
            if !self.state.state.batches.iter().any(|b| b.batch == e.batch) {
                self.state.record_batch(CommittedBatch::from(e))?;
                added += 1;
            }
        }
        self.state.set_in_doubt(None)?;
        Ok(added)
    }

    pub fn load_id(&self) -> &str {
        &self.state.state.load_id
    }

    /// Data records already committed (or rejected inside committed batches): skip them.
    pub fn skip_records(&self) -> u64 {
        self.state.state.last_batch().map_or(0, |b| b.last_row)
    }

    /// Byte offset of the first record to load, when the reader recorded it.
    pub fn skip_to_offset(&self) -> Option<u64> {
        self.state.state.last_batch().and_then(|b| b.next_offset)
    }

    pub fn batches_committed(&self) -> u64 {
        self.state.state.last_batch().map_or(0, |b| b.batch)
    }

    /// The number of the resumed run's first batch.
    pub fn next_batch(&self) -> u64 {
        self.batches_committed() + 1
    }

    pub fn rows_committed(&self) -> u64 {
        self.state.state.rows_committed()
    }

    /// Rows rejected inside the committed batches: they count against `--max-errors` again.
    pub fn rows_rejected_committed(&self) -> u64 {
        self.state.state.rows_rejected_committed()
    }

    /// This load created the table: the resume must not create it again.
    pub fn created_table(&self) -> bool {
        self.state.state.created_table
    }

    /// The journal for the rest of the load: same id, numbering going on.
    pub fn journal_spec(&self) -> Option<JournalSpec> {
        let j = self.state.state.journal.as_ref()?;
        Some(JournalSpec {
            table: j.table.clone(),
            batches_before: self.batches_committed(),
            first_row: self.skip_records() + 1,
            ..JournalSpec::new(&j.schema, &self.state.state.load_id)
        })
    }

    /// Reads and drops the committed records from `source` (see the module docs for the cost).
    pub fn skip(&self, source: &mut impl RowSource) -> Result<(), ResumeError> {
        let expected = self.skip_records();
        for found in 0..expected {
            if !source.advance()? {
                return Err(ResumeError::SourceShorter { expected, found });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "resume_tests.rs"]
mod tests;
