//! The load's side of the journal (`sluice_client::bulk::journal`): each batch commits with
//! its journal row, and the commit callback records the batch in the state file, so that the
//! state file follows the database batch by batch.
//!
//! # The guarantee
//! A journaled batch commits in one transaction with its journal row. A batch whose COMMIT
//! request never got an answer is the only one in doubt, and on resume its journal row says
//! whether it committed ([`crate::resume::ResumePoint::settle`]); every other failure rolls the
//! batch back (the server rolls back a transaction whose connection ends). So a resumed load
//! neither loses nor duplicates a row — as long as nothing else writes the journal rows of the
//! load, and the journal table is not dropped between the runs. With several files the same
//! holds (the batch may straddle two files): its journal row's record number, counted over the
//! files in order, and the files' record counts in the state file place the next record (see
//! `crate::resume`), so the state file must not be edited or lost between the runs either.
//!
//! # The cost
//! Two extra round trips per batch (`BEGIN TRAN`; the journal INSERT + COMMIT) and one small
//! INSERT. Measured with `cargo run --release -p sluice-load --example journal_cost`
//! (figures in the issue 11 note and `bench/RESULTS.md`).

use crate::state_file::{CommittedBatch, StateError, StateFile};
use sluice_client::bulk::{JournalRun, JournalSpec};
use std::sync::{Arc, Mutex, MutexGuard};

/// The state file shared with the runner's commit callback, and the first error writing it.
#[derive(Clone)]
pub struct JournalRecorder {
    state: Arc<Mutex<StateFile>>,
    error: Arc<Mutex<Option<StateError>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl JournalRecorder {
    pub fn new(state: StateFile) -> Self {
        JournalRecorder {
            state: Arc::new(Mutex::new(state)),
            error: Arc::new(Mutex::new(None)),
        }
    }

    /// The journal for a run whose batches are recorded in the state file as they commit.
    pub fn run(&self, spec: JournalSpec) -> JournalRun {
        let state = self.state.clone();
        let error = self.error.clone();
        let mut run = JournalRun::new(spec);
        // The files' record counts reach the disk before the batch can commit (a resume
        // places the batch's last record by them).
        let (marks, marks_error) = (self.state.clone(), self.error.clone());
        run.before_commit = Some(Box::new(move |_| {
            lock(&marks).flush_marks().map_err(|e| {
                let io = std::io::Error::other(e.to_string());
                lock(&marks_error).get_or_insert(e);
                io
            })
        }));
        run.on_commit = Some(Box::new(move |entry| {
            if let Err(e) = lock(&state).record_batch(CommittedBatch::from(entry)) {
                lock(&error).get_or_insert(e);
            }
        }));
        run
    }

    /// The first error writing the state file, if any (the load should report it: a resume
    /// would then rely on the journal alone).
    pub fn take_error(&self) -> Option<StateError> {
        lock(&self.error).take()
    }

    /// Runs `f` on the state file (to record an in-doubt batch, or to remove it when done).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut StateFile) -> R) -> R {
        f(&mut lock(&self.state))
    }

    /// The state file back, once the runner is done with it.
    pub fn into_state(self) -> Option<StateFile> {
        let state = Arc::try_unwrap(self.state).ok()?;
        Some(state.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state_file::{FileIdentity, FileRead, LoadState, STATE_VERSION};
    use sluice_client::bulk::JournalEntry;

    /// The files' counts the load pass recorded reach the disk from the journal's hook, before
    /// the batch's COMMIT is sent — not only when the run ends (a crash may end it first).
    #[test]
    fn the_files_counts_are_on_disk_before_a_batch_commits() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "id\n1\n").unwrap();
        let state = StateFile::create(
            dir.path(),
            LoadState {
                version: STATE_VERSION,
                load_id: "L".into(),
                files: vec![FileIdentity::of(&file).unwrap().into()],
                target: "dbo.t".into(),
                mapping_sha256: "m".into(),
                created_table: false,
                journal: None,
                batches: vec![],
                in_doubt_batch: None,
            },
        )
        .unwrap();
        let path = state.path().to_path_buf();
        let recorder = JournalRecorder::new(state);
        let mut run = recorder.run(JournalSpec::new("dbo", "L"));
        let read = FileRead {
            records: 1,
            rejected: 0,
        };
        recorder.with_state(|s| s.record_file_read(0, read));
        let on_disk = || StateFile::open(&path).unwrap().unwrap().state.files[0].read;
        assert_eq!(on_disk(), None);
        let entry = JournalEntry {
            batch: 1,
            first_row: 1,
            last_row: 1,
            source_end_offset: None,
            rows: 1,
        };
        let before_commit = run.before_commit.as_mut().expect("the hook");
        before_commit(&entry).expect("written");
        assert_eq!(on_disk(), Some(read));
        assert!(recorder.take_error().is_none());
    }
}
