use std::fmt::Write as _;

use super::*;
use crate::field::DateKind;
use crate::infer::test_source::VecSource;
use crate::text::{TextOptions, TextReader};

/// Everything a caller can see of a source, event by event: each record's row, fields, raw
/// bytes and bytes read, each error, and the bytes read at the end.
fn events(src: &mut dyn RowSource) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        match src.advance() {
            Ok(true) => {
                let mut line = format!("row {} len {} [", src.row_number(), src.len());
                for i in 0..=src.len() {
                    let _ = write!(line, "{:?},", src.field(i));
                }
                if let Some(enc) = src.record_code_page() {
                    let _ = write!(line, "] {} [", enc.name());
                    for i in 0..=src.len() {
                        let b = src.field_code_page_bytes(i);
                        let _ = write!(line, "{:?},", b.map(|b| b.escape_ascii().to_string()));
                    }
                    // All at once gives the same bytes (the reader's own copy, or the
                    // trait's field-by-field one for the read-ahead).
                    let (mut bytes, mut spans) = (Vec::new(), Vec::new());
                    let copied = src.copy_code_page_fields(&mut bytes, &mut spans);
                    assert_eq!(copied, Some(enc));
                    let each: Vec<Option<&[u8]>> = (0..src.len())
                        .map(|i| src.field_code_page_bytes(i))
                        .collect();
                    let all: Vec<Option<&[u8]>> =
                        spans.iter().map(|&(s, e)| bytes.get(s..e)).collect();
                    assert_eq!(all, each);
                }
                let _ = write!(
                    line,
                    "] raw {:?} bytes {} resume {:?}",
                    src.raw_record().map(String::from_utf8_lossy),
                    src.bytes_read(),
                    src.resume_offset()
                );
                out.push(line);
            }
            Ok(false) => {
                out.push(format!("end, bytes {}", src.bytes_read()));
                // The end stays the end.
                out.push(format!(
                    "then {:?}",
                    src.advance().map_err(|e| e.to_string())
                ));
                return out;
            }
            Err(e) => out.push(format!("error {e}")),
        }
        if out.len() > 1_000_000 {
            out.push("runaway".into());
            return out;
        }
    }
}

fn always(keep_raw: bool) -> ReadAheadOptions<'static> {
    ReadAheadOptions {
        keep_raw,
        keep_code_page: true,
        mode: Mode::Always,
        convert: None,
    }
}

fn text_reader(bytes: &[u8]) -> TextReader<std::io::Cursor<Vec<u8>>> {
    TextReader::from_bytes("t.csv", bytes.to_vec(), &TextOptions::default()).expect("opens")
}

/// A CSV with what the reader must get right: quoted newlines (a record spanning lines),
/// quoted empty vs empty, ragged rows, non-ASCII text, CRLF; long enough to span many blocks.
fn tricky_csv(rows: usize) -> Vec<u8> {
    let mut s = String::from("id,name,note,amount\r\n");
    for i in 0..rows {
        match i % 7 {
            0 => {
                let _ = write!(s, "{i},\"two\nlines\",\"\",1.5\r\n");
            }
            1 => {
                let _ = write!(s, "{i},Zoë,,\r\n");
            }
            2 => {
                let _ = write!(s, "{i},short\r\n");
            }
            3 => {
                let _ = write!(s, "{i},\"a \"\"quoted\"\" word\",x,2\r\n");
            }
            _ => {
                let _ = write!(s, "{i},name {i},note {i},{}.25\r\n", i * 3);
            }
        }
    }
    s.into_bytes()
}

#[test]
fn a_text_file_reads_the_same_with_and_without_read_ahead() {
    let csv = tricky_csv(5_000);
    let direct = events(&mut text_reader(&csv));
    for keep_raw in [false, true] {
        let mut reader = text_reader(&csv);
        let ahead = with_read_ahead(&mut reader, always(keep_raw), |src| events(src));
        if keep_raw {
            assert_eq!(ahead, direct);
        } else {
            // Without raw bytes, everything else is the same.
            let strip = |v: &[String]| -> Vec<String> {
                v.iter()
                    .map(|l| match l.find(" raw ") {
                        Some(at) => {
                            let bytes = l.rfind(" bytes ").unwrap_or(l.len());
                            format!("{}{}", &l[..at], &l[bytes..])
                        }
                        None => l.clone(),
                    })
                    .collect()
            };
            assert_eq!(strip(&ahead), strip(&direct));
            assert!(ahead.iter().all(|l| !l.contains("raw Some")));
        }
    }
    assert!(direct.len() > 5_000, "{}", direct.len());
}

