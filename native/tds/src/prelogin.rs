//! PRELOGIN (MS-TDS 2.2.6.5): the first message each side sends, agreeing on encryption.
//! The same format serves the client's request and the server's response.

use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use bytes::{BufMut, BytesMut};

mod option {
    pub const VERSION: u8 = 0x00;
    pub const ENCRYPTION: u8 = 0x01;
    pub const INSTOPT: u8 = 0x02;
    pub const THREADID: u8 = 0x03;
    pub const MARS: u8 = 0x04;
    pub const TRACEID: u8 = 0x05;
    pub const FEDAUTHREQUIRED: u8 = 0x06;
    pub const NONCEOPT: u8 = 0x07;
    pub const TERMINATOR: u8 = 0xFF;
}

/// The ENCRYPTION option's values (MS-TDS 2.2.6.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncryptionLevel {
    /// Encryption available but off: only LOGIN7 is encrypted.
    Off,
    On,
    NotSupported,
    Required,
}

impl EncryptionLevel {
    pub fn to_byte(self) -> u8 {
        match self {
            EncryptionLevel::Off => 0,
            EncryptionLevel::On => 1,
            EncryptionLevel::NotSupported => 2,
            EncryptionLevel::Required => 3,
        }
    }

    /// The low bits carry the level; 0x20 (client certificate) and 0x80 (extension) are flags.
    pub fn from_byte(b: u8) -> DecodeResult<Self> {
        match b & 0x0F {
            0 => Ok(EncryptionLevel::Off),
            1 => Ok(EncryptionLevel::On),
            2 => Ok(EncryptionLevel::NotSupported),
            3 => Ok(EncryptionLevel::Required),
            _ => Err(DecodeError::malformed(
                "PRELOGIN ENCRYPTION",
                format!("unknown value 0x{b:02X}"),
            )),
        }
    }
}

/// A PRELOGIN message. `None` options are not sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PreLogin {
    /// UL_VERSION (major, minor, build as 4 bytes big-endian) + US_SUBBUILD.
    pub version: Option<[u8; 6]>,
    pub encryption: Option<EncryptionLevel>,
    /// INSTOPT: the instance name without its terminating NUL (client), or the match byte (server).
    pub instance: Option<Vec<u8>>,
    pub thread_id: Option<u32>,
    pub mars: Option<bool>,
    pub trace_id: Option<[u8; 36]>,
    pub fed_auth_required: Option<bool>,
    pub nonce: Option<[u8; 32]>,
}

impl PreLogin {
    pub fn encode(&self, buf: &mut BytesMut) {
        let mut opts: Vec<(u8, Vec<u8>)> = Vec::new();
        if let Some(v) = self.version {
            opts.push((option::VERSION, v.to_vec()));
        }
        if let Some(e) = self.encryption {
            opts.push((option::ENCRYPTION, vec![e.to_byte()]));
        }
        if let Some(i) = &self.instance {
            let mut v = i.clone();
            v.push(0);
            opts.push((option::INSTOPT, v));
        }
        if let Some(t) = self.thread_id {
            opts.push((option::THREADID, t.to_be_bytes().to_vec()));
        }
        if let Some(m) = self.mars {
            opts.push((option::MARS, vec![m as u8]));
        }
        if let Some(t) = self.trace_id {
            opts.push((option::TRACEID, t.to_vec()));
        }
        if let Some(f) = self.fed_auth_required {
            opts.push((option::FEDAUTHREQUIRED, vec![f as u8]));
        }
        if let Some(n) = self.nonce {
            opts.push((option::NONCEOPT, n.to_vec()));
        }
        let mut offset = opts.len() * 5 + 1;
        for (token, data) in &opts {
            buf.put_u8(*token);
            buf.put_u16(offset as u16);
            buf.put_u16(data.len() as u16);
            offset += data.len();
        }
        buf.put_u8(option::TERMINATOR);
        for (_, data) in &opts {
            buf.extend_from_slice(data);
        }
    }

