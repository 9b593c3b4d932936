//! Behaviour of the reader on small inputs written out in full.

use super::*;
use crate::{Field, ReadErrorKind, RowSource};

struct Rec {
    row: u64,
    fields: Vec<String>,
    raw: Vec<u8>,
}

fn open(bytes: &[u8], options: &TextOptions) -> TextReader<std::io::Cursor<Vec<u8>>> {
    TextReader::from_bytes("t.csv", bytes.to_vec(), options).expect("open")
}

fn read_with(bytes: &[u8], options: &TextOptions) -> Vec<Rec> {
    let mut r = open(bytes, options);
    let mut out = Vec::new();
    while r.advance().expect("advance") {
        let fields = (0..r.len())
            .map(|i| match r.field(i) {
                Field::Text(s) => s.to_string(),
                Field::Empty => String::new(),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        out.push(Rec {
            row: r.row_number(),
            fields,
            raw: r.raw_record().expect("raw").to_vec(),
        });
    }
    out
}

fn read(bytes: &[u8]) -> Vec<Rec> {
    read_with(bytes, &TextOptions::default())
}

fn rows(recs: &[Rec]) -> Vec<u64> {
    recs.iter().map(|r| r.row).collect()
}

fn fields(recs: &[Rec]) -> Vec<Vec<&str>> {
    recs.iter()
        .map(|r| r.fields.iter().map(String::as_str).collect())
        .collect()
}

fn first_error(bytes: &[u8], options: &TextOptions) -> crate::ReadError {
    let mut r = match TextReader::from_bytes("t.csv", bytes.to_vec(), options) {
        Ok(r) => r,
        Err(e) => return e,
    };
    loop {
        match r.advance() {
            Ok(true) => {}
            Ok(false) => panic!("no error"),
            Err(e) => return e,
        }
    }
}

#[test]
fn comma_file_gives_each_record_with_its_line() {
    let recs = read(b"id,name\n1,Ann\n2,Bob\n");
    assert_eq!(
        fields(&recs),
        vec![vec!["id", "name"], vec!["1", "Ann"], vec!["2", "Bob"]]
    );
    assert_eq!(rows(&recs), vec![1, 2, 3]);
}

#[test]
fn semicolon_tab_and_pipe_files_are_detected() {
    for (d, text) in [
        (b';', "a;b;c\n1;2,5;3\n4;5;6\n"),
        (b'\t', "a\tb, c\n1\t2\n"),
        (b'|', "a|b\n1|2\n3|4\n"),
    ] {
        let r = open(text.as_bytes(), &TextOptions::default());
        assert_eq!(
            r.detection().dialect.delimiter,
            d,
            "{text:?}: {}",
            r.detection().delimiter_evidence
        );
    }
}

#[test]
fn dialect_evidence_names_the_split_and_the_losers() {
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!("{i};1,5;x;y;z;w;v\n"));
    }
    let r = open(text.as_bytes(), &TextOptions::default());
    let ev = &r.detection().delimiter_evidence;
    assert!(
        ev.contains("`;` splits every one of the 50 sampled records into 7 fields"),
        "{ev}"
    );
    assert!(ev.contains("`,` gives 2"), "{ev}");
}

#[test]
fn caller_delimiter_overrides_detection() {
    let options = TextOptions {
        delimiter: Some(b';'),
        ..TextOptions::default()
    };
    let recs = read_with(b"a,b;c\n", &options);
    assert_eq!(fields(&recs), vec![vec!["a,b", "c"]]);
}

#[test]
fn doubled_quotes_are_unescaped_and_raw_record_keeps_them() {
    let recs = read(b"\"say \"\"hi\"\"\",2\n");
    assert_eq!(fields(&recs), vec![vec!["say \"hi\"", "2"]]);
    assert_eq!(recs[0].raw, b"\"say \"\"hi\"\"\",2");
}

#[test]
fn backslash_escaped_quotes_are_detected_and_unescaped() {
    let text = b"a,b\n\"x \\\"q\\\", y\",1\n\"p\",2\n\"r \\\"s\\\"\",3\n";
    let r = open(text, &TextOptions::default());
    assert_eq!(
        r.detection().dialect.escape,
        EscapeStyle::Backslash,
        "{}",
        r.detection().escape_evidence
    );
    let recs = read(text);
    assert_eq!(recs[1].fields, vec!["x \"q\", y", "1"]);
}

