//! The delimited-text reader with detection on arbitrary bytes: every record and field is read
//! (and the raw record), under small limits so that the limit paths run too. Nothing may panic
//! or hang; every record moves the reader forward; rows never go back; a rewind reads the same;
//! the memchr split of quote-free lines reads exactly as csv-core alone.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_files::text::{EscapeStyle, InvalidUtf8, TextOptions, TextReader};
use sluice_files::{Field, ReadErrorKind, RowSource};

fn options(sel: u8) -> TextOptions {
    let mut o = TextOptions::default();
    o.delimiter = match sel & 7 {
        0 => Some(b','),
        1 => Some(b';'),
        2 => Some(b'\t'),
        3 => Some(b'|'),
        _ => None,
    };
    if sel & 8 != 0 {
        o.invalid_utf8 = InvalidUtf8::Replace;
    }
    if sel & 16 != 0 {
        o.comment = Some(b'#');
    }
    if sel & 32 != 0 {
        o.max_record_bytes = 64;
        o.max_fields = 8;
    }
    if sel & 64 != 0 {
        o.sample_bytes = 32;
        o.sample_records = 3;
    }
    if sel & 128 != 0 {
        o.escape = Some(EscapeStyle::Backslash);
    }
    o
}

/// Reads to the end; the rows seen and the kind of the final error, if any.
fn read_all(
    r: &mut TextReader<std::io::Cursor<Vec<u8>>>,
    limit: usize,
) -> (Vec<u64>, Option<ReadErrorKind>) {
    let mut rows = Vec::new();
    for _ in 0..limit {
        match r.advance() {
            Ok(true) => {
                let row = r.row_number();
                assert!(rows.last().is_none_or(|&last| row > last), "rows go back");
                rows.push(row);
                let mut bytes = 0;
                for i in 0..=r.len() {
                    if let Field::Text(s) = r.field(i) {
                        bytes += s.len();
                    }
                }
                let raw = r.raw_record().expect("text has raw records");
                let _ = (bytes, raw.len());
            }
            Ok(false) => return (rows, None),
            Err(e) if matches!(e.kind, ReadErrorKind::InvalidEncoding { .. }) => {
                rows.push(e.row.unwrap_or(0))
            }
            Err(e) => {
                assert!(!r.advance().expect("after an error the reader has ended"));
                return (rows, Some(e.kind));
            }
        }
    }
    panic!("more records than bytes: the reader does not move forward");
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let Ok(mut r) = TextReader::from_bytes("fuzz.csv", bytes.to_vec(), &options(sel)) else {
        return;
    };
    // Each record holds at least one byte of the file, or the reader ends.
    let first = read_all(&mut r, bytes.len() + 2);
    assert!(r.bytes_read() <= bytes.len() as u64);
    r.rewind().expect("rewind");
    let again = read_all(&mut r, bytes.len() + 2);
    assert_eq!(first, again, "a rewind reads the same");
    // A reader sent to a record's resume offset reads on as the one that read up to it.
    if first.1.is_none() {
        seek_reads_on_the_same(bytes, sel);
    }
    // Quote-free lines split with memchr read exactly as csv-core alone reads them.
    let with = |plain: bool| {
        TextReader::from_bytes("fuzz.csv", bytes.to_vec(), &options(sel)).map(|mut r| {
            r.set_plain_split(plain);
            everything(&mut r, bytes.len() + 2)
        })
    };
    if let (Ok(fast), Ok(slow)) = (with(true), with(false)) {
        assert_eq!(fast, slow, "the memchr split and csv-core disagree");
    }
});

/// Every record's row, fields, raw bytes and offsets, and every error, as text.
fn everything(r: &mut TextReader<std::io::Cursor<Vec<u8>>>, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..limit {
        match r.advance() {
            Ok(true) => {
                let fields: Vec<String> =
                    (0..=r.len()).map(|i| format!("{:?}", r.field(i))).collect();
                out.push(format!(
                    "{} {fields:?} {:?} {} {:?} {:?}",
                    r.row_number(),
                    r.raw_record(),
                    r.bytes_read(),
                    r.resume_offset(),
                    r.record_text()
                ));
            }
            Ok(false) => {
                out.push(format!("end {}", r.bytes_read()));
                break;
            }
            Err(e) => out.push(format!("error {e}")),
        }
    }
    out
}

/// Each record's (row, field count, resume offset), or `None` at an error.
fn records(r: &mut TextReader<std::io::Cursor<Vec<u8>>>) -> Option<Vec<(u64, usize, Option<u64>)>> {
    let mut out = Vec::new();
    for _ in 0..1_000_000 {
        match r.advance() {
            Ok(true) => out.push((r.row_number(), r.len(), r.resume_offset())),
            Ok(false) => return Some(out),
            Err(_) => return None,
        }
    }
    None
}

fn seek_reads_on_the_same(bytes: &[u8], sel: u8) {
    let Ok(mut r) = TextReader::from_bytes("fuzz.csv", bytes.to_vec(), &options(sel)) else {
        return;
    };
    let Some(all) = records(&mut r) else {
        return;
    };
    let Some(k) = all.len().checked_sub(1).map(|n| n / 2) else {
        return;
    };
    let Some(offset) = all.get(k).and_then(|rec| rec.2) else {
        return;
    };
    let Ok(mut again) = TextReader::from_bytes("fuzz.csv", bytes.to_vec(), &options(sel)) else {
        return;
    };
    assert!(again
        .seek_to_offset(offset)
        .expect("seeks to its own offset"));
    let rest = records(&mut again).expect("what read once reads again");
    assert_eq!(rest, all[k + 1..], "reading on from byte {offset}");
}
