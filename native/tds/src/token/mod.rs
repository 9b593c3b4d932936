//! The token stream a server sends in tabular-result messages (MS-TDS 2.2.7), decoded one token
//! at a time from a buffer that may not yet hold the whole message, and encoded by the test server.

mod colmetadata;
mod done;
mod envchange;
mod loginack;
mod message;

pub use colmetadata::{
    decode_colmetadata, decode_nbcrow, decode_row, decode_row_lenient, encode_colmetadata,
    encode_nbcrow, encode_row,
};
pub use done::{done_status, encode_done, Done, DoneKind};
pub use envchange::{encode_envchange, env_type, EnvChange};
pub use loginack::{encode_feature_ext_ack, encode_loginack, FeatureAck, LoginAck};
pub use message::{encode_message, ServerMessage};

use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use crate::types::ColumnMeta;
use crate::value::Value;
use std::sync::Arc;

pub mod token_type {
    pub const ALTMETADATA: u8 = 0x88;
    pub const ALTROW: u8 = 0xD3;
    pub const COLINFO: u8 = 0xA5;
    pub const COLMETADATA: u8 = 0x81;
    pub const DATACLASSIFICATION: u8 = 0xA3;
    pub const DONE: u8 = 0xFD;
    pub const DONEPROC: u8 = 0xFE;
    pub const DONEINPROC: u8 = 0xFF;
    pub const ENVCHANGE: u8 = 0xE3;
    pub const ERROR: u8 = 0xAA;
    pub const FEATUREEXTACK: u8 = 0xAE;
    pub const FEDAUTHINFO: u8 = 0xEE;
    pub const INFO: u8 = 0xAB;
    pub const LOGINACK: u8 = 0xAD;
    pub const NBCROW: u8 = 0xD2;
    pub const OFFSET: u8 = 0x78;
    pub const ORDER: u8 = 0xA9;
    pub const RETURNSTATUS: u8 = 0x79;
    pub const RETURNVALUE: u8 = 0xAC;
    pub const ROW: u8 = 0xD1;
    pub const SESSIONSTATE: u8 = 0xE4;
    pub const SSPI: u8 = 0xED;
    pub const TABNAME: u8 = 0xA4;
}

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    ColMetadata(Arc<Vec<ColumnMeta>>),
    /// ROW or NBCROW, decoded against the last COLMETADATA.
    Row(Vec<Value>),
    /// A ROW or NBCROW whose framing was intact but one of whose values cannot be represented
    /// (a `datetime2` in year 10000, a `sql_variant` of an unknown base type). The token was
    /// consumed whole, so the stream stays in step: the query fails, not the connection.
    UnreadableRow {
        /// 0-based index into the current COLMETADATA.
        column: usize,
        error: DecodeError,
    },
    Done(Done),
    EnvChange(EnvChange),
    Error(ServerMessage),
    Info(ServerMessage),
    LoginAck(LoginAck),
    FeatureExtAck(Vec<FeatureAck>),
    ReturnStatus(i32),
    /// Column numbers (1-based) the result is ordered by.
    Order(Vec<u16>),
    /// FEDAUTHINFO (the server asks for a token it will get from the client's library);
    /// Sluice only sends ready tokens, so this is kept raw.
    FedAuthInfo(Vec<u8>),
    /// A token with a length prefix that Sluice has no use for (TABNAME, COLINFO, SESSIONSTATE,
    /// SSPI, DATACLASSIFICATION…), skipped whole.
    Skipped {
        ty: u8,
    },
}

/// Decodes tokens in order, remembering the current COLMETADATA that ROW tokens need.
#[derive(Debug, Default, Clone)]
pub struct TokenDecoder {
    columns: Option<Arc<Vec<ColumnMeta>>>,
}

