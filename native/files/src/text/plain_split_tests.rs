//! The memchr split of quote-free lines (`TextReader::plain_split`) against csv-core alone:
//! the same records, fields, rows, raw bytes, offsets and errors, over random text made of the
//! bytes that matter (delimiters, quotes, CR, LF, backslashes, comment marks, non-ASCII, BOM
//! bytes: csv-core drops them at the start of what a new parser reads), in
//! every dialect and with limits small enough to be reached.

use super::*;
use crate::{Field, RowSource};

fn events(bytes: &[u8], options: &TextOptions, plain_split: bool) -> Vec<String> {
    let mut r = match TextReader::from_bytes("p.csv", bytes.to_vec(), options) {
        Ok(r) => r,
        Err(e) => return vec![format!("open: {e}")],
    };
    r.set_plain_split(plain_split);
    let mut out = Vec::new();
    for _ in 0..100_000 {
        match r.advance() {
            Ok(true) => {
                let fields: Vec<String> = (0..r.len())
                    .map(|i| match r.field(i) {
                        Field::Text(s) => format!("{s:?}"),
                        other => format!("{other:?}"),
                    })
                    .collect();
                let whole = r.record_text().map(|(t, e)| format!("{t:?} {e:?}"));
                out.push(format!(
                    "row {} [{}] raw {:?} bytes {} resume {:?} whole {whole:?}",
                    r.row_number(),
                    fields.join(","),
                    r.raw_record()
                        .map(<[u8]>::escape_ascii)
                        .map(|e| e.to_string()),
                    r.bytes_read(),
                    r.resume_offset(),
                ));
            }
            Ok(false) => {
                out.push(format!("end {}", r.bytes_read()));
                return out;
            }
            Err(e) => out.push(format!("error {e}")),
        }
    }
    out.push("runaway".into());
    out
}

#[test]
fn plain_lines_split_as_csv_core_splits_them() {
    const PIECES: [&[u8]; 15] = [
        b"a",
        b"bc",
        b"12",
        b",",
        b";",
        b"\"",
        b"\r",
        b"\n",
        b"\r\n",
        b"\\",
        b"#",
        b" ",
        "é".as_bytes(),
        b"\xff",
        b"\xef\xbb\xbf",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let dialects = [
        TextOptions::default(),
        TextOptions {
            delimiter: Some(b';'),
            quote: Some(b'"'),
            ..TextOptions::default()
        },
        TextOptions {
            delimiter: Some(b','),
            quoting: false,
            ..TextOptions::default()
        },
        TextOptions {
            delimiter: Some(b','),
            escape: Some(EscapeStyle::Backslash),
            comment: Some(b'#'),
            ..TextOptions::default()
        },
        TextOptions {
            delimiter: Some(b','),
            max_fields: 3,
            max_record_bytes: 12,
            invalid_utf8: InvalidUtf8::Replace,
            ..TextOptions::default()
        },
        TextOptions {
            delimiter: Some(b','),
            encoding: Some("windows-1252".into()),
            ..TextOptions::default()
        },
    ];
    let mut plain_records = 0;
    for round in 0..1500u32 {
        let mut bytes = Vec::new();
        // Mostly plain lines, so that the fast path is taken, with the odd byte that is not.
        let plain = !round.is_multiple_of(3);
        for _ in 0..(next() % 60) {
            let r = next() as usize;
            let piece = PIECES[r % PIECES.len()];
            if plain && !r.is_multiple_of(11) && matches!(piece, b"\"" | b"\\" | b"\xff" | b"#") {
                bytes.extend_from_slice(b"x");
            } else {
                bytes.extend_from_slice(piece);
            }
        }
        for options in &dialects {
            let fast = events(&bytes, options, true);
            let slow = events(&bytes, options, false);
            assert_eq!(
                fast,
                slow,
                "{:?} {options:?}",
                bytes.escape_ascii().to_string()
            );
            plain_records += fast.iter().filter(|e| e.starts_with("row")).count();
        }
    }
    assert!(plain_records > 10_000, "{plain_records} records");
}

/// Lines longer than the read buffer, and files whose last line has no terminator, read the
/// same both ways.
#[test]
fn long_lines_and_a_missing_last_newline_split_the_same() {
    let mut text = String::from("id,name,note\n");
    for i in 0..20_000 {
        let long = if i % 997 == 0 {
            "y".repeat(70_000)
        } else {
            String::new()
        };
        text.push_str(&format!("{i},name {i},note{long}\r\n"));
    }
    text.push_str("last,line,here");
    let cp1252 = TextOptions {
        encoding: Some("windows-1252".into()),
        ..TextOptions::default()
    };
    for options in [TextOptions::default(), cp1252] {
        let fast = events(text.as_bytes(), &options, true);
        let slow = events(text.as_bytes(), &options, false);
        assert_eq!(fast.len(), 20_003);
        assert_eq!(fast, slow);
    }
}
