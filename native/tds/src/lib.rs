//! The TDS (Tabular Data Stream) wire format, as pure functions over byte buffers.
//!
//! Nothing in this crate touches a socket or an async runtime: encoders append to a
//! [`bytes::BytesMut`], decoders read from a `&[u8]` and either return a value, report that
//! more bytes are needed ([`DecodeError::Incomplete`]), or explain why the bytes are malformed.
//! Every decoder is reachable from the fuzz targets in `native/fuzz`, so no input may panic.
//!
//! Section numbers in comments refer to the MS-TDS specification.

pub mod bulk;
pub mod collation;
pub mod conn_string;
pub mod error;
pub mod login7;
pub mod packet;
pub mod prelogin;
pub mod reader;
pub mod sql_batch;
pub mod ssrp;
pub mod token;
pub mod type_info;
pub mod types;
pub mod value;

pub use error::DecodeError;
