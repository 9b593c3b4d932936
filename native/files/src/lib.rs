//! Files in: streaming readers for delimited text ([`text`]) and spreadsheets ([`sheet`]) that
//! hand out one row at a time as borrowed [`Field`]s, and the whole-file type inference
//! ([`infer`]) that proposes a SQL Server column type per column with the evidence behind it.
//!
//! Every reader implements [`RowSource`], so the inference (and later the file loader, which
//! converts with the very same parsing functions) never knows which kind of file it reads.
//! Nothing here allocates per row or per value on the hot path: fields borrow the reader's
//! buffer and are valid until the next call to [`RowSource::advance`].

pub mod error;
pub mod field;
pub mod infer;
pub mod inspect;
pub mod read_ahead;
pub mod sheet;
pub mod source;
pub mod text;

pub use error::{ReadError, ReadErrorKind};
pub use field::{Field, SheetDateTime};
pub use source::RowSource;
