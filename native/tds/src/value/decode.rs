//! Decoding row values (ROW / NBCROW, MS-TDS 2.2.7.19, 2.2.7.13). STUB: being written.

use super::Value;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use crate::types::TypeInfo;

/// Reads one column value of type `ti` (TYPE_VARBYTE in the row) from `r`.
pub fn decode_value(_ti: &TypeInfo, _r: &mut ByteReader<'_>) -> DecodeResult<Value> {
    Err(DecodeError::malformed("value", "not implemented yet"))
}
