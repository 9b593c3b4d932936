//! LOGINACK (MS-TDS 2.2.7.14) and FEATUREEXTACK (MS-TDS 2.2.7.11).

use super::message::put_b_varchar;
use super::token_type;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use bytes::{BufMut, BytesMut};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAck {
    pub interface: u8,
    /// The TDS version the server agreed to, e.g. 0x74000004.
    pub tds_version: u32,
    pub prog_name: String,
    /// major, minor, build high, build low.
    pub prog_version: [u8; 4],
}

impl LoginAck {
    pub fn decode(body: &[u8]) -> DecodeResult<LoginAck> {
        let mut r = ByteReader::new(body);
        (|| {
            Ok(LoginAck {
                interface: r.u8()?,
                // Sent most significant byte first, unlike LOGIN7's field.
                tds_version: r.u32_be()?,
                prog_name: r.b_varchar()?,
                prog_version: r.array()?,
            })
        })()
        .map_err(|e: DecodeError| match e {
            DecodeError::Incomplete => {
                DecodeError::malformed("LOGINACK", "fields run past the token's length")
            }
            e => e,
        })
    }
}

pub fn encode_loginack(a: &LoginAck, buf: &mut BytesMut) {
    buf.put_u8(token_type::LOGINACK);
    let len_at = buf.len();
    buf.put_u16_le(0);
    buf.put_u8(a.interface);
    buf.put_u32(a.tds_version);
    put_b_varchar(buf, &a.prog_name);
    buf.extend_from_slice(&a.prog_version);
    let len = (buf.len() - len_at - 2) as u16;
    buf[len_at..len_at + 2].copy_from_slice(&len.to_le_bytes());
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureAck {
    pub id: u8,
    pub data: Vec<u8>,
}

impl FeatureAck {
    pub fn decode_all(r: &mut ByteReader<'_>) -> DecodeResult<Vec<FeatureAck>> {
        let mut out = Vec::new();
        loop {
            let id = r.u8()?;
            if id == 0xFF {
                return Ok(out);
            }
            if out.len() >= 64 {
                return Err(DecodeError::malformed("FEATUREEXTACK", "too many features"));
            }
            let len = r.u32_le()? as usize;
            out.push(FeatureAck {
                id,
                data: r.bytes(len)?.to_vec(),
            });
        }
    }
}

pub fn encode_feature_ext_ack(acks: &[FeatureAck], buf: &mut BytesMut) {
    buf.put_u8(token_type::FEATUREEXTACK);
    for a in acks {
        buf.put_u8(a.id);
        buf.put_u32_le(a.data.len() as u32);
        buf.extend_from_slice(&a.data);
    }
    buf.put_u8(0xFF);
}
