//! ERROR and INFO (MS-TDS 2.2.7.10, 2.2.7.13): messages the server raises.

use super::token_type;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::{put_utf16le, ByteReader};
use bytes::{BufMut, BytesMut};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerMessage {
    pub number: u32,
    pub state: u8,
    /// Severity: 0–10 informational, 11–16 user errors, 17+ resource or system errors.
    pub class: u8,
    pub message: String,
    pub server: String,
    pub procedure: String,
    pub line: u32,
}

impl ServerMessage {
    /// Decodes the body after the 2-byte length.
    pub fn decode(body: &[u8]) -> DecodeResult<ServerMessage> {
        let mut r = ByteReader::new(body);
        let m = (|| {
            Ok(ServerMessage {
                number: r.u32_le()?,
                state: r.u8()?,
                class: r.u8()?,
                message: r.us_varchar()?,
                server: r.b_varchar()?,
                procedure: r.b_varchar()?,
                line: r.u32_le()?,
            })
        })();
        m.map_err(|e: DecodeError| match e {
            DecodeError::Incomplete => {
                DecodeError::malformed("ERROR/INFO", "fields run past the token's length")
            }
            e => e,
        })
    }
}

/// Appends an ERROR (`is_error`) or INFO token.
pub fn encode_message(m: &ServerMessage, is_error: bool, buf: &mut BytesMut) {
    buf.put_u8(if is_error {
        token_type::ERROR
    } else {
        token_type::INFO
    });
    let len_at = buf.len();
    buf.put_u16_le(0);
    buf.put_u32_le(m.number);
    buf.put_u8(m.state);
    buf.put_u8(m.class);
    let msg: Vec<u16> = m.message.encode_utf16().take(u16::MAX as usize).collect();
    buf.put_u16_le(msg.len() as u16);
    for u in msg {
        buf.put_u16_le(u);
    }
    put_b_varchar(buf, &m.server);
    put_b_varchar(buf, &m.procedure);
    buf.put_u32_le(m.line);
    let len = (buf.len() - len_at - 2) as u16;
    buf[len_at..len_at + 2].copy_from_slice(&len.to_le_bytes());
}

/// B_VARCHAR, truncated to 255 UTF-16 units.
pub(crate) fn put_b_varchar(buf: &mut BytesMut, s: &str) {
    let units: Vec<u16> = s.encode_utf16().take(255).collect();
    buf.put_u8(units.len() as u8);
    for u in units {
        buf.put_u16_le(u);
    }
}

#[allow(dead_code)]
pub(crate) fn put_us_varchar(buf: &mut BytesMut, s: &str) {
    buf.put_u16_le(s.encode_utf16().count() as u16);
    put_utf16le(buf, s);
}
