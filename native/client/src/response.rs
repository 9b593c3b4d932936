//! Reading a server response: packets in, tokens out, with the token buffer kept in the
//! connection so that an interrupted read (a timeout, a cancel) can resume where it stopped —
//! which is what lets ATTENTION find its acknowledgement in the middle of a result.

use crate::error::{Error, Result};
use crate::packet_io::PacketStream;
use crate::transport::ClientTransport;
use bytes::{Buf, BytesMut};
use tds::packet::packet_type;
use tds::token::{Token, TokenDecoder};
use tds::DecodeError;

#[derive(Default)]
pub struct ResponseReader {
    buf: BytesMut,
    decoder: TokenDecoder,
    /// The last packet of the current message has been read.
    eom: bool,
    /// Between messages: the next packet starts a new response.
    idle: bool,
}

impl ResponseReader {
    pub fn new() -> Self {
        ResponseReader {
            idle: true,
            ..Default::default()
        }
    }

    /// Starts reading a new response (after a request was sent).
    pub fn begin(&mut self) {
        self.buf.clear();
        self.decoder = TokenDecoder::new();
        self.eom = false;
        self.idle = false;
    }

    /// True when the whole response has been read.
    pub fn is_done(&self) -> bool {
        self.idle
    }

    /// True once the response's last packet has arrived: what is left is in the buffer.
    pub fn message_received(&self) -> bool {
        self.eom || self.idle
    }

    /// The next token of the response, or `None` once the message has ended.
    /// Cancel-safe: dropping the future loses nothing.
    pub async fn next(
        &mut self,
        stream: &mut PacketStream<ClientTransport>,
    ) -> Result<Option<Token>> {
        loop {
            if self.idle {
                return Ok(None);
            }
            if !self.buf.is_empty() {
                match self.decoder.decode(&self.buf) {
                    Ok((token, n)) => {
                        self.buf.advance(n);
                        return Ok(Some(token));
                    }
                    Err(DecodeError::Incomplete) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if self.eom {
                if !self.buf.is_empty() {
                    return Err(Error::Protocol(format!(
                        "the response ended inside a token ({} bytes left over)",
                        self.buf.len()
                    )));
                }
                self.idle = true;
                return Ok(None);
            }
            let packet = stream.read_packet().await?.ok_or(Error::Closed)?;
            if packet.header.ty != packet_type::TABULAR_RESULT {
                return Err(Error::Protocol(format!(
                    "expected a tabular result packet, got type 0x{:02X}",
                    packet.header.ty
                )));
            }
            self.eom = packet.header.is_eom();
            if self.buf.is_empty() {
                self.buf = packet.payload;
            } else {
                self.buf.extend_from_slice(&packet.payload);
            }
        }
    }
}
