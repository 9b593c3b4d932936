//! Per-connection state: current database, SET options, `#temp` tables, transaction depth.

use super::table::Table;
use super::transaction::Undo;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Mutex, MutexGuard};
use tds::token::EnvChange;

/// SPIDs of user sessions start above the system sessions, as on SQL Server.
static NEXT_SPID: AtomicU16 = AtomicU16::new(51);

/// SET options a session carries. Options the engine only records are kept verbatim in
/// `other` (lowercase name → value as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    /// `SET FMTONLY ON`: SELECTs return metadata only and data-changing statements do nothing.
    pub fmtonly: bool,
    /// `SET NOCOUNT ON`: statements report no row count (DONE without COUNT).
    pub nocount: bool,
    /// `SET NOEXEC ON` / `SET PARSEONLY ON`: statements are parsed, not executed.
    pub noexec: bool,
    /// `SET ROWCOUNT n`: SELECT stops after n rows (0 = no limit).
    pub rowcount: u64,
    pub xact_abort: bool,
    pub textsize: i64,
    pub language: String,
    pub dateformat: String,
    pub datefirst: u8,
    pub other: BTreeMap<String, String>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            fmtonly: false,
            nocount: false,
            noexec: false,
            rowcount: 0,
            xact_abort: false,
            textsize: 4096,
            language: "us_english".to_string(),
            dateformat: "mdy".to_string(),
            datefirst: 7,
            other: BTreeMap::new(),
        }
    }
}

/// One connection's state. `Send + Sync`; the interior locks exist so that the bulk-load path
/// can insert into a `#temp` table through `&Session`.
#[derive(Debug)]
pub struct Session {
    /// The current database (as the catalog spells it once a `USE` has succeeded).
    pub database: String,
    pub spid: u16,
    /// The login name (`SYSTEM_USER`, `SUSER_SNAME()`).
    pub login: String,
    /// `@@SERVERNAME` and `SERVERPROPERTY('ServerName')`.
    pub server_name: String,
    pub host_name: String,
    pub app_name: String,
    pub options: SessionOptions,
    /// `@@TRANCOUNT`. Changes made while it is above 0 are undone by ROLLBACK: see
    /// `engine/transaction.rs`.
    pub trancount: u32,
    /// The open transaction's descriptor (ENVCHANGE 8), and the counter that makes them.
    pub(crate) descriptor: Option<u64>,
    pub(crate) next_descriptor: u64,
    /// Transaction ENVCHANGEs not yet sent.
    pub(crate) transaction_changes: Vec<EnvChange>,
    /// How to undo the open transaction's changes, oldest first.
    pub(crate) undo: Mutex<Vec<Undo>>,
    /// Azure SQL Database's name rule: another database's objects (its catalog views included)
    /// may not be named, only the current database's and `tempdb`'s `#temp` tables (error 40515).
    pub single_database: bool,
    /// The table with `IDENTITY_INSERT ON` (at most one per session, as in SQL Server), as the
    /// catalog location key.
    pub(crate) identity_insert: Option<String>,
    /// `@@ROWCOUNT` and `@@ERROR` of the previous statement.
    pub(crate) last_rowcount: u64,
    pub(crate) last_error: u32,
    pub(crate) last_identity: Mutex<Option<i128>>,
    temp_tables: Mutex<BTreeMap<String, Table>>,
}

impl Session {
    pub fn new(database: &str) -> Self {
        let spid = NEXT_SPID.fetch_add(1, Ordering::Relaxed);
        Session {
            database: database.to_string(),
            spid: spid.max(51),
            login: "sa".to_string(),
            server_name: super::functions::SERVER_NAME.to_string(),
            host_name: String::new(),
            app_name: String::new(),
            options: SessionOptions::default(),
            trancount: 0,
            descriptor: None,
            next_descriptor: 0,
            transaction_changes: Vec::new(),
            undo: Mutex::new(Vec::new()),
            single_database: false,
            identity_insert: None,
            last_rowcount: 0,
            last_error: 0,
            last_identity: Mutex::new(None),
            temp_tables: Mutex::new(BTreeMap::new()),
        }
    }

    /// `@@IDENTITY` / `SCOPE_IDENTITY()`: the last identity value this session generated.
    pub fn last_identity(&self) -> Option<i128> {
        *lock(&self.last_identity)
    }

    pub(crate) fn set_last_identity(&self, v: i128) {
        *lock(&self.last_identity) = Some(v);
    }

    /// The session's `#temp` tables, keyed by lowercase name. Never hold this guard while
    /// taking the catalog lock or evaluating expressions.
    pub(crate) fn temp_tables(&self) -> MutexGuard<'_, BTreeMap<String, Table>> {
        lock(&self.temp_tables)
    }

    /// Names of the session's temp tables, for tests and diagnostics.
    pub fn temp_table_names(&self) -> Vec<String> {
        self.temp_tables()
            .values()
            .map(|t| t.name.clone())
            .collect()
    }
}

/// Locks a mutex, taking over the data if a panicking thread poisoned it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
