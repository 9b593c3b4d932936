//! `Cell::CodePage`: a single-byte code page's bytes copied as they are into a varchar of that
//! page (golden wire bytes), transcoded once into every other character column, and always the
//! same wire bytes and the same refusals as the decoded text gives.

use super::tests::{col, enc, CP1252, UTF8};
use super::*;
use crate::collation::{encoding_of_code_page, Collation, CODE_PAGES};
use crate::types::VarLen;
use encoding_rs::{Encoding, WINDOWS_1252, WINDOWS_1253};

/// Greek_CI_AS: a Windows collation with LCID 0x0408, code page 1253.
const CP1253: Collation = Collation {
    info: 0x00D0_0408,
    sort_id: 0,
};

/// "Zoë paid €5 für Müller" in windows-1252, as a file holds it.
const CP1252_TEXT: &[u8] = b"Zo\xEB paid \x805 f\xFCr M\xFCller";

fn varchar(n: u16, collation: Collation) -> SqlType {
    SqlType::VarChar {
        len: VarLen::Len(n),
        collation,
    }
}

fn nvarchar(len: VarLen) -> SqlType {
    SqlType::NVarChar {
        len,
        collation: CP1252,
    }
}

fn cp<'a>(bytes: &'a [u8], encoding: &'static Encoding) -> Cell<'a> {
    Cell::CodePage { bytes, encoding }
}

fn try_enc(ty: SqlType, cell: Cell<'_>) -> Result<Vec<u8>, CellError> {
    let mut buf = BytesMut::from(&b"row"[..]);
    let r = encode_cell(&col(ty), cell, &mut buf);
    if r.is_err() {
        assert_eq!(buf.as_ref(), b"row", "{ty:?} {cell:?}: buffer not restored");
    }
    r.map(|()| buf[3..].to_vec())
}

fn decoded(bytes: &[u8], encoding: &'static Encoding) -> String {
    let (text, malformed) = encoding.decode_without_bom_handling(bytes);
    assert!(!malformed, "{bytes:?} is valid {}", encoding.name());
    text.into_owned()
}

#[test]
fn cp1252_bytes_go_into_a_cp1252_varchar_exactly_as_the_file_holds_them() {
    assert_eq!(CP1253.code_page(), Some(1253));
    let wire = enc(varchar(50, CP1252), cp(CP1252_TEXT, WINDOWS_1252));
    let mut want = (CP1252_TEXT.len() as u16).to_le_bytes().to_vec();
    want.extend_from_slice(CP1252_TEXT);
    assert_eq!(wire, want, "USHORTLEN then the file's own bytes");
    // The same bytes the decoded text's own encoding gives.
    let text = decoded(CP1252_TEXT, WINDOWS_1252);
    assert_eq!(wire, enc(varchar(50, CP1252), Cell::Text(&text)));
}

#[test]
fn every_byte_windows_1252_defines_goes_as_is_and_the_undefined_ones_of_other_pages_are_refused() {
    let all: Vec<u8> = (0..=255).collect();
    let wire = enc(varchar(300, CP1252), cp(&all, WINDOWS_1252));
    assert_eq!(
        &wire[2..],
        &all[..],
        "WHATWG windows-1252 defines all 256 bytes"
    );
    // windows-1253 leaves 0xAA undefined: refused, not sent as a byte the server cannot read.
    let e = try_enc(varchar(10, CP1253), cp(b"a\xAAb", WINDOWS_1253)).unwrap_err();
    assert_eq!(e.reason, "byte 0xAA is not a character of windows-1253");
    let e = try_enc(nvarchar(VarLen::Len(10)), cp(b"a\xAAb", WINDOWS_1253)).unwrap_err();
    assert_eq!(e.reason, "byte 0xAA is not a character of windows-1253");
}

/// For every single-byte code page a collation uses and every byte, the code-page cell gives
/// the wire bytes (or the refusal) that its decoded text gives, into the same page, another
/// page, a UTF-8 collation and nvarchar.
#[test]
fn code_page_cells_encode_exactly_like_their_decoded_text_in_every_column() {
    let columns = |c: Collation| {
        [
            varchar(8, c),
            varchar(8, CP1252),
            varchar(8, CP1253),
            varchar(8, UTF8),
            nvarchar(VarLen::Len(8)),
            nvarchar(VarLen::Max),
            SqlType::VarChar {
                len: VarLen::Max,
                collation: c,
            },
        ]
    };
    for &page in &CODE_PAGES {
        let Some(encoding) = encoding_of_code_page(page).filter(|e| e.is_single_byte()) else {
            continue;
        };
        let collation = Collation {
            // A SQL collation would need a sort id; the LCID of a language of the page does.
            info: 0x00D0_0000 | u32::from(lcid_of(page)),
            sort_id: 0,
        };
        assert_eq!(collation.code_page(), Some(page), "lcid for {page}");
        for b in 0..=255u8 {
            let bytes = [b'x', b, b'y'];
            let (text, malformed) = encoding.decode_without_bom_handling(&bytes);
            for ty in columns(collation) {
                let got = try_enc(ty, cp(&bytes, encoding));
                if malformed {
                    let e = got.expect_err("an undefined byte is refused");
                    assert!(e.reason.contains("is not a character of"), "{e:?}");
                    continue;
                }
                let want = try_enc(ty, Cell::Text(&text));
                match (&got, &want) {
                    (Ok(g), Ok(w)) => assert_eq!(g, w, "{page} byte {b:#04x} into {ty:?}"),
                    (Err(g), Err(w)) => {
                        assert_eq!(g.reason, w.reason, "{page} byte {b:#04x} into {ty:?}");
                        assert_eq!(g.value, w.value);
                    }
                    _ => panic!("{page} byte {b:#04x} into {ty:?}: {got:?} vs {want:?}"),
                }
            }
        }
    }
}

