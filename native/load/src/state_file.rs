//! The state file of a load: what `sluice load --resume` needs to go on where a load stopped.
//!
//! # Where it lives
//! `$SLUICE_STATE_DIR/<key>.json` when `SLUICE_STATE_DIR` is set; otherwise
//! `$XDG_STATE_HOME/sluice/loads/<key>.json`, falling back to `~/.local/state/sluice/loads`
//! (on Windows `%LOCALAPPDATA%\sluice\loads`). `<key>` is the first 32 hex digits of the
//! SHA-256 of the files' canonical paths, in order, and the target table ([`state_key`]), so
//! one list of files loading into one table has one state file, whatever the working directory.
//!
//! # What it holds
//! Each file's identity (canonical path, size, modification time, SHA-256 of its first MiB) in
//! the order of the command line, the target, a hash of the mapping, the load id (which names
//! the load in the journal table), whether this load created the table, and every committed
//! batch with its source position: the number of the next record, counted over all the files in
//! order, and, when known, its byte offset in its file. Which file that record is in follows
//! from the files' record counts, which the load pass records as it finishes reading each
//! file and which reach the disk before any batch holding a later record can commit (see
//! `crate::resume`). It is
//! rewritten after each committed batch, atomically: written to `<key>.json.tmp`, flushed, then
//! renamed over the old one, so a crash leaves the old state or the new, never half of one. The
//! files' record counts are appended, a line per file, to `<key>.files`, flushed once before
//! each batch's COMMIT (a write per file, let alone a whole rewrite per file, would make a load
//! of thousands of small files slow); a line cut short is ignored. A load that finishes removes
//! both.
//!
//! Version 2 (several files). Version-1 files (one `file`) are still read, as a one-file load.

use ring::digest::{Context, SHA256};
use serde::{Deserialize, Serialize};
use sluice_client::bulk::JournalEntry;
use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The state format this build writes (it reads this one and version 1).
pub const STATE_VERSION: u32 = 2;

/// How much of the file's head is hashed: enough to notice a regenerated export, cheap to read.
pub const HEAD_BYTES: u64 = 1 << 20;

/// The directory state files go in (see the module docs).
pub fn state_dir() -> PathBuf {
    state_dir_from(|name| std::env::var_os(name))
}

/// [`state_dir`] with the environment given, so the rule can be tested without changing it.
pub fn state_dir_from(env: impl Fn(&str) -> Option<OsString>) -> PathBuf {
    let var = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("SLUICE_STATE_DIR") {
        return d;
    }
    let loads = |base: PathBuf| base.join("sluice").join("loads");
    if cfg!(windows) {
        if let Some(d) = var("LOCALAPPDATA") {
            return loads(d);
        }
    }
    if let Some(d) = var("XDG_STATE_HOME") {
        return loads(d);
    }
    let home = var("HOME")
        .or_else(|| var("USERPROFILE"))
        .unwrap_or_else(std::env::temp_dir);
    loads(home.join(".local").join("state"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&SHA256, bytes).as_ref())
}

/// A hash of the mapping (or the whole template) as JSON: a resume with another mapping is
/// refused.
pub fn mapping_hash<T: Serialize>(mapping: &T) -> String {
    sha256_hex(&serde_json::to_vec(mapping).unwrap_or_default())
}

/// What identifies the file a load reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileIdentity {
    pub path: PathBuf,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when the platform has none).
    pub modified_ns: u128,
    /// SHA-256 of the first `head_len` bytes.
    pub head_sha256: String,
    pub head_len: u64,
}

impl FileIdentity {
    /// Reads the identity of the file at `path` (its first MiB is hashed).
    pub fn of(path: &Path) -> std::io::Result<FileIdentity> {
        let path = path.canonicalize()?;
        let meta = std::fs::metadata(&path)?;
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut head = Vec::new();
        File::open(&path)?.take(HEAD_BYTES).read_to_end(&mut head)?;
        let mut ctx = Context::new(&SHA256);
        ctx.update(&head);
        Ok(FileIdentity {
            size: meta.len(),
            modified_ns,
            head_sha256: hex(ctx.finish().as_ref()),
            head_len: head.len() as u64,
            path,
        })
    }

