//! DONE, DONEPROC and DONEINPROC (MS-TDS 2.2.7.6–2.2.7.8): the end of a statement.

use super::token_type;
use crate::error::DecodeResult;
use crate::reader::ByteReader;
use bytes::{BufMut, BytesMut};

pub mod done_status {
    pub const FINAL: u16 = 0x00;
    pub const MORE: u16 = 0x01;
    pub const ERROR: u16 = 0x02;
    pub const INXACT: u16 = 0x04;
    pub const COUNT: u16 = 0x10;
    pub const ATTN: u16 = 0x20;
    pub const SRVERROR: u16 = 0x100;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoneKind {
    Done,
    DoneProc,
    DoneInProc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    pub kind: DoneKind,
    pub status: u16,
    pub cur_cmd: u16,
    pub row_count: u64,
}

impl Done {
    pub fn decode(kind: DoneKind, r: &mut ByteReader<'_>) -> DecodeResult<Done> {
        Ok(Done {
            kind,
            status: r.u16_le()?,
            cur_cmd: r.u16_le()?,
            row_count: r.u64_le()?,
        })
    }

    /// More results follow in this response.
    pub fn has_more(&self) -> bool {
        self.status & done_status::MORE != 0
    }
    pub fn is_error(&self) -> bool {
        self.status & (done_status::ERROR | done_status::SRVERROR) != 0
    }
    pub fn is_attention_ack(&self) -> bool {
        self.status & done_status::ATTN != 0
    }
    /// The row count, when the server marked it valid.
    pub fn count(&self) -> Option<u64> {
        (self.status & done_status::COUNT != 0).then_some(self.row_count)
    }
}

pub fn encode_done(d: &Done, buf: &mut BytesMut) {
    buf.put_u8(match d.kind {
        DoneKind::Done => token_type::DONE,
        DoneKind::DoneProc => token_type::DONEPROC,
        DoneKind::DoneInProc => token_type::DONEINPROC,
    });
    buf.put_u16_le(d.status);
    buf.put_u16_le(d.cur_cmd);
    buf.put_u64_le(d.row_count);
}
