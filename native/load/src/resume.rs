//! Resuming a load that stopped: find its state file, refuse a changed file, file list or
//! mapping, settle the in-doubt batch from the journal, and say where the source goes on.
//!
//! The runner of `sluice load --resume` calls, in order:
//! 1. [`ResumePoint::load`]`(state_dir, files, target, mapping_sha256)` — `None` when nothing
//!    is recorded; an error naming what changed when a file, the list of files or the mapping
//!    did;
//! 2. [`ResumePoint::settle`]`(&mut conn)` — reads the journal (`SELECT … WHERE load_id = …`):
//!    a batch the journal has and the state file lacks (the in-doubt one, or one committed
//!    just before a crash) is recorded; the journal is the authority;
//! 3. goes on at [`ResumePoint::resume_at`]: the files wholly committed are not read, and in
//!    the file where the load stopped the reader seeks to the recorded byte offset when it can
//!    (UTF-8 and single-byte text), else reads and drops the committed records;
//! 4. does not create the table again ([`ResumePoint::created_table`] says this load made it);
//! 5. loads the rest with [`ResumePoint::journal_spec`] (same load id, batch numbers and row
//!    numbers going on), recording each batch through `crate::journal::JournalRecorder`.
//!
//! # Several files
//! Records are numbered over all the files in order, and a journal row keeps that number only
//! (`last_row`, plus the byte offset of the next record in its file). The file a number falls
//! in comes from the record counts the state file holds for the files read to their end
//! ([`crate::state_file::FileRead`]): the load pass records a file's count before it reads the
//! next file, and the journal's `before_commit` hook writes the counts recorded so far to disk
//! before each batch's journal row and COMMIT are sent (a batch whose counts cannot be written
//! is rolled back). So when a batch commits whose last record is in file *k* — the in-doubt
//! batch too, known from its journal row — the counts of every file before *k* are already on
//! disk, and [`ResumeAt`] places the next record in exactly one file at one record (the offset
//! belongs to that file: it was taken from the same reader, at the same moment, as the record
//! number).

use crate::state_file::{CommittedBatch, FileIdentity, FileRead, StateError, StateFile};
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
    #[error("the load into {target} was recorded with {}; this command names {}: a resume needs the same files in the same order (or start a new load without --resume)", list(recorded), list(now))]
    FileListChanged {
        target: String,
        recorded: Vec<PathBuf>,
        now: Vec<PathBuf>,
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
        "the files have {found} data record(s), fewer than the {expected} the load already committed"
    )]
    SourceShorter { expected: u64, found: u64 },
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    State(#[from] StateError),
}

fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    match names.len() {
        1 => names.join(""),
        _ => format!("the files {} in that order", names.join(", ")),
    }
}

/// Where the resumed run goes on, in a load of one file or several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeAt {
    /// The file (index in the load's list) holding the first record not committed; the
    /// number of files when every record was.
    pub file: usize,
    /// Records of the files before it: the number, over all files, of its record 0.
    pub records_before: u64,
    /// Records of that file already committed (or rejected inside committed batches).
    pub skip: u64,
    /// Where its first record not committed starts, when the reader recorded it.
    pub offset: Option<u64>,
    /// For each file up to and including `file`: the records and rejected rows that earlier
    /// runs committed (for the file where it stopped, its committed part).
    pub committed: Vec<FileRead>,
}

/// Where a recorded load goes on.
#[derive(Debug)]
pub struct ResumePoint {
    pub state: StateFile,
}

impl ResumePoint {
    /// The recorded load of `files` (in this order) into `target`, checked against the files
    /// as they are now and the mapping's hash; `None` when nothing is recorded. A load of the
    /// same table recorded with other files, or the same files in another order, is an error
    /// naming both lists.
    pub fn load(
        state_dir: &Path,
        files: &[PathBuf],
        target: &str,
        mapping_sha256: &str,
    ) -> Result<Option<ResumePoint>, ResumeError> {
        let now = files
            .iter()
            .map(|file| {
                FileIdentity::of(file).map_err(|error| ResumeError::File {
                    path: file.clone(),
                    error,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let paths: Vec<PathBuf> = now.iter().map(|f| f.path.clone()).collect();
        let path = StateFile::path_for(state_dir, &paths, target);
        let Some(state) = StateFile::open(&path)? else {
            // Another list naming any of these files into this table: say how they differ.
            let other = StateFile::others_into(state_dir, target, &path)
                .into_iter()
                .find(|s| s.files.iter().any(|f| paths.contains(&f.identity.path)));
            return match other {
                Some(s) => Err(ResumeError::FileListChanged {
                    target: target.to_string(),
                    recorded: s.paths(),
                    now: paths,
                }),
                None => Ok(None),
            };
        };
        // The key holds the paths; a state file copied under another key is refused too.
        if state.state.paths() != paths {
            return Err(ResumeError::FileListChanged {
                target: target.to_string(),
                recorded: state.state.paths(),
                now: paths,
            });
        }
        for ((recorded, now), file) in state.state.files.iter().zip(&now).zip(files) {
            let differences = recorded.identity.differences(now);
            if !differences.is_empty() {
                return Err(ResumeError::FileChanged {
                    path: file.clone(),
                    differences,
                });
            }
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

    /// Byte offset of the first record to load, when the reader recorded it (in the file of
    /// the last committed record: see [`ResumePoint::resume_at`]).
    pub fn skip_to_offset(&self) -> Option<u64> {
        self.state.state.last_batch().and_then(|b| b.next_offset)
    }

    /// Which file the first record not committed is in, and where in it (see the module
    /// docs for why the recorded counts place it). An error when the files recorded as read
    /// hold fewer records than the journal says were committed, and none is left unread.
    pub fn resume_at(&self) -> Result<ResumeAt, ResumeError> {
        let last = self.skip_records();
        let rejected_total = self.rows_rejected_committed();
        let (mut before, mut rejected_before) = (0u64, 0u64);
        let mut committed = Vec::new();
        for (i, f) in self.state.state.files.iter().enumerate() {
            match f.read {
                Some(r) if before + r.records <= last => {
                    committed.push(r);
                    before += r.records;
                    rejected_before += r.rejected;
                }
                // The file the next record is in: the first not read to its end, or the one
                // whose records run past the last committed one.
                _ => {
                    let skip = last - before;
                    committed.push(FileRead {
                        records: skip,
                        rejected: rejected_total.saturating_sub(rejected_before),
                    });
                    return Ok(ResumeAt {
                        file: i,
                        records_before: before,
                        skip,
                        // The offset was taken in the file of record `last`: this one, unless
                        // the last committed record ended the file before (then `skip` is 0).
                        offset: self.skip_to_offset().filter(|_| skip > 0),
                        committed,
                    });
                }
            }
        }
        if before < last {
            return Err(ResumeError::SourceShorter {
                expected: last,
                found: before,
            });
        }
        Ok(ResumeAt {
            file: self.state.state.files.len(),
            records_before: before,
            skip: 0,
            offset: None,
            committed,
        })
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
