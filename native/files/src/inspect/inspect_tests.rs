use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::*;
use crate::ReadErrorKind;

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn temp_file(contents: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(contents).unwrap();
    f
}

fn run_inspect(path: &Path, options: &Options) -> Result<Inspection, crate::ReadError> {
    inspect(path, options, &mut |_| {}, &AtomicBool::new(false))
}

fn types(i: &Inspection) -> Vec<(String, String)> {
    i.columns
        .iter()
        .map(|c| (c.name.clone(), c.sql_type.to_string()))
        .collect()
}

#[test]
fn preview_shows_detected_settings_header_and_first_rows() {
    let f = temp_file(b"id;when;name\n1;05/03/2024;Ann\n2;25/03/2024;\n3;06/03/2024;Bob\n");
    let p = preview(
        f.path(),
        &Options {
            preview_rows: Some(2),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        (p.format.as_str(), p.delimiter.as_deref()),
        ("csv", Some(";"))
    );
    assert_eq!(p.encoding.as_deref(), Some("UTF-8"));
    assert!(p.has_header, "{}", p.detection.header);
    assert_eq!(
        p.rows,
        vec![
            vec![
                Some("1".into()),
                Some("05/03/2024".into()),
                Some("Ann".into())
            ],
            vec![Some("2".into()), Some("25/03/2024".into()), None],
        ]
    );
    assert_eq!(p.row_numbers, [2, 3]);
    let names: Vec<_> = p
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.sql_type.to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("id", "int".to_string()),
            ("when", "date".into()),
            ("name", "varchar(3)".into())
        ]
    );
    assert!(p.sheets.is_empty() && p.sheet.is_none());
}

#[test]
fn inspect_reads_the_whole_file_and_widens_late() {
    let mut text = String::from("num,code\n");
    for i in 0..5000 {
        text.push_str(&format!("{i},{:05}\n", i));
    }
    text.push_str("3000000000,00001\n");
    let f = temp_file(text.as_bytes());
    let i = run_inspect(f.path(), &Options::default()).unwrap();
    assert_eq!(i.row_count, 5001);
    assert!(i.complete && i.has_header);
    assert_eq!(
        types(&i),
        [
            ("num".into(), "bigint".into()),
            ("code".into(), "varchar(5)".into())
        ]
    );
    let w = &i.columns[0].evidence.widenings;
    assert_eq!(w.last().map(|w| w.row), Some(5002), "{w:?}");
}

