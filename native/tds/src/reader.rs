//! A bounds-checked cursor over a byte slice. Every read returns
//! [`DecodeError::Incomplete`] instead of panicking when the slice is too short.

use crate::error::{DecodeError, DecodeResult};

#[derive(Debug, Clone)]
pub struct ByteReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> ByteReader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        ByteReader { buf, pos: 0 }
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The unread part of the slice.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    pub fn bytes(&mut self, n: usize) -> DecodeResult<&'a [u8]> {
        if self.remaining() < n {
            return Err(DecodeError::Incomplete);
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn skip(&mut self, n: usize) -> DecodeResult<()> {
        self.bytes(n).map(|_| ())
    }

    pub fn array<const N: usize>(&mut self) -> DecodeResult<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> DecodeResult<u8> {
        Ok(self.array::<1>()?[0])
    }

    pub fn u16_le(&mut self) -> DecodeResult<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub fn u16_be(&mut self) -> DecodeResult<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub fn i16_le(&mut self) -> DecodeResult<i16> {
        Ok(i16::from_le_bytes(self.array()?))
    }

    pub fn u32_le(&mut self) -> DecodeResult<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn u32_be(&mut self) -> DecodeResult<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub fn i32_le(&mut self) -> DecodeResult<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    pub fn u64_le(&mut self) -> DecodeResult<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    pub fn i64_le(&mut self) -> DecodeResult<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// UTF-16LE text of `chars` code units.
    pub fn utf16(&mut self, chars: usize) -> DecodeResult<String> {
        let len = chars
            .checked_mul(2)
            .ok_or_else(|| DecodeError::malformed("string", "length overflows"))?;
        decode_utf16le(self.bytes(len)?)
    }

    /// B_VARCHAR: a 1-byte character count, then UTF-16LE.
    pub fn b_varchar(&mut self) -> DecodeResult<String> {
        let n = self.u8()? as usize;
        self.utf16(n)
    }

    /// US_VARCHAR: a 2-byte character count, then UTF-16LE.
    pub fn us_varchar(&mut self) -> DecodeResult<String> {
        let n = self.u16_le()? as usize;
        self.utf16(n)
    }
}

/// Decodes UTF-16LE bytes; unpaired surrogates become U+FFFD as SQL Server's own tools show them.
pub fn decode_utf16le(bytes: &[u8]) -> DecodeResult<String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::malformed(
            "UTF-16 string",
            "odd number of bytes",
        ));
    }
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    Ok(char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect())
}

/// Appends `s` as UTF-16LE.
///
/// This is on the bulk path for every character value, so it writes into the buffer's room
/// rather than one code unit at a time: ASCII text widens byte by byte (the high bytes are the
/// zeros the room starts with); other text never takes more than two bytes per UTF-8 byte.
/// (Sixteen-byte widening through `put_slice` measured slower: a call per chunk.)
pub fn put_utf16le(buf: &mut bytes::BytesMut, s: &str) {
    let start = buf.len();
    let room = s.len().saturating_mul(2);
    buf.resize(start.saturating_add(room), 0);
    let Some(out) = buf.get_mut(start..) else {
        return;
    };
    let written = if s.is_ascii() {
        for (pair, &b) in out.chunks_exact_mut(2).zip(s.as_bytes()) {
            pair[0] = b;
        }
        room
    } else {
        let mut n = 0;
        for (pair, unit) in out.chunks_exact_mut(2).zip(s.encode_utf16()) {
            pair.copy_from_slice(&unit.to_le_bytes());
            n += 2;
        }
        n
    };
    buf.truncate(start + written);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the 16-byte steps, ASCII and not, gives the standard encoding.
    #[test]
    fn put_utf16le_is_the_standard_encoding() {
        let mut text = String::new();
        for n in 0..70 {
            for s in [text.clone(), format!("{text}é"), format!("€{text}😀")] {
                let mut buf = bytes::BytesMut::from(&b"xy"[..]);
                put_utf16le(&mut buf, &s);
                let want: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
                assert_eq!(&buf[..2], b"xy");
                assert_eq!(&buf[2..], &want[..], "{s:?}");
            }
            text.push(char::from(b' ' + (n % 90) as u8));
        }
    }

    #[test]
    fn short_reads_are_incomplete_not_panics() {
        let mut r = ByteReader::new(&[1, 2, 3]);
        assert_eq!(r.u16_le(), Ok(0x0201));
        assert_eq!(r.u16_le(), Err(DecodeError::Incomplete));
        assert_eq!(r.u8(), Ok(3));
        assert_eq!(r.u8(), Err(DecodeError::Incomplete));
    }

    #[test]
    fn b_varchar_reads_utf16() {
        let mut r = ByteReader::new(&[2, b'h', 0, b'i', 0, 9]);
        assert_eq!(r.b_varchar().as_deref(), Ok("hi"));
        assert_eq!(r.remaining(), 1);
    }

    #[test]
    fn put_utf16le_writes_the_same_units_as_encode_utf16() {
        for s in [
            "",
            "plain ascii",
            "Zoë",
            "日本語",
            "emoji 😀 and ß",
            "\u{10FFFF}x",
        ] {
            let mut buf = bytes::BytesMut::from(&b"head"[..]);
            put_utf16le(&mut buf, s);
            let mut want = b"head".to_vec();
            for u in s.encode_utf16() {
                want.extend_from_slice(&u.to_le_bytes());
            }
            assert_eq!(&buf[..], &want[..], "{s:?}");
        }
    }

    #[test]
    fn huge_utf16_length_is_incomplete() {
        let mut r = ByteReader::new(&[0xff, 0xff]);
        assert_eq!(r.us_varchar(), Err(DecodeError::Incomplete));
    }
}
