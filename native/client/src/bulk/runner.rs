//! The asynchronous half of a bulk load: owns the connection, sends each batch, counts what
//! the server committed, and on any failure says exactly which batches made it.

use super::encoder::Chunk;
use super::plan::BulkPlan;
use super::BulkProgress;
use crate::connection::Connection;
use crate::error::Error;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tds::packet::packet_type;
use tokio::sync::mpsc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkSummary {
    pub rows_copied: u64,
    pub batch_count: u64,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkFailureKind {
    /// The server refused a batch (constraint, length, type…): that batch did not commit.
    Server,
    /// The caller cancelled (AbortSignal): the batch in flight was abandoned with ATTENTION.
    Cancelled,
    /// The row source failed or stopped mid-batch (a bad value, an exception): that batch was
    /// abandoned, nothing of it committed.
    Source,
    /// The connection broke. A batch whose data was all sent but whose answer never came is
    /// *in doubt*: it may or may not have committed.
    Connection,
}

/// A bulk load that stopped, with a precise account of what committed.
#[derive(Debug)]
pub struct BulkFailure {
    pub kind: BulkFailureKind,
    pub error: Error,
    /// Batches that committed (1..=batches_committed) and the rows in them.
    pub batches_committed: u64,
    pub rows_committed: u64,
    /// The batch that was in flight and did not commit, if any.
    pub failed_batch: Option<u64>,
    /// The batch whose outcome is unknown (the connection broke while awaiting its answer).
    pub in_doubt_batch: Option<u64>,
}

impl std::fmt::Display for BulkFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} batch(es), {} row(s) committed",
            self.error, self.batches_committed, self.rows_committed
        )?;
        if let Some(b) = self.failed_batch {
            write!(f, "; batch {b} did not commit")?;
        }
        if let Some(b) = self.in_doubt_batch {
            write!(f, "; batch {b} is in doubt")?;
        }
        write!(f, ")")
    }
}

struct State<'p> {
    progress: &'p BulkProgress,
    batch: u64,
    batches_committed: u64,
    rows_committed: u64,
    /// Packets of the current batch's BulkLoad message have been sent, but not its last one.
    mid_message: bool,
}

impl State<'_> {
    fn failure(
        &self,
        kind: BulkFailureKind,
        error: Error,
        failed: bool,
        in_doubt: bool,
    ) -> BulkFailure {
        BulkFailure {
            kind,
            error,
            batches_committed: self.batches_committed,
            rows_committed: self.rows_committed,
            failed_batch: (failed && self.batch > self.batches_committed).then_some(self.batch),
            in_doubt_batch: in_doubt.then_some(self.batch),
        }
    }

    fn committed(&mut self, rows: u64) {
        self.batches_committed += 1;
        self.rows_committed += rows;
        self.progress
            .rows_committed
            .store(self.rows_committed, Ordering::Relaxed);
    }
}

/// Drives the load until the encoder side closes the channel (success, if no batch is open),
/// the server refuses a batch, the connection breaks, or `cancel` completes.
pub async fn run(
    conn: &mut Connection,
    plan: &BulkPlan,
    mut rx: mpsc::Receiver<Chunk>,
    progress: &BulkProgress,
    cancel: impl Future<Output = ()>,
) -> Result<BulkSummary, BulkFailure> {
    let started = Instant::now();
    let mut st = State {
        progress,
        batch: 0,
        batches_committed: 0,
        rows_committed: 0,
        mid_message: false,
    };
    tokio::pin!(cancel);
    loop {
        let chunk = tokio::select! {
            biased;
            _ = &mut cancel => None.ok_or(()),
            c = rx.recv() => Ok(c),
        };
        let chunk = match chunk {
            Err(()) => {
                rx.close();
                return Err(
                    abandon(conn, &mut st, BulkFailureKind::Cancelled, Error::Cancelled).await,
                );
            }
            Ok(c) => c,
        };
        match chunk {
            None if st.mid_message => {
                let e =
                    Error::Unsupported("the row source stopped in the middle of a batch".into());
                return Err(abandon(conn, &mut st, BulkFailureKind::Source, e).await);
            }
            None => {
                return Ok(BulkSummary {
                    rows_copied: st.rows_committed,
                    batch_count: st.batches_committed,
                    elapsed: started.elapsed(),
                });
            }
            Some(Chunk::Packets { bytes, rows }) => {
                if !st.mid_message {
                    st.batch += 1;
                    progress.batch.store(st.batch, Ordering::Relaxed);
                    // Each batch is its own INSERT BULK, committed on its own (MS-TDS 2.2.6.1).
                    if let Err(e) = conn.execute(&plan.statement).await {
                        let kind = if matches!(e, Error::Server { .. }) {
                            BulkFailureKind::Server
                        } else {
                            BulkFailureKind::Connection
                        };
                        rx.close();
                        return Err(st.failure(kind, e, true, false));
                    }
                    st.mid_message = true;
                }
                // Writes are not raced against `cancel`: half a packet on the wire would leave
                // nothing to cancel with. A chunk is at most a few dozen packets.
                if let Err(e) = conn.send_raw(&bytes).await {
                    rx.close();
                    return Err(st.failure(BulkFailureKind::Connection, e, true, false));
                }
                progress
                    .bytes_sent
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                progress.rows_sent.fetch_add(rows, Ordering::Relaxed);
            }
            Some(Chunk::EndBatch { rows }) => {
                st.mid_message = false;
                match conn.await_response(&mut cancel).await {
                    Ok(r) => st.committed(r.rows_affected.unwrap_or(rows)),
                    Err(Error::Cancelled) => {
                        rx.close();
                        return Err(st.failure(
                            BulkFailureKind::Cancelled,
                            Error::Cancelled,
                            true,
                            false,
                        ));
                    }
                    Err(e @ Error::Server { .. }) => {
                        rx.close();
                        return Err(st.failure(BulkFailureKind::Server, e, true, false));
                    }
                    Err(e) => {
                        rx.close();
                        return Err(st.failure(BulkFailureKind::Connection, e, false, true));
                    }
                }
            }
        }
    }
}

/// Stops a batch whose message is partly sent, so that none of it commits.
async fn abandon(
    conn: &mut Connection,
    st: &mut State<'_>,
    kind: BulkFailureKind,
    error: Error,
) -> BulkFailure {
    if !st.mid_message {
        return st.failure(kind, error, false, false);
    }
    st.mid_message = false;
    match conn.abandon_message(packet_type::BULK_LOAD).await {
        Ok(_) => st.failure(kind, error, true, false),
        // The server never confirmed the cancel: the batch's fate is unknown.
        Err(_) => st.failure(kind, error, false, true),
    }
}
