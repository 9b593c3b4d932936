//! SQL batch messages (MS-TDS 2.2.6.7): ALL_HEADERS, then the statement text in UTF-16LE.

use crate::error::{DecodeError, DecodeResult};
use crate::reader::{decode_utf16le, put_utf16le};
use bytes::{BufMut, BytesMut};

/// ALL_HEADERS with the transaction descriptor header (MS-TDS 2.2.5.3), required since TDS 7.2.
/// `transaction` is the descriptor from the last BEGIN TRANSACTION ENVCHANGE, or 0.
pub fn encode_all_headers(transaction: u64, buf: &mut BytesMut) {
    buf.put_u32_le(22); // TotalLength, itself included
    buf.put_u32_le(18); // HeaderLength
    buf.put_u16_le(0x0002); // transaction descriptor
    buf.put_u64_le(transaction);
    buf.put_u32_le(1); // OutstandingRequestCount
}

pub fn encode_sql_batch(sql: &str, transaction: u64, buf: &mut BytesMut) {
    encode_all_headers(transaction, buf);
    put_utf16le(buf, sql);
}

/// Skips ALL_HEADERS at the start of a SQL batch, RPC or bulk-load request; returns the rest.
pub fn skip_all_headers(payload: &[u8]) -> DecodeResult<&[u8]> {
    if payload.len() < 4 {
        return Err(DecodeError::malformed(
            "ALL_HEADERS",
            "shorter than its length field",
        ));
    }
    let total = u32::from_le_bytes([payload[0], payload[1], payload[2], payload[3]]) as usize;
    // Pre-7.2 clients send no ALL_HEADERS; their text starts right away. A TotalLength that is
    // implausible as a header means exactly that, as SQL Server treats it.
    if !(4..=payload.len()).contains(&total) {
        return Err(DecodeError::malformed(
            "ALL_HEADERS",
            format!("TotalLength {total} does not fit the message"),
        ));
    }
    Ok(&payload[total..])
}

/// Decodes a SQL batch payload into its text (the test server's side).
pub fn decode_sql_batch(payload: &[u8]) -> DecodeResult<String> {
    decode_utf16le(skip_all_headers(payload)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_select_1() {
        let mut b = BytesMut::new();
        encode_sql_batch("SELECT 1", 0, &mut b);
        #[rustfmt::skip]
        let expect: &[u8] = &[
            22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
            b'S', 0, b'E', 0, b'L', 0, b'E', 0, b'C', 0, b'T', 0, b' ', 0, b'1', 0,
        ];
        assert_eq!(&b[..], expect);
        assert_eq!(decode_sql_batch(&b).unwrap(), "SELECT 1");
    }

    #[test]
    fn bad_total_length_is_malformed() {
        assert!(decode_sql_batch(&[0xFF, 0xFF, 0, 0, 1, 0]).is_err());
        assert!(decode_sql_batch(&[1, 0]).is_err());
    }
}
