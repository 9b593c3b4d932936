//! Bulk load (MS-TDS 2.2.6.1): rows go from their source straight into TDS bytes inside the
//! outgoing packet buffer, and from there to the socket, with encoding and I/O overlapping.
//!
//! Three parts, so any source can drive it:
//! - [`plan`]: reads the target table's metadata and decides which source field feeds which
//!   column, and the `INSERT BULK` statement.
//! - [`encoder::BulkEncoder`]: synchronous; the caller hands it one row at a time and writes
//!   each cell with `tds::bulk::encode_cell` into the packet being filled. Sealed packets go to
//!   the runner through a bounded channel (the back-pressure that keeps memory flat). It runs
//!   wherever the rows are: the JS thread for JS values, a worker thread for files.
//! - [`runner::run`]: asynchronous, on Tokio; owns the connection while the load runs: one
//!   `INSERT BULK` plus one BulkLoad message per batch, each committed on its own, counted, and
//!   cancellable with ATTENTION.
//! - [`session`]: the one API that ties them together for every caller (JS lanes, file
//!   loader): start, push rows, progress, cancel, finish with a summary or an exact account.

pub mod encoder;
pub mod journal;
pub mod plan;
pub mod runner;
pub mod session;

use std::sync::atomic::{AtomicU64, Ordering};

pub use encoder::{BulkEncoder, Chunk, EncoderClosed};
pub use journal::{
    read_journal, BeforeCommit, CommitCallback, JournalEntry, JournalRun, JournalSpec,
    SourcePosition, JOURNAL_TABLE,
};
pub use plan::{prepare, BulkCopyOptions, BulkPlan, ColumnMapping};
pub use runner::{run, run_journaled, BulkFailure, BulkFailureKind, BulkSummary};
pub use session::{
    begin, begin_journaled, BulkControl, BulkOutcome, BulkSession, Canceller, OutcomeFuture,
    ProgressCallback, PushError, SessionOptions,
};

/// Counters the runner updates as it goes, read by whoever reports progress.
#[derive(Debug, Default)]
pub struct BulkProgress {
    pub rows_sent: AtomicU64,
    pub rows_committed: AtomicU64,
    pub bytes_sent: AtomicU64,
    pub batch: AtomicU64,
}

/// A consistent-enough copy of [`BulkProgress`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgressSnapshot {
    pub rows_sent: u64,
    pub rows_committed: u64,
    pub bytes_sent: u64,
    pub batch: u64,
}

impl BulkProgress {
    pub fn snapshot(&self) -> ProgressSnapshot {
        ProgressSnapshot {
            rows_sent: self.rows_sent.load(Ordering::Relaxed),
            rows_committed: self.rows_committed.load(Ordering::Relaxed),
            bytes_sent: self.bytes_sent.load(Ordering::Relaxed),
            batch: self.batch.load(Ordering::Relaxed),
        }
    }
}
