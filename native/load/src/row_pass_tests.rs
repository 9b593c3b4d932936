//! The load pass's cells for a single-byte code page's file: text fields reach the packet
//! buffer as the file's own bytes (the same wire bytes as the decoded text), with read-ahead
//! on and off.

use super::*;
use crate::mapping::{TargetColumn, ValueSource};
use sluice_files::infer::{ColumnRule, DateOrder, NullPolicy, SqlType};
use sluice_files::read_ahead::{with_read_ahead, Mode, ReadAheadOptions};
use sluice_files::text::{TextOptions, TextReader};
use sluice_files::Field;
use tds::collation::Collation;
use tds::types::{SqlType as WireType, VarLen};

fn target(name: &str, field: usize, sql_type: SqlType) -> TargetColumn {
    TargetColumn {
        name: name.into(),
        source: ValueSource::Field(field),
        source_name: name.into(),
        rule: ColumnRule {
            sql_type,
            date_order: DateOrder::DayFirst,
            nulls: NullPolicy::default(),
        },
        nullable: true,
    }
}

fn wire(name: &str, ty: WireType) -> BulkColumn {
    BulkColumn {
        name: name.into(),
        ty,
        nullable: true,
        null_takes_default: false,
        identity: false,
        computed: false,
        collation_name: None,
    }
}

/// id int, name varchar(40) in code page 1252, note nvarchar(40).
fn columns() -> (Vec<TargetColumn>, Vec<BulkColumn>) {
    (
        vec![
            target("id", 0, SqlType::Int),
            target("name", 1, SqlType::VarChar(Some(40))),
            target("note", 2, SqlType::NVarChar(Some(40))),
        ],
        vec![
            wire("id", WireType::Int),
            wire(
                "name",
                WireType::VarChar {
                    len: VarLen::Len(40),
                    collation: Collation::SQL_LATIN1_GENERAL_CP1_CI_AS,
                },
            ),
            wire(
                "note",
                WireType::NVarChar {
                    len: VarLen::Len(40),
                    collation: Collation::SQL_LATIN1_GENERAL_CP1_CI_AS,
                },
            ),
        ],
    )
}

fn reader(bytes: &[u8], encoding: &str) -> TextReader<std::io::Cursor<Vec<u8>>> {
    let options = TextOptions {
        encoding: Some(encoding.into()),
        ..TextOptions::default()
    };
    TextReader::from_bytes("t.csv", bytes.to_vec(), &options).expect("opens")
}

/// Each data record's cells as `fill` encodes them (the header row skipped).
/// Each target column fed by the file's field of its own number.
fn fields(targets: &[TargetColumn]) -> Vec<Option<usize>> {
    let identity: Vec<Option<usize>> = (0..targets.len()).map(Some).collect();
    super::file_fields(targets, &identity)
}

fn encoded(src: &mut dyn RowSource) -> Vec<Vec<u8>> {
    let (targets, wires) = columns();
    let mut rows = Vec::new();
    assert!(src.advance().expect("header"));
    while src.advance().expect("reads") {
        let mut buf = BytesMut::new();
        fill(&targets, &fields(&targets), &wires, src, &mut buf).expect("encodes");
        rows.push(buf.to_vec());
    }
    rows
}

const CP1252_FILE: &[u8] = b"id,name,note\n1,\"Caf\xe9 \"\"\x80\"\"\",M\xfcller\n2,plain,ascii\n";

