//! The asynchronous half of a bulk load: owns the connection, sends each batch, counts what
//! the server committed, and on any failure says exactly which batches made it.

use super::encoder::Chunk;
use super::journal::{read_journal, JournalEntry, JournalRun, JournalSpec, SourcePosition};
use super::plan::BulkPlan;
use super::BulkProgress;
use crate::connection::{Completion, Connection};
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
    /// The caller cancelled (AbortSignal): the batch in flight was abandoned with ATTENTION,
    /// or, if the server had already finished it, it committed and is counted.
    Cancelled,
    /// A batch's answer took longer than the command timeout; cancelled as above.
    Timeout,
    /// The row source failed or stopped before finishing (a bad value, an exception, an
    /// encoder dropped without `finish`): the batch it was filling was abandoned.
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
    /// Each batch commits with its journal row (see `journal.rs`).
    journal: Option<&'p mut JournalRun>,
    /// The source row the next batch starts at (journaled loads).
    next_row: u64,
    /// The batch's COMMIT request is out and unanswered: the only in-doubt moment of a
    /// journaled load.
    committing: bool,
}

/// What became of the batch being worked on when the load stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// No batch was open, or the open one had nothing on the wire yet.
    None,
    /// The batch did not commit.
    Failed,
    /// Whether the batch committed is unknown.
    InDoubt,
}

