//! TDS 7.x carries the TLS handshake *inside* PRELOGIN packets (MS-TDS 2.2.6.5, 3.2.5.2):
//! each flight of TLS records is wrapped in packets of type 0x12, and only once the handshake is
//! over do TLS records travel bare on the socket. This adapter sits between the socket and
//! rustls and does the wrapping while `handshaking` is true, then gets out of the way.
//!
//! tokio-rustls writes a flight and then flushes; the adapter buffers the writes and frames the
//! whole flight as one PRELOGIN message on flush. Reads strip packet headers.

use bytes::BytesMut;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tds::packet::{frame_message, packet_type, PacketHeader, DEFAULT_PACKET_SIZE, HEADER_LEN};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

#[derive(Debug)]
pub struct PreloginTls<S> {
    inner: S,
    handshaking: bool,
    /// Reads still unwrap PRELOGIN packets (turned off by `handshake_done`, or as soon as the
    /// peer sends a bare TLS record).
    read_wrapped: bool,
    /// Bytes read as a packet header that turned out to start a bare TLS record.
    stash: Vec<u8>,
    /// Header bytes of the packet being read, and payload bytes of it not yet read.
    header: [u8; HEADER_LEN],
    header_have: usize,
    payload_left: usize,
    /// TLS bytes written since the last flush, and framed bytes not yet on the socket.
    pending: Vec<u8>,
    framed: BytesMut,
    /// TDS 8.0 client side: the first byte from the server must start a TLS record. A TDS packet
    /// there (a pre-2022 server answering as if this were PRELOGIN) is refused at once.
    expect_tls_record: bool,
}

/// What a TLS-first (TDS 8.0) client says when the server answers with TDS instead of TLS.
pub const NOT_TDS8_MESSAGE: &str =
    "the server does not support Encrypt=Strict (TDS 8.0); use Encrypt=Mandatory";

impl<S> PreloginTls<S> {
    /// Wraps `inner`; `handshaking` is false for TDS 8.0, where TLS runs bare from the start.
    pub fn new(inner: S, handshaking: bool) -> Self {
        PreloginTls {
            inner,
            handshaking,
            read_wrapped: handshaking,
            stash: Vec::new(),
            header: [0; HEADER_LEN],
            header_have: 0,
            payload_left: 0,
            pending: Vec::new(),
            framed: BytesMut::new(),
            expect_tls_record: false,
        }
    }

    /// A TDS 8.0 client's wrapper: TLS runs bare from the start, and a server that answers the
    /// ClientHello with a TDS packet (PRELOGIN 0x12 or a response 0x04) fails the handshake with
    /// [`NOT_TDS8_MESSAGE`] instead of leaving rustls to wait for a record that never comes.
    pub fn tls_first_client(inner: S) -> Self {
        PreloginTls {
            expect_tls_record: true,
            ..PreloginTls::new(inner, false)
        }
    }

    /// Call once the TLS handshake has completed: from then on TLS records are written bare.
    /// Reads keep unwrapping PRELOGIN packets until the peer's first bare record shows up, since
    /// a peer may still send post-handshake messages (TLS 1.3 tickets) in PRELOGIN packets.
    pub fn handshake_done(&mut self) {
        self.handshaking = false;
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for PreloginTls<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if !this.stash.is_empty() {
            let n = this.stash.len().min(buf.remaining());
            buf.put_slice(&this.stash[..n]);
            this.stash.drain(..n);
            return Poll::Ready(Ok(()));
        }
        if !this.read_wrapped {
            let before = buf.filled().len();
            ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
            if this.expect_tls_record {
                if let Some(&first) = buf.filled().get(before) {
                    this.expect_tls_record = false;
                    if first == packet_type::PRELOGIN || first == packet_type::TABULAR_RESULT {
                        return Poll::Ready(Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!(
                                "the server answered the TLS ClientHello with a TDS packet (type 0x{first:02X}): {NOT_TDS8_MESSAGE}"
                            ),
                        )));
                    }
                }
            }
            return Poll::Ready(Ok(()));
        }
        while this.payload_left == 0 {
            while this.header_have < HEADER_LEN {
                let mut hb = ReadBuf::new(&mut this.header[this.header_have..]);
                ready!(Pin::new(&mut this.inner).poll_read(cx, &mut hb))?;
                let n = hb.filled().len();
                if n == 0 {
                    return Poll::Ready(Ok(())); // EOF: rustls reports the broken handshake
                }
                this.header_have += n;
            }
            this.header_have = 0;
            // TLS record types (change_cipher_spec, alert, handshake, application_data) are not
            // TDS packet types: the peer finished its side of the handshake and now sends bare
            // records (a client's LOGIN7 right after its Finished). Hand the bytes over as they are.
            if (0x14..=0x17).contains(&this.header[0]) {
                this.read_wrapped = false;
                this.stash.extend_from_slice(&this.header);
                return self.poll_read(cx, buf);
            }
            let h = PacketHeader::decode(&this.header)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            if h.ty != packet_type::PRELOGIN && h.ty != packet_type::TABULAR_RESULT {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "expected a PRELOGIN packet carrying TLS, got packet type 0x{:02X}",
                        h.ty
                    ),
                )));
            }
            this.payload_left = h.payload_len();
        }
        // Only the handshake goes through here (a few KB), so a scratch copy costs nothing.
        let want = this.payload_left.min(buf.remaining());
        let mut scratch = vec![0u8; want];
        let mut limited = ReadBuf::new(&mut scratch);
        ready!(Pin::new(&mut this.inner).poll_read(cx, &mut limited))?;
        let n = limited.filled().len();
        buf.put_slice(&scratch[..n]);
        this.payload_left -= n;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for PreloginTls<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if !this.handshaking {
            return Pin::new(&mut this.inner).poll_write(cx, data);
        }
        this.pending.extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.framed.is_empty() && !this.pending.is_empty() {
            this.framed = frame_message(packet_type::PRELOGIN, DEFAULT_PACKET_SIZE, &this.pending);
            this.pending.clear();
        }
        while !this.framed.is_empty() {
            let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &this.framed))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            let _ = this.framed.split_to(n);
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().poll_flush(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_tls_first_client_refuses_a_tds_packet_where_a_tls_record_belongs() {
        for first in [packet_type::PRELOGIN, packet_type::TABULAR_RESULT] {
            let (client, mut server) = tokio::io::duplex(64);
            server
                .write_all(&[first, 1, 0, 8, 0, 0, 1, 0])
                .await
                .unwrap();
            let mut wrapped = PreloginTls::tls_first_client(client);
            let mut buf = [0u8; 8];
            let e = wrapped.read(&mut buf).await.unwrap_err();
            assert!(e.to_string().contains(NOT_TDS8_MESSAGE), "{e}");
        }
    }

    #[tokio::test]
    async fn a_tls_first_client_passes_tls_records_through_unchanged() {
        let (client, mut server) = tokio::io::duplex(64);
        let record = [0x16, 0x03, 0x03, 0x00, 0x01, 0x02];
        server.write_all(&record).await.unwrap();
        drop(server);
        let mut wrapped = PreloginTls::tls_first_client(client);
        let mut got = Vec::new();
        wrapped.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, record);
    }
}