    /// What differs between the recorded identity (`self`) and the file now, in words.
    pub fn differences(&self, now: &FileIdentity) -> Vec<String> {
        let mut out = Vec::new();
        if self.path != now.path {
            out.push(format!(
                "path: recorded {}, now {}",
                self.path.display(),
                now.path.display()
            ));
        }
        if self.size != now.size {
            out.push(format!(
                "size: recorded {} bytes, now {} bytes",
                self.size, now.size
            ));
        }
        if self.modified_ns != now.modified_ns {
            out.push(format!(
                "modification time: recorded {}, now {} (ns since 1970)",
                self.modified_ns, now.modified_ns
            ));
        }
        if self.head_sha256 != now.head_sha256 || self.head_len != now.head_len {
            out.push(format!(
                "content: the first {} bytes hash differently",
                self.head_len.max(now.head_len)
            ));
        }
        out
    }
}

/// A batch that committed, and where the source goes on after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommittedBatch {
    pub batch: u64,
    /// Source data records `first_row..=last_row` (1-based) are in it or were rejected.
    pub first_row: u64,
    pub last_row: u64,
    /// Byte offset of the record after `last_row`, when the reader knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u64>,
    pub rows: u64,
}

impl From<&JournalEntry> for CommittedBatch {
    fn from(e: &JournalEntry) -> Self {
        CommittedBatch {
            batch: e.batch,
            first_row: e.first_row,
            last_row: e.last_row,
            next_offset: e.source_end_offset,
            rows: e.rows,
        }
    }
}

/// What the load pass counted in a file it read to the end: its data records and, of them,
/// the rows rejected (all runs of the load together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRead {
    pub records: u64,
    pub rejected: u64,
}

/// One file of the load: its identity and, once the load pass read it to the end, its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedFile {
    // Not flattened: serde's flatten cannot carry the u128 modification time.
    pub identity: FileIdentity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<FileRead>,
}

impl From<FileIdentity> for RecordedFile {
    fn from(identity: FileIdentity) -> Self {
        RecordedFile {
            identity,
            read: None,
        }
    }
}

/// Where the journal table of a load is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalTable {
    pub schema: String,
    pub table: String,
}

/// The recorded state of one load (the JSON of a state file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadState {
    pub version: u32,
    pub load_id: String,
    /// The files, in the order they load.
    pub files: Vec<RecordedFile>,
    /// The target table as the user named it (`[schema.]name`).
    pub target: String,
    pub mapping_sha256: String,
    /// This load created the table (`--create`): a resume must not create it again.
    pub created_table: bool,
    /// The journal that settles an in-doubt batch; `None` for a load run without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalTable>,
    pub batches: Vec<CommittedBatch>,
    /// The batch whose COMMIT went unanswered when the load stopped, until a resume settles
    /// it from the journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_doubt_batch: Option<u64>,
}

/// Version 1: a load of one file.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoadStateV1 {
    load_id: String,
    file: FileIdentity,
    target: String,
    mapping_sha256: String,
    created_table: bool,
    #[serde(default)]
    journal: Option<JournalTable>,
    batches: Vec<CommittedBatch>,
    #[serde(default)]
    in_doubt_batch: Option<u64>,
}

impl From<LoadStateV1> for LoadState {
    fn from(v1: LoadStateV1) -> Self {
        LoadState {
            version: STATE_VERSION,
            load_id: v1.load_id,
            files: vec![v1.file.into()],
            target: v1.target,
            mapping_sha256: v1.mapping_sha256,
            created_table: v1.created_table,
            journal: v1.journal,
            batches: v1.batches,
            in_doubt_batch: v1.in_doubt_batch,
        }
    }
}

/// Reads a state of either version (a version-1 state becomes a one-file version 2).
fn parse_state(bytes: &[u8]) -> Result<LoadState, String> {
    #[derive(Deserialize)]
    struct Version {
        version: u32,
    }
    let v: Version = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    match v.version {
        1 => serde_json::from_slice::<LoadStateV1>(bytes)
            .map(LoadState::from)
            .map_err(|e| e.to_string()),
        STATE_VERSION => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
        n => Err(format!(
            "version {n} (this build reads 1 and {STATE_VERSION})"
        )),
    }
}

