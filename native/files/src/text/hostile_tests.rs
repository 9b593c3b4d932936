//! The hostile corpus, generated in a temporary directory: each file gives a clear error (or
//! reads correctly) without a crash, a hang or unbounded memory. Peak memory of the big cases
//! is measured by hand (see the README); here the limits that bound it are asserted.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::*;
use crate::{Field, ReadError, ReadErrorKind, RowSource};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// Reads to the end; the records read and the first error.
fn drain(path: &Path, options: &TextOptions) -> (u64, Option<ReadError>) {
    let mut r = match TextReader::open(path, options) {
        Ok(r) => r,
        Err(e) => return (0, Some(e)),
    };
    let mut n = 0;
    loop {
        match r.advance() {
            Ok(true) => n += 1,
            Ok(false) => return (n, None),
            Err(e) => return (n, Some(e)),
        }
    }
}

/// `rows` lines of a plain 4-column CSV.
fn plain_rows(w: &mut impl Write, rows: usize) {
    for i in 0..rows {
        writeln!(w, "{i},name {i},{}.5,2024-01-{:02}", i * 3, 1 + i % 28).expect("write");
    }
}

#[test]
fn zero_byte_file_is_empty_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.csv", b"");
    let e = drain(&path, &TextOptions::default()).1.expect("error");
    assert_eq!(e.kind, ReadErrorKind::Empty);
    assert!(e.to_string().contains("empty.csv"), "{e}");
}

#[test]
fn binary_file_named_csv_is_refused_as_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    let mut x: u32 = 7;
    for _ in 0..100_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        png.push((x >> 16) as u8);
    }
    let path = write(dir.path(), "photo.csv", &png);
    let e = drain(&path, &TextOptions::default()).1.expect("error");
    assert!(matches!(e.kind, ReadErrorKind::Binary(_)), "{e}");
}

#[test]
fn invalid_utf8_past_the_sample_names_its_byte_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    bytes.extend_from_slice("id,name,city\n".as_bytes());
    let mut rows = 1;
    while bytes.len() < 3 << 20 {
        rows += 1;
        bytes.extend_from_slice(format!("{rows},Zoë,Köln\n").as_bytes());
    }
    let bad_at = bytes.len() + 7;
    bytes.extend_from_slice(b"9999,Zo\xeb,K\xf6ln\n");
    let path = write(dir.path(), "latin1-tail.csv", &bytes);
    let (read, e) = drain(&path, &TextOptions::default());
    let e = e.expect("error");
    assert_eq!(read, rows);
    assert_eq!(
        e.kind,
        ReadErrorKind::InvalidEncoding {
            encoding: "UTF-8".into()
        }
    );
    assert_eq!(
        (e.byte_offset, e.row, e.column),
        (Some(bad_at as u64), Some(rows + 1), Some(2))
    );
}

/// One record of `a,<100 MB of x>,b` after a header.
fn hundred_mb_field(dir: &Path) -> PathBuf {
    let path = dir.join("one-field.csv");
    let mut w = BufWriter::new(File::create(&path).unwrap());
    w.write_all(b"a,big,b\n1,\"").unwrap();
    let block = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        w.write_all(&block).unwrap();
    }
    w.write_all(b"\",2\n3,4,5\n").unwrap();
    w.flush().unwrap();
    path
}

#[test]
fn hundred_mb_field_stops_at_the_record_limit_naming_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = hundred_mb_field(dir.path());
    let (read, e) = drain(&path, &TextOptions::default());
    let e = e.expect("error");
    assert_eq!(read, 1);
    assert_eq!(
        e.kind,
        ReadErrorKind::FieldTooLong {
            limit: DEFAULT_MAX_RECORD_BYTES
        }
    );
    assert_eq!((e.row, e.column), (Some(2), Some(2)));
}

#[test]
fn hundred_mb_field_reads_whole_when_the_limit_allows_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = hundred_mb_field(dir.path());
    let options = TextOptions {
        max_record_bytes: 128 << 20,
        ..TextOptions::default()
    };
    let mut r = TextReader::open(&path, &options).unwrap();
    assert!(r.advance().unwrap() && r.advance().unwrap());
    match r.field(1) {
        Field::Text(s) => assert_eq!(s.len(), 100 << 20),
        other => panic!("{other:?}"),
    }
    assert!(r.advance().unwrap());
    assert_eq!((r.row_number(), r.field(2)), (3, Field::Text("5")));
    assert!(!r.advance().unwrap());
}

