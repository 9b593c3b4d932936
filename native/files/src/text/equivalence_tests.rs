//! The same text read through every path (UTF-8, UTF-16 LE/BE transcoded as a stream, a
//! single-byte code page decoded per record, CRLF instead of LF) gives the same records and
//! rows, over files large enough to cross every buffer and sample edge.

use super::*;
use crate::{Field, RowSource};

type Records = Vec<(u64, Vec<String>, Vec<u8>)>;

/// About 3 MB of records: quoted fields with delimiters, doubled quotes and newlines, empty
/// fields, and non-ASCII text drawn from `alphabet`.
fn text(alphabet: &[&str], newline: &str) -> String {
    let mut s = String::from("id,name,note,empty");
    s.push_str(newline);
    let mut x: u32 = 1;
    for id in 0..40_000 {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let word = alphabet[(x >> 8) as usize % alphabet.len()];
        let note = match id % 7 {
            0 => format!("\"multi{newline}line {word}\""),
            1 => format!("\"say \"\"{word}\"\", ok\""),
            2 => String::new(),
            _ => format!("{word} {}", x % 1000),
        };
        s.push_str(&format!("{id},{word}{word},{note},{newline}"));
    }
    s
}

fn read(bytes: Vec<u8>) -> (Records, &'static str) {
    let mut r = TextReader::from_bytes("eq.csv", bytes, &TextOptions::default()).expect("open");
    let mut out = Vec::new();
    while r.advance().expect("advance") {
        let fields = (0..r.len())
            .map(|i| match r.field(i) {
                Field::Text(s) => s.to_string(),
                _ => "<empty>".to_string(),
            })
            .collect();
        out.push((
            r.row_number(),
            fields,
            r.raw_record().expect("raw").to_vec(),
        ));
    }
    (out, r.detection().encoding.name)
}

fn strip_raw(recs: &Records) -> Vec<(u64, Vec<String>)> {
    recs.iter().map(|(row, f, _)| (*row, f.clone())).collect()
}

const WIDE: [&str; 8] = [
    "Zoë",
    "Łukasz",
    "陈静",
    "Ольга",
    "😀x",
    "plain",
    "Åsa",
    "naïve",
];
const LATIN: [&str; 6] = ["Zoë", "François", "plain", "Åsa", "naïve", "€uro"];

#[test]
fn utf16_le_and_be_give_the_records_and_raw_bytes_of_utf8() {
    let t = text(&WIDE, "\r\n");
    let (utf8, enc) = read(t.clone().into_bytes());
    assert_eq!(enc, "UTF-8");
    assert_eq!(utf8.len(), 40_001);
    for (bom, le) in [(vec![0xff, 0xfe], true), (vec![0xfe, 0xff], false)] {
        let mut bytes = bom;
        for u in t.encode_utf16() {
            bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let (wide, enc) = read(bytes);
        assert_eq!(enc, if le { "UTF-16LE" } else { "UTF-16BE" });
        assert_eq!(strip_raw(&wide), strip_raw(&utf8));
        for ((_, _, raw16), (_, _, raw8)) in wide.iter().zip(&utf8) {
            let again: Vec<u8> = std::str::from_utf8(raw8)
                .unwrap()
                .encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect();
            assert_eq!(raw16, &again);
        }
    }
}

#[test]
fn windows_1252_gives_the_records_of_utf8_and_keeps_its_raw_bytes() {
    let t = text(&LATIN, "\n");
    let (utf8, _) = read(t.clone().into_bytes());
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&t);
    let (cp, enc) = read(bytes.into_owned());
    assert_eq!(enc, "windows-1252");
    assert_eq!(strip_raw(&cp), strip_raw(&utf8));
    for ((_, _, raw_cp), (_, _, raw8)) in cp.iter().zip(&utf8) {
        let (again, _, _) = encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(raw8).unwrap());
        assert_eq!(raw_cp, &again.into_owned());
    }
}

#[test]
fn crlf_lone_cr_and_lf_files_give_the_same_records_and_rows() {
    let (lf, _) = read(text(&WIDE, "\n").into_bytes());
    for newline in ["\r\n", "\r"] {
        let (other, _) = read(text(&WIDE, newline).into_bytes());
        let fix = |recs: &Records| -> Vec<(u64, Vec<String>)> {
            recs.iter()
                .map(|(row, f, _)| (*row, f.iter().map(|s| s.replace(newline, "\n")).collect()))
                .collect()
        };
        assert_eq!(fix(&other), strip_raw(&lf), "newline {newline:?}");
    }
}