#[test]
fn quoted_newline_makes_the_record_span_lines_and_later_rows_count_them() {
    let recs = read(b"a,b\n\"x\ny\nz\",2\nc,3\n");
    assert_eq!(rows(&recs), vec![1, 2, 5]);
    assert_eq!(recs[1].fields, vec!["x\ny\nz", "2"]);
    assert_eq!(recs[1].raw, b"\"x\ny\nz\",2");
}

#[test]
fn crlf_lf_and_lone_cr_each_end_one_line() {
    let recs = read(b"a,1\r\nb,2\nc,3\rd,4\r\n\"e\r\nf\",5\r\ng,6");
    assert_eq!(
        fields(&recs).iter().map(|f| f[0]).collect::<Vec<_>>(),
        vec!["a", "b", "c", "d", "e\r\nf", "g"]
    );
    assert_eq!(rows(&recs), vec![1, 2, 3, 4, 5, 7]);
    assert_eq!(recs[0].raw, b"a,1");
}

#[test]
fn blank_lines_are_skipped_but_counted() {
    let recs = read(b"a,1\n\n\r\n\nb,2\n\n");
    assert_eq!(rows(&recs), vec![1, 5]);
}

#[test]
fn comment_lines_are_skipped_when_asked() {
    let options = TextOptions {
        comment: Some(b'#'),
        ..TextOptions::default()
    };
    let recs = read_with(b"# exported\na,1\n#x,y,z\nb,2\n", &options);
    assert_eq!(fields(&recs), vec![vec!["a", "1"], vec!["b", "2"]]);
    assert_eq!(rows(&recs), vec![2, 4]);
    let plain = read(b"# exported\na,1\n");
    assert_eq!(plain[0].fields, vec!["# exported"]);
}

#[test]
fn ragged_rows_keep_their_own_width_and_missing_fields_read_empty() {
    let mut r = open(b"a,b,c\n1\n1,2,3,4\n", &TextOptions::default());
    let mut widths = Vec::new();
    while r.advance().unwrap() {
        widths.push(r.len());
        if r.len() == 1 {
            assert_eq!(r.field(1), Field::Empty);
            assert_eq!(r.field(99), Field::Empty);
        }
    }
    assert_eq!(widths, vec![3, 1, 4]);
}

#[test]
fn trailing_delimiter_gives_a_last_empty_field() {
    let recs = read(b"a,b,\n1,2,\n");
    assert_eq!(fields(&recs), vec![vec!["a", "b", ""], vec!["1", "2", ""]]);
}

#[test]
fn last_line_without_newline_is_a_record() {
    let recs = read(b"a,b\nc,d");
    assert_eq!(fields(&recs), vec![vec!["a", "b"], vec!["c", "d"]]);
    assert_eq!(recs[1].raw, b"c,d");
    let quoted = read(b"a,b\n\"c\",\"d\"");
    assert_eq!(quoted[1].fields, vec!["c", "d"]);
}

#[test]
fn unterminated_quote_names_the_row_where_it_opened() {
    let e = first_error(
        b"a,b\n1,2\n3,\"never closed\n4,5\n6,7\n",
        &TextOptions::default(),
    );
    assert_eq!(e.kind, ReadErrorKind::UnterminatedQuote);
    assert_eq!(e.row, Some(3));
    assert_eq!(e.column, Some(2));
    assert_eq!(e.byte_offset, Some(8));
}

#[test]
fn invalid_utf8_names_offset_row_and_column_and_reading_can_go_on() {
    let text = b"na\xc3\xafve,caf\xc3\xa9\nok,x\xffy\nlast,one\n";
    let mut r = open(text, &TextOptions::default());
    assert_eq!(
        r.detection().encoding.name,
        "UTF-8",
        "{}",
        r.detection().encoding.evidence
    );
    assert!(r.advance().unwrap());
    let e = r.advance().unwrap_err();
    assert_eq!(
        e.kind,
        ReadErrorKind::InvalidEncoding {
            encoding: "UTF-8".into()
        }
    );
    assert_eq!(
        (e.row, e.column, e.byte_offset),
        (Some(2), Some(2), Some(17))
    );
    assert_eq!(text[17], 0xff);
    assert!(r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text("last"));
}