impl LoadState {
    /// The files' canonical paths, in order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| f.identity.path.clone()).collect()
    }

    pub fn rows_committed(&self) -> u64 {
        self.batches.iter().map(|b| b.rows).sum()
    }

    /// Rows rejected inside the committed batches (read there but not loaded).
    pub fn rows_rejected_committed(&self) -> u64 {
        self.batches
            .iter()
            .map(|b| (b.last_row.saturating_sub(b.first_row) + 1).saturating_sub(b.rows))
            .sum()
    }

    pub fn last_batch(&self) -> Option<&CommittedBatch> {
        self.batches.last()
    }
}

/// The state file's key for files (canonical paths, in order) and a target. One file keeps
/// the key of version 1 (its path, NUL, the target), so a version-1 state is found; several
/// are told apart from one by a leading NUL (no path starts with one).
pub fn state_key(canonical_paths: &[PathBuf], target: &str) -> String {
    let mut id = Vec::new();
    if canonical_paths.len() != 1 {
        id.push(0);
    }
    for p in canonical_paths {
        id.extend_from_slice(p.to_string_lossy().as_bytes());
        id.push(0);
    }
    id.extend_from_slice(normal_target(target).as_bytes());
    sha256_hex(&id)[..32].to_string()
}

/// The target as keys compare it (case and surrounding blanks aside).
fn normal_target(target: &str) -> String {
    target.trim().to_lowercase()
}

/// A state file on disk and its contents.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    pub state: LoadState,
    /// The load ended and the file is gone: nothing writes it again.
    removed: bool,
    /// Files' counts recorded since the last [`StateFile::flush_marks`], as `<key>.files` lines.
    pending_marks: String,
}

/// A state file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state file {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("state file {path} is not a load state this version understands: {error}")]
    Corrupt { path: PathBuf, error: String },
}

impl StateFile {
    /// The state file of `files` (canonical paths, in order) loading into `target`, under `dir`.
    pub fn path_for(dir: &Path, files: &[PathBuf], target: &str) -> PathBuf {
        dir.join(format!("{}.json", state_key(files, target)))
    }

