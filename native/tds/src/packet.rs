//! TDS packets (MS-TDS 2.2.3): an 8-byte header, then up to `packet_size - 8` payload bytes.
//! A message is a run of packets of one type whose last packet has the EOM status bit.

use crate::error::{DecodeError, DecodeResult};
use bytes::{BufMut, BytesMut};

pub const HEADER_LEN: usize = 8;
/// The packet size every connection starts with, until LOGIN7/ENVCHANGE agree another.
pub const DEFAULT_PACKET_SIZE: usize = 4096;
/// The smallest and largest packet sizes SQL Server accepts (MS-TDS 2.2.6.4 PacketSize).
pub const MIN_PACKET_SIZE: usize = 512;
pub const MAX_PACKET_SIZE: usize = 32767;

/// Packet types (MS-TDS 2.2.3.1.1).
pub mod packet_type {
    pub const SQL_BATCH: u8 = 0x01;
    pub const RPC: u8 = 0x03;
    pub const TABULAR_RESULT: u8 = 0x04;
    pub const ATTENTION: u8 = 0x06;
    pub const BULK_LOAD: u8 = 0x07;
    pub const FED_AUTH_TOKEN: u8 = 0x08;
    pub const TRANSACTION_MANAGER: u8 = 0x0E;
    pub const LOGIN7: u8 = 0x10;
    pub const SSPI: u8 = 0x11;
    pub const PRELOGIN: u8 = 0x12;
}

/// Status bits (MS-TDS 2.2.3.1.2).
pub mod status {
    pub const EOM: u8 = 0x01;
    pub const IGNORE: u8 = 0x02;
    pub const RESET_CONNECTION: u8 = 0x08;
    pub const RESET_CONNECTION_SKIP_TRAN: u8 = 0x10;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketHeader {
    pub ty: u8,
    pub status: u8,
    /// Whole packet length, header included (big-endian on the wire).
    pub length: u16,
    pub spid: u16,
    pub packet_id: u8,
    pub window: u8,
}

impl PacketHeader {
    pub fn is_eom(&self) -> bool {
        self.status & status::EOM != 0
    }

    pub fn payload_len(&self) -> usize {
        self.length as usize - HEADER_LEN
    }

    /// Reads a header; a length shorter than the header itself is malformed.
    pub fn decode(b: &[u8]) -> DecodeResult<PacketHeader> {
        if b.len() < HEADER_LEN {
            return Err(DecodeError::Incomplete);
        }
        let length = u16::from_be_bytes([b[2], b[3]]);
        if (length as usize) < HEADER_LEN {
            return Err(DecodeError::malformed(
                "packet header",
                format!("length {length} is shorter than the header"),
            ));
        }
        Ok(PacketHeader {
            ty: b[0],
            status: b[1],
            length,
            spid: u16::from_be_bytes([b[4], b[5]]),
            packet_id: b[6],
            window: b[7],
        })
    }

    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let l = self.length.to_be_bytes();
        let s = self.spid.to_be_bytes();
        [
            self.ty,
            self.status,
            l[0],
            l[1],
            s[0],
            s[1],
            self.packet_id,
            self.window,
        ]
    }
}

/// Splits a message into packets while it is being written, in place.
///
/// The writer owns one buffer that holds complete packets followed by the packet being filled.
/// Callers append payload straight into [`PacketWriter::buf_mut`] (or with `put_slice`) and
/// call [`PacketWriter::seal_full`] after each item: a packet that has grown past the packet size
/// gets its header patched and the overflow moved behind a fresh header (a move of at most one
/// item's tail, never of the whole buffer). [`PacketWriter::take_sealed`] hands out the finished
/// packets for sending while the current one keeps filling — so encoding and socket writes can
/// overlap without a second copy of the payload.
#[derive(Debug)]
pub struct PacketWriter {
    buf: BytesMut,
    /// Offset in `buf` of the header of the packet being filled.
    current: usize,
    packet_size: usize,
    ty: u8,
    /// Extra status bits for the first packet only (e.g. RESET_CONNECTION).
    first_status: u8,
    next_id: u8,
    wrote_first: bool,
    scratch: Vec<u8>,
}

impl PacketWriter {
    pub fn new(ty: u8, packet_size: usize) -> Self {
        Self::with_buffer(ty, packet_size, BytesMut::with_capacity(packet_size))
    }

    /// Starts a message in a buffer the caller recycles (it is cleared first).
    pub fn with_buffer(ty: u8, packet_size: usize, mut buf: BytesMut) -> Self {
        buf.clear();
        let packet_size = packet_size.clamp(MIN_PACKET_SIZE, MAX_PACKET_SIZE);
        buf.put_bytes(0, HEADER_LEN);
        PacketWriter {
            buf,
            current: 0,
            packet_size,
            ty,
            first_status: 0,
            next_id: 1,
            wrote_first: false,
            scratch: Vec::new(),
        }
    }

    pub fn set_first_status(&mut self, bits: u8) {
        self.first_status = bits;
    }

    pub fn packet_size(&self) -> usize {
        self.packet_size
    }

    /// The buffer to append payload to. Call [`PacketWriter::seal_full`] afterwards.
    pub fn buf_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    /// Appends payload bytes, splitting into packets as needed.
    pub fn put_slice(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
        self.seal_full();
    }

    /// Payload bytes written to the packet being filled.
    pub fn current_payload_len(&self) -> usize {
        self.buf.len() - self.current - HEADER_LEN
    }

