//! How `run::load` records a load for `--resume` and resumes one: the glue between the load
//! runner and the state file, the journal and the resume point (`resume.rs`).
//!
//! Every load of one file that sends rows is journaled and keeps a state file; `--resume`
//! needs both. (Loads of several files are not recorded yet: `--resume` refuses them.)

use crate::journal::JournalRecorder;
use crate::resume::{ResumeError, ResumePoint};
use crate::state_file::{
    new_load_id, state_dir, FileIdentity, JournalTable, LoadState, StateFile, STATE_VERSION,
};
use crate::summary::LoadError;
use sluice_client::bulk::{BulkFailure, JournalRun, JournalSpec, JOURNAL_TABLE};
use sluice_client::Connection;
use std::path::Path;

/// A load being recorded: the journal for its bulk session and what to skip in the source.
pub struct Recording {
    recorder: JournalRecorder,
    spec: JournalSpec,
    /// Data records committed by earlier runs (skip them).
    pub skip: u64,
    /// Where the first record after them starts in the file, when the reader recorded it:
    /// the resumed run goes straight there instead of reading the committed part.
    pub skip_offset: Option<u64>,
    /// Rows and batches committed by earlier runs, when resumed.
    pub before: Option<(u64, u64)>,
    /// Rows rejected inside the batches earlier runs committed (they used up part of the
    /// `--max-errors` budget).
    pub rejected_before: u64,
}

fn refused(e: ResumeError) -> LoadError {
    LoadError::input(format!("--resume: {e}"))
}

/// `--resume`: the recorded load of `file` into `table`, checked and settled against the
/// journal. Its table exists (this load made it or it was there): do not create or truncate.
pub async fn resume(
    conn: &mut Connection,
    file: &Path,
    table: &str,
    mapping_sha256: &str,
) -> Result<ResumePoint, LoadError> {
    let dir = state_dir();
    let mut rp = ResumePoint::load(&dir, file, table, mapping_sha256)
        .map_err(refused)?
        .ok_or_else(|| {
            LoadError::usage(format!(
                "--resume: no recorded load of {} into {table} (state files are in {})",
                file.display(),
                dir.display()
            ))
        })?;
    rp.settle(conn).await.map_err(refused)?;
    Ok(rp)
}

/// Starts recording: a fresh state file, or the resumed one going on.
pub fn start(
    resumed: Option<ResumePoint>,
    file: &Path,
    table: &str,
    schema: &str,
    mapping_sha256: &str,
    created_table: bool,
) -> Result<Recording, LoadError> {
    if let Some(rp) = resumed {
        let spec = rp
            .journal_spec()
            .ok_or_else(|| LoadError::input("--resume: the recorded load kept no journal"))?;
        let skip_offset = rp.skip_to_offset();
        let (skip, before, rejected_before) = (
            rp.skip_records(),
            Some((rp.rows_committed(), rp.batches_committed())),
            rp.rows_rejected_committed(),
        );
        return Ok(Recording {
            recorder: JournalRecorder::new(rp.state),
            spec,
            skip,
            skip_offset,
            before,
            rejected_before,
        });
    }
    let file_id =
        FileIdentity::of(file).map_err(|e| LoadError::input(format!("{}: {e}", file.display())))?;
    let load_id = new_load_id(&file_id, table);
    let state = StateFile::create(
        &state_dir(),
        LoadState {
            version: STATE_VERSION,
            load_id: load_id.clone(),
            file: file_id,
            target: table.to_string(),
            mapping_sha256: mapping_sha256.to_string(),
            created_table,
            journal: Some(JournalTable {
                schema: schema.to_string(),
                table: JOURNAL_TABLE.to_string(),
            }),
            batches: vec![],
            in_doubt_batch: None,
        },
    )
    .map_err(|e| LoadError::input(e.to_string()))?;
    Ok(Recording {
        recorder: JournalRecorder::new(state),
        spec: JournalSpec::new(schema, &load_id),
        skip: 0,
        skip_offset: None,
        before: None,
        rejected_before: 0,
    })
}

impl Recording {
    /// The journal to hand to `BulkSession::start_journaled`.
    pub fn journal(&self) -> JournalRun {
        self.recorder.run(self.spec.clone())
    }

    /// The load finished: its state file goes.
    pub fn finished(self) -> Option<String> {
        let problem = self.recorder.take_error().map(|e| e.to_string());
        // Under the lock, not by taking the state back: the runner may not have dropped its
        // commit callback yet (and the file must not come back after this).
        match self.recorder.with_state(StateFile::remove_now) {
            Err(e) => Some(e.to_string()),
            Ok(()) => problem,
        }
    }

    /// The load stopped: an in-doubt batch is noted for the resume to settle. Returns a note
    /// for the summary.
    pub fn stopped(&self, f: &BulkFailure) -> String {
        if let Some(b) = f.in_doubt_batch {
            let batch = self.spec.batches_before + b;
            let _ = self.recorder.with_state(|s| s.set_in_doubt(Some(batch)));
        }
        let path = self.recorder.with_state(|s| s.path().display().to_string());
        match self.recorder.take_error() {
            Some(e) => {
                format!("the state file could not be kept ({e}); --resume relies on the journal")
            }
            None => format!("the load can be resumed with --resume (state: {path})"),
        }
    }
}
