use crate::infer::test_source::VecSource;
use crate::infer::{convert, Converted, InferOptions, Inferrer, SqlType};
use crate::{Field, RowSource};

#[test]
fn schema_serialises_with_camel_case_names_and_sql_spelling() {
    let mut src = VecSource::text(&[&["1", "2024-03-05", "x"], &["2", "", "é"]], 2);
    let names = vec![
        "id".to_string(),
        "when".to_string(),
        "Note Text".to_string(),
    ];
    let mut inf = Inferrer::new(InferOptions::default(), Some(names));
    inf.observe_all(&mut src, None).unwrap();
    let schema = inf.finish();
    let json = serde_json::to_value(&schema).unwrap();
    assert_eq!(json[0]["name"], "id");
    assert_eq!(json[0]["sqlType"], "int");
    assert_eq!(json[0]["nullable"], false);
    assert_eq!(json[1]["sqlType"], "date");
    assert_eq!(json[1]["nullable"], true);
    assert_eq!(json[1]["evidence"]["emptyStrings"], 1);
    assert_eq!(json[2]["proposedName"], "Note_Text");
    assert_eq!(json[2]["sqlType"], "nvarchar(1)");
    assert_eq!(json[2]["evidence"]["lengthUnit"], "utf16CodeUnits");
    assert!(json[0].get("rule").is_none());
}

#[test]
fn files_without_a_header_get_column_numbers_and_ragged_rows_add_columns() {
    let mut src = VecSource::text(&[&["1"], &["2", "a", "b"], &["3"]], 1);
    let mut inf = Inferrer::new(InferOptions::default(), None);
    assert_eq!(inf.observe_all(&mut src, None).unwrap(), 3);
    let schema = inf.finish();
    let names: Vec<&str> = schema.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["column1", "column2", "column3"]);
    let e = &schema[2].evidence;
    assert_eq!((e.rows, e.missing, e.values, e.nulls), (3, 2, 1, 2));
    assert!(schema[2].nullable);
    assert!(!schema[0].nullable);
}

#[test]
fn a_sample_limit_stops_after_n_records() {
    let mut src = VecSource::column(&["1", "2", "x"]);
    let mut inf = Inferrer::new(InferOptions::default(), Some(vec!["v".into()]));
    assert_eq!(inf.observe_all(&mut src, Some(2)).unwrap(), 2);
    assert_eq!(inf.rows(), 2);
    assert_eq!(inf.finish()[0].sql_type, SqlType::Int);
}

#[test]
fn observe_fields_matches_observe_over_a_source() {
    let records: Vec<Vec<Field<'_>>> = vec![vec![Field::Text("1.5")], vec![Field::Text("2")]];
    let mut a = Inferrer::new(InferOptions::default(), None);
    for (i, r) in records.iter().enumerate() {
        a.observe_fields(i as u64 + 1, r);
    }
    let mut b = Inferrer::new(InferOptions::default(), None);
    b.observe_all(&mut VecSource::new(records.clone(), 1), None)
        .unwrap();
    assert_eq!(a.finish(), b.finish());
}

/// The promise to the loader: every value of every column converts under the rule the
/// inference proposed for it.
#[test]
fn every_observed_value_converts_under_the_inferred_rule() {
    let columns: [&[&str]; 12] = [
        &["1", "-2", "2147483648", ""],
        &["1.5", "2", "-0.001", "NULL"],
        &["1e3", "2.5", "7"],
        &["true", "no", "0", "1"],
        &["05/03/2024", "25/12/2024", "5-Mar-2024"],
        &["05/03/2024", "07/04/2024 14:30"],
        &[
            "2024-03-05T14:30:00.123+02:00",
            "2024-03-05 10:00",
            "2024-03-05",
        ],
        &["14:30", "2:30 PM", "09:15:00.250"],
        &[
            "6F9619FF-8B86-D011-B42D-00C04FC964FF",
            "{6f9619ff-8b86-d011-b42d-00c04fc964ff}",
        ],
        &["007", "12", "x"],
        &["Straße", "a", "𝒜"],
        &[" 42 ", "7"],
    ];
    for values in columns {
        let mut src = VecSource::column(values);
        let mut inf = Inferrer::new(InferOptions::default(), Some(vec!["c".into()]));
        inf.observe_all(&mut src, None).unwrap();
        let col = inf.finish().remove(0);
        let mut src = VecSource::column(values);
        while src.advance().unwrap() {
            let field = src.field(0);
            let got = convert(field, &col.rule);
            assert!(got.is_ok(), "{field:?} under {}: {got:?}", col.sql_type);
        }
    }
}

#[test]
fn a_day_first_column_converts_day_first() {
    let mut src = VecSource::column(&["05/03/2024", "25/03/2024"]);
    let mut inf = Inferrer::new(InferOptions::default(), Some(vec!["d".into()]));
    inf.observe_all(&mut src, None).unwrap();
    let rule = inf.finish().remove(0).rule;
    let days = crate::infer::parse::calendar::days_from_civil(2024, 3, 5).unwrap();
    assert_eq!(
        convert(Field::Text("05/03/2024"), &rule),
        Ok(Converted::Date { days })
    );
}