    /// Decodes a whole PRELOGIN payload. Unknown options are skipped, as the spec asks.
    pub fn decode(payload: &[u8]) -> DecodeResult<PreLogin> {
        let mut r = ByteReader::new(payload);
        let mut out = PreLogin::default();
        let mut count = 0;
        loop {
            let token = r
                .u8()
                .map_err(|_| DecodeError::malformed("PRELOGIN", "option list not terminated"))?;
            if token == option::TERMINATOR {
                break;
            }
            count += 1;
            if count > 64 {
                return Err(DecodeError::malformed("PRELOGIN", "too many options"));
            }
            let offset = r
                .u16_be()
                .map_err(|_| DecodeError::malformed("PRELOGIN", "truncated option header"))?
                as usize;
            let len = r
                .u16_be()
                .map_err(|_| DecodeError::malformed("PRELOGIN", "truncated option header"))?
                as usize;
            let data = offset
                .checked_add(len)
                .and_then(|end| payload.get(offset..end))
                .ok_or_else(|| {
                    DecodeError::malformed(
                        "PRELOGIN",
                        format!("option 0x{token:02X} points outside the message"),
                    )
                })?;
            let exact = |n: usize| -> DecodeResult<()> {
                if data.len() < n {
                    Err(DecodeError::malformed(
                        "PRELOGIN",
                        format!("option 0x{token:02X} is {} bytes, expected {n}", data.len()),
                    ))
                } else {
                    Ok(())
                }
            };
            match token {
                option::VERSION => {
                    exact(6)?;
                    let mut v = [0u8; 6];
                    v.copy_from_slice(&data[..6]);
                    out.version = Some(v);
                }
                option::ENCRYPTION => {
                    exact(1)?;
                    out.encryption = Some(EncryptionLevel::from_byte(data[0])?);
                }
                option::INSTOPT => {
                    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
                    out.instance = Some(data[..end].to_vec());
                }
                // Clients may send an empty THREADID; treat it as absent.
                option::THREADID if data.len() >= 4 => {
                    out.thread_id = Some(u32::from_be_bytes([data[0], data[1], data[2], data[3]]));
                }
                option::MARS => {
                    exact(1)?;
                    out.mars = Some(data[0] != 0);
                }
                option::TRACEID => {
                    exact(36)?;
                    let mut t = [0u8; 36];
                    t.copy_from_slice(&data[..36]);
                    out.trace_id = Some(t);
                }
                option::FEDAUTHREQUIRED => {
                    exact(1)?;
                    out.fed_auth_required = Some(data[0] != 0);
                }
                option::NONCEOPT => {
                    exact(32)?;
                    let mut n = [0u8; 32];
                    n.copy_from_slice(&data[..32]);
                    out.nonce = Some(n);
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_client_prelogin() {
        let p = PreLogin {
            version: Some([0x01, 0x00, 0x00, 0x00, 0x00, 0x00]),
            encryption: Some(EncryptionLevel::On),
            instance: Some(vec![]),
            thread_id: Some(0),
            mars: Some(false),
            ..Default::default()
        };
        let mut b = BytesMut::new();
        p.encode(&mut b);
        #[rustfmt::skip]
        let expect: &[u8] = &[
            0x00, 0x00, 0x1A, 0x00, 0x06,
            0x01, 0x00, 0x20, 0x00, 0x01,
            0x02, 0x00, 0x21, 0x00, 0x01,
            0x03, 0x00, 0x22, 0x00, 0x04,
            0x04, 0x00, 0x26, 0x00, 0x01,
            0xFF,
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x01,
            0x00,
            0x00, 0x00, 0x00, 0x00,
            0x00,
        ];
        assert_eq!(&b[..], expect);
        assert_eq!(PreLogin::decode(&b).unwrap(), p);
    }

    #[test]
    fn option_pointing_outside_is_malformed() {
        let bad = [0x01, 0x00, 0x40, 0x00, 0x01, 0xFF];
        assert!(matches!(
            PreLogin::decode(&bad),
            Err(DecodeError::Malformed { .. })
        ));
    }

    #[test]
    fn missing_terminator_is_malformed() {
        assert!(PreLogin::decode(&[0x01, 0x00, 0x06, 0x00, 0x01]).is_err());
        assert!(PreLogin::decode(&[]).is_err());
    }

    #[test]
    fn unknown_options_are_skipped() {
        let msg = [
            0x09, 0x00, 0x0B, 0x00, 0x01, 0x01, 0x00, 0x0B, 0x00, 0x01, 0xFF, 0x03,
        ];
        let p = PreLogin::decode(&msg).unwrap();
        assert_eq!(p.encryption, Some(EncryptionLevel::Required));
    }
}
