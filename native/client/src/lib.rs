//! A TDS client on Tokio: connect (TCP, PRELOGIN, TLS, LOGIN7), run SQL batches, cancel.
//! The byte-level work is the `tds` crate's; this crate owns sockets, TLS and timing.
//! The packet and TLS plumbing is shared with the test server (`sluice-server`).

pub mod bulk;
pub mod connection;
pub mod error;
mod login;
pub mod packet_io;
pub mod prelogin_tls;
mod response;
pub mod result;
pub mod tls_config;
pub mod transport;

pub use connection::{Connection, ServerInfo};
pub use error::{Error, Result};
pub use result::{BatchResult, ResultSet};
