//! Encoding row values as a server sends them in ROW tokens and a client in bulk-load rows.
//! STUB: being written.

use super::{ConvertError, Value};
use crate::types::TypeInfo;
use bytes::BytesMut;

/// Appends `v` in the row encoding of `ti` (length prefix included). NULL is allowed for the
/// nullable forms; a value that does not fit the type is an error and nothing is written.
pub fn encode_value(_ti: &TypeInfo, _v: &Value, _buf: &mut BytesMut) -> Result<(), ConvertError> {
    Err(ConvertError::Invalid { value: String::new(), ty: String::new(), reason: "not implemented yet".into() })
}