/// A language whose Windows code page is `page`.
fn lcid_of(page: u16) -> u16 {
    match page {
        874 => 0x041E,  // Thai
        1250 => 0x0405, // Czech
        1251 => 0x0419, // Russian
        1252 => 0x0409, // English (US)
        1253 => 0x0408, // Greek
        1254 => 0x041F, // Turkish
        1255 => 0x040D, // Hebrew
        1256 => 0x0401, // Arabic
        1257 => 0x0425, // Estonian
        1258 => 0x042A, // Vietnamese
        _ => panic!("no language listed for {page}"),
    }
}

#[test]
fn cp1252_text_into_nvarchar_and_utf8_varchar_is_transcoded_once_to_the_same_bytes() {
    let text = decoded(CP1252_TEXT, WINDOWS_1252);
    for ty in [
        nvarchar(VarLen::Len(40)),
        nvarchar(VarLen::Max),
        varchar(40, UTF8),
    ] {
        assert_eq!(
            enc(ty, cp(CP1252_TEXT, WINDOWS_1252)),
            enc(ty, Cell::Text(&text)),
            "{ty:?}"
        );
    }
    let mut want = (text.encode_utf16().count() as u16 * 2)
        .to_le_bytes()
        .to_vec();
    for u in text.encode_utf16() {
        want.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(
        enc(nvarchar(VarLen::Len(40)), cp(CP1252_TEXT, WINDOWS_1252)),
        want
    );
    // Longer than a stack chunk of UTF-16: chunks join seamlessly.
    let long: Vec<u8> = CP1252_TEXT.iter().copied().cycle().take(2000).collect();
    let long_text = decoded(&long, WINDOWS_1252);
    for ty in [nvarchar(VarLen::Max), varchar(4000, CP1253)] {
        assert_eq!(
            try_enc(ty, cp(&long, WINDOWS_1252)).map_err(|e| e.reason),
            try_enc(ty, Cell::Text(&long_text)).map_err(|e| e.reason),
            "{ty:?}"
        );
    }
}

#[test]
fn a_character_the_other_code_page_lacks_is_refused_with_the_decoded_value() {
    let e = try_enc(varchar(40, CP1253), cp(CP1252_TEXT, WINDOWS_1252)).unwrap_err();
    assert_eq!(
        e.reason,
        "character 'ë' cannot be represented in code page 1253"
    );
    assert_eq!(
        e.value, "Zoë paid €5 für Müller",
        "the value shown is the text"
    );
    // The euro sign is in both pages: 0x80 in each.
    assert_eq!(
        enc(varchar(4, CP1253), cp(b"\x805", WINDOWS_1252)),
        [2, 0, 0x80, b'5']
    );
}

#[test]
fn length_limits_count_the_columns_units() {
    // 5 characters, 5 bytes in code page 1252.
    let e = try_enc(varchar(4, CP1252), cp(b"M\xFCller", WINDOWS_1252)).unwrap_err();
    assert_eq!(
        e.reason,
        "string or binary data would be truncated: 6 bytes, the column holds 4"
    );
    assert_eq!(e.value, "Müller");
    let e = try_enc(nvarchar(VarLen::Len(5)), cp(b"M\xFCller", WINDOWS_1252)).unwrap_err();
    assert!(e.reason.contains("6 UTF-16 code units"), "{e:?}");
    assert_eq!(
        enc(varchar(6, CP1252), cp(b"M\xFCller", WINDOWS_1252)).len(),
        8
    );
}

#[test]
fn code_page_text_into_other_types_reads_as_its_text() {
    assert_eq!(
        enc(SqlType::Int, cp(b"42", WINDOWS_1252)),
        enc(SqlType::Int, Cell::Text("42"))
    );
    let e = try_enc(SqlType::Int, cp(b"4\xE92", WINDOWS_1252)).unwrap_err();
    assert_eq!(e.value, "4é2");
    assert_eq!(
        enc(SqlType::Variant, cp(b"\xE9", WINDOWS_1252)),
        enc(SqlType::Variant, Cell::Text("é"))
    );
    // A byte that is no character of the page is refused here too, not replaced.
    let e = try_enc(SqlType::Variant, cp(b"\xAA", WINDOWS_1253)).unwrap_err();
    assert_eq!(e.reason, "byte 0xAA is not a character of windows-1253");
    // Empty text is an empty value, not NULL.
    assert_eq!(enc(varchar(4, CP1252), cp(b"", WINDOWS_1252)), [0, 0]);
}