#[test]
fn invalid_utf8_is_replaced_and_counted_when_asked() {
    let options = TextOptions {
        invalid_utf8: InvalidUtf8::Replace,
        ..TextOptions::default()
    };
    let mut r = open(
        "café,ü,ö,ä\n"
            .as_bytes()
            .iter()
            .chain(b"x\xff\xfey,\xff\n")
            .copied()
            .collect::<Vec<u8>>()
            .as_slice(),
        &options,
    );
    assert!(r.advance().unwrap());
    assert!(r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text("x\u{FFFD}\u{FFFD}y"));
    assert_eq!(r.field(1), Field::Text("\u{FFFD}"));
    assert_eq!(r.replacements(), 3);
    assert_eq!(r.raw_record().unwrap(), b"x\xff\xfey,\xff");
}

#[test]
fn utf8_bom_is_skipped() {
    let mut r = open(
        b"\xef\xbb\xbfid;name\n1;\xc3\xa9\n",
        &TextOptions::default(),
    );
    assert_eq!(r.detection().encoding.bom_len, 3);
    assert!(r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text("id"));
    assert_eq!(r.raw_record().unwrap(), b"id;name");
    assert_eq!(r.row_number(), 1);
}

fn utf16le(s: &str) -> Vec<u8> {
    let mut v = vec![0xff, 0xfe];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

#[test]
fn utf16le_with_bom_is_transcoded_and_raw_record_is_utf16() {
    let bytes = utf16le("name\tcity\r\nZoë\tKöln\r\n\"a\r\nb\"\t😀\r\n");
    let mut r = open(&bytes, &TextOptions::default());
    assert_eq!(r.detection().encoding.name, "UTF-16LE");
    assert_eq!(r.detection().dialect.delimiter, b'\t');
    let recs = read(&bytes);
    assert_eq!(
        fields(&recs),
        vec![
            vec!["name", "city"],
            vec!["Zoë", "Köln"],
            vec!["a\r\nb", "😀"]
        ]
    );
    assert_eq!(rows(&recs), vec![1, 2, 3]);
    assert!(r.advance().unwrap() && r.advance().unwrap());
    assert_eq!(r.raw_record().unwrap(), &utf16le("Zoë\tKöln")[2..]);
}

#[test]
fn utf16be_with_bom_is_transcoded() {
    let mut bytes = vec![0xfe, 0xff];
    for u in "a,b\né,2\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    let recs = read(&bytes);
    assert_eq!(fields(&recs), vec![vec!["a", "b"], vec!["é", "2"]]);
}

#[test]
fn utf16le_without_bom_is_recognised_by_its_zero_bytes() {
    let bytes = utf16le("a,b\n1,2\n3,4\n");
    let recs = read(&bytes[2..]);
    assert_eq!(
        fields(&recs),
        vec![vec!["a", "b"], vec!["1", "2"], vec!["3", "4"]]
    );
}

#[test]
fn windows_1252_is_detected_without_bom_and_decoded() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252
        .encode("nom;ville;prix\nFrançois;Besançon;12 €\nAnaïs;Orléans;9 €\nJosé;Málaga;3 €\n");
    let mut r = open(&bytes, &TextOptions::default());
    assert_eq!(
        r.detection().encoding.name,
        "windows-1252",
        "{}",
        r.detection().encoding.evidence
    );
    assert!(r.detection().encoding.evidence.contains("chardetng"));
    assert!(r.advance().unwrap() && r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text("François"));
    assert_eq!(r.field(2), Field::Text("12 €"));
    assert_eq!(r.raw_record().unwrap(), b"Fran\xe7ois;Besan\xe7on;12 \x80");
}

#[test]
fn caller_encoding_overrides_detection() {
    let options = TextOptions {
        encoding: Some("latin1".into()),
        ..TextOptions::default()
    };
    let mut r = open(b"a,\xe9\n", &options);
    assert_eq!(
        r.detection().encoding.evidence,
        "set by the caller (latin1)"
    );
    assert!(r.advance().unwrap());
    assert_eq!(r.field(1), Field::Text("é"));
    let bad = TextOptions {
        encoding: Some("klingon".into()),
        ..TextOptions::default()
    };
    assert!(matches!(
        first_error(b"a", &bad).kind,
        ReadErrorKind::Invalid(_)
    ));
}

