//! One bulk load, start to finish, behind one API that every row source drives: the JS lanes
//! (through the binding, which only converts values) and Rust sources such as the file loader.
//!
//! [`BulkSession::start`] takes the connection and a [`BulkPlan`], spawns the runner on the
//! current Tokio runtime and returns three parts that can live on different threads:
//! - the [`BulkEncoder`], where the rows go (on the thread that has them);
//! - a [`BulkControl`]: cancel, progress snapshots, waiting for room — callable from anywhere,
//!   any number of times, while anything else is in progress (no `&mut`);
//! - a [`BulkOutcome`] future: the summary or the failure with its account, and the connection
//!   back when it is still usable.
//!
//! ```no_run
//! # async fn demo(conn: sluice_client::Connection) {
//! use sluice_client::bulk::{self, BulkCopyOptions, SessionOptions};
//! use tds::bulk::Cell;
//! let mut s = bulk::begin(conn, "dbo.t", &BulkCopyOptions::default(), SessionOptions::default())
//!     .await
//!     .map_err(|(e, _conn)| e)
//!     .unwrap();
//! s.push_row(&[Cell::Int(1), Cell::Text("one")]).await.unwrap();
//! let outcome = s.finish().await;
//! println!("{:?}", outcome.result.map(|s| s.rows_copied));
//! # }
//! ```

use super::encoder::{BulkEncoder, Chunk, EncoderClosed};
use super::journal::JournalRun;
use super::plan::{prepare, BulkCopyOptions, BulkPlan};
use super::runner::{run_journaled, BulkFailure, BulkFailureKind, BulkSummary};
use super::{BulkProgress, ProgressSnapshot};
use crate::connection::Connection;
use crate::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tds::bulk::{Cell, CellError};
use tokio::sync::{mpsc, oneshot, watch};

/// A progress callback: called from a Tokio worker with the counters, when they changed.
pub type ProgressCallback = Box<dyn FnMut(ProgressSnapshot) + Send + 'static>;

/// How a session runs.
pub struct SessionOptions {
    /// Hand-offs (about 64 KiB of packets each) that may wait for the socket: the back-pressure
    /// that keeps memory flat.
    pub channel_chunks: usize,
    /// Called at most once per `progress_every` while the load runs, when the counters changed.
    pub on_progress: Option<ProgressCallback>,
    pub progress_every: Duration,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            channel_chunks: 16,
            on_progress: None,
            progress_every: Duration::from_millis(100),
        }
    }
}

/// How a load ended, and the connection back if it is still in step with the server.
pub struct BulkOutcome {
    pub result: Result<BulkSummary, BulkFailure>,
    pub connection: Option<Connection>,
}

/// Cancels a load from anywhere (any thread, any number of times, during any other call).
#[derive(Clone)]
pub struct Canceller(Arc<watch::Sender<bool>>);

impl Canceller {
    /// Asks the runner to stop: a batch partly sent is abandoned; a batch fully sent gets
    /// ATTENTION and counts as committed if the server finished it first (MS-TDS 3.2.5.1).
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }
}

/// The side of a session that is not the rows: cancel, progress, room in the channel.
#[derive(Clone)]
pub struct BulkControl {
    canceller: Canceller,
    progress: Arc<BulkProgress>,
    /// Weak, so that the channel closes when the encoder goes (that is how the runner learns
    /// the source stopped).
    room: mpsc::WeakSender<Chunk>,
}

impl BulkControl {
    pub fn cancel(&self) {
        self.canceller.cancel();
    }

    pub fn canceller(&self) -> Canceller {
        self.canceller.clone()
    }

    /// The counters now.
    pub fn progress(&self) -> ProgressSnapshot {
        self.progress.snapshot()
    }

    /// Resolves when the runner has room for another hand-off, or has stopped, or the encoder
    /// is gone. Borrows nothing: it can be awaited while the control is used elsewhere.
    pub fn ready(&self) -> impl Future<Output = ()> + Send + 'static {
        let room = self.room.clone();
        async move {
            if let Some(tx) = room.upgrade() {
                let _ = tx.reserve().await;
            }
        }
    }
}

/// The outcome of a session, once its runner is done.
pub struct OutcomeFuture {
    rx: oneshot::Receiver<BulkOutcome>,
    progress: Arc<BulkProgress>,
}

impl Future for OutcomeFuture {
    type Output = BulkOutcome;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<BulkOutcome> {
        Pin::new(&mut self.rx).poll(cx).map(|r| match r {
            Ok(o) => o,
            // The runner task was dropped (its runtime shut down): what the counters saw
            // committed is all that is known, and the batch after it is in doubt.
            Err(_) => {
                let s = self.progress.snapshot();
                BulkOutcome {
                    result: Err(BulkFailure {
                        kind: BulkFailureKind::Connection,
                        error: Error::Closed,
                        batches_committed: s.batch.saturating_sub(1),
                        rows_committed: s.rows_committed,
                        failed_batch: None,
                        in_doubt_batch: (s.batch > 0).then_some(s.batch),
                    }),
                    connection: None,
                }
            }
        })
    }
}

