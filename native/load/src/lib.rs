//! Files to the wire. A file's rows go reader → conversion (the very parsing functions the
//! inference used, `sluice_files::infer::convert`) → TDS bytes in the bulk session's packet
//! buffer, with no per-row or per-value objects in between.
//!
//! - [`run::load`]: one load, start to end (inference, target, load pass, account).
//! - [`mapping`] and [`target`]: which column takes which value; `CREATE TABLE`; the existing
//!   table checked against the file before any row is sent.
//! - [`row_pass`]: the worker-thread loop that converts and encodes; [`cell`] the value hand-over.
//! - [`reject_file`]: skipped rows, byte for byte, with why.
//! - [`template`] is the mapping as a file (the same JSON the desktop app saves and opens).
//! - [`hooks`]: where `--resume` and `--allow-drift` plug in.
//! - [`drift`] compares a file with a template's expected columns before anything is sent;
//!   [`multi_file`] infers one schema over several files.

pub mod cell;
pub mod drift;
pub mod hooks;
pub mod infer_cache;
mod infer_pass;
pub mod journal;
pub mod mapping;
pub mod multi_file;
pub mod progress;
pub mod recording;
pub mod reject_file;
pub mod request;
pub mod resume;
pub mod row_pass;
pub mod run;
pub mod source;
pub mod state_file;
pub mod summary;
pub mod target;
pub mod template;

pub use progress::{LoadProgress, OnProgress};
pub use request::{LoadControl, LoadRequest};
pub use run::load;
pub use summary::{Account, FileSummary, LoadError, LoadErrorKind, LoadSummary};
pub use template::Template;

#[cfg(test)]
mod cache_load_tests;
#[cfg(test)]
mod code_page_load_tests;
#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod quote_load_tests;
#[cfg(test)]
mod resume_load_tests;
#[cfg(test)]
mod several_files_tests;
#[cfg(test)]
mod several_resume_tests;
