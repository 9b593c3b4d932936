//! `seek_to_offset`: a reader sent to any record's resume offset reads on exactly as the reader
//! that read every record before it — same records, same row numbers (the file's lines).

use super::{TextOptions, TextReader};
use crate::RowSource;

type Seen = Vec<(u64, Vec<String>, Option<u64>)>;

fn open(bytes: &[u8], options: &TextOptions) -> TextReader<std::io::Cursor<Vec<u8>>> {
    TextReader::from_bytes("t.csv", bytes.to_vec(), options).expect("opens")
}

fn rest(r: &mut TextReader<std::io::Cursor<Vec<u8>>>) -> Seen {
    let mut out = Vec::new();
    while r.advance().expect("reads") {
        let fields = (0..r.len()).map(|i| format!("{:?}", r.field(i))).collect();
        out.push((r.row_number(), fields, r.resume_offset()));
    }
    out
}

fn every_offset_reads_on_the_same(bytes: &[u8], options: &TextOptions) {
    let all = rest(&mut open(bytes, options));
    assert!(all.len() > 3, "{all:?}");
    for (k, (_, _, offset)) in all.iter().enumerate() {
        let offset = offset.expect("a UTF-8 or single-byte file knows its offsets");
        let mut r = open(bytes, options);
        assert!(r.seek_to_offset(offset).expect("seeks"), "record {k}");
        assert_eq!(
            rest(&mut r),
            all[k + 1..],
            "after record {k} (offset {offset})"
        );
    }
}

#[test]
fn lf_crlf_and_lone_cr_files_read_on_from_every_record() {
    for eol in ["\n", "\r\n", "\r"] {
        let text = [
            "id,name,note",
            "1,plain,x",
            "",
            "2,\"two\nlines\",y",
            "3,\"crlf\r\ninside\",\"\"",
            "",
            "",
            "4,Zoë,",
            "5,last,no newline",
        ]
        .join(eol);
        every_offset_reads_on_the_same(text.as_bytes(), &TextOptions::default());
    }
}

#[test]
fn mixed_line_ends_and_a_bom_read_on_from_every_record() {
    let text = b"\xef\xbb\xbfa;b\r\n1;x\n2;y\r3;\"q;\r\n\"\r\n\n4;z\r\n";
    every_offset_reads_on_the_same(text, &TextOptions::default());
}

#[test]
fn a_single_byte_code_page_reads_on_from_every_record() {
    let text = b"id,name\r\n1,caf\xe9\r\n2,na\xefve\r\n3,\"a\r\nb\"\r\n4,end\r\n";
    let options = TextOptions {
        encoding: Some("windows-1252".into()),
        ..Default::default()
    };
    every_offset_reads_on_the_same(text, &options);
}

#[test]
fn a_transcoded_file_does_not_seek_and_stays_as_it_was() {
    let mut bytes = vec![0xff, 0xfe];
    for u in "id,name\n1,a\n2,b\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let mut r = open(&bytes, &TextOptions::default());
    assert!(r.advance().unwrap());
    assert_eq!(r.resume_offset(), None);
    assert!(!r.seek_to_offset(10).unwrap());
    assert!(r.advance().unwrap());
    assert_eq!(r.row_number(), 2);
}

#[test]
fn an_offset_outside_the_file_is_an_error() {
    let bytes = b"a,b\n1,2\n";
    let mut r = open(bytes, &TextOptions::default());
    let e = r.seek_to_offset(100).unwrap_err();
    assert!(e.to_string().contains("byte 100"), "{e}");
}

#[test]
fn line_counts_agree_with_the_reader_across_chunk_borders() {
    // A CRLF split over two pieces is one line, as is each lone CR and LF.
    let mut c = super::reader::LineCount::default();
    c.feed(b"a\r");
    c.feed(b"\nb\r\rc\n");
    c.feed(b"\n");
    assert_eq!(c.lines, 5);
}

/// csv-core drops a BOM at the start of what it parses: a record that begins with the bytes
/// EF BB BF (here `ï»¿` in windows-1252) must not lose them when a reader seeks to it.
#[test]
fn a_record_starting_with_bom_bytes_reads_the_same_after_a_seek() {
    for bytes in [
        &b"ab\n\xef\xbb\xbf\n"[..],
        b"\xff\xff&\n\xef\xbb\xbf",
        b"a,b\n\xef\xbb\xbfx,y\n",
    ] {
        let all = rest(&mut open(bytes, &TextOptions::default()));
        for (k, rec) in all.iter().enumerate() {
            let mut r = open(bytes, &TextOptions::default());
            assert!(r.seek_to_offset(rec.2.unwrap()).unwrap());
            assert_eq!(rest(&mut r), all[k + 1..], "{bytes:?} after record {k}");
        }
    }
}