#[test]
fn ten_thousand_columns_in_a_file_read_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.csv");
    let mut w = BufWriter::new(File::create(&path).unwrap());
    let header: Vec<String> = (1..=10_000).map(|i| format!("col{i}")).collect();
    writeln!(w, "{}", header.join(";")).unwrap();
    for r in 0..50 {
        let row: Vec<String> = (0..10_000).map(|c| (r * c).to_string()).collect();
        writeln!(w, "{}", row.join(";")).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let mut r = TextReader::open(&path, &TextOptions::default()).unwrap();
    assert_eq!(r.detection().dialect.delimiter, b';');
    let mut n = 0;
    while r.advance().unwrap() {
        assert_eq!(r.len(), 10_000);
        n += 1;
    }
    assert_eq!(n, 51);
    assert_eq!(r.field(9_999), Field::Text(&(49 * 9_999).to_string()));
}

#[test]
fn unterminated_quote_at_the_end_of_a_200_mb_file_names_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big-open-quote.csv");
    let mut block = Vec::new();
    plain_rows(&mut block, 20_000);
    let block_rows = 20_000;
    let mut w = BufWriter::new(File::create(&path).unwrap());
    let mut rows = 0u64;
    let mut size = 0;
    while size < 200 << 20 {
        w.write_all(&block).unwrap();
        size += block.len();
        rows += block_rows;
    }
    w.write_all(b"1,\"this quote never closes\n2,b,3,4\n")
        .unwrap();
    w.flush().unwrap();
    drop(w);
    let (read, e) = drain(&path, &TextOptions::default());
    let e = e.expect("error");
    assert_eq!(read, rows);
    assert_eq!(e.kind, ReadErrorKind::UnterminatedQuote);
    assert_eq!(
        (e.row, e.column, e.byte_offset),
        (Some(rows + 1), Some(2), Some(size as u64))
    );
}

#[test]
fn mixed_line_endings_in_one_file_count_lines_as_an_editor_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "mixed.csv",
        b"a,b\r\n1,2\n3,4\r5,\"x\ry\"\r\n\n7,8\r\n",
    );
    let mut r = TextReader::open(&path, &TextOptions::default()).unwrap();
    let mut rows = Vec::new();
    while r.advance().unwrap() {
        rows.push(r.row_number());
        if r.row_number() == 4 {
            assert_eq!(r.field(1), Field::Text("x\ry"));
        }
    }
    assert_eq!(rows, [1, 2, 3, 4, 7]);
}

#[test]
fn file_growing_while_read_is_read_up_to_its_size_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.csv");
    let mut w = BufWriter::new(File::create(&path).unwrap());
    plain_rows(&mut w, 100_000);
    w.flush().unwrap();
    drop(w);
    let mut r = TextReader::open(&path, &TextOptions::default()).unwrap();
    let mut appender = OpenOptions::new().append(true).open(&path).unwrap();
    let mut n = 0;
    while r.advance().unwrap() {
        n += 1;
        if n % 10_000 == 0 {
            plain_rows(&mut appender, 1_000);
        }
    }
    assert_eq!(n, 100_000);
}

#[test]
fn file_shrinking_while_read_is_an_error_naming_where_it_ended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shrinking.csv");
    let mut w = BufWriter::new(File::create(&path).unwrap());
    plain_rows(&mut w, 200_000);
    w.flush().unwrap();
    drop(w);
    let mut r = TextReader::open(&path, &TextOptions::default()).unwrap();
    for _ in 0..10 {
        assert!(r.advance().unwrap());
    }
    OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(1 << 20)
        .unwrap();
    let e = loop {
        match r.advance() {
            Ok(true) => {}
            Ok(false) => panic!("read to the end of a file that shrank"),
            Err(e) => break e,
        }
    };
    assert!(
        matches!(e.kind, ReadErrorKind::Io(ref m) if m.contains("shrank")),
        "{e}"
    );
    assert_eq!(e.byte_offset, Some(1 << 20));
    assert!(!r.advance().unwrap());
}
