//! TYPE_INFO encoding and decoding (MS-TDS 2.2.5.4) and SQL type names. STUB: being written.

use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use crate::types::{SqlType, TypeInfo};
use bytes::BytesMut;

/// Reads TYPE_INFO.
pub fn decode_type_info(_r: &mut ByteReader<'_>) -> DecodeResult<TypeInfo> {
    Err(DecodeError::malformed("TYPE_INFO", "not implemented yet"))
}

/// Appends TYPE_INFO.
pub fn encode_type_info(_ti: &TypeInfo, _buf: &mut BytesMut) {}

impl SqlType {
    /// The declaration as written in SQL: `int`, `decimal(18,4)`, `nvarchar(max)`, `datetime2(7)`,
    /// `varchar(20)` (no COLLATE clause; see [`SqlType::collation`]).
    pub fn sql_name(&self) -> String {
        String::new()
    }

    /// Parses a type as declared in SQL (`name` case-insensitive, `params` the numbers in the
    /// parentheses, `None` standing for `max`). `None` for an unknown type or bad parameters.
    pub fn from_declaration(_name: &str, _params: &[Option<u32>], _collation: Option<crate::collation::Collation>) -> Option<SqlType> {
        None
    }
}