    /// Closes every packet that has reached the packet size (see the type's docs).
    pub fn seal_full(&mut self) {
        if self.buf.len() - self.current <= self.packet_size {
            return;
        }
        // Move the overflow out once and lay it back packet by packet, so every byte is
        // copied once however many packets it spans (usually it is one item's tail).
        let boundary = self.current + self.packet_size;
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.buf[boundary..]);
        self.buf.truncate(boundary);
        let payload = self.packet_size - HEADER_LEN;
        let mut rest = std::mem::take(&mut self.scratch);
        for chunk in rest.chunks(payload) {
            self.patch_header(self.current, self.buf.len() - self.current, false);
            self.current = self.buf.len();
            self.buf.put_bytes(0, HEADER_LEN);
            self.buf.extend_from_slice(chunk);
        }
        rest.clear();
        self.scratch = rest;
    }

    fn patch_header(&mut self, at: usize, len: usize, eom: bool) {
        let mut st = if eom { status::EOM } else { 0 };
        if !self.wrote_first {
            st |= self.first_status;
            self.wrote_first = true;
        }
        let h = PacketHeader {
            ty: self.ty,
            status: st,
            length: len as u16,
            spid: 0,
            packet_id: self.next_id,
            window: 0,
        };
        self.next_id = self.next_id.wrapping_add(1);
        self.buf[at..at + HEADER_LEN].copy_from_slice(&h.encode());
    }

    /// Removes and returns the packets already sealed, leaving the one being filled.
    pub fn take_sealed(&mut self) -> BytesMut {
        let out = self.buf.split_to(self.current);
        self.current = 0;
        out
    }

    /// Seals the last packet with EOM and returns every packet not yet taken.
    ///
    /// A packet is sealed only once a byte spills past it, so the last packet is never empty.
    pub fn finish(mut self) -> BytesMut {
        let len = self.buf.len() - self.current;
        let at = self.current;
        self.patch_header(at, len, true);
        self.buf
    }
}

/// Frames a small message (PRELOGIN, LOGIN7, SQL batch) into packets in one call.
pub fn frame_message(ty: u8, packet_size: usize, payload: &[u8]) -> BytesMut {
    let mut w = PacketWriter::new(ty, packet_size);
    w.put_slice(payload);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(buf: &[u8]) -> Vec<PacketHeader> {
        let mut out = vec![];
        let mut at = 0;
        while at < buf.len() {
            let h = PacketHeader::decode(&buf[at..]).unwrap();
            at += h.length as usize;
            out.push(h);
        }
        assert_eq!(at, buf.len());
        out
    }

    #[test]
    fn golden_single_packet_sql_batch_header() {
        let b = frame_message(packet_type::SQL_BATCH, 4096, &[0xAA; 4]);
        assert_eq!(
            &b[..],
            &[0x01, 0x01, 0x00, 0x0C, 0x00, 0x00, 0x01, 0x00, 0xAA, 0xAA, 0xAA, 0xAA]
        );
    }

    #[test]
    fn long_message_splits_and_only_last_has_eom() {
        let payload: Vec<u8> = (0..2000u32).map(|i| i as u8).collect();
        let b = frame_message(packet_type::BULK_LOAD, 512, &payload);
        let hs = headers(&b);
        assert_eq!(hs.len(), 4); // 504 * 3 = 1512, + 488
        assert!(hs[..3].iter().all(|h| !h.is_eom() && h.length == 512));
        assert!(hs[3].is_eom());
        assert_eq!(hs[3].payload_len(), 2000 - 504 * 3);
        let ids: Vec<u8> = hs.iter().map(|h| h.packet_id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4]);
        let mut joined = vec![];
        let mut at = 0;
        for h in &hs {
            joined.extend_from_slice(&b[at + 8..at + h.length as usize]);
            at += h.length as usize;
        }
        assert_eq!(joined, payload);
    }

    #[test]
    fn items_written_in_place_are_split_at_the_boundary() {
        let mut w = PacketWriter::new(packet_type::BULK_LOAD, 512);
        let mut expect = vec![];
        for i in 0..300u32 {
            let item = [i as u8; 7];
            w.buf_mut().extend_from_slice(&item);
            expect.extend_from_slice(&item);
            w.seal_full();
        }
        let mut out = w.take_sealed();
        out.extend_from_slice(&w.finish());
        let mut joined = vec![];
        let mut at = 0;
        for h in headers(&out) {
            assert!(h.length as usize <= 512);
            joined.extend_from_slice(&out[at + 8..at + h.length as usize]);
            at += h.length as usize;
        }
        assert_eq!(joined, expect);
    }

    #[test]
    fn exact_fill_ends_with_a_full_eom_packet() {
        let b = frame_message(packet_type::SQL_BATCH, 512, &[1u8; 504]);
        let hs = headers(&b);
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].length, 512);
        assert!(hs[0].is_eom());
    }

    #[test]
    fn first_status_bits_only_on_first_packet() {
        let mut w = PacketWriter::new(packet_type::SQL_BATCH, 512);
        w.set_first_status(status::RESET_CONNECTION);
        w.put_slice(&[0u8; 600]);
        let hs = headers(&w.finish());
        assert_eq!(hs[0].status, status::RESET_CONNECTION);
        assert_eq!(hs[1].status, status::EOM);
    }

    #[test]
    fn header_shorter_than_itself_is_malformed() {
        assert!(matches!(
            PacketHeader::decode(&[4, 1, 0, 7, 0, 0, 1, 0]),
            Err(DecodeError::Malformed { .. })
        ));
        assert_eq!(
            PacketHeader::decode(&[4, 1, 0]),
            Err(DecodeError::Incomplete)
        );
    }
}
