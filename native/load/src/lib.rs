//! Files to the wire. A file's rows go reader → conversion (the very parsing functions the
//! inference used, `sluice_files::infer::convert`) → TDS bytes in the bulk session's packet
//! buffer, with no per-row or per-value objects in between.
//!
//! [`template`] is the mapping as a file (the same JSON the desktop app saves and opens).

pub mod journal;
pub mod resume;
pub mod state_file;
pub mod template;

pub use template::Template;