    /// The recorded loads into `target` under `dir` other than the one at `except` (to tell a
    /// user whose `--resume` found nothing that the files or their order differ). Unreadable
    /// entries are passed over: this only explains a refusal.
    pub fn others_into(dir: &Path, target: &str, except: &Path) -> Vec<LoadState> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let target = normal_target(target);
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && p != except)
            .filter_map(|p| Self::open(&p).ok().flatten())
            .filter(|s| normal_target(&s.state.target) == target)
            .map(|s| s.state)
            .collect()
    }

    /// Starts the record of a new load (written at once, replacing any older record of the
    /// same file and table).
    pub fn create(dir: &Path, state: LoadState) -> Result<StateFile, StateError> {
        let path = Self::path_for(dir, &state.paths(), &state.target);
        std::fs::create_dir_all(dir).map_err(|error| StateError::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        let f = StateFile {
            path,
            state,
            removed: false,
            pending_marks: String::new(),
        };
        // The counts an older record of the same files left behind are not this load's.
        remove_if_there(&f.marks_path()).map_err(|error| StateError::Io {
            path: f.marks_path(),
            error,
        })?;
        f.write()?;
        Ok(f)
    }

    /// `<key>.files`: the files' record counts, a line each as the load pass finishes a file
    /// (appended, not rewritten, so that a load of thousands of small files does not write its
    /// whole state once per file).
    fn marks_path(&self) -> PathBuf {
        self.path.with_extension("files")
    }

    /// The recorded state at `path`, if there is one.
    pub fn open(path: &Path) -> Result<Option<StateFile>, StateError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(StateError::Io {
                    path: path.to_path_buf(),
                    error,
                })
            }
        };
        let state = parse_state(&bytes).map_err(|error| StateError::Corrupt {
            path: path.to_path_buf(),
            error,
        })?;
        let mut f = StateFile {
            path: path.to_path_buf(),
            state,
            removed: false,
            pending_marks: String::new(),
        };
        match std::fs::read(f.marks_path()) {
            Ok(marks) => apply_marks(&mut f.state, &marks),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(StateError::Io {
                    path: f.marks_path(),
                    error,
                })
            }
        }
        Ok(Some(f))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a committed batch (from the journal's commit callback) and rewrites the file.
    /// A batch already recorded is not recorded twice.
    pub fn record_batch(&mut self, batch: CommittedBatch) -> Result<(), StateError> {
        if self.removed || self.state.batches.iter().any(|b| b.batch == batch.batch) {
            return Ok(());
        }
        self.state.batches.push(batch);
        self.state.batches.sort_by_key(|b| b.batch);
        self.write()
    }

    /// Records that the load pass read file `index` to its end (before it reads any record of
    /// the next file). It reaches the disk with [`StateFile::flush_marks`], which the journal
    /// calls before each batch's COMMIT is sent: the counts a batch's record number is placed
    /// by are on disk before the batch can commit (one flush per batch, not one per file).
    pub fn record_file_read(&mut self, index: usize, read: FileRead) {
        match self.state.files.get_mut(index) {
            Some(f) if !self.removed && f.read != Some(read) => f.read = Some(read),
            _ => return,
        }
        self.pending_marks += &format!("{index} {} {}\n", read.records, read.rejected);
    }

    /// Appends the counts recorded since the last flush to `<key>.files` and flushes it.
    pub fn flush_marks(&mut self) -> Result<(), StateError> {
        if self.removed || self.pending_marks.is_empty() {
            return Ok(());
        }
        let path = self.marks_path();
        let io = |error| StateError::Io {
            path: path.clone(),
            error,
        };
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io)?;
        f.write_all(self.pending_marks.as_bytes()).map_err(io)?;
        f.sync_data().map_err(io)?;
        self.pending_marks.clear();
        Ok(())
    }

    /// Notes the batch left in doubt when the load stopped (`None` once settled).
    pub fn set_in_doubt(&mut self, batch: Option<u64>) -> Result<(), StateError> {
        if self.state.in_doubt_batch == batch {
            return Ok(());
        }
        self.state.in_doubt_batch = batch;
        self.write()
    }

    /// The load finished: nothing is left to resume.
    pub fn remove(mut self) -> Result<(), StateError> {
        self.remove_now()
    }

    /// Removes the file, for good: a commit callback that still holds this state cannot
    /// write it back.
    pub fn remove_now(&mut self) -> Result<(), StateError> {
        self.removed = true;
        for path in [self.path.clone(), self.marks_path()] {
            remove_if_there(&path).map_err(|error| StateError::Io { path, error })?;
        }
        Ok(())
    }

    /// Write + flush + rename: the file is always a whole state.
    fn write(&self) -> Result<(), StateError> {
        let io = |error| StateError::Io {
            path: self.path.clone(),
            error,
        };
        let json = serde_json::to_vec_pretty(&self.state).map_err(|e| StateError::Corrupt {
            path: self.path.clone(),
            error: e.to_string(),
        })?;
        let tmp = self.path.with_extension("json.tmp");
        let mut f = File::create(&tmp).map_err(io)?;
        f.write_all(&json).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, &self.path).map_err(io)
    }
}

fn remove_if_there(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Applies the lines of a `<key>.files` log (`index records rejected`) to `state`. Only whole
/// lines count: a line cut short by a crash was never followed by a record of the next file
/// (the pass waits for the line to be on disk), so nothing relies on it.
fn apply_marks(state: &mut LoadState, marks: &[u8]) {
    for line in marks.split_inclusive(|&b| b == b'\n') {
        let Some(line) = line.strip_suffix(b"\n") else {
            continue;
        };
        let text = String::from_utf8_lossy(line);
        let mut words = text.split(' ').map(str::parse::<u64>);
        let (Some(Ok(i)), Some(Ok(records)), Some(Ok(rejected)), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            continue;
        };
        if let Some(f) = usize::try_from(i).ok().and_then(|i| state.files.get_mut(i)) {
            f.read = Some(FileRead { records, rejected });
        }
    }
}

/// A new load id: unique per load, stable across its resumes.
pub fn new_load_id(file: &FileIdentity, target: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{}\0{target}\0{now}\0{}",
        file.path.display(),
        std::process::id()
    );
    sha256_hex(seed.as_bytes())[..24].to_string()
}

#[cfg(test)]
#[path = "state_file_tests.rs"]
mod tests;
