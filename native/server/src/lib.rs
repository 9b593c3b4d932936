//! A TDS test server: a stand-in for SQL Server with real protocol behaviour (PRELOGIN, TLS in
//! every mode, LOGIN7 with SQL and token logins, packet-size negotiation, routing, SQL batches
//! over an in-memory engine), for tests and benchmarks on machines where SQL Server can't run.

mod browser;
mod bulk_receive;
mod cert;
pub mod config;
mod driver_batches;
pub mod engine;
mod listener;
mod respond;
mod session;
mod transaction_manager;

pub use config::{Faults, ServerConfig, ServerEncrypt};
pub use listener::{start, ServerHandle};
