//! Reading and writing whole TDS packets over a byte stream. Framing only: what the payload
//! means is the codec's business (`tds`), what to do with it the connection's.

use bytes::{Buf, BytesMut};
use std::io;
use tds::packet::{PacketHeader, HEADER_LEN};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub struct PacketStream<S> {
    io: S,
    rbuf: BytesMut,
}

/// One packet: its header and payload.
pub struct Packet {
    pub header: PacketHeader,
    pub payload: BytesMut,
}

impl<S: AsyncRead + AsyncWrite + Unpin> PacketStream<S> {
    pub fn new(io: S) -> Self {
        PacketStream {
            io,
            rbuf: BytesMut::with_capacity(8192),
        }
    }

    pub fn get_ref(&self) -> &S {
        &self.io
    }

    pub fn get_mut(&mut self) -> &mut S {
        &mut self.io
    }

    /// Bytes read from the socket but not yet handed out as packets.
    pub fn has_buffered(&self) -> bool {
        !self.rbuf.is_empty()
    }

    pub fn into_inner(self) -> S {
        self.io
    }

    /// Reads the next packet. `Ok(None)` at a clean end of stream (between packets).
    pub async fn read_packet(&mut self) -> io::Result<Option<Packet>> {
        loop {
            if self.rbuf.len() >= HEADER_LEN {
                let header = PacketHeader::decode(&self.rbuf)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
                let len = header.length as usize;
                if self.rbuf.len() >= len {
                    let mut packet = self.rbuf.split_to(len);
                    packet.advance(HEADER_LEN);
                    return Ok(Some(Packet {
                        header,
                        payload: packet,
                    }));
                }
                self.rbuf.reserve(len - self.rbuf.len());
            }
            let n = self.io.read_buf(&mut self.rbuf).await?;
            if n == 0 {
                if self.rbuf.is_empty() {
                    return Ok(None);
                }
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the connection closed in the middle of a packet",
                ));
            }
        }
    }

    /// Reads packets up to and including the one marked EOM, returning the first packet's header
    /// (type, status bits) and the joined payload. Refuses messages larger than `limit` bytes.
    pub async fn read_message(
        &mut self,
        limit: usize,
    ) -> io::Result<Option<(PacketHeader, BytesMut)>> {
        let Some(first) = self.read_packet().await? else {
            return Ok(None);
        };
        self.read_rest_of_message(first, limit).await.map(Some)
    }

    /// Completes a message whose first packet the caller already read.
    pub async fn read_rest_of_message(
        &mut self,
        first: Packet,
        limit: usize,
    ) -> io::Result<(PacketHeader, BytesMut)> {
        let header = first.header;
        let mut payload = first.payload;
        let mut eom = first.header.is_eom();
        while !eom {
            let p = self.read_packet().await?.ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the connection closed in the middle of a message",
                )
            })?;
            if payload.len() + p.payload.len() > limit {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("message larger than {limit} bytes"),
                ));
            }
            eom = p.header.is_eom();
            payload.extend_from_slice(&p.payload);
        }
        Ok((header, payload))
    }

    /// Writes already-framed packets and flushes.
    pub async fn write_packets(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.io.write_all(bytes).await?;
        self.io.flush().await
    }
}
