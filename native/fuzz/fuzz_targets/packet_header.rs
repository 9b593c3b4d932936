//! Packet framing: any 8+ bytes either decode to a header whose length covers the header, or
//! are rejected; re-encoding a decoded header gives the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::packet::{PacketHeader, PacketWriter, HEADER_LEN};

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = PacketHeader::decode(data) {
        assert!(h.length as usize >= HEADER_LEN);
        assert_eq!(&h.encode()[..], &data[..HEADER_LEN]);
    }
    // Framing arbitrary payload at a fuzzer-chosen packet size never loses or reorders bytes.
    if let Some((&size, payload)) = data.split_first() {
        let size = 512 + size as usize * 64;
        let mut w = PacketWriter::new(0x07, size);
        for chunk in payload.chunks(37) {
            w.buf_mut().extend_from_slice(chunk);
            w.seal_full();
        }
        let framed = w.finish();
        let mut at = 0;
        let mut joined = Vec::new();
        while at < framed.len() {
            let h = PacketHeader::decode(&framed[at..]).expect("own header decodes");
            joined.extend_from_slice(&framed[at + HEADER_LEN..at + h.length as usize]);
            at += h.length as usize;
        }
        assert_eq!(joined, payload);
    }
});
