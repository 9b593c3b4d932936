use super::*;
use clap::Parser;

#[derive(Parser)]
struct Cmd {
    #[command(flatten)]
    args: InspectArgs,
}

fn testdata(name: &str) -> String {
    format!("{}/../files/testdata/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `sluice inspect ARGS`; returns (exit code, stdout, stderr).
fn inspect_cli(args: &[&str]) -> (i32, String, String) {
    let cmd = Cmd::try_parse_from(std::iter::once("inspect").chain(args.iter().copied())).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = execute(&cmd.args, false, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn json(file: &str, extra: &[&str]) -> serde_json::Value {
    let path = testdata(file);
    let mut args = vec![path.as_str(), "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = inspect_cli(&args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// (name, sqlType, nullable) of every column.
fn schema(v: &serde_json::Value) -> Vec<(String, String, bool)> {
    v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["sqlType"].as_str().unwrap().to_string(),
                c["nullable"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn cols(expected: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    expected
        .iter()
        .map(|(n, t, b)| (n.to_string(), t.to_string(), *b))
        .collect()
}

#[test]
fn json_has_the_contract_keys_and_evidence() {
    let v = json("semicolon-dayfirst-decimal-comma.csv", &[]);
    for key in [
        "format",
        "encoding",
        "delimiter",
        "hasHeader",
        "rowCount",
        "columns",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    let c = &v["columns"][1];
    for key in ["name", "sqlType", "nullable", "evidence"] {
        assert!(c.get(key).is_some(), "missing {key}: {c}");
    }
    assert_eq!(c["evidence"]["rows"], 3);
    assert_eq!(c["evidence"]["dateOrder"]["order"], "dayFirst");
    assert_eq!(c["evidence"]["dateOrder"]["settledBy"]["row"], 3);
}

/// Day-first dates settle on row 3 (`25/12/2023`). `1.234,56` (German grouping and decimal
/// comma) stays text: the inference reads `.` as the decimal point, and guessing a locale
/// would turn `1.234` into 1234 in one file and 1.234 in another; the user converts such a
/// column explicitly. Leading-zero postcodes stay text.
#[test]
fn semicolon_csv_with_day_first_dates_and_decimal_commas() {
    let v = json("semicolon-dayfirst-decimal-comma.csv", &[]);
    assert_eq!(
        (v["format"].as_str(), v["encoding"].as_str()),
        (Some("csv"), Some("UTF-8"))
    );
    assert_eq!(
        (v["delimiter"].as_str(), v["hasHeader"].as_bool()),
        (Some(";"), Some(true))
    );
    assert_eq!(v["rowCount"], 3);
    assert_eq!(
        schema(&v),
        cols(&[
            ("Kunde", "nvarchar(7)", false),
            ("Datum", "date", false),
            ("Betrag", "varchar(9)", false),
            ("Menge", "int", true),
            ("PLZ", "varchar(5)", false),
        ])
    );
}

#[test]
fn tsv_with_quoted_newlines_tabs_and_doubled_quotes() {
    let v = json("quoted-newlines.tab.tsv", &[]);
    assert_eq!(
        (v["format"].as_str(), v["delimiter"].as_str()),
        (Some("tsv"), Some("\t"))
    );
    assert_eq!(v["rowCount"], 4);
    assert_eq!(
        schema(&v),
        cols(&[
            ("id", "int", false),
            ("note", "varchar(10)", false),
            ("shipped", "bit", false),
            ("at", "time(0)", true),
        ])
    );
}

#[test]
fn windows_1252_csv_is_detected_and_decoded() {
    let v = json("cp1252-prices.csv", &[]);
    assert_eq!(v["encoding"], "windows-1252");
    assert_eq!(
        schema(&v),
        cols(&[
            ("article", "nvarchar(10)", false),
            ("prix", "nvarchar(6)", false),
            ("stocké le", "datetime2(3)", false),
            ("remise", "decimal(3,2)", true),
        ])
    );
    assert_eq!(v["columns"][2]["proposedName"], "stocké_le");
    let fr = json("windows-1252-accents.csv", &[]);
    assert_eq!(
        (fr["encoding"].as_str(), fr["rowCount"].as_u64()),
        (Some("windows-1252"), Some(4))
    );
}

#[test]
fn excel_exports_utf8_bom_semicolon_and_utf16_text() {
    let de = json("excel-semicolon-bom.csv", &[]);
    assert_eq!(
        schema(&de),
        cols(&[
            ("Kundennr", "varchar(5)", false),
            ("Name", "nvarchar(15)", false),
            ("Ort", "nvarchar(10)", false),
            ("Umsatz", "varchar(9)", false),
            ("Datum", "date", false),
            ("Notiz", "varchar(25)", true),
        ])
    );
    let u16 = json("excel-unicode-text.txt", &[]);
    assert_eq!(
        (u16["encoding"].as_str(), u16["delimiter"].as_str()),
        (Some("UTF-16LE"), Some("\t"))
    );
    assert_eq!(
        schema(&u16),
        cols(&[
            ("Name", "nvarchar(17)", false),
            ("City", "nvarchar(5)", false),
            ("Amount", "decimal(3,1)", false),
        ])
    );
}

/// The workbooks LibreOffice wrote (scripts/make-test-workbooks.sh): the same table in every
/// format gives the same schema; typed cells keep their types.
#[test]
fn libreoffice_workbooks_give_one_schema_in_every_format() {
    let expected = cols(&[
        ("id", "int", false),
        ("customer", "nvarchar(12)", false),
        ("amount", "decimal(3,1)", true),
        ("paid", "bit", true),
        ("ordered", "date", true),
        ("shipped_at", "datetime2(0)", true),
        ("pickup", "time(0)", true),
        ("zip", "varchar(5)", true),
        ("check", "varchar(1)", true),
        ("took", "varchar(8)", true),
    ]);
    for (file, format) in [
        ("sample.xlsx", "xlsx"),
        ("sample.ods", "ods"),
        ("sample.xls", "xls"),
    ] {
        let v = json(file, &[]);
        assert_eq!(v["format"], format);
        assert!(
            v["delimiter"].is_null() && v["encoding"].is_null(),
            "{file}"
        );
        assert_eq!(
            (v["rowCount"].as_u64(), v["sheet"].as_str()),
            (Some(4), Some("Orders"))
        );
        assert_eq!(schema(&v), expected, "{file}");
        assert_eq!(v["columns"][8]["evidence"]["errors"], 2, "{file}");
    }
    let cover = json("sample.xlsx", &["--sheet", "1", "--no-header"]);
    assert_eq!(cover["sheet"], "Cover");
    assert_eq!(cover["hasHeader"], false);
}

#[test]
fn overrides_header_row_delimiter_and_sample() {
    let v = json("quoted-newlines.csv", &["--no-header", "--sample", "2"]);
    assert_eq!(
        (v["hasHeader"].as_bool(), v["rowCount"].as_u64()),
        (Some(false), Some(2))
    );
    assert_eq!(v["columns"][0]["name"], "column1");
    let v = json("export.tsv", &["--delimiter", ","]);
    assert_eq!(v["delimiter"], ",");
    let v = json("sample.xlsx", &["--range", "A1:B5", "--header-row", "1"]);
    assert_eq!(
        schema(&v),
        cols(&[("id", "int", false), ("customer", "nvarchar(12)", false)])
    );
}

#[test]
fn the_table_names_settings_evidence_and_columns() {
    let path = testdata("semicolon-dayfirst-decimal-comma.csv");
    let (code, out, err) = inspect_cli(&[&path]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("delimiter: ';' (`;` splits every one"),
        "{out}"
    );
    assert!(out.contains("encoding:  UTF-8"), "{out}");
    let datum = out.lines().find(|l| l.starts_with("Datum")).unwrap();
    assert!(
        datum.contains("date") && datum.contains("day first"),
        "{datum}"
    );
    assert!(err.is_empty(), "no progress bar off a terminal: {err:?}");
}

#[test]
fn a_file_that_cannot_be_read_exits_1_naming_file_offset_row_and_column() {
    let path = testdata("cp1252-prices.csv");
    let (code, out, err) = inspect_cli(&[&path, "--encoding", "utf-8"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("cp1252-prices.csv, row 1, column 3 (byte 18)"),
        "{err}"
    );
    let (code, _, err) = inspect_cli(&[&testdata("encrypted.xlsx")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("encrypted.xlsx") && err.contains("password"),
        "{err}"
    );
    let (code, _, err) = inspect_cli(&[&testdata("missing.csv")]);
    assert_eq!(code, 1);
    assert!(err.contains("missing.csv"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let csv = testdata("export.tsv");
    let (code, _, err) = inspect_cli(&[&csv, "--sheet", "Orders"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = inspect_cli(&[&testdata("sample.xlsx"), "--sheet", "Nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("'Orders'"), "{err}");
    let (code, _, _) = inspect_cli(&[&csv, "--encoding", "klingon"]);
    assert_eq!(code, 2);
}

#[tokio::test]
async fn the_command_line_routes_inspect_and_rejects_bad_arguments() {
    let csv = testdata("export.tsv");
    assert_eq!(
        crate::run(vec!["inspect".into(), csv.clone(), "--json".into()]).await,
        0
    );
    let both = vec![
        "inspect".into(),
        csv.clone(),
        "--no-header".into(),
        "--header-row".into(),
        "2".into(),
    ];
    assert_eq!(crate::run(both).await, 2);
    let bad = vec!["inspect".into(), csv, "--delimiter".into(), "ab".into()];
    assert_eq!(crate::run(bad).await, 2);
    assert_eq!(crate::run(vec!["inspect".into()]).await, 2);
}

#[test]
fn json_has_the_quote_the_escape_and_their_evidence() {
    let v = json("single-quoted.csv", &[]);
    assert_eq!(
        (&v["quote"], &v["escape"]),
        (&"'".into(), &"doubled".into())
    );
    assert!(
        v["detection"]["quote"]
            .as_str()
            .unwrap()
            .starts_with("`'` encloses 12 fields, 5 holding the delimiter"),
        "{v}"
    );
    assert_eq!(v["delimiter"], ",");
    let v = json("backslash-escaped.csv", &[]);
    assert_eq!(
        (&v["quote"], &v["escape"]),
        (&"\"".into(), &"backslash".into())
    );
    let v = json("inches-no-quoting.csv", &[]);
    assert!(v["quote"].is_null() && v["escape"].is_null(), "{v}");
    assert_eq!(
        schema(&v)[1],
        ("size".to_string(), "varchar(11)".to_string(), false)
    );
}

#[test]
fn quote_and_escape_flags_override_the_detection() {
    // With `"` as the quote, `'Smith, John'` is two fields, so the columns shift.
    let v = json("single-quoted.csv", &["--quote", "\""]);
    assert_eq!(v["quote"], "\"");
    assert!(
        v["detection"]["quote"]
            .as_str()
            .unwrap()
            .starts_with("`\"` set by the caller"),
        "{v}"
    );
    let v = json("quoted-newlines.csv", &["--quote", "none"]);
    assert!(v["quote"].is_null(), "{v}");
    assert_eq!(
        v["detection"]["quote"],
        "quoting off, set by the caller: quote characters are data"
    );
    let v = json("backslash-escaped.csv", &["--escape", "double"]);
    assert_eq!(v["escape"], "doubled");
    assert_eq!(v["detection"]["escape"], "escape style set by the caller");
    let path = testdata("single-quoted.csv");
    let (code, out, err) = inspect_cli(&[&path]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("quote:     ' (`'` encloses 12 fields"),
        "{out}"
    );
    let (code, _, err) = inspect_cli(&[&path, "--quote", ",", "--delimiter", ","]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the quote and the delimiter are both"),
        "{err}"
    );
    let cmd = Cmd::try_parse_from(["inspect", path.as_str(), "--quote", "ab"]);
    assert!(cmd.err().unwrap().to_string().contains("is not a quote"));
    let cmd = Cmd::try_parse_from(["inspect", path.as_str(), "--escape", "x"]);
    assert!(cmd
        .err()
        .unwrap()
        .to_string()
        .contains("is not an escape style"));
}

/// `--code-page 1252`: accented French text that code page holds is varchar in its bytes (one a
/// character); Chinese names are not in it and stay nvarchar, the widening naming the row.
#[test]
fn code_page_proposes_varchar_for_text_the_target_code_page_holds() {
    let default = schema(&json("windows-1252-accents.csv", &[]));
    assert_eq!(
        default[0],
        ("nom".to_string(), "nvarchar(8)".to_string(), false)
    );
    let v = json("windows-1252-accents.csv", &["--code-page", "1252"]);
    let cp = schema(&v);
    assert_eq!(cp[0], ("nom".to_string(), "varchar(8)".to_string(), false));
    assert_eq!(cp[1].1, "varchar(8)", "Besançon: 8 bytes in windows-1252");
    let v = json("excel-unicode-text.txt", &["--code-page", "windows-1252"]);
    let name = &v["columns"][0];
    assert_eq!(name["sqlType"].as_str(), Some("nvarchar(17)"), "{name}");
    let widening = &name["evidence"]["widenings"][0];
    assert_eq!(widening["value"].as_str(), Some("陈静"), "{name}");
    assert!(
        widening["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("not in windows-1252"),
        "{name}"
    );
    let (code, _, err) =
        inspect_cli(&[&testdata("windows-1252-accents.csv"), "--code-page", "437x"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("windows-1252-accents.csv") && err.contains("437x"),
        "{err}"
    );
}
