//! Transactions that really roll back: `BEGIN TRAN` / `COMMIT` / `ROLLBACK`, the transaction
//! manager's requests, `SET XACT_ABORT ON` and a connection that goes away with a transaction
//! open all end here.
//!
//! While a session has a transaction open (`@@TRANCOUNT > 0`), every change it makes to a table
//! first leaves an undo entry in the session: an append (INSERT, bulk load) remembers where its
//! rows went — cheap however big the table — and any other change (UPDATE, DELETE,
//! TRUNCATE, CREATE, DROP) keeps the table's image from before. ROLLBACK applies the entries
//! newest first; COMMIT of the outermost transaction forgets them. As in SQL Server, identity
//! values handed out inside a rolled-back transaction are not given back.
//!
//! What is simplified: there is no isolation (other sessions see uncommitted rows, as under
//! READ UNCOMMITTED) and no locking: rows other sessions append after a transaction's own are
//! kept by its rollback, but a rollback after another session deleted or updated rows of the
//! same table can remove the wrong ones. `ROLLBACK TRAN savepoint` keeps
//! `@@TRANCOUNT` but undoes nothing.
//!
//! Each change of the outermost transaction's state is reported as SQL Server reports it, an
//! ENVCHANGE (types 8, 9, 10: MS-TDS 2.2.7.9) carrying the transaction descriptor that the
//! client then sends in ALL_HEADERS (MS-TDS 2.2.5.3.2).

use super::catalog::{Catalog, Location};
use super::error::SqlError;
use super::session::{lock, Session};
use super::table::Table;
use tds::token::EnvChange;

/// How to put one table back as it was before a change inside a transaction.
#[derive(Debug)]
pub(crate) enum Undo {
    /// `count` rows were appended at position `from` to the table `object_id` at `loc`.
    Appended {
        loc: Location,
        object_id: i32,
        from: usize,
        count: usize,
    },
    /// The table at `loc` was changed some other way (or created: `None`): put this back.
    Image { loc: Location, table: Option<Table> },
}

/// `BEGIN TRAN`: one level deeper; the outermost begin starts a transaction with a new
/// descriptor.
pub(crate) fn begin(session: &mut Session) {
    if session.trancount == 0 {
        session.next_descriptor = session.next_descriptor.wrapping_add(1);
        // SQL Server's descriptors are opaque 8-byte values; the SPID in the high bits keeps
        // them distinct across sessions, which makes traces easier to read.
        let d = (u64::from(session.spid) << 48) | (session.next_descriptor & 0xFFFF_FFFF_FFFF);
        session.descriptor = Some(d);
        session
            .transaction_changes
            .push(EnvChange::BeginTransaction { descriptor: d });
        lock(&session.undo).clear();
    }
    session.trancount = session.trancount.saturating_add(1);
}

/// `COMMIT`: one level up; the outermost commit makes every change durable.
pub(crate) fn commit(session: &mut Session) -> Result<(), SqlError> {
    if session.trancount == 0 {
        return Err(SqlError::new(
            3902,
            16,
            1,
            "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.",
        ));
    }
    session.trancount -= 1;
    if session.trancount == 0 {
        lock(&session.undo).clear();
        if let Some(descriptor) = session.descriptor.take() {
            session
                .transaction_changes
                .push(EnvChange::CommitTransaction { descriptor });
        }
    }
    Ok(())
}

/// `ROLLBACK`: undoes every change of the transaction and ends it (error 3903 without one).
pub(crate) fn rollback(
    catalog: &Catalog,
    session: &mut Session,
    to_savepoint: bool,
) -> Result<(), SqlError> {
    if session.trancount == 0 {
        return Err(SqlError::new(
            3903,
            16,
            1,
            "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.",
        ));
    }
    if !to_savepoint {
        rollback_open(catalog, session);
    }
    Ok(())
}

/// Rolls back the open transaction, if any: what SQL Server does when XACT_ABORT ends a batch,
/// when a connection closes or is reset with a transaction open.
pub fn rollback_open(catalog: &Catalog, session: &mut Session) {
    if session.trancount == 0 {
        return;
    }
    session.trancount = 0;
    let undo = std::mem::take(&mut *lock(&session.undo));
    for u in undo.into_iter().rev() {
        catalog.undo(session, u);
    }
    if let Some(descriptor) = session.descriptor.take() {
        session
            .transaction_changes
            .push(EnvChange::RollbackTransaction { descriptor });
    }
}

impl Session {
    /// Notes how to undo a change about to be made, when a transaction is open.
    pub(crate) fn remember(&self, undo: impl FnOnce() -> Undo) {
        if self.trancount > 0 {
            lock(&self.undo).push(undo());
        }
    }

    /// The transaction ENVCHANGEs produced since the last call, oldest first: the server sends
    /// them with the response of the request that caused them.
    pub fn take_transaction_changes(&mut self) -> Vec<EnvChange> {
        std::mem::take(&mut self.transaction_changes)
    }

    /// Takes over `old`'s open transaction (a connection reset that keeps it).
    pub fn adopt_transaction(&mut self, old: Session) {
        self.trancount = old.trancount;
        self.descriptor = old.descriptor;
        self.next_descriptor = old.next_descriptor;
        self.transaction_changes = old.transaction_changes;
        self.undo = old.undo;
    }

    /// The ENVCHANGEs not yet sent, for a session being replaced.
    pub fn into_transaction_changes(self) -> Vec<EnvChange> {
        self.transaction_changes
    }

    /// The open transaction's descriptor, if any.
    pub fn transaction_descriptor(&self) -> Option<u64> {
        self.descriptor
    }
}
