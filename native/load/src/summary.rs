//! What a load returns: the summary, or an error with the committed account.

use serde::Serialize;

/// Counts of one file of the load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSummary {
    pub path: String,
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_rejected: u64,
    /// A resumed load: rows of this file that earlier runs loaded (the counts above are this
    /// run's, so that they add up to the summary's).
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_loaded_before: u64,
    /// A resumed load: rows of this file that earlier runs rejected in committed batches.
    #[serde(skip_serializing_if = "is_zero")]
    pub rows_rejected_before: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A finished load. Always `rows_read = rows_loaded + rows_rejected` (in a dry run,
/// `rows_loaded` is what would load).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadSummary {
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_rejected: u64,
    pub batches: u64,
    pub elapsed_ms: u64,
    pub dry_run: bool,
    pub files: Vec<FileSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_file: Option<String>,
    /// Decisions the user should know about (the schema inferred over the first file …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Why a load stopped; each kind has its own exit code in `sluice load`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LoadErrorKind {
    /// Bad arguments or options.
    Usage,
    /// The file: unreadable, malformed, not fitting the table, too many bad rows.
    Input,
    /// Could not connect, TLS, login, or the connection broke.
    Connection,
    /// The server refused a statement or a batch.
    Server,
    Cancelled,
}

/// What had committed when the load stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub rows_read: u64,
    pub rows_committed: u64,
    pub batches_committed: u64,
    pub rows_rejected: u64,
    /// A batch fully sent whose answer never came: it may or may not have committed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_doubt_batch: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub message: String,
    /// Present once rows may have been sent.
    pub account: Option<Account>,
}

impl LoadError {
    pub fn new(kind: LoadErrorKind, message: impl Into<String>) -> Self {
        LoadError {
            kind,
            message: message.into(),
            account: None,
        }
    }
    pub fn input(message: impl Into<String>) -> Self {
        Self::new(LoadErrorKind::Input, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(LoadErrorKind::Usage, message)
    }
    /// A client error, classified: connection trouble or the server's refusal.
    pub fn client(what: &str, e: &sluice_client::Error) -> Self {
        use sluice_client::Error as E;
        let kind = match e {
            E::Config(_) => LoadErrorKind::Usage,
            E::Server { .. } | E::Unsupported(_) => LoadErrorKind::Server,
            _ => LoadErrorKind::Connection,
        };
        Self::new(kind, format!("{what}: {e}"))
    }
}
