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

/// Random short strings over the characters the parsers care about, in debug builds (overflow
/// checks on): no panic, and every value converts under its column's rule.
#[test]
fn random_values_never_panic_and_always_convert_under_the_inferred_rule() {
    const ALPHABET: &[u8] = b"0123456789000111.-+eE:/ .TZaApPmM,{}-fFtT";
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut seen = std::collections::BTreeSet::<String>::new();
    for round in 0..600 {
        let shape = round % 7;
        let column: Vec<String> = (0..40)
            .map(|_| {
                let mut r = || next();
                let digits = |r: &mut dyn FnMut() -> u64, n: u64| -> String {
                    (0..n)
                        .map(|_| char::from(b'0' + (r() % 10) as u8))
                        .collect()
                };
                let sign = if r() % 3 == 0 { "-" } else { "" };
                match (shape, r() % 50) {
                    (_, 0) | (6, _) => {
                        let len = (r() % 24) as usize;
                        (0..len)
                            .map(|_| char::from(ALPHABET[(r() % ALPHABET.len() as u64) as usize]))
                            .collect()
                    }
                    // Mostly valid values of one shape (so columns get typed), with edges:
                    // 20–22 digit integers, 8-digit fractions, day/month conflicts, 1e300+.
                    (0, _) => {
                        let n = r() % (if r() % 8 == 0 { 22 } else { 19 });
                        format!("{sign}{}{}", 1 + r() % 9, digits(&mut r, n))
                    }
                    (1, _) => {
                        let (i, f) = (r() % 20, 1 + r() % 19);
                        format!(
                            "{sign}{}{}.{}",
                            1 + r() % 9,
                            digits(&mut r, i),
                            digits(&mut r, f)
                        )
                    }
                    (2, _) => {
                        let (a, b) = (1 + r() % 12, 1 + r() % 12);
                        let a = if r() % 20 == 0 { a + 12 } else { a };
                        format!("{a}/{b}/{}", 1990 + r() % 40)
                    }
                    (3, _) => {
                        let f = if r() % 200 == 0 { 8 } else { r() % 8 };
                        let frac = if f == 0 {
                            String::new()
                        } else {
                            format!(".{}", digits(&mut r, f))
                        };
                        format!(
                            "2024-{:02}-{:02}T{:02}:{:02}:{:02}{frac}",
                            1 + r() % 12,
                            1 + r() % 28,
                            r() % 24,
                            r() % 60,
                            r() % 60
                        )
                    }
                    (4, _) => format!(
                        "{}:{:02} {}",
                        1 + r() % 12,
                        r() % 60,
                        if r() % 2 == 0 { "AM" } else { "pm" }
                    ),
                    _ => {
                        let (lead, n, exp) = (r() % 10, r() % 8, r() % 310);
                        format!("{sign}{lead}.{}e{sign}{exp}", digits(&mut r, n))
                    }
                }
            })
            .collect();
        let values: Vec<&str> = column.iter().map(String::as_str).collect();
        let mut src = VecSource::column(&values);
        let mut inf = Inferrer::new(InferOptions::default(), Some(vec!["c".into()]));
        inf.observe_all(&mut src, None).unwrap();
        let col = inf.finish().remove(0);
        let kind = col.sql_type.to_string();
        seen.insert(kind.split('(').next().unwrap_or_default().to_string());
        for v in &values {
            let field = if v.is_empty() {
                Field::Empty
            } else {
                Field::Text(v)
            };
            assert!(
                convert(field, &col.rule).is_ok(),
                "{v:?} under {}",
                col.sql_type
            );
        }
    }
    for t in [
        "bigint",
        "decimal",
        "float",
        "date",
        "datetime2",
        "time",
        "varchar",
    ] {
        assert!(seen.contains(t), "no {t} column among {seen:?}");
    }
}
