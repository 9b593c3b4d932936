//! Templates written by hand (testdata/templates, not produced by this code) must be read;
//! broken ones must be refused with a message that says what and where.

use std::path::{Path, PathBuf};

use sluice_files::infer::{DateOrder, InferOptions, Inferrer, SqlType};

use super::*;

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/templates")
        .join(rel)
}

fn refused(rel: &str) -> TemplateError {
    match Template::read(testdata(rel)) {
        Ok(t) => panic!("{rel} was accepted: {t:?}"),
        Err(e) => e,
    }
}

#[test]
fn hand_written_full_template_is_read_with_every_field() {
    let t = Template::read(testdata("valid/orders_full.json")).unwrap();
    assert_eq!(t.source.delimiter.as_deref(), Some(";"));
    assert_eq!(t.source.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(
        t.source.null_tokens,
        Some(vec!["-".to_string(), "NULL".to_string()])
    );
    assert_eq!(t.columns.len(), 5);
    assert_eq!(t.target.primary_key, ["order_no"]);
    assert_eq!(t.target.mode, LoadMode::Create);
    let ordered = &t.mapping[1];
    assert_eq!(ordered.parsed_date_order(), Some(DateOrder::DayFirst));
    assert!(ordered.empty_as_null, "emptyAsNull defaults to true");
    assert!(!t.mapping[2].empty_as_null);
    assert_eq!(t.mapping[4].constant.as_deref(), Some("EMEA"));
    assert_eq!(
        t.mapping[3].parsed_type(),
        Ok(SqlType::Decimal {
            precision: 14,
            scale: 2
        })
    );
    assert_eq!(t.options.batch_size, 5000);
    assert_eq!(t.options.max_errors, 10);
    assert!(!t.options.table_lock);
}

#[test]
fn hand_written_minimal_template_takes_the_defaults() {
    let t = Template::read(testdata("valid/minimal.json")).unwrap();
    assert_eq!(t.source, SourceSettings::default());
    assert_eq!(t.options, LoadSettings::default());
    assert_eq!(
        t.mapping[0].parsed_type(),
        Ok(SqlType::Int),
        "Integer spelled as the user wrote it"
    );
    assert!(t.target.primary_key.is_empty());
}

#[test]
fn hand_written_workbook_template_is_read() {
    let t = Template::read(testdata("valid/workbook.json")).unwrap();
    assert_eq!(t.source.sheet.as_deref(), Some("Q3 figures"));
    assert_eq!(t.source.range.as_deref(), Some("B2:D400"));
    assert_eq!(t.target.mode, LoadMode::Truncate);
    assert_eq!(t.mapping[2].parsed_type(), Ok(SqlType::DateTimeOffset(3)));
}

#[test]
fn an_unknown_version_is_refused_for_its_version_not_its_fields() {
    let e = refused("invalid/version_2.json");
    assert!(
        matches!(&e, TemplateError::Version { found, .. } if found == "2"),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("has version 2; this Sluice reads version 1"),
        "{msg}"
    );
}

#[test]
fn a_template_without_version_or_not_an_object_or_not_json_is_refused() {
    assert!(refused("invalid/no_version.json")
        .to_string()
        .contains("no \"version\" field"));
    assert!(refused("invalid/not_an_object.json")
        .to_string()
        .contains("not a JSON object"));
    let e = refused("invalid/truncated.json").to_string();
    assert!(e.contains("truncated.json") && e.contains("line 1"), "{e}");
}

#[test]
fn unknown_fields_and_modes_are_refused_naming_them() {
    let e = refused("invalid/unknown_field.json").to_string();
    assert!(
        e.contains("unknown field `defaultValue`") && e.contains("line 6"),
        "{e}"
    );
    let e = refused("invalid/bad_mode.json").to_string();
    assert!(e.contains("unknown variant `replace`"), "{e}");
}

#[test]
fn parts_that_disagree_are_all_listed_with_where_they_are() {
    let TemplateError::Invalid { problems, .. } = refused("invalid/parts_disagree.json") else {
        panic!("expected Invalid");
    };
    let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
    let has = |where_: &str, text: &str| {
        assert!(
            problems
                .iter()
                .any(|p| p.at == where_ && p.message.contains(text)),
            "no problem at {where_} saying {text:?} in {problems:#?}"
        )
    };
    has("source.delimiter", "not one ASCII character");
    has("source.encoding", "not an encoding label");
    has("source.sheet", "only spreadsheets");
    has("columns[1].name", "\"id\" is listed twice");
    has("columns[2].sqlType", "use datetime2(3)");
    has("mapping[1].target", "\"id\" is mapped twice");
    has(
        "mapping[1].source",
        "\"identifier\" is not among the template's columns",
    );
    has("mapping[1].sqlType", "give a length");
    has("mapping[2].sqlType", "scale 7 is above the precision 5");
    has("mapping[2].dateOrder", "\"ydm\" is not dmy, mdy or ymd");
    has("mapping[3].source", "not both");
    has("mapping[4].source", "neither");
    has("target.primaryKey[0]", "nullable");
    has(
        "target.primaryKey[1]",
        "\"missing\" is not a mapped target column",
    );
    has("target.primaryKey", "only when the table is created");
    has("options.batchSize", "at least 1");
    assert_eq!(problems.len(), 16, "{at:?}");
}

#[test]
fn write_then_read_gives_the_same_template_and_stable_bytes() {
    let t = Template::read(testdata("valid/orders_full.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("orders.json");
    t.write(&out).unwrap();
    let back = Template::read(&out).unwrap();
    assert_eq!(back, t);
    let first = std::fs::read_to_string(&out).unwrap();
    back.write(&out).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
    assert!(
        first.starts_with("{\n  \"version\": 1,\n  \"source\": {"),
        "{first}"
    );
    assert!(first.ends_with("}\n"));
    assert!(!dir.path().join("orders.json.tmp").exists());
}

#[test]
fn an_invalid_template_is_not_written() {
    let mut t = Template::read(testdata("valid/minimal.json")).unwrap();
    t.mapping[0].source = Some("nope".into());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    let e = t.write(&out).unwrap_err();
    assert!(e.to_string().contains("mapping[0].source"), "{e}");
    assert!(!out.exists());
}

fn inferred(header: &[&str], rows: &[&[&str]]) -> Vec<sluice_files::infer::ColumnSchema> {
    let mut inf = Inferrer::new(
        InferOptions::default(),
        Some(header.iter().map(|s| s.to_string()).collect()),
    );
    for (i, r) in rows.iter().enumerate() {
        let fields: Vec<sluice_files::Field<'_>> =
            r.iter().map(|s| sluice_files::Field::Text(s)).collect();
        inf.observe_fields(i as u64 + 2, &fields);
    }
    inf.finish()
}

#[test]
fn from_inspection_maps_every_column_one_to_one_and_names_the_table_after_the_file() {
    let columns = inferred(
        &["Order No", "Ordered", "Amount", "Customer"],
        &[
            &["1", "25/03/2024", "12.50", "Zoë"],
            &["2", "01/04/2024", "", "Bob"],
        ],
    );
    let source = SourceSettings {
        format: Some("csv".into()),
        header_row: Some(1),
        delimiter: Some(",".into()),
        encoding: Some("utf-8".into()),
        ..SourceSettings::default()
    };
    let t = Template::from_inspection(&InspectedFile {
        path: Path::new("/data/March orders 2024.csv"),
        source: &source,
        columns: &columns,
    });
    assert_eq!(t.version, TEMPLATE_VERSION);
    assert_eq!(t.target.table, "March_orders_2024");
    assert_eq!(t.target.mode, LoadMode::Create);
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Order No", "Ordered", "Amount", "Customer"]);
    let types: Vec<&str> = t.mapping.iter().map(|m| m.sql_type.as_str()).collect();
    assert_eq!(types, ["int", "date", "decimal(4,2)", "nvarchar(3)"]);
    assert_eq!(t.mapping[0].target, "Order_No");
    assert_eq!(t.mapping[0].source.as_deref(), Some("Order No"));
    assert_eq!(
        t.mapping[1].date_order.as_deref(),
        Some("dmy"),
        "a day above 12 settled it"
    );
    assert_eq!(t.mapping[2].date_order, None);
    assert!(t.mapping[2].nullable && !t.mapping[0].nullable);
    t.validate().unwrap();
    // And it survives its own file format.
    let back = Template::from_json(&t.to_json(), "x.json").unwrap();
    assert_eq!(back, t);
}

#[test]
fn source_settings_from_text_detection_record_delimiter_encoding_and_custom_nulls() {
    let r = sluice_files::text::TextReader::from_bytes(
        "x.csv",
        b"a;b\n1;2\n".to_vec(),
        &sluice_files::text::TextOptions::default(),
    )
    .unwrap();
    let defaults: Vec<String> = sluice_files::infer::nulls::DEFAULT_NULL_TOKENS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let s = SourceSettings::from_text_detection(r.detection(), true, &defaults);
    assert_eq!(s.delimiter.as_deref(), Some(";"));
    assert_eq!(s.encoding.as_deref(), Some("utf-8"));
    assert_eq!(s.header_row, Some(1));
    assert_eq!(s.null_tokens, None, "default tokens are not written out");
    let s = SourceSettings::from_text_detection(r.detection(), false, &["-".to_string()]);
    assert_eq!(s.header_row, Some(0));
    assert_eq!(s.null_tokens, Some(vec!["-".to_string()]));
}

#[test]
fn every_truncation_and_byte_flip_of_a_template_is_refused_or_read_never_a_panic() {
    let file = std::fs::read_to_string(testdata("valid/orders_full.json")).unwrap();
    let text = file.trim_end();
    let mut read = 0;
    for cut in 0..text.len() {
        if let Some(head) = text.get(..cut) {
            if Template::from_json(head, "cut.json").is_ok() {
                read += 1;
            }
        }
    }
    assert_eq!(read, 0, "no strict prefix is a whole template");
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        for b in [b'"', b'{', b'0', b'\\', 0xC3] {
            let mut v = bytes.to_vec();
            v[i] = b;
            let s = String::from_utf8_lossy(&v);
            let _ = Template::from_json(&s, "flip.json");
        }
    }
}

#[test]
fn type_spellings_of_any_shape_are_parsed_or_refused_never_a_panic() {
    let pieces = [
        "decimal",
        "(",
        ")",
        ",",
        "max",
        "9",
        "99999999999",
        " ",
        "é",
        "varchar",
        "",
    ];
    for a in pieces {
        for b in pieces {
            for c in pieces {
                for d in pieces {
                    let s = format!("{a}{b}{c}{d}");
                    let _ = s.parse::<SqlType>();
                }
            }
        }
    }
}

#[test]
fn a_constant_that_would_not_load_into_its_column_is_refused() {
    let template = |constant: &str, sql_type: &str, nullable: bool| {
        format!(
            r#"{{"version":1,"source":{{}},"columns":[{{"name":"a","sqlType":"int","nullable":true}}],
               "target":{{"table":"t","mode":"create"}},
               "mapping":[{{"target":"a","source":"a","sqlType":"int","nullable":true}},
                          {{"target":"k","constant":{constant:?},"sqlType":{sql_type:?},"nullable":{nullable}}}]}}"#
        )
    };
    let problem = |constant: &str, sql_type: &str, nullable: bool| -> Option<String> {
        match Template::from_json(&template(constant, sql_type, nullable), "c.json") {
            Ok(_) => None,
            Err(TemplateError::Invalid { problems, .. }) => {
                assert_eq!(problems.len(), 1, "{problems:?}");
                assert_eq!(problems[0].at, "mapping[1].constant");
                Some(problems[0].message.clone())
            }
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(problem("EMEA", "varchar(10)", false), None);
    assert_eq!(problem("2024-03-05", "date", false), None);
    assert_eq!(problem("05/03/2024", "date", false), None);
    assert_eq!(problem("12.5", "decimal(5,2)", false), None);
    let e = problem("EMEA", "int", false).unwrap();
    assert!(e.contains("\"EMEA\" is not a valid int value"), "{e}");
    let e = problem("1234.5", "decimal(5,2)", false).unwrap();
    assert!(e.contains("out of range"), "{e}");
    let e = problem("Europe, Middle East", "varchar(4)", false).unwrap();
    assert!(e.contains("does not fit varchar(4)"), "{e}");
    let e = problem("NULL", "int", false).unwrap();
    assert!(
        e.contains("reads as NULL, and the column is NOT NULL"),
        "{e}"
    );
    assert_eq!(
        problem("NULL", "int", true),
        None,
        "a NULL constant in a nullable column"
    );
}

#[test]
fn source_settings_from_a_sheet_record_format_sheet_range_and_header_row() {
    let range: sluice_files::sheet::CellRange = "B2:D400".parse().unwrap();
    let s = SourceSettings::from_sheet(
        sluice_files::sheet::SheetFormat::Xlsx,
        "Q3 figures",
        Some(&range),
        2,
        &sluice_files::infer::nulls::DEFAULT_NULL_TOKENS.map(String::from),
    );
    assert_eq!(s.format.as_deref(), Some("xlsx"));
    assert_eq!(s.sheet.as_deref(), Some("Q3 figures"));
    assert_eq!(s.range.as_deref(), Some("B2:D400"));
    assert_eq!(s.header_row, Some(2));
    assert_eq!(s.null_tokens, None);
    assert_eq!(s.delimiter, None);
}

#[test]
fn a_year_first_date_order_is_read_written_back_and_sets_no_day_month_order() {
    let text = r#"{
      "version": 1,
      "source": { "format": "csv" },
      "columns": [{ "name": "day", "sqlType": "date", "nullable": false }],
      "target": { "table": "t", "mode": "create" },
      "mapping": [{ "target": "day", "source": "day", "sqlType": "date", "nullable": false, "dateOrder": "ymd" }]
    }"#;
    let t = Template::from_json(text, "ymd.json").unwrap();
    assert_eq!(t.mapping[0].date_order.as_deref(), Some("ymd"));
    assert_eq!(t.mapping[0].parsed_date_order(), None);
    let again = Template::from_json(&t.to_json(), "again.json").unwrap();
    assert_eq!(again.mapping[0].date_order.as_deref(), Some("ymd"));
    assert!(super::is_date_order_name("YMD"));
    assert!(!super::is_date_order_name("ydm"));
}

#[test]
fn the_quote_is_recorded_only_when_it_is_not_the_double_quote() {
    let open = |text: &[u8]| {
        sluice_files::text::TextReader::from_bytes(
            "x.csv",
            text.to_vec(),
            &sluice_files::text::TextOptions::default(),
        )
        .unwrap()
    };
    let s = |r: &sluice_files::text::TextReader<_>| {
        SourceSettings::from_text_detection(r.detection(), true, &[]).quote
    };
    assert_eq!(s(&open(b"a,b\n\"x, y\",2\n")), None);
    assert_eq!(s(&open(b"a,b\n'x, y',2\n'z',3\n")).as_deref(), Some("'"));
    assert_eq!(s(&open(b"a;b\n\"55\" TV;2\n")).as_deref(), Some("none"));
}

#[test]
fn a_bad_quote_or_one_on_a_workbook_is_refused_naming_source_quote() {
    let mut t: Template = serde_json::from_str(
        r#"{"version":1,"source":{"quote":"ab"},"columns":[{"name":"id","sqlType":"int","nullable":false}],
            "target":{"table":"t","mode":"append"},
            "mapping":[{"target":"id","source":"id","sqlType":"int","nullable":false}]}"#,
    )
    .unwrap();
    let problems = t.validate().unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.at == "source.quote" && p.message.contains("is not a quote")),
        "{problems:?}"
    );
    t.source.quote = Some(";".into());
    t.source.delimiter = Some(";".into());
    let problems = t.validate().unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.at == "source.quote" && p.message.contains("also the delimiter")),
        "{problems:?}"
    );
    t.source.delimiter = None;
    t.source.format = Some("xlsx".into());
    let problems = t.validate().unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.at == "source.quote" && p.message.contains("only delimited text")),
        "{problems:?}"
    );
    t.source.format = None;
    t.source.quote = Some("none".into());
    t.validate().unwrap();
}
