//! GUIDs as text: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, optionally in braces, any hex case.
//!
//! Thirty-two hex digits without hyphens are not taken as a GUID: that is how MD5 hashes are
//! written, and loading one as `uniqueidentifier` would change what it means.

/// Reads a GUID into its 16 bytes in the order they are written (RFC 4122 order). SQL Server
/// stores the first three groups little-endian; the row encoder swaps them, not this function.
pub fn parse_guid(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    let inner = match (b.first(), b.last()) {
        (Some(b'{'), Some(b'}')) if b.len() == 38 => b.get(1..37)?,
        _ if b.len() == 36 => b,
        _ => return None,
    };
    let inner: &[u8; 36] = inner.try_into().ok()?;
    if inner[8] != b'-' || inner[13] != b'-' || inner[18] != b'-' || inner[23] != b'-' {
        return None;
    }
    // Table lookups and one check at the end: hex digits are random, so a branch per digit
    // would mispredict a third of the time.
    let mut out = [0u8; 16];
    let mut invalid = 0u8;
    for (byte, pos) in out.iter_mut().zip(HEX_PAIRS) {
        let hi = HEX[usize::from(inner[pos])];
        let lo = HEX[usize::from(inner[pos + 1])];
        invalid |= hi | lo;
        *byte = (hi << 4) | (lo & 0x0F);
    }
    (invalid & 0xF0 == 0).then_some(out)
}

/// Where each byte's two hex digits start in `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
const HEX_PAIRS: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/// A hex digit's value, or 0xF0 (a bit outside 0–15) for any other byte.
const HEX: [u8; 256] = {
    let mut t = [0xF0u8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            _ => 0xF0,
        };
        c += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_and_braced_guids_parse_in_written_order() {
        let g = parse_guid("6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap();
        assert_eq!(g[0], 0x6F);
        assert_eq!(g[15], 0xFF);
        assert_eq!(
            parse_guid("{6f9619ff-8b86-d011-b42d-00c04fc964ff}"),
            Some(g)
        );
    }

    #[test]
    fn malformed_guids_are_rejected() {
        for s in [
            "6F9619FF8B86D011B42D00C04FC964FF",
            "6F9619FF-8B86-D011-B42D-00C04FC964F",
            "6F9619FF-8B86-D011-B42D-00C04FC964FG",
            "6F9619FF-8B86-D011-B42D_00C04FC964FF",
            "{6F9619FF-8B86-D011-B42D-00C04FC964FF",
        ] {
            assert_eq!(parse_guid(s), None, "{s}");
        }
    }
}
