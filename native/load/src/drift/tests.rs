use sluice_files::infer::{InferOptions, Inferrer};
use sluice_files::Field;

use super::*;

/// A hand-written template: id int, name varchar(20), amount decimal(5,2), day date.
fn template() -> Template {
    Template::from_json(
        r#"{
          "version": 1,
          "source": { "format": "csv" },
          "columns": [
            { "name": "id", "sqlType": "int", "nullable": false },
            { "name": "name", "sqlType": "varchar(20)", "nullable": true },
            { "name": "amount", "sqlType": "decimal(5,2)", "nullable": true },
            { "name": "day", "sqlType": "date", "nullable": true }
          ],
          "target": { "table": "t", "mode": "append" },
          "mapping": [
            { "target": "id", "source": "id", "sqlType": "bigint", "nullable": false },
            { "target": "name", "source": "name", "sqlType": "nvarchar(100)", "nullable": true },
            { "target": "amount", "source": "amount", "sqlType": "decimal(5,2)", "nullable": true },
            { "target": "day", "source": "day", "sqlType": "date", "nullable": true }
          ]
        }"#,
        "drift-test.json",
    )
    .unwrap()
}

/// The file's columns as the inference finds them.
fn found(header: &[&str], rows: &[&[&str]]) -> Vec<FoundColumn> {
    let mut inf = Inferrer::new(
        InferOptions::default(),
        Some(header.iter().map(|s| s.to_string()).collect()),
    );
    for (i, r) in rows.iter().enumerate() {
        let fields: Vec<Field<'_>> = r.iter().map(|s| Field::Text(s)).collect();
        inf.observe_fields(i as u64 + 2, &fields);
    }
    FoundColumn::from_schemas(&inf.finish())
}

const HEADER: [&str; 4] = ["id", "name", "amount", "day"];
const ROWS: [&[&str]; 2] = [
    &["1", "Ann", "12.50", "2024-03-05"],
    &["2", "Bob", "3", "2024-03-06"],
];

#[test]
fn the_same_columns_with_fitting_values_are_no_drift() {
    assert_eq!(compare(&template(), &found(&HEADER, &ROWS)), []);
    // Whole numbers where decimal(5,2) was expected still fit (3 integer digits at most).
    let rows: [&[&str]; 1] = [&["7", "Cy", "999", "2024-01-01"]];
    assert_eq!(compare(&template(), &found(&HEADER, &rows)), []);
    assert_eq!(compare(&template(), &FoundColumn::from_header(&HEADER)), []);
}

#[test]
fn an_added_column_is_reported_with_its_position() {
    let d = compare(
        &template(),
        &FoundColumn::from_header(&["id", "name", "amount", "day", "region"]),
    );
    assert_eq!(
        d,
        [Drift::Added {
            column: "region".into(),
            position: 5
        }]
    );
    assert!(d[0].blocks());
}

#[test]
fn a_missing_column_says_whether_the_mapping_reads_it() {
    let d = compare(
        &template(),
        &FoundColumn::from_header(&["id", "name", "day"]),
    );
    assert_eq!(
        d,
        [Drift::Missing {
            column: "amount".into(),
            position: 3,
            mapped: true
        }]
    );
}

#[test]
fn a_new_name_in_the_same_place_is_a_rename() {
    let d = compare(
        &template(),
        &FoundColumn::from_header(&["id", "customer", "amount", "day"]),
    );
    assert_eq!(
        d,
        [Drift::Renamed {
            from: "name".into(),
            to: "customer".into(),
            position: 2
        }]
    );
    // A column inserted in front shifts every position; the rename is still found between
    // the same neighbours, and the new column is reported as added.
    let d = compare(
        &template(),
        &FoundColumn::from_header(&["row", "id", "name", "total", "day"]),
    );
    assert_eq!(
        d,
        [
            Drift::Renamed {
                from: "amount".into(),
                to: "total".into(),
                position: 4
            },
            Drift::Added {
                column: "row".into(),
                position: 1
            }
        ]
    );
}

#[test]
fn a_new_name_whose_values_do_not_fit_is_missing_plus_added_not_a_rename() {
    let rows: [&[&str]; 1] = [&["1", "Ann", "call back tomorrow", "2024-03-05"]];
    let d = compare(
        &template(),
        &found(&["id", "name", "comment", "day"], &rows),
    );
    assert_eq!(
        d,
        [
            Drift::Missing {
                column: "amount".into(),
                position: 3,
                mapped: true
            },
            Drift::Added {
                column: "comment".into(),
                position: 3
            }
        ]
    );
}