#[test]
fn a_sample_stops_early_and_says_so() {
    let f = temp_file(b"a\n1\n2\n3\nx\n");
    let i = run_inspect(
        f.path(),
        &Options {
            sample: Some(2),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!((i.row_count, i.complete), (2, false));
    assert_eq!(i.columns[0].sql_type.to_string(), "int");
    let all = run_inspect(
        f.path(),
        &Options {
            sample: Some(4),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!((all.row_count, all.complete), (4, true));
    assert_eq!(all.columns[0].sql_type.to_string(), "varchar(1)");
}

#[test]
fn header_overrides_take_a_later_row_or_none() {
    let f = temp_file(b"exported by x\nid,v\n1,2\n");
    let i = run_inspect(
        f.path(),
        &Options {
            header: HeaderSetting::Row(2),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        types(&i),
        [("id".into(), "int".into()), ("v".into(), "int".into())]
    );
    assert_eq!(i.row_count, 1);
    let g = temp_file(b"a,b\nc,d\n");
    let i = run_inspect(
        g.path(),
        &Options {
            header: HeaderSetting::Absent,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(!i.has_header);
    assert_eq!(i.row_count, 2);
    assert_eq!(i.columns[0].name, "column1");
}

#[test]
fn null_tokens_are_the_callers() {
    let f = temp_file(b"v\n1\n-\n2\n");
    let plain = run_inspect(f.path(), &Options::default()).unwrap();
    assert_eq!(plain.columns[0].sql_type.to_string(), "varchar(1)");
    let dash = run_inspect(
        f.path(),
        &Options {
            null_tokens: Some(vec!["-".into()]),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(dash.columns[0].sql_type.to_string(), "int");
    assert!(dash.columns[0].nullable);
}

#[test]
fn the_result_carries_the_totals_and_cancel_stops() {
    let mut text = String::from("num\n");
    for i in 0..10_000 {
        text.push_str(&format!("{i}\n"));
    }
    let f = temp_file(text.as_bytes());
    let mut ticks = Vec::new();
    let i = inspect(
        f.path(),
        &Options::default(),
        &mut |p| ticks.push(p),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!((i.row_count, i.bytes_read), (10_000, text.len() as u64));
    assert!(ticks
        .iter()
        .all(|p| p.rows <= 10_000 && p.bytes_read <= i.bytes_read));
    let e = inspect(
        f.path(),
        &Options::default(),
        &mut |_| {},
        &AtomicBool::new(true),
    )
    .unwrap_err();
    assert_eq!(e.kind, ReadErrorKind::Cancelled);
}

#[test]
fn workbooks_are_read_by_content_with_sheet_and_header() {
    let p = preview(&testdata("sample.xlsx"), &Options::default()).unwrap();
    assert_eq!(p.format, "xlsx");
    assert_eq!(
        (p.encoding.as_deref(), p.delimiter.as_deref()),
        (None, None)
    );
    assert!(!p.sheets.is_empty());
    assert!(p.detection.sheet.is_some());
    let i = run_inspect(&testdata("sample.ods"), &Options::default()).unwrap();
    assert_eq!(i.format, "ods");
    assert!(i.row_count > 0);
}

#[test]
fn misplaced_options_and_missing_files_are_errors_naming_the_file() {
    let f = temp_file(b"a,b\n1,2\n");
    let e = preview(
        f.path(),
        &Options {
            sheet: Some("1".into()),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e.kind, ReadErrorKind::Invalid(_)), "{e}");
    let e = preview(
        &testdata("sample.xlsx"),
        &Options {
            delimiter: Some(b';'),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e.kind, ReadErrorKind::Invalid(_)), "{e}");
    let e = preview(
        &testdata("sample.xlsx"),
        &Options {
            range: Some("B9:A1".into()),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("B9:A1"), "{e}");
    let missing = testdata("no-such-file.csv");
    let e = preview(&missing, &Options::default()).unwrap_err();
    assert!(e.to_string().contains("no-such-file.csv"), "{e}");
    let e = run_inspect(&testdata("encrypted.xlsx"), &Options::default()).unwrap_err();
    assert_eq!(e.kind, ReadErrorKind::Encrypted);
}

#[test]
fn hostile_files_are_clear_errors() {
    let empty = temp_file(b"");
    let e = preview(empty.path(), &Options::default()).unwrap_err();
    assert_eq!(e.kind, ReadErrorKind::Empty);
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((x >> 16) as u8);
    }
    let binary = temp_file(&noise);
    let e = run_inspect(binary.path(), &Options::default()).unwrap_err();
    assert!(matches!(e.kind, ReadErrorKind::Binary(_)), "{e}");
    // A zip that is no workbook: named by what it is not.
    let zip = temp_file(b"PK\x03\x04not really a zip");
    let e = preview(zip.path(), &Options::default()).unwrap_err();
    assert!(
        e.to_string().contains(&zip.path().display().to_string()),
        "{e}"
    );
    let open_quote = temp_file(b"a,b\n1,\"never closed\n2,3\n");
    let e = run_inspect(open_quote.path(), &Options::default()).unwrap_err();
    assert_eq!(
        (e.kind.clone(), e.row),
        (ReadErrorKind::UnterminatedQuote, Some(2)),
        "{e}"
    );
}

#[test]
fn preview_reads_only_what_it_shows() {
    // 100,000 rows, the last one breaking every column: the preview never sees it.
    let mut text = String::from("id,v\n");
    for i in 0..100_000 {
        text.push_str(&format!("{i},{i}\n"));
    }
    text.push_str("x,\"open");
    let f = temp_file(text.as_bytes());
    let p = preview(f.path(), &Options::default()).unwrap();
    assert_eq!(p.rows.len(), DEFAULT_PREVIEW_ROWS);
    assert_eq!(p.columns[0].sql_type.to_string(), "int");
    assert_eq!(p.row_numbers.last(), Some(&101));
}

#[test]
fn the_quote_and_its_evidence_are_in_preview_and_inspection() {
    let p = preview(&testdata("single-quoted.csv"), &Options::default()).unwrap();
    assert_eq!(
        (p.quote.as_deref(), p.escape),
        (Some("'"), Some(crate::text::EscapeStyle::Doubled))
    );
    let evidence = p.detection.quote.as_deref().unwrap_or_default();
    assert!(evidence.starts_with("`'` encloses 12 fields"), "{evidence}");
    assert_eq!(p.rows[1][1].as_deref(), Some("O'Brien, Pat"));
    let i = run_inspect(&testdata("inches-no-quoting.csv"), &Options::default()).unwrap();
    assert_eq!((i.quote, i.escape), (None, None));
    let json = serde_json::to_value(&i.detection).unwrap();
    assert!(
        json["quote"].as_str().unwrap().starts_with("quoting off"),
        "{json}"
    );
    let sheet = preview(&testdata("sample.xlsx"), &Options::default()).unwrap();
    assert_eq!(
        (sheet.quote, sheet.escape, sheet.detection.quote),
        (None, None, None)
    );
}

#[test]
fn quote_and_escape_overrides_are_used_and_refused_for_workbooks() {
    // Read with `"` quoting, the single quotes are data and the quoted commas split fields.
    let options = Options {
        quote: Some(crate::text::QuoteSetting::Char(b'"')),
        ..Options::default()
    };
    let p = preview(&testdata("single-quoted.csv"), &options).unwrap();
    assert_eq!(p.quote.as_deref(), Some("\""));
    assert_eq!(p.rows[0][1].as_deref(), Some("'Smith"));
    assert!(
        p.detection
            .quote
            .as_deref()
            .unwrap_or_default()
            .starts_with("`\"` set by the caller"),
        "{:?}",
        p.detection.quote
    );
    let off = Options {
        quote: Some(crate::text::QuoteSetting::Off),
        ..Options::default()
    };
    let p = preview(&testdata("quoted-newlines.csv"), &off).unwrap();
    assert_eq!((p.quote, p.escape), (None, None));
    let e = preview(
        &testdata("sample.xlsx"),
        &Options {
            escape: Some(crate::text::EscapeStyle::Backslash),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("--escape"), "{e}");
}
