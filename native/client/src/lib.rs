//! A TDS client on Tokio: connect (TCP, PRELOGIN, TLS, LOGIN7), run SQL batches, cancel.
//! The byte-level work is the `tds` crate's; this crate owns sockets, TLS and timing.
//! The packet and TLS plumbing lives in `sluice-io`, shared with the test server (`sluice-server`);
//! it is re-exported here under its old paths.

mod browser;
pub mod bulk;
pub mod connection;
pub mod error;
mod login;
mod response;
pub mod result;
pub mod tls_config;

pub use sluice_io::{packet_io, prelogin_tls, transport};

pub use connection::{Connection, ServerInfo};
pub use error::{Error, Result};
pub use result::{BatchResult, ResultSet};