#[test]
fn two_leftovers_in_different_places_are_not_paired() {
    // "name" is gone from between id and amount; "region" appeared after day.
    let d = compare(
        &template(),
        &FoundColumn::from_header(&["id", "amount", "day", "region"]),
    );
    assert!(d.contains(&Drift::Missing {
        column: "name".into(),
        position: 2,
        mapped: true
    }));
    assert!(d.contains(&Drift::Added {
        column: "region".into(),
        position: 4
    }));
    assert_eq!(d.len(), 2);
}

#[test]
fn a_moved_column_is_reported_but_does_not_block() {
    let d = check(
        &template(),
        &FoundColumn::from_header(&["id", "name", "day", "amount"]),
        false,
    )
    .unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        matches!(&d[0], Drift::Moved { column, from: 4, to: 3 } if column == "day")
            || matches!(&d[0], Drift::Moved { column, from: 3, to: 4 } if column == "amount")
    );
    assert!(!d[0].blocks());
}

#[test]
fn types_widened_past_the_expected_are_reported_with_the_row_that_forced_them() {
    let long = "Bartholomew-Alexander Montgomery-Smy"; // 36 characters
    let rows: [&[&str]; 3] = [
        &["1", "Ann", "12.50", "2024-03-05"],
        &["3000000000", long, "1234.5", "next Tuesday"],
        &["2", "Bob", "1", "2024-03-06"],
    ];
    let d = compare(&template(), &found(&HEADER, &rows));
    let widened: Vec<(&str, &str, &str)> = d
        .iter()
        .filter_map(|x| match x {
            Drift::TypeWidened {
                column,
                expected,
                found,
                ..
            } => Some((column.as_str(), expected.as_str(), found.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        widened,
        [
            ("id", "int", "bigint"),
            ("name", "varchar(20)", "varchar(36)"),
            ("amount", "decimal(5,2)", "decimal(6,2)"),
            ("day", "date", "varchar(12)"),
        ]
    );
    let id = d
        .iter()
        .find(|x| matches!(x, Drift::TypeWidened { column, .. } if column == "id"))
        .unwrap();
    let text = id.to_string();
    assert!(text.contains("row 3: \"3000000000\""), "{text}");
    assert!(
        text.contains("the target type bigint still holds it"),
        "{text}"
    );
    let day = d
        .iter()
        .find(|x| matches!(x, Drift::TypeWidened { column, .. } if column == "day"))
        .unwrap();
    assert!(day.to_string().contains("\"next Tuesday\""), "{day}");
    assert!(
        day.to_string()
            .contains("the target type date cannot hold it"),
        "{day}"
    );
    let name = d
        .iter()
        .find(|x| matches!(x, Drift::TypeWidened { column, .. } if column == "name"))
        .unwrap();
    assert!(
        name.to_string()
            .contains("longest value (36 bytes) is on row 3"),
        "{name}"
    );
}

#[test]
fn integers_are_judged_by_their_values_not_only_their_type() {
    let mut t = template();
    t.columns[0].sql_type = "tinyint".into();
    let rows: [&[&str]; 2] = [
        &["0", "a", "1", "2024-01-01"],
        &["200", "b", "1", "2024-01-01"],
    ];
    assert_eq!(
        compare(&t, &found(&HEADER, &rows)),
        [],
        "int 0–200 fits tinyint"
    );
    let rows: [&[&str]; 1] = [&["300", "a", "1", "2024-01-01"]];
    assert!(
        matches!(&compare(&t, &found(&HEADER, &rows))[0], Drift::TypeWidened { found, .. } if found == "int")
    );
}

#[test]
fn nulls_where_none_were_expected_block_only_for_a_not_null_target() {
    let rows: [&[&str]; 2] = [
        &["", "Ann", "1", "2024-01-01"],
        &["2", "Bob", "1", "2024-01-01"],
    ];
    let d = compare(&template(), &found(&HEADER, &rows));
    assert_eq!(
        d,
        [Drift::NowNullable {
            column: "id".into(),
            target_not_null: true
        }]
    );
    assert!(d[0].blocks());
    let mut t = template();
    t.mapping[0].nullable = true;
    let d = check(&t, &found(&HEADER, &rows), false).unwrap();
    assert!(!d[0].blocks());
}

#[test]
fn check_refuses_listing_every_difference_unless_drift_is_allowed() {
    let file = FoundColumn::from_header(&["id", "customer", "day", "region"]);
    let refused = check(&template(), &file, false).unwrap_err();
    let text = refused.to_string();
    assert!(text.starts_with("the file's columns differ from the template's (nothing was sent; --allow-drift loads anyway):"), "{text}");
    assert!(text.contains("\n  - column \"amount\" (position 3 in the template) is not in the file, and the mapping reads it"), "{text}");
    assert!(
        text.contains("\n  - column \"region\" (position 4) is new"),
        "{text}"
    );
    let allowed = check(&template(), &file, true).unwrap();
    assert_eq!(allowed, refused.differences);
}

#[test]
fn the_json_form_carries_kind_fields_message_and_whether_it_blocks() {
    let d = compare(
        &template(),
        &FoundColumn::from_header(&["id", "customer", "amount", "day", "region"]),
    );
    let json = to_json(&d);
    assert_eq!(
        json,
        serde_json::json!([
            {
                "kind": "renamed", "from": "name", "to": "customer", "position": 2,
                "message": d[0].to_string(), "blocks": true
            },
            {
                "kind": "added", "column": "region", "position": 5,
                "message": "column \"region\" (position 5) is new: the template does not expect it",
                "blocks": true
            }
        ])
    );
    let widened = Drift::TypeWidened {
        column: "a".into(),
        expected: "int".into(),
        found: "bigint".into(),
        because: None,
        target_type: Some("bigint".into()),
        fits_target: Some(true),
    };
    let json = to_json(std::slice::from_ref(&widened));
    assert_eq!(json[0]["kind"], "typeWidened");
    assert_eq!(json[0]["targetType"], "bigint");
    assert_eq!(json[0]["fitsTarget"], true);
}

#[test]
fn against_files_reads_the_files_as_the_template_says_and_lists_the_drift() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("jan.csv");
    let b = dir.path().join("feb.csv");
    std::fs::write(&a, "id;name;amount;day\n1;Ann;12.50;2024-01-05\n").unwrap();
    // February's export renamed a column, grew the amounts and added one.
    std::fs::write(
        &b,
        "id;customer;amount;day;region\n2;Bob;123456.75;2024-02-05;EU\n",
    )
    .unwrap();
    let mut t = template();
    t.source.delimiter = Some(";".into());
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (none, _) = against_files(&t, std::slice::from_ref(&a), &mut |_| {}, &cancel).unwrap();
    assert_eq!(none, []);
    let (d, inspection) = against_files(&t, &[a, b], &mut |_| {}, &cancel).unwrap();
    assert_eq!(inspection.rows, 2);
    let kinds: Vec<String> = d
        .iter()
        .map(|x| {
            serde_json::to_value(x).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // "customer" is not at name's place in the combined columns (jan.csv's order comes
    // first, feb.csv's new names go last), so it is added, and name — empty in feb.csv —
    // is still there.
    assert!(kinds.contains(&"typeWidened".to_string()), "{d:?}");
    assert!(d.iter().any(|x| matches!(x, Drift::TypeWidened { column, found, .. } if column == "amount" && found == "decimal(8,2)")), "{d:?}");
    assert!(
        d.iter()
            .any(|x| matches!(x, Drift::Added { column, .. } if column == "region")),
        "{d:?}"
    );
    let widened = d
        .iter()
        .find(|x| matches!(x, Drift::TypeWidened { column, .. } if column == "amount"))
        .unwrap();
    assert!(
        widened
            .to_string()
            .contains("6 digits before the point on row 2 of feb.csv"),
        "{widened}"
    );
    t.source.delimiter = Some("ab".into());
    assert!(matches!(
        against_files(&t, &[], &mut |_| {}, &cancel),
        Err(AgainstFilesError::Settings(_))
    ));
}

#[test]
fn ten_thousand_columns_compare_by_name_without_quadratic_work() {
    let n = 10_000;
    let columns: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"name":"c{i}","sqlType":"int","nullable":true}}"#))
        .collect();
    let json = format!(
        r#"{{"version":1,"source":{{}},"columns":[{}],"target":{{"table":"t","mode":"create"}},
            "mapping":[{{"target":"c0","source":"c0","sqlType":"int","nullable":true}}]}}"#,
        columns.join(",")
    );
    let t = Template::from_json(&json, "wide.json").unwrap();
    // The file moved its first column to the end and renamed one in the middle.
    let mut names: Vec<String> = (1..n).map(|i| format!("c{i}")).collect();
    names.push("c0".into());
    names[4999] = "renamed".into();
    let d = compare(&t, &FoundColumn::from_header(&names));
    assert_eq!(
        d,
        [
            Drift::Moved {
                column: "c0".into(),
                from: 1,
                to: n
            },
            Drift::Renamed {
                from: "c5000".into(),
                to: "renamed".into(),
                position: 5000
            }
        ]
    );
    // Reversed, only one column keeps its place among the others: every other is moved.
    let names: Vec<String> = (0..n).rev().map(|i| format!("c{i}")).collect();
    let d = compare(&t, &FoundColumn::from_header(&names));
    assert_eq!(d.len(), n - 1);
    assert!(d.iter().all(|x| matches!(x, Drift::Moved { .. })));
}
