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