#[test]
fn zero_byte_file_and_bom_only_file_are_empty() {
    assert_eq!(
        first_error(b"", &TextOptions::default()).kind,
        ReadErrorKind::Empty
    );
    assert_eq!(
        first_error(b"\xef\xbb\xbf", &TextOptions::default()).kind,
        ReadErrorKind::Empty
    );
}

#[test]
fn nul_bytes_and_control_bytes_make_a_file_binary() {
    let e = first_error(b"PK\x03\x04\x14\x00\x00\x00", &TextOptions::default());
    assert!(
        matches!(e.kind, ReadErrorKind::Binary(ref m) if m.contains("NUL byte at offset 5")),
        "{e}"
    );
    let controls: Vec<u8> = (0..200u8)
        .map(|i| if i % 4 == 0 { 0x01 } else { b'a' })
        .collect();
    assert!(matches!(
        first_error(&controls, &TextOptions::default()).kind,
        ReadErrorKind::Binary(_)
    ));
}

#[test]
fn record_over_the_size_limit_names_row_and_column() {
    let options = TextOptions {
        max_record_bytes: 1000,
        ..TextOptions::default()
    };
    let mut text = b"a,b\n1,2\nx,".to_vec();
    text.extend(std::iter::repeat_n(b'y', 5000));
    text.extend_from_slice(b"\n");
    let e = first_error(&text, &options);
    assert_eq!(e.kind, ReadErrorKind::FieldTooLong { limit: 1000 });
    assert_eq!((e.row, e.column), (Some(3), Some(2)));
}

#[test]
fn record_over_the_field_limit_is_too_many_fields() {
    let options = TextOptions {
        max_fields: 10,
        delimiter: Some(b','),
        ..TextOptions::default()
    };
    let ok = ["v"; 10].join(",");
    let too_many = ["v"; 11].join(",");
    let text = format!("{ok}\n{too_many}\n");
    let e = first_error(text.as_bytes(), &options);
    assert_eq!(e.kind, ReadErrorKind::TooManyFields { limit: 10 });
    assert_eq!(e.row, Some(2));
}

#[test]
fn ten_thousand_columns_read_with_the_default_limits() {
    let header: Vec<String> = (1..=10_000).map(|i| format!("c{i}")).collect();
    let text = format!("{}\n{}\n", header.join(","), vec!["1"; 10_000].join(","));
    let recs = read(text.as_bytes());
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].fields.len(), 10_000);
    assert_eq!(recs[0].fields[9_999], "c10000");
}

#[test]
fn first_records_then_rewind_reads_from_the_start_again() {
    let mut r = open(b"h1,h2\n1,2\n3,4\n5,6\n", &TextOptions::default());
    let first = r.first_records(2).unwrap();
    assert_eq!(
        first[1],
        OwnedRecord {
            row: 2,
            fields: vec!["1".into(), "2".into()]
        }
    );
    r.rewind().unwrap();
    let all = r.first_records(100).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].fields, vec!["h1", "h2"]);
    assert_eq!(r.bytes_read(), 18);
}

#[test]
fn bytes_read_counts_the_bom_and_reaches_the_file_size() {
    let text = b"\xef\xbb\xbfa,b\n1,2\n";
    let mut r = open(text, &TextOptions::default());
    while r.advance().unwrap() {}
    assert_eq!(r.bytes_read(), text.len() as u64);
}

#[test]
fn quoting_off_reads_quotes_as_data() {
    let options = TextOptions {
        quoting: false,
        ..TextOptions::default()
    };
    let recs = read_with(b"a,\"b\n\"c,d\n", &options);
    assert_eq!(fields(&recs), vec![vec!["a", "\"b"], vec!["\"c", "d"]]);
}

