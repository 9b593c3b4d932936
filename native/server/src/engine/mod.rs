//! The test server's SQL engine: a small, synchronous, in-memory SQL Server.
//!
//! It understands what drivers, SqlBulkCopy-style loaders and tests send — the connection
//! probes and SET options, CREATE/DROP/TRUNCATE TABLE, INSERT, simple SELECTs, USE,
//! transactions, `sp_tablecollations_100` — and answers with SQL Server's result shapes,
//! error numbers and message texts. It knows nothing of the network: [`execute_batch`] turns
//! a batch's text into [`Outcome`]s, which the server encodes as tokens.
//!
//! # What is simplified
//! - **Transactions roll back but do not isolate.** `BEGIN TRAN`/`COMMIT`/`ROLLBACK` keep
//!   `@@TRANCOUNT` right (errors 3902/3903 included) and ROLLBACK (also XACT_ABORT, and a
//!   connection closed or reset inside a transaction) undoes the transaction's changes; but
//!   other sessions see uncommitted rows and nothing is locked (see `transaction.rs`).
//!   `ROLLBACK TRAN savepoint` undoes nothing.
//! - One schema, `dbo`, per database. Names compare case-insensitively.
//! - The server's local time zone is UTC.
//! - SELECT reads one table: no joins, GROUP BY, DISTINCT, subqueries or set operators.
//! - Statements the engine does not implement fail with error 40517.
//! - Errors unwind as in SQL Server: most end their statement and the batch goes on; missing
//!   tables/columns (208/207), conversion failures (245, 241, 8114, …) and undeclared
//!   variables end the batch (see `SqlError::unwind`). `SET XACT_ABORT ON` ends it on any error.

mod aggregate;
mod bulk;
mod catalog;
mod collation_names;
mod compare;
mod condition;
mod convert;
mod datetime;
mod ddl;
mod dml;
mod error;
mod eval;
mod exec;
mod functions;
mod insert;
mod names;
mod numeric;
mod order_by;
mod parse;
mod select;
mod session;
mod sp_columns;
mod system;
mod system_views;
mod table;
mod transaction;
mod type_decl;
mod typed;
mod value_text;

#[cfg(test)]
mod tests;

pub use bulk::{parse_insert_bulk, BulkColumn, BulkOptions, InsertBulk};
pub use catalog::Catalog;
pub use error::SqlError;
pub use session::{Session, SessionOptions};
pub use transaction::rollback_open;

/// `BEGIN TRAN` outside SQL, for the transaction manager's requests.
pub fn begin_transaction(session: &mut Session) {
    transaction::begin(session)
}

/// `COMMIT` outside SQL (error 3902 without a transaction).
pub fn commit_transaction(session: &mut Session) -> Result<(), SqlError> {
    transaction::commit(session)
}

use tds::types::ColumnMeta;
use tds::value::Value;

/// What one statement of a batch produced, in order. An [`Outcome::Error`] may be followed by
/// an [`Outcome::Info`] that belongs to the same statement (3621 "The statement has been
/// terminated."); the statement's DONE goes after both.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A result set: COLMETADATA + ROWs + DONE(count). Under `SET NOCOUNT ON`
    /// ([`SessionOptions::nocount`]) the DONE carries no count.
    Rows {
        columns: Vec<ColumnMeta>,
        rows: Vec<Vec<Value>>,
    },
    /// A statement that returned no rows; `rows_affected` is `Some(n)` for
    /// INSERT/DELETE/UPDATE (DONE with COUNT) unless NOCOUNT is on, `None` otherwise.
    Done {
        rows_affected: Option<u64>,
    },
    /// The database changed (USE): the server sends ENVCHANGE type 1 (and SQL Server adds
    /// INFO 5701 "Changed database context to '…'.").
    DatabaseChanged {
        old: String,
        new: String,
    },
    Error(SqlError),
    /// An informational message (class 0): PRINT output (number 0) or 3621.
    Info {
        number: u32,
        message: String,
    },
}

/// Parses and runs a batch. A syntax error anywhere fails the whole batch with a single
/// error and nothing runs; a runtime error ends its statement (or, for the errors SQL Server
/// treats so — missing tables and columns, conversion failures — the rest of the batch).
/// Never panics; hostile input is refused with an error.
pub fn execute_batch(catalog: &Catalog, session: &mut Session, sql: &str) -> Vec<Outcome> {
    exec::run_batch(catalog, session, sql, 0)
}