/// A windows-1252 file's fields come out of the read-ahead with the same code-page bytes the
/// reader offers: only for records that needed decoding, each field's unquoted bytes.
#[test]
fn code_page_bytes_read_the_same_with_and_without_read_ahead() {
    let text = String::from_utf8(tricky_csv(5_000)).expect("utf-8");
    // Row 1 of 7 holds a quoted field with doubled quotes and characters outside ASCII.
    let text = text.replace(",Zoë,", r#","Zoë €5 ""ü""","#);
    let (csv, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let options = TextOptions {
        encoding: Some("windows-1252".into()),
        ..TextOptions::default()
    };
    let open = || TextReader::from_bytes("t.csv", csv.to_vec(), &options).expect("opens");
    let direct = events(&mut open());
    let with_bytes: Vec<&String> = direct
        .iter()
        .filter(|l| l.contains("] windows-1252 ["))
        .collect();
    assert_eq!(
        with_bytes.len(),
        5_000 / 7 + 1,
        "one record in 7 is not ASCII"
    );
    assert!(
        with_bytes[0].contains(r#"Some("Zo\\xeb \\x805 \\\"\\xfc\\\""),"#),
        "{}",
        with_bytes[0]
    );
    for keep_raw in [false, true] {
        let mut reader = open();
        let ahead = with_read_ahead(&mut reader, always(keep_raw), |src| events(src));
        let cut = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|l| l.split(" raw ").next().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(cut(&ahead), cut(&direct), "keep_raw {keep_raw}");
    }
    // Not asked for (the inference): no code-page bytes, everything else the same.
    let mut reader = open();
    let options = ReadAheadOptions {
        keep_code_page: false,
        ..always(true)
    };
    let ahead = with_read_ahead(&mut reader, options, |src| events(src));
    let without = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|l| match (l.find("] windows-1252 ["), l.find("] raw ")) {
                (Some(a), Some(b)) => format!("{}{}", &l[..a], &l[b..]),
                _ => l.clone(),
            })
            .collect()
    };
    assert!(ahead.iter().all(|l| !l.contains("] windows-1252 [")));
    assert_eq!(ahead, without(&direct));
}

/// The whole-record text a text reader offers (the read-ahead copies records by it) splits
/// into exactly the fields it hands out one by one, in UTF-8, a code page and UTF-16; it stands
/// aside where a quoted empty field is text, not empty.
#[test]
fn a_records_text_splits_into_its_fields() {
    let text = String::from_utf8(tricky_csv(700)).expect("utf-8");
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for (bytes, encoding) in [
        (text.as_bytes().to_vec(), None),
        (cp1252.to_vec(), Some("windows-1252")),
        (utf16, None),
    ] {
        let options = TextOptions {
            encoding: encoding.map(Into::into),
            ..TextOptions::default()
        };
        let mut src = TextReader::from_bytes("t.csv", bytes, &options).expect("opens");
        let (mut whole, mut records) = (0, 0);
        while src.advance().expect("reads") {
            records += 1;
            let Some((text, ends)) = src.record_text() else {
                continue;
            };
            whole += 1;
            assert_eq!(ends.len(), src.len(), "row {}", src.row_number());
            let mut start = 0;
            for (i, &end) in ends.iter().enumerate() {
                let field = match &text[start..end] {
                    "" => Field::Empty,
                    t => Field::Text(t),
                };
                assert_eq!(field, src.field(i), "row {} field {i}", src.row_number());
                start = end;
            }
        }
        // Row 0 of every 7 has a quoted empty field; the others (and the header line, read
        // as a record here) come whole.
        assert_eq!(records, 701, "{encoding:?}");
        assert_eq!(whole, 701 - 100, "{encoding:?}");
    }
}

#[test]
fn records_longer_than_a_block_hand_over_by_size() {
    // Three records of 700 KiB each: the block's text limit, not its record count, hands
    // them over.
    let big = "x".repeat(700 * 1024);
    let csv = format!("a,b\n1,{big}\n2,{big}\n3,{big}\n4,end\n");
    let direct = events(&mut text_reader(csv.as_bytes()));
    let mut reader = text_reader(csv.as_bytes());
    let ahead = with_read_ahead(&mut reader, always(true), |src| events(src));
    assert_eq!(ahead, direct);
}

#[test]
fn an_encoding_error_comes_out_in_its_place_and_the_records_after_it_follow() {
    let mut csv = tricky_csv(3_000);
    let mut bad = b"3001,bad \xff\xfe byte,x,1\r\n".to_vec();
    let at = csv.len();
    csv.append(&mut bad);
    csv.extend_from_slice(b"3002,after,y,2\r\n");
    let direct = events(&mut text_reader(&csv));
    assert!(
        direct.iter().any(|l| l.starts_with("error")),
        "the direct reader reports the bad byte: {:?}",
        &direct[direct.len().saturating_sub(3)..]
    );
    let mut reader = text_reader(&csv);
    let ahead = with_read_ahead(&mut reader, always(true), |src| events(src));
    assert_eq!(ahead, direct, "bad bytes at {at}");
}

#[test]
fn typed_spreadsheet_cells_pass_through_as_their_types() {
    let when = SheetDateTime {
        days: 19_000,
        nanos: 3_600_000_000_000,
        kind: DateKind::DateTime,
    };
    let records: Vec<Vec<Field<'static>>> = (0..2_500)
        .map(|i| {
            vec![
                Field::Int(i),
                Field::Float(i as f64 / 4.0),
                Field::Bool(i % 2 == 0),
                Field::DateTime(when),
                Field::Error("#N/A"),
                Field::Empty,
                Field::Text("t"),
            ]
        })
        .collect();
    let direct = events(&mut VecSource::new(records.clone(), 2));
    let mut src = VecSource::new(records, 2);
    let ahead = with_read_ahead(&mut src, always(false), |s| events(s));
    assert_eq!(ahead, direct);
    assert!(ahead[0].contains("DateTime") && ahead[0].contains("Error(\"#N/A\")"));
}

#[test]
fn a_caller_that_stops_early_ends_the_reader_thread() {
    // Far more records than the blocks in flight hold: the reader thread must stop when the
    // caller returns, or this test never ends.
    let csv = tricky_csv(200_000);
    let mut reader = text_reader(&csv);
    let first = with_read_ahead(&mut reader, always(false), |src| {
        let mut rows = Vec::new();
        for _ in 0..10 {
            assert!(src.advance().expect("reads"));
            rows.push(src.row_number());
        }
        rows
    });
    assert_eq!(
        first.first(),
        Some(&1),
        "the reader hands out the header record too"
    );
    assert_eq!(first.len(), 10);
}

#[test]
fn an_empty_source_ends_at_once() {
    for bytes in [&b"a,b\n"[..], b"a,b\n\n\n"] {
        let mut reader = text_reader(bytes);
        let ahead = with_read_ahead(&mut reader, always(true), |src| events(src));
        assert_eq!(ahead, events(&mut text_reader(bytes)));
    }
}

#[test]
fn never_mode_reads_the_source_itself() {
    let csv = tricky_csv(100);
    let mut reader = text_reader(&csv);
    let ahead = with_read_ahead(
        &mut reader,
        ReadAheadOptions {
            keep_raw: false,
            keep_code_page: true,
            mode: Mode::Never,
            convert: None,
        },
        |src| events(src),
    );
    assert_eq!(ahead, events(&mut text_reader(&csv)));
}

/// Each field converted under `rules` as the caller would, side by side with what the source
/// hands out converted (`None` where it converted nothing). `pause`: the caller is slow (it
/// sleeps a little every thousand records), so the reader thread takes on more fields.
fn conversions(src: &mut dyn RowSource, rules: &[Option<ColumnRule>], pause: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0u64;
    while let Ok(true) = src.advance() {
        n += 1;
        if pause && n.is_multiple_of(1000) {
            std::thread::sleep(std::time::Duration::from_millis(3));
        }
        for (i, rule) in rules.iter().enumerate() {
            let ahead = src
                .converted_row()
                .and_then(|row| row.get(i))
                .map(|r| r.map_err(Clone::clone));
            let here = rule
                .as_ref()
                .map(|rule| convert(src.field(i), rule).map_err(|e| *e));
            let past = if i >= src.len() {
                " (past the end)"
            } else {
                ""
            };
            out.push(format!(
                "row {} field {i}{past}: {ahead:?} / {here:?}",
                src.row_number()
            ));
        }
    }
    out
}

/// The reader thread converts with the caller's `convert` under the caller's rules: every
/// value, text range and error is the one the caller would get, across many blocks, ragged
/// rows, NULL tokens, empty fields, spreadsheet cells into character columns, and fields left
/// without a rule; and converting ahead changes nothing else a caller sees.
#[test]
fn values_converted_ahead_are_the_ones_convert_gives() {
    use crate::infer::{DateOrder, NullPolicy, SqlType};
    let rule = |sql_type| {
        Some(ColumnRule {
            sql_type,
            date_order: DateOrder::DayFirst,
            nulls: NullPolicy::default(),
        })
    };
    let rules = vec![
        rule(SqlType::Int),
        rule(SqlType::NVarChar(Some(20))),
        None,
        rule(SqlType::Decimal {
            precision: 6,
            scale: 2,
        }),
        rule(SqlType::Date),
        rule(SqlType::VarChar(Some(12))),
    ];
    let mut records = Vec::new();
    for i in 0..40_000i64 {
        let text: &'static str = match i % 9 {
            0 => "plain",
            1 => " padded ",
            2 => "NULL",
            3 => "Zoë",
            4 => "a value far too long for twenty",
            _ => "",
        };
        let date: &'static str = match i % 5 {
            0 => "31/01/2024",
            1 => "2024-13-01",
            2 => "",
            _ => "05/03/2024",
        };
        let amount: &'static str = match i % 4 {
            0 => "12.5",
            1 => "12.345",
            2 => "99999",
            _ => "N/A",
        };
        let mut r = vec![
            if i % 11 == 0 {
                Field::Text("x")
            } else {
                Field::Int(i)
            },
            if text.is_empty() {
                Field::Empty
            } else {
                Field::Text(text)
            },
            Field::Text("unruled"),
            Field::Text(amount),
            Field::Text(date),
            match i % 3 {
                0 => Field::Float(2.5),
                1 => Field::Bool(true),
                _ => Field::Error("#N/A"),
            },
        ];
        if i % 13 == 0 {
            r.truncate(3);
        }
        records.push(r);
    }
    let direct = conversions(&mut VecSource::new(records.clone(), 2), &rules, false);
    assert!(
        direct.iter().all(|l| l.contains(": None / ")),
        "no read-ahead: nothing converted"
    );
    let options = ReadAheadOptions {
        convert: Some(&rules),
        ..always(false)
    };
    for pause in [false, true] {
        let ahead = with_read_ahead(&mut VecSource::new(records.clone(), 2), options, |src| {
            conversions(src, &rules, pause)
        });
        assert_eq!(ahead.len(), direct.len());
        let mut converted = 0;
        for line in &ahead {
            let (a, h) = line.split_once(" / ").unwrap();
            let a = a.split_once(": ").unwrap().1;
            if a != "None" {
                converted += 1;
                assert_eq!(a, h, "{line}");
            } else if pause {
                // The last tenth: a slow caller has had the reader thread take on every field
                // with a rule by then.
                let row: u64 = line[4..].split(' ').next().unwrap().parse().unwrap();
                assert!(
                    row < 36_000 || h == "None" || line.contains("(past the end)"),
                    "{line}"
                );
            }
        }
        assert!(converted > 0, "pause {pause}: {converted}");
    }
    // Everything else comes out as without conversion.
    let plain = events(&mut VecSource::new(records.clone(), 2));
    let with = with_read_ahead(&mut VecSource::new(records, 2), options, |src| events(src));
    assert_eq!(plain, with);
}
