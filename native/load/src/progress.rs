//! Load progress: what the reader and the session count, reported at most every 100 ms while
//! something changed, plus a final report.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// One progress report (camelCase in JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadProgress {
    pub rows_read: u64,
    pub rows_sent: u64,
    pub rows_committed: u64,
    pub rows_rejected: u64,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub bytes_sent: u64,
    pub batch: u64,
    /// 0-based index of the file being read.
    pub file: u64,
    pub elapsed_ms: u64,
}

/// Counters the reading thread updates (the session keeps its own).
#[derive(Debug, Default)]
pub struct ReadCounters {
    pub rows_read: AtomicU64,
    pub rows_rejected: AtomicU64,
    pub bytes_read: AtomicU64,
    /// Bytes of the files read before the current one.
    pub bytes_done: AtomicU64,
    pub file: AtomicU64,
}

/// A progress callback; called from a Tokio task or the reading thread.
pub type OnProgress = Arc<dyn Fn(LoadProgress) + Send + Sync>;

pub(crate) struct ProgressState {
    pub read: Arc<ReadCounters>,
    pub started: Instant,
    pub bytes_total: u64,
}

impl ProgressState {
    pub fn snapshot(&self, session: Option<sluice_client::bulk::ProgressSnapshot>) -> LoadProgress {
        let r = &self.read;
        let s = session.unwrap_or_default();
        LoadProgress {
            rows_read: r.rows_read.load(Ordering::Relaxed),
            rows_rejected: r.rows_rejected.load(Ordering::Relaxed),
            bytes_read: r.bytes_done.load(Ordering::Relaxed) + r.bytes_read.load(Ordering::Relaxed),
            bytes_total: self.bytes_total,
            file: r.file.load(Ordering::Relaxed),
            rows_sent: s.rows_sent,
            rows_committed: s.rows_committed,
            bytes_sent: s.bytes_sent,
            batch: s.batch,
            elapsed_ms: self.started.elapsed().as_millis() as u64,
        }
    }
}
