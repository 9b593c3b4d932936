//! How `run::load` records a load for `--resume` and resumes one: the glue between the load
//! runner and the state file, the journal and the resume point (`resume.rs`).
//!
//! Every load that sends rows — of one file or several — is journaled (unless `--no-journal`)
//! and keeps a state file; `--resume` needs both.

use crate::journal::JournalRecorder;
use crate::resume::{ResumeAt, ResumeError, ResumePoint};
use crate::state_file::{
    new_load_id, state_dir, FileIdentity, FileRead, JournalTable, LoadState, StateFile,
    STATE_VERSION,
};
use crate::summary::LoadError;
use sluice_client::bulk::{BulkFailure, JournalRun, JournalSpec, JOURNAL_TABLE};
use sluice_client::Connection;
use std::path::PathBuf;

/// A load being recorded: the journal for its bulk session and where the source goes on.
pub struct Recording {
    recorder: JournalRecorder,
    spec: JournalSpec,
    /// Where a resumed run goes on (`None` for a fresh load: at the first record of the
    /// first file).
    pub resume_at: Option<ResumeAt>,
    /// Rows and batches committed by earlier runs, when resumed.
    pub before: Option<(u64, u64)>,
    /// Rows rejected inside the batches earlier runs committed (they used up part of the
    /// `--max-errors` budget).
    pub rejected_before: u64,
}

fn refused(e: ResumeError) -> LoadError {
    LoadError::input(format!("--resume: {e}"))
}

/// `--resume`: the recorded load of `files` (in this order) into `table`, checked and settled
/// against the journal. Its table exists (this load made it or it was there): do not create
/// or truncate.
pub async fn resume(
    conn: &mut Connection,
    files: &[PathBuf],
    table: &str,
    mapping_sha256: &str,
) -> Result<ResumePoint, LoadError> {
    let dir = state_dir();
    let mut rp = ResumePoint::load(&dir, files, table, mapping_sha256)
        .map_err(refused)?
        .ok_or_else(|| {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            LoadError::usage(format!(
                "--resume: no recorded load of {} into {table} (state files are in {})",
                names.join(", "),
                dir.display()
            ))
        })?;
    rp.settle(conn).await.map_err(refused)?;
    Ok(rp)
}

/// Starts recording: a fresh state file, or the resumed one going on.
pub fn start(
    resumed: Option<ResumePoint>,
    files: &[PathBuf],
    table: &str,
    schema: &str,
    mapping_sha256: &str,
    created_table: bool,
) -> Result<Recording, LoadError> {
    if let Some(rp) = resumed {
        let spec = rp
            .journal_spec()
            .ok_or_else(|| LoadError::input("--resume: the recorded load kept no journal"))?;
        let resume_at = rp.resume_at().map_err(refused)?;
        let (before, rejected_before) = (
            Some((rp.rows_committed(), rp.batches_committed())),
            rp.rows_rejected_committed(),
        );
        return Ok(Recording {
            recorder: JournalRecorder::new(rp.state),
            spec,
            resume_at: Some(resume_at),
            before,
            rejected_before,
        });
    }
    let ids = files
        .iter()
        .map(|f| FileIdentity::of(f).map_err(|e| LoadError::input(format!("{}: {e}", f.display()))))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(first) = ids.first() else {
        return Err(LoadError::usage("no file to load"));
    };
    let load_id = new_load_id(first, table);
    let state = StateFile::create(
        &state_dir(),
        LoadState {
            version: STATE_VERSION,
            load_id: load_id.clone(),
            files: ids.into_iter().map(Into::into).collect(),
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
        // `run::load` created the journal table before anything changed.
        spec: JournalSpec {
            table_ready: true,
            ..JournalSpec::new(schema, &load_id)
        },
        resume_at: None,
        before: None,
        rejected_before: 0,
    })
}

/// The load pass's hold on the state file: it records each file it read to the end.
#[derive(Clone)]
pub struct FileMarks {
    recorder: JournalRecorder,
}

impl FileMarks {
    /// File `index` was read to its end. Called before any record of the next file is read
    /// (a resume places the next record by these counts; the journal writes them to disk
    /// before a batch commits, and a batch whose counts cannot be written does not commit).
    pub fn file_read(&self, index: usize, read: FileRead) {
        self.recorder
            .with_state(|s| s.record_file_read(index, read));
    }
}

impl Recording {
    /// The journal to hand to `BulkSession::start_journaled`.
    pub fn journal(&self) -> JournalRun {
        self.recorder.run(self.spec.clone())
    }

    /// The summary's note on what a resumed run does not load again (`None`: not resumed).
    pub fn resumed_note(&self, files: &[PathBuf]) -> Option<String> {
        let ((rows, batches), at) = (self.before?, self.resume_at.as_ref()?);
        let head = format!("resumed: {rows} row(s) in {batches} batch(es) were committed before");
        Some(match files.get(at.file) {
            _ if files.len() == 1 => format!("{head}; {} record(s) of the file skipped", at.skip),
            Some(f) => format!(
                "{head}; {} file(s) committed whole and not read again; {} record(s) of {} skipped",
                at.file,
                at.skip,
                f.display()
            ),
            None => format!("{head}; every file was committed whole, none is read again"),
        })
    }

    /// What the load pass records in the state file as it goes.
    pub fn marks(&self) -> FileMarks {
        FileMarks {
            recorder: self.recorder.clone(),
        }
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
        // The files read to their end so far: the resume need not open them again even when
        // no batch holding a later record committed. (Not needed for correctness: without
        // them the resume reads such a file from the committed point and finds it ended.)
        let _ = self.recorder.with_state(StateFile::flush_marks);
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