impl State<'_> {
    fn failure(&self, kind: BulkFailureKind, error: Error, fate: Fate) -> BulkFailure {
        // A journaled batch commits only with its COMMIT request; before that request went
        // out, a lost connection rolled the batch back (SQL Server rolls back a transaction
        // whose connection ends) and a usable one is rolled back by `run`.
        let fate = if self.journal.is_some() && fate == Fate::InDoubt && !self.committing {
            Fate::Failed
        } else {
            fate
        };
        BulkFailure {
            kind,
            error,
            batches_committed: self.batches_committed,
            rows_committed: self.rows_committed,
            failed_batch: (fate == Fate::Failed).then_some(self.batch),
            in_doubt_batch: (fate == Fate::InDoubt).then_some(self.batch),
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

fn interrupted_kind(e: &Error) -> BulkFailureKind {
    match e {
        Error::Cancelled => BulkFailureKind::Cancelled,
        Error::Timeout { .. } => BulkFailureKind::Timeout,
        _ => BulkFailureKind::Connection,
    }
}

/// Drives the load until the encoder side says it has finished ([`Chunk::End`]) and every
/// batch is answered, the server refuses a batch, the connection breaks, the source stops
/// without finishing, or `cancel` completes. On every stop the account is exact: a batch is
/// counted as committed only when the server said so, named as failed only when it cannot have
/// committed, and named as in doubt otherwise.
pub async fn run(
    conn: &mut Connection,
    plan: &BulkPlan,
    rx: mpsc::Receiver<Chunk>,
    progress: &BulkProgress,
    cancel: impl Future<Output = ()>,
) -> Result<BulkSummary, BulkFailure> {
    run_journaled(conn, plan, rx, progress, cancel, None).await
}

/// As [`run`]; with a journal, each batch commits in one transaction with its journal row
/// (`journal.rs`), so that a batch is in doubt only while its COMMIT is unanswered and a resume
/// can look it up. The journal table is created first if missing.
pub async fn run_journaled(
    conn: &mut Connection,
    plan: &BulkPlan,
    mut rx: mpsc::Receiver<Chunk>,
    progress: &BulkProgress,
    cancel: impl Future<Output = ()>,
    journal: Option<&mut JournalRun>,
) -> Result<BulkSummary, BulkFailure> {
    let started = Instant::now();
    let next_row = journal.as_ref().map_or(1, |j| j.spec.first_row);
    let mut st = State {
        progress,
        batch: 0,
        batches_committed: 0,
        rows_committed: 0,
        mid_message: false,
        journal,
        next_row,
        committing: false,
    };
    tokio::pin!(cancel);
    let spec = st.journal.as_deref().map(|j| j.spec.clone());
    let mut result = match &spec {
        Some(spec) => open_journal(conn, plan, spec, &mut cancel).await,
        None => Ok(()),
    };
    if result.is_ok() {
        result = drive(conn, plan, &mut rx, &mut st, &mut cancel).await;
    }
    if result.is_err() && st.journal.is_some() && conn.is_usable() {
        // Whatever of the batch the server holds goes: its COMMIT never went out, or failed.
        let _ = conn.execute("IF @@TRANCOUNT > 0 ROLLBACK TRAN").await;
    }
    // The encoder side learns that the runner stopped from its next hand-off.
    rx.close();
    let result = result.map_err(|(kind, error, fate)| st.failure(kind, error, fate));
    result.map(|()| BulkSummary {
        rows_copied: st.rows_committed,
        batch_count: st.batches_committed,
        elapsed: started.elapsed(),
    })
}

/// A stop: what kind, the error, and what became of the batch being worked on.
type Stop = (BulkFailureKind, Error, Fate);

/// Creates the journal table if missing. A journal cannot work inside the caller's own
/// transaction: the batch would not be durable at its COMMIT.
async fn open_journal<C: Future<Output = ()>>(
    conn: &mut Connection,
    plan: &BulkPlan,
    journal: &JournalSpec,
    cancel: &mut std::pin::Pin<&mut C>,
) -> Result<(), Stop> {
    if plan.in_transaction {
        return Err((
            BulkFailureKind::Source,
            Error::Unsupported(
                "a journaled load commits each batch itself: it cannot run inside an open transaction".into(),
            ),
            Fate::None,
        ));
    }
    if journal.table_ready {
        return Ok(());
    }
    conn.execute_statement(&journal.create_sql(), cancel.as_mut())
        .await
        .map(|_| ())
        .map_err(|i| (statement_kind(&i), i.error, Fate::None))
}

fn statement_kind(i: &crate::connection::Interrupted) -> BulkFailureKind {
    match &i.error {
        Error::Server { .. } => BulkFailureKind::Server,
        e if i.completion.is_some() => interrupted_kind(e),
        _ => BulkFailureKind::Connection,
    }
}

async fn drive<C: Future<Output = ()>>(
    conn: &mut Connection,
    plan: &BulkPlan,
    rx: &mut mpsc::Receiver<Chunk>,
    st: &mut State<'_>,
    cancel: &mut std::pin::Pin<&mut C>,
) -> Result<(), Stop> {
    loop {
        let chunk = tokio::select! {
            biased;
            _ = cancel.as_mut() => {
                return Err(abandon(conn, st, BulkFailureKind::Cancelled, Error::Cancelled).await);
            }
            c = rx.recv() => c,
        };
        let (bytes, rows, batch_rows) = match chunk {
            Some(Chunk::End) => {
                if st.mid_message {
                    let e =
                        Error::Unsupported("the row source ended in the middle of a batch".into());
                    return Err(abandon(conn, st, BulkFailureKind::Source, e).await);
                }
                return Ok(());
            }
            None => {
                // The encoder went away without `finish`: the source failed. The batch it was
                // filling never commits (whatever of it was sent is abandoned).
                let e = Error::Unsupported("the row source stopped before finishing".into());
                if st.mid_message {
                    return Err(abandon(conn, st, BulkFailureKind::Source, e).await);
                }
                st.batch += 1;
                return Err((BulkFailureKind::Source, e, Fate::Failed));
            }
            Some(Chunk::Packets { bytes, rows }) => (bytes, rows, None),
            Some(Chunk::LastPackets {
                bytes,
                rows,
                batch_rows,
                position,
            }) => (bytes, rows, Some((batch_rows, position))),
        };
        if !st.mid_message {
            st.batch += 1;
            st.progress.batch.store(st.batch, Ordering::Relaxed);
            if st.journal.is_some() {
                // The batch and its journal row commit together (journal.rs).
                if let Err(i) = conn.execute_statement("BEGIN TRAN", cancel.as_mut()).await {
                    return Err((statement_kind(&i), i.error, Fate::Failed));
                }
            }
            // Each batch is its own INSERT BULK, committed on its own (MS-TDS 2.2.6.1).
            if let Err(i) = conn
                .execute_statement(&plan.statement, cancel.as_mut())
                .await
            {
                // Nothing of the batch's data was sent: it cannot have committed.
                return Err((statement_kind(&i), i.error, Fate::Failed));
            }
            st.mid_message = true;
        }
        // Writes are not raced against `cancel`: half a packet on the wire would leave
        // nothing to cancel with. A chunk is at most a few dozen packets.
        if let Err(e) = conn.send_raw(&bytes).await {
            // The message is incomplete on the server's side: it cannot commit.
            return Err((BulkFailureKind::Connection, e, Fate::Failed));
        }
        st.progress
            .bytes_sent
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        st.progress.rows_sent.fetch_add(rows, Ordering::Relaxed);
        let Some((batch_rows, position)) = batch_rows else {
            continue;
        };
        // The message is complete: from here on the batch is outstanding until its answer, and
        // a cancel is an ATTENTION alone (never another packet of the message).
        st.mid_message = false;
        let journaled = st.journal.is_some();
        match conn.await_response(cancel.as_mut()).await {
            Ok(r) => {
                let rows = r.rows_affected.unwrap_or(batch_rows);
                if journaled {
                    commit_journaled(conn, st, rows, batch_rows, position).await?;
                } else {
                    st.committed(rows);
                }
            }
            Err(i) => {
                let server_refused = matches!(i.error, Error::Server { .. });
                let fate = match i.completion {
                    // A journaled batch is only stored, not committed: `run` rolls it back.
                    Some(Completion::Completed { .. }) if journaled => Fate::Failed,
                    // The batch's DONE came before the acknowledgement: it committed.
                    Some(Completion::Completed { rows }) => {
                        st.committed(if rows > 0 { rows } else { batch_rows });
                        Fate::None
                    }
                    Some(Completion::Failed | Completion::Stopped) => Fate::Failed,
                    None if server_refused => Fate::Failed,
                    None => Fate::InDoubt,
                };
                let kind = if server_refused {
                    BulkFailureKind::Server
                } else if i.completion.is_some() {
                    interrupted_kind(&i.error)
                } else {
                    BulkFailureKind::Connection
                };
                return Err((kind, i.error, fate));
            }
        }
    }
}

/// Writes the batch's journal row and commits it with the rows. The COMMIT is not raced
/// against a cancel (a cancel waits for it); if its answer is lost while the connection stays
/// usable (a command timeout), the journal is read back at once to settle it. Only a broken
/// connection leaves the batch in doubt, for a resume to settle with [`read_journal`].
async fn commit_journaled(
    conn: &mut Connection,
    st: &mut State<'_>,
    rows: u64,
    batch_rows: u64,
    position: Option<SourcePosition>,
) -> Result<(), Stop> {
    let Some(journal) = st.journal.as_deref_mut() else {
        st.committed(rows);
        return Ok(());
    };
    let first_row = st.next_row;
    let entry = JournalEntry {
        batch: journal.spec.batches_before + st.batch,
        first_row,
        last_row: position.map_or(first_row + batch_rows.saturating_sub(1), |p| {
            p.next_row.saturating_sub(1).max(first_row)
        }),
        source_end_offset: position.and_then(|p| p.next_offset),
        rows,
    };
    if let Some(f) = journal.before_commit.as_mut() {
        if let Err(e) = f(&entry) {
            // Nothing of the batch commits: `run` rolls the open transaction back.
            return Err((BulkFailureKind::Source, Error::Io(e), Fate::Failed));
        }
    }
    let sql = journal.spec.record_and_commit_sql(&entry);
    st.committing = true;
    let outcome = conn.execute_statement(&sql, std::future::pending()).await;
    match outcome {
        Ok(_) => {}
        Err(i) if matches!(i.error, Error::Server { .. }) => {
            st.committing = false;
            return Err((BulkFailureKind::Server, i.error, Fate::Failed));
        }
        Err(i) if conn.is_usable() => {
            // Answered late or cut off, on a connection still in step: ask the server.
            let _ = conn.execute("IF @@TRANCOUNT > 0 ROLLBACK TRAN").await;
            let spec = &journal.spec;
            match read_journal(conn, &spec.schema, &spec.table, &spec.load_id).await {
                Ok(entries) if entries.iter().any(|e| e.batch == entry.batch) => {}
                Ok(_) => {
                    st.committing = false;
                    return Err((interrupted_kind(&i.error), i.error, Fate::Failed));
                }
                Err(_) => return Err((interrupted_kind(&i.error), i.error, Fate::InDoubt)),
            }
        }
        Err(i) => return Err((BulkFailureKind::Connection, i.error, Fate::InDoubt)),
    }
    st.committing = false;
    st.next_row = entry.last_row + 1;
    if let Some(f) = journal.on_commit.as_mut() {
        f(&entry);
    }
    st.committed(rows);
    Ok(())
}

/// Stops the load where it is. A batch whose message is partly sent is abandoned so that none
/// of it commits: a partial message is never stored, whether or not the server confirms.
async fn abandon(
    conn: &mut Connection,
    st: &mut State<'_>,
    kind: BulkFailureKind,
    error: Error,
) -> Stop {
    if !st.mid_message {
        return (kind, error, Fate::None);
    }
    st.mid_message = false;
    // Whether or not the server acknowledges, an incomplete message never commits; a broken
    // connection shows in the connection's state.
    let _ = conn.abandon_message(packet_type::BULK_LOAD).await;
    (kind, error, Fate::Failed)
}
