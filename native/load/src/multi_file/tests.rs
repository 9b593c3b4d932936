use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use sluice_files::infer::SqlType;

use super::*;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(paths: &[PathBuf]) -> MultiInspection {
    infer_files(
        paths,
        &MultiFileOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn column<'a>(m: &'a MultiInspection, name: &str) -> &'a ColumnSchema {
    m.columns.iter().find(|c| c.name == name).unwrap()
}

#[test]
fn types_widen_across_files_and_the_evidence_names_the_file_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.csv",
        "id,code,day\n1,AB12,2024-03-05\n2,CD34,2024-03-06\n",
    );
    let b = write(
        dir.path(),
        "b.csv",
        "id,code,day\n3000000000,a code thirty characters long!,2024-03-07\n",
    );
    let c = write(
        dir.path(),
        "c.csv",
        "id,code,day\n4,EF,2024-03-08\n5,GH,next week\n",
    );
    let m = run(&[a.clone(), b.clone(), c.clone()]);
    assert_eq!(column(&m, "id").sql_type, SqlType::BigInt);
    assert_eq!(column(&m, "code").sql_type, SqlType::VarChar(Some(30)));
    assert_eq!(column(&m, "day").sql_type, SqlType::VarChar(Some(10)));
    // The widenings, each with its file and that file's own line.
    let w: Vec<(&str, &Path, u64, &str)> = m
        .widenings
        .iter()
        .map(|w| (w.column.as_str(), w.file.as_path(), w.row, w.value.as_str()))
        .collect();
    assert!(w.contains(&("id", b.as_path(), 2, "3000000000")), "{w:?}");
    assert!(w.contains(&("day", c.as_path(), 3, "next week")), "{w:?}");
    let day = &column(&m, "day").evidence;
    let last = day.widenings.last().unwrap();
    assert_eq!(last.row, 3);
    assert!(last.reason.ends_with("(in c.csv)"), "{}", last.reason);
    let code = &column(&m, "code").evidence;
    assert_eq!(
        code.longest_row, 2,
        "line 2 of b.csv, not a combined number"
    );
    assert!(
        code.notes
            .iter()
            .any(|n| n == "the longest value is in b.csv, row 2"),
        "{:?}",
        code.notes
    );
    // Per-file counts.
    let counts: Vec<u64> = m.files.iter().map(|f| f.rows).collect();
    assert_eq!(counts, [2, 1, 2]);
    assert_eq!(m.rows, 5);
    assert!(m.files.iter().all(|f| f.has_header));
    assert_eq!(column(&m, "id").evidence.rows, 5);
}

#[test]
fn columns_match_by_name_whatever_their_order_and_a_missing_one_makes_nulls() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", "id,name\n1,Ann\n2,Bob\n");
    let b = write(dir.path(), "b.csv", "name,id,region\nCy,3,EU\n");
    let m = run(&[a, b]);
    let names: Vec<&str> = m.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "region"]);
    assert_eq!(column(&m, "id").sql_type, SqlType::Int);
    assert!(
        !column(&m, "id").nullable,
        "id is in every file, never empty"
    );
    assert_eq!(column(&m, "name").sql_type, SqlType::VarChar(Some(3)));
    let region = column(&m, "region");
    assert!(region.nullable);
    assert_eq!(region.evidence.values, 1);
    assert_eq!(m.files[0].missing_columns, ["region"]);
    assert!(m.files[1].missing_columns.is_empty());
    assert_eq!(m.files[1].columns, ["name", "id", "region"]);
}

#[test]
fn files_without_a_header_match_by_position_and_wider_records_add_columns() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", "1,2024-01-01\n2,2024-01-02\n");
    let b = write(dir.path(), "b.csv", "3,2024-01-03,x\n");
    let m = run(&[a, b]);
    assert!(m.files.iter().all(|f| !f.has_header));
    let got: Vec<(&str, SqlType)> = m
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.sql_type))
        .collect();
    assert_eq!(
        got,
        [
            ("column1", SqlType::Int),
            ("column2", SqlType::Date),
            ("column3", SqlType::VarChar(Some(1)))
        ]
    );
    assert_eq!(
        m.columns[2].evidence.missing, 2,
        "a.csv had no third column"
    );
    assert!(m.columns[2].nullable);
    assert_eq!(m.rows, 3);
}

