//! Hand-written real-world files under `testdata/`, as the programs that make them write them.

use std::path::PathBuf;

use super::*;
use crate::{Field, RowSource};

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn all(name: &str) -> (Detection, Vec<(u64, Vec<String>)>) {
    let mut r = TextReader::open(testdata(name), &TextOptions::default()).expect("open");
    let mut recs = Vec::new();
    while r.advance().expect("advance") {
        let fields = (0..r.len())
            .map(|i| match r.field(i) {
                Field::Text(s) => s.to_string(),
                _ => String::new(),
            })
            .collect();
        recs.push((r.row_number(), fields));
    }
    (r.detection().clone(), recs)
}

#[test]
fn excel_semicolon_export_with_bom_reads_with_decimal_commas_intact() {
    let (d, recs) = all("excel-semicolon-bom.csv");
    assert_eq!(
        (d.encoding.name, d.encoding.bom_len, d.dialect.delimiter),
        ("UTF-8", 3, b';')
    );
    assert!(
        d.delimiter_evidence
            .starts_with("`;` splits every one of the 4 sampled records into 6 fields"),
        "{}",
        d.delimiter_evidence
    );
    assert_eq!(recs.len(), 4);
    assert_eq!((d.sample_bytes as u64, d.file_bytes), (244, 244));
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["encoding"]["name"], "UTF-8");
    assert_eq!(json["dialect"]["delimiter"], ";");
    assert_eq!(
        recs[1].1,
        [
            "00123",
            "Müller GmbH",
            "München",
            "1.234,56",
            "05.03.2024",
            "Lieferung; bitte klingeln"
        ]
    );
    assert_eq!(recs[3].1[5], "sagt \"danke\"");
}

#[test]
fn tsv_with_commas_in_text_is_tab_delimited() {
    let (d, recs) = all("export.tsv");
    assert_eq!(d.dialect.delimiter, b'\t', "{}", d.delimiter_evidence);
    assert_eq!(recs[1].1, ["1", "Widget, large", "3", "19.99", ""]);
    assert_eq!(recs[3].1[1], "Gizmo \"Pro\"");
}

#[test]
fn windows_1252_file_with_accents_is_detected_and_decoded() {
    let (d, recs) = all("windows-1252-accents.csv");
    assert_eq!(d.encoding.name, "windows-1252", "{}", d.encoding.evidence);
    assert_eq!(recs[1].1, ["François", "Besançon", "12 €", "très bien"]);
    assert_eq!(recs[4].1, ["Zoë", "Køge", "15 €", "naïve café"]);
}

#[test]
fn excel_unicode_text_is_utf16le_tab_delimited() {
    let (d, recs) = all("excel-unicode-text.txt");
    assert_eq!((d.encoding.name, d.dialect.delimiter), ("UTF-16LE", b'\t'));
    assert_eq!(recs[2].1, ["陈静", "北京", "7"]);
    assert_eq!(recs[3].1[0], "Line one\nline two");
    assert_eq!(recs.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
}

#[test]
fn quoted_newlines_file_gives_each_record_its_first_line() {
    let (_, recs) = all("quoted-newlines.csv");
    assert_eq!(
        recs.iter().map(|r| r.0).collect::<Vec<_>>(),
        [1, 2, 4, 5, 8]
    );
    assert_eq!(recs[3].1[1], "multi\nline\nthree");
    assert_eq!(recs[2].1[1], "He said \"hi\"");
}

#[test]
fn single_quoted_export_is_read_with_single_quotes_and_doubled_apostrophes() {
    let (d, recs) = all("single-quoted.csv");
    assert_eq!(
        (d.dialect.delimiter, d.dialect.quote, d.dialect.escape),
        (b',', Some(b'\''), EscapeStyle::Doubled),
        "{}",
        d.quote_evidence
    );
    assert!(
        d.quote_evidence.starts_with(
            "`'` encloses 12 fields, 5 holding the delimiter, a line break or a quote in the 5 \
             sampled records; `\"` encloses none"
        ),
        "{}",
        d.quote_evidence
    );
    assert_eq!(
        recs[2].1,
        ["2", "O'Brien, Pat", "Dublin", "asked for 'fast' delivery"]
    );
    assert_eq!(
        recs[4].1,
        ["4", "Müller", "München", "Lieferung, bitte klingeln"]
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["dialect"]["quote"], "'");
}

#[test]
fn mysql_backslash_escaped_export_is_read_with_backslash_escaping() {
    let (d, recs) = all("backslash-escaped.csv");
    assert_eq!(
        (d.dialect.quote, d.dialect.escape),
        (Some(b'"'), EscapeStyle::Backslash),
        "{}",
        d.escape_evidence
    );
    assert_eq!(recs[1].1, ["1", "The \"Best\" Widget", "ok, shipped"]);
    assert_eq!(recs[2].1[2], "path C:\\temp");
    assert_eq!(recs[3].1[2], "said \"no\", then \"yes\"");
}

#[test]
fn apostrophes_in_names_and_text_are_data() {
    let (d, recs) = all("apostrophes.csv");
    assert_eq!(d.dialect.quote, Some(b'"'), "{}", d.quote_evidence);
    assert_eq!(recs.len(), 6);
    assert_eq!(recs[3].1, ["3", "'Allo 'Allo", "a '90s show"]);
    assert_eq!(recs[4].1, ["4", "Smith", "'tis the season"]);
    assert_eq!(recs[5].1, ["5", "O'Neill", "She said \"don't\""]);
}

#[test]
fn inch_marks_turn_quoting_off() {
    let (d, recs) = all("inches-no-quoting.csv");
    assert_eq!(
        (d.dialect.delimiter, d.dialect.quote),
        (b';', None),
        "{}",
        d.quote_evidence
    );
    assert!(
        d.quote_evidence.starts_with("quoting off"),
        "{}",
        d.quote_evidence
    );
    assert_eq!(recs[1].1, ["TV", "\"55\" screen", "499"]);
    assert_eq!(recs[3].1, ["Cable", "2 m", "9"]);
}