#[test]
fn a_cp1252_field_reaches_the_buffer_as_the_files_bytes() {
    let mut r = reader(CP1252_FILE, "windows-1252");
    assert!(r.advance().unwrap() && r.advance().unwrap());
    // The cell the pass builds for the varchar is the file's bytes, not decoded text.
    let encoding = r
        .record_code_page()
        .expect("a decoded record offers its bytes");
    match code_page_cell(&r, 1, encoding) {
        Some(Cell::CodePage { bytes, encoding }) => {
            assert_eq!(bytes, b"Caf\xe9 \"\x80\"");
            assert_eq!(encoding, encoding_rs::WINDOWS_1252);
        }
        other => panic!("{other:?}"),
    }
    let rows = encoded(&mut reader(CP1252_FILE, "windows-1252"));
    // int 1 (INTN: length 4), then USHORTLEN 8 and the file's 8 bytes, then "Müller" in UTF-16LE.
    let mut want = vec![4, 1, 0, 0, 0, 8, 0];
    want.extend_from_slice(b"Caf\xe9 \"\x80\"");
    want.extend_from_slice(&[12, 0]);
    for u in "Müller".encode_utf16() {
        want.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(rows[0], want);
    // The same wire bytes its UTF-8 twin gives through the text path.
    let twin = "id,name,note\n1,\"Café \"\"€\"\"\",Müller\n2,plain,ascii\n";
    assert_eq!(rows, encoded(&mut reader(twin.as_bytes(), "utf-8")));
}

/// A source whose code-page bytes deliberately disagree with its text: which of the two the
/// pass writes shows which path it took.
struct Disagreeing;

impl RowSource for Disagreeing {
    fn advance(&mut self) -> Result<bool, sluice_files::ReadError> {
        Ok(true)
    }
    fn row_number(&self) -> u64 {
        2
    }
    fn len(&self) -> usize {
        3
    }
    fn field(&self, i: usize) -> Field<'_> {
        match i {
            0 => Field::Text("1"),
            1 => Field::Text("text"),
            2 => Field::Text("note"),
            _ => Field::Empty,
        }
    }
    fn record_code_page(&self) -> Option<&'static encoding_rs::Encoding> {
        Some(encoding_rs::WINDOWS_1252)
    }
    fn field_code_page_bytes(&self, i: usize) -> Option<&[u8]> {
        match i {
            0 => Some(b"1"),
            1 => Some(b"B\xffTES"),
            2 => Some(b"n\xe9"),
            _ => None,
        }
    }
    fn bytes_read(&self) -> u64 {
        0
    }
}

#[test]
fn the_pass_writes_the_code_page_bytes_not_a_reencoding_of_the_text() {
    let (targets, wires) = columns();
    let mut buf = BytesMut::new();
    fill(&targets, &fields(&targets), &wires, &Disagreeing, &mut buf).expect("encodes");
    // varchar in the same code page: the bytes as they are; nvarchar: those bytes decoded.
    let mut want = vec![4, 1, 0, 0, 0, 5, 0];
    want.extend_from_slice(b"B\xffTES");
    want.extend_from_slice(&[4, 0, b'n', 0, 0xE9, 0]);
    assert_eq!(buf.to_vec(), want);
}

/// A file of many records, a third of them outside ASCII, some quoted.
fn big_cp1252_file() -> Vec<u8> {
    let mut s = String::from("id,name,note\n");
    for i in 0..3_000 {
        let line = match i % 3 {
            0 => format!("{i},Zoë €{i},Straße\n"),
            1 => format!("{i},\"a, \"\"quoted\"\" ü\",plain\n"),
            _ => format!("{i},ascii {i},note\n"),
        };
        s.push_str(&line);
    }
    encoding_rs::WINDOWS_1252.encode(&s).0.into_owned()
}

#[test]
fn read_ahead_on_and_off_encode_the_same_bytes() {
    let file = big_cp1252_file();
    let direct = encoded(&mut reader(&file, "windows-1252"));
    assert_eq!(direct.len(), 3_000);
    assert!(direct[0].windows(5).any(|w| w == b"Zo\xeb \x80"));
    // The fields converted by the reader thread too (what a load does), or left to the pass.
    let (targets, _) = columns();
    let rules = super::rules_by_field(&targets, &fields(&targets));
    for (mode, keep_raw, convert) in [
        (Mode::Always, false, None),
        (Mode::Always, true, None),
        (Mode::Always, false, Some(rules.as_slice())),
        (Mode::Never, false, None),
    ] {
        let mut r = reader(&file, "windows-1252");
        let options = ReadAheadOptions {
            keep_raw,
            keep_code_page: true,
            mode,
            convert,
        };
        let ahead = with_read_ahead(&mut r, options, encoded);
        assert_eq!(
            ahead,
            direct,
            "{mode:?} keep_raw {keep_raw} convert {}",
            convert.is_some()
        );
    }
}