impl TokenDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn columns(&self) -> Option<&Arc<Vec<ColumnMeta>>> {
        self.columns.as_ref()
    }

    /// The length of the ROW or NBCROW token at the start of `buf`, framed by its values'
    /// length prefixes alone: nothing is decoded or copied. What a receiver that only counts
    /// rows needs (the test server's `--sink`). `Ok(None)` when `buf` starts with another token.
    pub fn skip_row(&self, buf: &[u8]) -> DecodeResult<Option<usize>> {
        let mut r = ByteReader::new(buf);
        let ty = r.u8()?;
        if ty != token_type::ROW && ty != token_type::NBCROW {
            return Ok(None);
        }
        let cols = self
            .columns
            .as_ref()
            .ok_or_else(|| DecodeError::malformed("ROW", "a row arrived before any COLMETADATA"))?;
        let bitmap = if ty == token_type::NBCROW {
            Some(r.bytes(cols.len().div_ceil(8))?)
        } else {
            None
        };
        for (i, c) in cols.iter().enumerate() {
            let is_null = bitmap
                .and_then(|b| b.get(i / 8))
                .is_some_and(|byte| byte & (1 << (i % 8)) != 0);
            if !is_null {
                crate::value::decode::skip_value(&c.type_info, &mut r)?;
            }
        }
        Ok(Some(r.position()))
    }

    /// Decodes the token at the start of `buf`. Returns it with the number of bytes it took, or
    /// [`DecodeError::Incomplete`] (nothing consumed, state unchanged) if `buf` ends inside it.
    pub fn decode(&mut self, buf: &[u8]) -> DecodeResult<(Token, usize)> {
        let mut r = ByteReader::new(buf);
        let ty = r.u8()?;
        let token = match ty {
            token_type::COLMETADATA => {
                let cols = decode_colmetadata(&mut r)?;
                let cols = Arc::new(cols);
                Token::ColMetadata(cols)
            }
            token_type::ROW | token_type::NBCROW => {
                let cols = self.columns.as_ref().ok_or_else(|| {
                    DecodeError::malformed("ROW", "a row arrived before any COLMETADATA")
                })?;
                match decode_row_lenient(cols, ty == token_type::NBCROW, &mut r)? {
                    (values, None) => Token::Row(values),
                    (_, Some((column, error))) => Token::UnreadableRow { column, error },
                }
            }
            token_type::DONE | token_type::DONEPROC | token_type::DONEINPROC => {
                let kind = match ty {
                    token_type::DONE => DoneKind::Done,
                    token_type::DONEPROC => DoneKind::DoneProc,
                    _ => DoneKind::DoneInProc,
                };
                Token::Done(Done::decode(kind, &mut r)?)
            }
            token_type::ENVCHANGE => {
                let body = length_prefixed_u16(&mut r)?;
                Token::EnvChange(EnvChange::decode(body)?)
            }
            token_type::ERROR | token_type::INFO => {
                let body = length_prefixed_u16(&mut r)?;
                let m = ServerMessage::decode(body)?;
                if ty == token_type::ERROR {
                    Token::Error(m)
                } else {
                    Token::Info(m)
                }
            }
            token_type::LOGINACK => {
                Token::LoginAck(LoginAck::decode(length_prefixed_u16(&mut r)?)?)
            }
            token_type::FEATUREEXTACK => Token::FeatureExtAck(FeatureAck::decode_all(&mut r)?),
            token_type::RETURNSTATUS => Token::ReturnStatus(r.i32_le()?),
            token_type::ORDER => {
                let body = length_prefixed_u16(&mut r)?;
                if body.len() % 2 != 0 {
                    return Err(DecodeError::malformed("ORDER", "odd length"));
                }
                Token::Order(
                    body.chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect(),
                )
            }
            token_type::FEDAUTHINFO => {
                let len = r.u32_le()? as usize;
                Token::FedAuthInfo(r.bytes(len)?.to_vec())
            }
            token_type::TABNAME
            | token_type::COLINFO
            | token_type::SSPI
            | token_type::DATACLASSIFICATION => {
                length_prefixed_u16(&mut r)?;
                Token::Skipped { ty }
            }
            token_type::SESSIONSTATE => {
                let len = r.u32_le()? as usize;
                r.skip(len)?;
                Token::Skipped { ty }
            }
            _ => {
                return Err(DecodeError::malformed(
                    "token stream",
                    format!(
                        "token type 0x{ty:02X} is not supported (or the stream is out of step)"
                    ),
                ))
            }
        };
        if let Token::ColMetadata(cols) = &token {
            // An empty COLMETADATA (count 0xFFFF) means "no metadata"; rows can't follow it.
            self.columns = if cols.is_empty() {
                None
            } else {
                Some(cols.clone())
            };
        }
        Ok((token, r.position()))
    }
}

fn length_prefixed_u16<'a>(r: &mut ByteReader<'a>) -> DecodeResult<&'a [u8]> {
    let len = r.u16_le()? as usize;
    r.bytes(len)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
#[path = "large_tests.rs"]
mod large_tests;