/// Why a row did not go in.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// A value does not fit its column; `row` is 1-based. Nothing of the row was sent.
    #[error("row {row}: {error}")]
    Value { row: u64, error: CellError },
    /// The runner stopped (failure or cancel); the outcome says why.
    #[error("the bulk load stopped")]
    Stopped,
}

/// One running bulk load (see the module docs).
pub struct BulkSession {
    pub encoder: BulkEncoder,
    pub control: BulkControl,
    pub outcome: OutcomeFuture,
}

/// Reads the table's metadata and starts the load. On failure the connection comes back
/// with the error (check [`Connection::is_usable`]).
pub async fn begin(
    mut conn: Connection,
    table: &str,
    options: &BulkCopyOptions,
    session: SessionOptions,
) -> Result<BulkSession, (Error, Connection)> {
    match prepare(&mut conn, table, options).await {
        Ok(plan) => Ok(BulkSession::start(conn, plan, session)),
        Err(e) => Err((e, conn)),
    }
}

/// As [`begin`], with each batch committed together with its journal row (see
/// [`super::journal`]): tell the encoder where each row ends in the source
/// ([`BulkEncoder::set_source_position`]) so that the journal can say where to resume.
pub async fn begin_journaled(
    mut conn: Connection,
    table: &str,
    options: &BulkCopyOptions,
    session: SessionOptions,
    journal: JournalRun,
) -> Result<BulkSession, (Error, Connection)> {
    match prepare(&mut conn, table, options).await {
        Ok(plan) => Ok(BulkSession::start_journaled(conn, plan, session, journal)),
        Err(e) => Err((e, conn)),
    }
}

impl BulkSession {
    /// Spawns the runner on the current Tokio runtime (call from within one).
    pub fn start(conn: Connection, plan: BulkPlan, options: SessionOptions) -> BulkSession {
        Self::start_with(conn, plan, options, None)
    }

    /// As [`BulkSession::start`], journaled (see [`begin_journaled`]).
    pub fn start_journaled(
        conn: Connection,
        plan: BulkPlan,
        options: SessionOptions,
        journal: JournalRun,
    ) -> BulkSession {
        Self::start_with(conn, plan, options, Some(journal))
    }

    fn start_with(
        mut conn: Connection,
        plan: BulkPlan,
        options: SessionOptions,
        mut journal: Option<JournalRun>,
    ) -> BulkSession {
        let plan = Arc::new(plan);
        let (tx, rx) = mpsc::channel(options.channel_chunks.max(1));
        let (cancel_tx, mut cancel_rx) = watch::channel(false);
        let (outcome_tx, outcome_rx) = oneshot::channel();
        let progress = Arc::new(BulkProgress::default());
        let control = BulkControl {
            canceller: Canceller(Arc::new(cancel_tx)),
            progress: progress.clone(),
            room: tx.downgrade(),
        };
        let encoder = BulkEncoder::new(plan.clone(), conn.packet_size(), tx);
        let run_progress = progress.clone();
        let SessionOptions {
            on_progress,
            progress_every,
            ..
        } = options;
        tokio::spawn(async move {
            let cancel = async move {
                // Every Canceller dropped without cancelling is not a cancel.
                if cancel_rx.wait_for(|c| *c).await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            let ticker = on_progress
                .map(|f| tokio::spawn(report_progress(run_progress.clone(), progress_every, f)));
            let result = run_journaled(
                &mut conn,
                &plan,
                rx,
                &run_progress,
                cancel,
                journal.as_mut(),
            )
            .await;
            if let Some(t) = ticker {
                t.abort();
            }
            let connection = conn.is_usable().then_some(conn);
            let _ = outcome_tx.send(BulkOutcome { result, connection });
        });
        BulkSession {
            encoder,
            control,
            outcome: OutcomeFuture {
                rx: outcome_rx,
                progress,
            },
        }
    }

    /// Encodes one row (cells in source order; see [`BulkEncoder::push_cells`]) and hands
    /// sealed packets on, waiting for room when the socket is behind.
    pub async fn push_row(&mut self, cells: &[Cell<'_>]) -> Result<(), PushError> {
        self.encoder
            .push_cells(cells)
            .map_err(|error| PushError::Value {
                row: self.encoder.rows_encoded() + 1,
                error,
            })?;
        if self.encoder.has_backlog() {
            self.encoder
                .flush()
                .await
                .map_err(|EncoderClosed| PushError::Stopped)?;
        }
        Ok(())
    }

    /// The source has finished: sends what is left and waits for the outcome.
    pub async fn finish(mut self) -> BulkOutcome {
        self.encoder.finish();
        // A failed hand-off means the runner stopped; the outcome says why.
        let _ = self.encoder.flush().await;
        drop(self.encoder);
        self.outcome.await
    }

    /// Gives up: the source failed. Batches already complete go on and commit; the batch being
    /// filled is abandoned. Returns the account.
    pub async fn abandon(mut self) -> BulkOutcome {
        let _ = self.encoder.flush().await;
        drop(self.encoder);
        self.outcome.await
    }
}

/// Calls `f` whenever the counters changed, at most once per `every`, until aborted.
async fn report_progress(progress: Arc<BulkProgress>, every: Duration, mut f: ProgressCallback) {
    let mut last = ProgressSnapshot::default();
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let now = progress.snapshot();
        if now != last {
            last = now;
            f(now);
        }
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
