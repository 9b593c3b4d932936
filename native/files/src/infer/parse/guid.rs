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
    let mut out = [0u8; 16];
    let mut nibbles = 0usize;
    for (i, &c) in inner.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return None,
        };
        let byte = out.get_mut(nibbles / 2)?;
        *byte = (*byte << 4) | v;
        nibbles += 1;
    }
    Some(out)
}

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
