//! Client errors, each with a stable `code` that reaches JavaScript unchanged.

use std::time::Duration;
use tds::conn_string::ConnStringError;
use tds::token::ServerMessage;
use tds::DecodeError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid connection string: {0}")]
    Config(#[from] ConnStringError),
    #[error("{0}")]
    Unsupported(String),
    #[error("could not connect to {host}:{port}: {source}")]
    Connect {
        host: String,
        port: u16,
        source: std::io::Error,
    },
    /// `Server=host\instance`: the SQL Browser could not tell the instance's TCP port.
    #[error("could not find instance {instance:?} on {host} through SQL Browser (UDP {browser_port}): {reason}")]
    InstanceLookup {
        host: String,
        browser_port: u16,
        instance: String,
        reason: String,
    },
    #[error("{what} timed out after {} ms", .after.as_millis())]
    Timeout { what: &'static str, after: Duration },
    #[error("TLS: {0}")]
    Tls(String),
    #[error("the connection asked for encryption but the server does not support it (PRELOGIN said {0}); refusing to continue unencrypted")]
    EncryptionRefused(&'static str),
    #[error("login failed: {}", .0.message)]
    Login(ServerMessage),
    #[error("{}", .first.message)]
    Server {
        first: ServerMessage,
        all: Vec<ServerMessage>,
    },
    /// A value the server sent that this client cannot represent (a `datetime2` in year 10000,
    /// a `sql_variant` of an unknown base type); the response was read to its end, so the
    /// connection is still usable.
    #[error("column '{column}': {detail}")]
    Value { column: String, detail: String },
    #[error("protocol error: {0}")]
    Protocol(String),
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the request was cancelled")]
    Cancelled,
    #[error("the connection is closed")]
    Closed,
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Protocol(e.to_string())
    }
}

impl Error {
    /// A short stable identifier for programs (and the JS `code` property).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Config(_) => "ECONFIG",
            Error::Unsupported(_) => "EUNSUPPORTED",
            Error::Connect { .. } | Error::InstanceLookup { .. } => "ECONNECT",
            Error::Timeout { .. } => "ETIMEOUT",
            Error::Tls(_) => "ETLS",
            Error::EncryptionRefused(_) => "EENCRYPT",
            Error::Login(_) => "ELOGIN",
            Error::Server { .. } => "EREQUEST",
            Error::Value { .. } => "EVALUE",
            Error::Protocol(_) => "EPROTOCOL",
            Error::Io(_) => "ESOCKET",
            Error::Cancelled => "ECANCEL",
            Error::Closed => "ECLOSED",
        }
    }

    /// The server's message behind the error, for login and request errors.
    pub fn server_message(&self) -> Option<&ServerMessage> {
        match self {
            Error::Login(m) => Some(m),
            Error::Server { first, .. } => Some(first),
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