#[test]
fn a_flag_column_named_in_the_header_is_bit_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", "is_active,qty\n0,1\n1,0\n");
    let b = write(dir.path(), "b.csv", "is_active,qty\n1,1\n");
    let m = run(&[a, b]);
    assert_eq!(column(&m, "is_active").sql_type, SqlType::Bit);
    assert_eq!(column(&m, "qty").sql_type, SqlType::Int);
}

#[test]
fn spreadsheets_from_the_readers_testdata_combine_into_one_schema() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../files/testdata");
    let paths = [testdata.join("sample.xlsx"), testdata.join("sample.ods")];
    let options = MultiFileOptions {
        header_row: Some(1),
        ..MultiFileOptions::default()
    };
    let m = infer_files(&paths, &options, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    let names: Vec<&str> = m.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "customer",
            "amount",
            "paid",
            "ordered",
            "shipped_at",
            "pickup",
            "zip",
            "check",
            "took"
        ]
    );
    assert_eq!(m.files[0].rows, m.files[1].rows);
    assert!(m.files[0].rows > 0);
    assert_eq!(m.rows, m.files[0].rows * 2);
    assert_eq!(column(&m, "id").sql_type, SqlType::Int);
    assert_eq!(column(&m, "ordered").sql_type, SqlType::Date);
}

#[test]
fn progress_is_reported_per_file_and_a_cancel_stops_with_the_file_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from("num\n");
    for i in 0..10_000 {
        big.push_str(&format!("{i}\n"));
    }
    let a = write(dir.path(), "a.csv", "num\n1\n2\n");
    let b = write(dir.path(), "big.csv", &big);
    let mut seen = Vec::new();
    let m = infer_files(
        &[a.clone(), b.clone()],
        &MultiFileOptions::default(),
        &mut |p| seen.push(p),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(m.rows, 10_002, "{:?}", m.files);
    let last = seen.last().unwrap();
    assert_eq!((last.file, last.files, last.rows), (1, 2, 10_002));
    assert!(seen.iter().any(|p| p.file == 0 && p.rows == 2));
    let err = infer_files(
        &[a, b.clone()],
        &MultiFileOptions::default(),
        &mut |_| {},
        &AtomicBool::new(true),
    )
    .unwrap_err();
    assert_eq!(err.kind, ReadErrorKind::Cancelled);
    assert_eq!(err.file, b);
    assert!(err.row.is_some());
}

#[test]
fn an_unreadable_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", "num\n1\n");
    let gone = dir.path().join("gone.csv");
    let err = infer_files(
        &[a, gone.clone()],
        &MultiFileOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(err.file, gone);
    assert!(matches!(err.kind, ReadErrorKind::Io(_)), "{err}");
}

#[test]
fn the_result_serialises_for_the_cli_and_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", "id\n1\n");
    let m = run(&[a]);
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["files"][0]["rows"], 1);
    assert_eq!(json["files"][0]["hasHeader"], true);
    assert_eq!(json["columns"][0]["sqlType"], "int");
    assert_eq!(json["rows"], 1);
}

/// The format is the content's, not the name's: a CSV named `.xlsx` is read as text and a
/// workbook with no extension as a workbook, and they combine by column name.
#[test]
fn files_are_read_by_their_content_whatever_their_names_say() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "orders.xlsx", "id,customer\n900,zed\n");
    let book = dir.path().join("orders");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../files/testdata/sample.xlsx"),
        &book,
    )
    .unwrap();
    let m = run(&[csv, book]);
    assert_eq!(m.files[0].rows, 1);
    assert!(m.files[1].rows > 0);
    assert_eq!(&m.files[1].columns[..2], ["id", "customer"]);
    assert_eq!(column(&m, "id").sql_type, SqlType::Int);
    assert!(m.files[0].missing_columns.contains(&"amount".to_string()));
}

#[test]
fn the_field_map_finds_each_combined_column_in_a_file_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", "id,name\n1,x\n");
    let b = write(dir.path(), "b.csv", "city,id\nOslo,2\n");
    let m = run(&[a, b]);
    let names: Vec<&str> = m.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "city"]);
    assert_eq!(m.field_map(0), [Some(0), Some(1), None]);
    assert_eq!(m.field_map(1), [Some(1), None, Some(0)]);
    assert_eq!(m.field_map(7), [None, None, None]);
}
