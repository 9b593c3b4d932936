//! ENVCHANGE (MS-TDS 2.2.7.9): the server tells the client a session setting changed.

use super::message::put_b_varchar;
use super::token_type;
use crate::collation::Collation;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::{put_utf16le, ByteReader};
use bytes::{BufMut, BytesMut};

pub mod env_type {
    pub const DATABASE: u8 = 1;
    pub const LANGUAGE: u8 = 2;
    pub const CHARSET: u8 = 3;
    pub const PACKET_SIZE: u8 = 4;
    pub const SQL_COLLATION: u8 = 7;
    pub const BEGIN_TRAN: u8 = 8;
    pub const COMMIT_TRAN: u8 = 9;
    pub const ROLLBACK_TRAN: u8 = 10;
    pub const RESET_CONNECTION_ACK: u8 = 18;
    pub const ROUTING: u8 = 20;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvChange {
    Database {
        new: String,
        old: String,
    },
    Language {
        new: String,
        old: String,
    },
    PacketSize {
        new: u32,
        old: u32,
    },
    /// `None` when the server sent an empty collation.
    Collation {
        new: Option<Collation>,
    },
    BeginTransaction {
        descriptor: u64,
    },
    /// The transaction that ended (the token's OldValue).
    CommitTransaction {
        descriptor: u64,
    },
    RollbackTransaction {
        descriptor: u64,
    },
    ResetConnectionAck,
    /// Azure SQL's gateway redirect: log in again at this host and port.
    Routing {
        host: String,
        port: u16,
    },
    Other {
        ty: u8,
    },
}

impl EnvChange {
    /// Decodes the body after the 2-byte length.
    pub fn decode(body: &[u8]) -> DecodeResult<EnvChange> {
        let mut r = ByteReader::new(body);
        Self::decode_inner(&mut r).map_err(|e| match e {
            DecodeError::Incomplete => {
                DecodeError::malformed("ENVCHANGE", "fields run past the token's length")
            }
            e => e,
        })
    }

    fn decode_inner(r: &mut ByteReader<'_>) -> DecodeResult<EnvChange> {
        let ty = r.u8()?;
        Ok(match ty {
            env_type::DATABASE => EnvChange::Database {
                new: r.b_varchar()?,
                old: r.b_varchar()?,
            },
            env_type::LANGUAGE => EnvChange::Language {
                new: r.b_varchar()?,
                old: r.b_varchar()?,
            },
            env_type::PACKET_SIZE => {
                let new = r.b_varchar()?;
                let old = r.b_varchar()?;
                let parse = |s: &str| {
                    s.trim().parse::<u32>().map_err(|_| {
                        DecodeError::malformed(
                            "ENVCHANGE packet size",
                            format!("{s:?} is not a number"),
                        )
                    })
                };
                EnvChange::PacketSize {
                    new: parse(&new)?,
                    old: if old.is_empty() { 0 } else { parse(&old)? },
                }
            }
            env_type::SQL_COLLATION => {
                let n = r.u8()? as usize;
                let b = r.bytes(n)?;
                let new = if n == 5 {
                    Some(Collation::from_bytes([b[0], b[1], b[2], b[3], b[4]]))
                } else {
                    None
                };
                EnvChange::Collation { new }
            }
            env_type::BEGIN_TRAN => {
                let n = r.u8()? as usize;
                let b = r.bytes(n)?;
                if n != 8 {
                    return Err(DecodeError::malformed(
                        "ENVCHANGE begin transaction",
                        format!("descriptor of {n} bytes"),
                    ));
                }
                let mut d = [0u8; 8];
                d.copy_from_slice(b);
                EnvChange::BeginTransaction {
                    descriptor: u64::from_le_bytes(d),
                }
            }
            env_type::COMMIT_TRAN | env_type::ROLLBACK_TRAN => {
                // NewValue is empty; OldValue is the descriptor of the transaction that ended.
                let n = r.u8()? as usize;
                r.skip(n)?;
                let n = r.u8()? as usize;
                let b = r.bytes(n)?;
                let mut d = [0u8; 8];
                if n == 8 {
                    d.copy_from_slice(b);
                }
                let descriptor = u64::from_le_bytes(d);
                if ty == env_type::COMMIT_TRAN {
                    EnvChange::CommitTransaction { descriptor }
                } else {
                    EnvChange::RollbackTransaction { descriptor }
                }
            }
            env_type::RESET_CONNECTION_ACK => EnvChange::ResetConnectionAck,
            env_type::ROUTING => {
                let _len = r.u16_le()?;
                let protocol = r.u8()?;
                if protocol != 0 {
                    return Err(DecodeError::malformed(
                        "ENVCHANGE routing",
                        format!("protocol {protocol} is not TCP"),
                    ));
                }
                let port = r.u16_le()?;
                let host = r.us_varchar()?;
                EnvChange::Routing { host, port }
            }
            other => EnvChange::Other { ty: other },
        })
    }
}

/// Appends an ENVCHANGE token (the test server's side).
pub fn encode_envchange(e: &EnvChange, buf: &mut BytesMut) {
    buf.put_u8(token_type::ENVCHANGE);
    let len_at = buf.len();
    buf.put_u16_le(0);
    match e {
        EnvChange::Database { new, old } => {
            buf.put_u8(env_type::DATABASE);
            put_b_varchar(buf, new);
            put_b_varchar(buf, old);
        }
        EnvChange::Language { new, old } => {
            buf.put_u8(env_type::LANGUAGE);
            put_b_varchar(buf, new);
            put_b_varchar(buf, old);
        }
        EnvChange::PacketSize { new, old } => {
            buf.put_u8(env_type::PACKET_SIZE);
            put_b_varchar(buf, &new.to_string());
            put_b_varchar(buf, &old.to_string());
        }
        EnvChange::Collation { new } => {
            buf.put_u8(env_type::SQL_COLLATION);
            match new {
                Some(c) => {
                    buf.put_u8(5);
                    buf.extend_from_slice(&c.to_bytes());
                }
                None => buf.put_u8(0),
            }
            buf.put_u8(0);
        }
        EnvChange::BeginTransaction { descriptor } => {
            buf.put_u8(env_type::BEGIN_TRAN);
            buf.put_u8(8);
            buf.put_u64_le(*descriptor);
            buf.put_u8(0);
        }
        EnvChange::CommitTransaction { descriptor }
        | EnvChange::RollbackTransaction { descriptor } => {
            buf.put_u8(if matches!(e, EnvChange::CommitTransaction { .. }) {
                env_type::COMMIT_TRAN
            } else {
                env_type::ROLLBACK_TRAN
            });
            buf.put_u8(0);
            buf.put_u8(8);
            buf.put_u64_le(*descriptor);
        }
        EnvChange::ResetConnectionAck => {
            buf.put_u8(env_type::RESET_CONNECTION_ACK);
            buf.put_u8(0);
            buf.put_u8(0);
        }
        EnvChange::Routing { host, port } => {
            buf.put_u8(env_type::ROUTING);
            let units = host.encode_utf16().count();
            buf.put_u16_le((1 + 2 + 2 + units * 2) as u16);
            buf.put_u8(0);
            buf.put_u16_le(*port);
            buf.put_u16_le(units as u16);
            put_utf16le(buf, host);
            buf.put_u16_le(0);
        }
        EnvChange::Other { ty } => {
            buf.put_u8(*ty);
            buf.put_u8(0);
            buf.put_u8(0);
        }
    }
    let len = (buf.len() - len_at - 2) as u16;
    buf[len_at..len_at + 2].copy_from_slice(&len.to_le_bytes());
}