#[test]
fn options_deserialize_from_camel_case_json_with_defaults() {
    let o: TextOptions =
        serde_json::from_str(r#"{"delimiter":59,"invalidUtf8":"replace","maxFields":5}"#).unwrap();
    assert_eq!(o.delimiter, Some(b';'));
    assert_eq!(o.invalid_utf8, InvalidUtf8::Replace);
    assert_eq!(o.max_fields, 5);
    assert_eq!(o.max_record_bytes, DEFAULT_MAX_RECORD_BYTES);
}

#[test]
fn quoted_empty_is_empty_text_and_nothing_is_an_empty_field() {
    let mut r = open(b"a,b,c,d\n\"\",,\"x\",\"\"\n", &TextOptions::default());
    assert!(r.advance().unwrap() && r.advance().unwrap());
    assert_eq!(r.field(0), Field::Text(""));
    assert_eq!(r.field(1), Field::Empty);
    assert_eq!(r.field(2), Field::Text("x"));
    assert_eq!(r.field(3), Field::Text(""));
    assert_eq!(r.field(4), Field::Empty);
}

#[test]
fn other_single_byte_code_pages_are_detected_and_decoded() {
    let text = "имя;город;заметка\nОльга;Москва;привет, как дела\nДмитрий;Санкт-Петербург;хорошо\nИван;Новосибирск;спасибо большое\n";
    // chardetng names KOI8-U, the superset that decodes KOI8-R text the same.
    for (enc, detected) in [
        (encoding_rs::WINDOWS_1251, "windows-1251"),
        (encoding_rs::KOI8_R, "KOI8-U"),
    ] {
        let (bytes, _, _) = enc.encode(text);
        let recs = read(&bytes);
        let r = open(&bytes, &TextOptions::default());
        assert_eq!(
            r.detection().encoding.name,
            detected,
            "{}",
            r.detection().encoding.evidence
        );
        assert_eq!(recs[1].fields, ["Ольга", "Москва", "привет, как дела"]);
    }
}

#[test]
fn shift_jis_is_transcoded_before_parsing_so_its_trail_bytes_are_not_delimiters() {
    // 表 is 0x95 0x5C in Shift_JIS: its trail byte is a backslash; ソ (0x83 0x5C) likewise.
    let text = "名前|表示|ソフト\n田中|表計算|ソース\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    let options = TextOptions {
        encoding: Some("shift_jis".into()),
        escape: Some(EscapeStyle::Backslash),
        ..TextOptions::default()
    };
    let recs = read_with(&bytes, &options);
    assert_eq!(
        fields(&recs),
        vec![
            vec!["名前", "表示", "ソフト"],
            vec!["田中", "表計算", "ソース"]
        ]
    );
    let (raw, _, _) = encoding_rs::SHIFT_JIS.encode("田中|表計算|ソース");
    assert_eq!(recs[1].raw, raw.as_ref());
}

#[test]
fn reader_and_detection_can_move_to_another_thread() {
    fn assert_send<T: Send + 'static>() {}
    assert_send::<TextReader>();
    assert_send::<Detection>();
}

#[test]
fn errors_in_utf16_files_name_the_file_offset_of_the_record() {
    let bytes = utf16le("a,b\r\nZoë,😀\r\n\"open,x\r\n");
    let e = first_error(&bytes, &TextOptions::default());
    assert_eq!(e.kind, ReadErrorKind::UnterminatedQuote);
    let start = 2 + 2 * "a,b\r\nZoë,😀\r\n".encode_utf16().count() as u64;
    assert_eq!((e.row, e.byte_offset), (Some(3), Some(start)));
    assert_eq!(&bytes[start as usize..start as usize + 2], &[b'"', 0]);
}

#[test]
fn excel_sep_line_names_the_delimiter_and_is_not_data() {
    let text = b"sep=;\r\na;b,c\r\n1;2,5\r\n";
    let mut r = open(text, &TextOptions::default());
    let d = r.detection();
    assert_eq!(d.dialect.delimiter, b';');
    assert!(
        d.delimiter_evidence
            .starts_with("`;` named by the `sep=` line"),
        "{}",
        d.delimiter_evidence
    );
    let first = r.first_records(10).unwrap();
    assert_eq!(
        first[0],
        OwnedRecord {
            row: 2,
            fields: vec!["a".into(), "b,c".into()]
        }
    );
    assert_eq!(first.len(), 2);
    r.rewind().unwrap();
    assert_eq!(r.first_records(1).unwrap()[0].row, 2);
    // Only a line that is exactly `sep=X` counts.
    let plain = read(b"sep=;x,y\n1,2\n");
    assert_eq!(plain[0].fields, vec!["sep=;x", "y"]);
}
