//! The fields a single-byte code page's reader offers as the file holds them
//! (`RowSource::record_code_page`, `field_code_page_bytes`, `copy_code_page_fields`).

use super::*;
use crate::{Field, RowSource};

fn open(bytes: &[u8], options: &TextOptions) -> TextReader<std::io::Cursor<Vec<u8>>> {
    TextReader::from_bytes("t.csv", bytes.to_vec(), options).expect("open")
}

/// A single-byte code page's record that needed decoding offers its fields as csv-core parsed
/// them (unquoted, quotes undoubled), the very bytes its text decodes from; an all-ASCII
/// record, a record with a byte the page does not define and a UTF-8 file offer none.
#[test]
fn code_page_records_offer_their_parsed_field_bytes() {
    let options = |enc: &str| TextOptions {
        encoding: Some(enc.into()),
        ..TextOptions::default()
    };
    let file = b"name,note\nplain,ascii\n\"Caf\xe9 \"\"\x80\"\"\",x\n";
    let mut r = open(file, &options("windows-1252"));
    assert!(r.advance().unwrap() && r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text("plain"));
    assert_eq!(r.record_code_page(), None, "ASCII: the text is the bytes");
    assert_eq!(r.field_code_page_bytes(0), None);
    assert!(r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text("Café \"€\""));
    assert_eq!(r.record_code_page(), Some(encoding_rs::WINDOWS_1252));
    assert_eq!(r.field_code_page_bytes(0), Some(&b"Caf\xe9 \"\x80\""[..]));
    assert_eq!(r.field_code_page_bytes(1), Some(&b"x"[..]));
    assert_eq!(r.field_code_page_bytes(2), None, "past the end");
    // All at once, after what a buffer already holds: the same bytes, spans into the buffer.
    let (mut bytes, mut spans) = (b"old".to_vec(), vec![(0, 3)]);
    assert_eq!(
        r.copy_code_page_fields(&mut bytes, &mut spans),
        Some(encoding_rs::WINDOWS_1252)
    );
    assert_eq!(bytes, b"oldCaf\xe9 \"\x80\"x");
    assert_eq!(spans, [(0, 3), (3, 11), (11, 12)]);

    // 0xAA is no character of windows-1253: the text holds U+FFFD, and no bytes are offered.
    let mut r = open(b"a,b\n\xe1\xaa,x\n", &options("windows-1253"));
    assert!(r.advance().unwrap() && r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text("α\u{FFFD}"));
    assert_eq!(r.record_code_page(), None);
    let (mut bytes, mut spans) = (Vec::new(), Vec::new());
    assert_eq!(r.copy_code_page_fields(&mut bytes, &mut spans), None);
    assert!(bytes.is_empty() && spans.is_empty());

    let mut r = open("a,b\nZoë,x\n".as_bytes(), &TextOptions::default());
    assert!(r.advance().unwrap() && r.advance().unwrap());
    assert_eq!(r.record_code_page(), None, "UTF-8 text is its own bytes");
}
