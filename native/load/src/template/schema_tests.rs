//! `template.schema.json` and the Rust types must describe the same format: hand-written
//! templates and the Rust serialisation of a template with every field set must validate,
//! every key Rust writes must be a property in the schema, and broken shapes must not.

use std::path::Path;

use serde_json::Value;

use super::*;

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("template.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema is itself valid draft 2020-12")
}

fn sample(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/templates")
        .join(rel);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A template with every optional field present.
fn everything() -> Template {
    Template {
        version: TEMPLATE_VERSION,
        source: SourceSettings {
            format: Some("xlsx".into()),
            sheet: Some("Sheet1".into()),
            range: Some("A1:C10".into()),
            header_row: Some(1),
            delimiter: Some(",".into()),
            encoding: Some("utf-8".into()),
            quote: Some("'".into()),
            null_tokens: Some(vec!["-".into()]),
        },
        columns: vec![ExpectedColumn {
            name: "a".into(),
            sql_type: "int".into(),
            nullable: false,
        }],
        target: Target {
            table: "t".into(),
            mode: LoadMode::Create,
            primary_key: vec!["a".into()],
        },
        mapping: vec![
            ColumnMapping {
                target: "a".into(),
                source: Some("a".into()),
                constant: None,
                sql_type: "int".into(),
                nullable: false,
                empty_as_null: false,
                date_order: Some("dmy".into()),
                null_tokens: Some(vec!["?".into()]),
            },
            ColumnMapping {
                target: "b".into(),
                source: None,
                constant: Some("x".into()),
                sql_type: "varchar(1)".into(),
                nullable: true,
                empty_as_null: true,
                date_order: None,
                null_tokens: None,
            },
        ],
        options: LoadSettings {
            batch_size: 10,
            max_errors: 3,
            table_lock: false,
        },
    }
}

/// Follows `{"$ref": "#/$defs/x"}` to the definition.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.strip_prefix("#/$defs/").expect("local refs only");
            &root["$defs"][name]
        }
        None => node,
    }
}

/// Every key of every object in `value` is a property of the schema node describing it.
fn keys_in_schema(root: &Value, node: &Value, value: &Value, at: &str, missing: &mut Vec<String>) {
    let node = resolve(root, node);
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match node["properties"].get(k) {
                    Some(sub) => keys_in_schema(root, sub, v, &format!("{at}.{k}"), missing),
                    None => missing.push(format!("{at}.{k}")),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                keys_in_schema(root, &node["items"], v, &format!("{at}[{i}]"), missing);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_rust_writes_is_a_property_of_the_schema() {
    let root = schema();
    let value = serde_json::to_value(everything()).unwrap();
    let mut missing = Vec::new();
    keys_in_schema(&root, &root, &value, "$", &mut missing);
    assert!(
        missing.is_empty(),
        "fields not in template.schema.json: {missing:?}"
    );
    // And the count proves the walk saw every optional field (8 source fields, 8 mapping
    // fields …), so a field that serde skips would not pass unnoticed.
    let source = value["source"].as_object().unwrap().len();
    let mut mapping: Vec<&String> = value["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m.as_object().unwrap().keys())
        .collect();
    mapping.sort();
    mapping.dedup();
    assert_eq!((source, mapping.len()), (8, 8));
}

#[test]
fn a_template_with_every_field_validates_against_the_schema() {
    // (Not `validate`d: it sets a delimiter and a sheet at once, which the schema allows but
    // the cross-checks refuse.)
    let t = everything();
    let v = validator();
    let value = serde_json::to_value(&t).unwrap();
    let errors: Vec<String> = v.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn hand_written_templates_validate_against_the_schema() {
    let v = validator();
    for rel in [
        "valid/orders_full.json",
        "valid/minimal.json",
        "valid/workbook.json",
    ] {
        let value = sample(rel);
        let errors: Vec<String> = v.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        Template::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("testdata/templates")
                .join(rel),
        )
        .unwrap();
    }
}

#[test]
fn the_schema_refuses_what_the_reader_refuses_for_its_shape() {
    let v = validator();
    for rel in [
        "invalid/version_2.json",
        "invalid/no_version.json",
        "invalid/unknown_field.json",
        "invalid/bad_mode.json",
        "invalid/not_an_object.json",
    ] {
        assert!(!v.is_valid(&sample(rel)), "{rel} passed the schema");
    }
    // A column with both a source and a constant, and one with neither.
    let mut value = serde_json::to_value(everything()).unwrap();
    value["mapping"][1]["source"] = "a".into();
    assert!(!v.is_valid(&value));
    value["mapping"][1]
        .as_object_mut()
        .unwrap()
        .remove("source");
    value["mapping"][1]
        .as_object_mut()
        .unwrap()
        .remove("constant");
    assert!(!v.is_valid(&value));
}

#[test]
fn the_schema_lists_every_format_mode_and_date_order_rust_accepts() {
    let root = schema();
    let orders: Vec<&str> = root["$defs"]["columnMapping"]["properties"]["dateOrder"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(orders, DATE_ORDER_NAMES);
    let formats: Vec<&str> = root["$defs"]["source"]["properties"]["format"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(formats, check::FORMATS);
    let modes: Vec<Value> = root["$defs"]["target"]["properties"]["mode"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    let rust: Vec<Value> = [LoadMode::Create, LoadMode::Append, LoadMode::Truncate]
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect();
    assert_eq!(modes, rust);
}

#[test]
fn the_schema_takes_one_quote_character_or_none() {
    let v = validator();
    let mut value = serde_json::to_value(everything()).unwrap();
    for (quote, ok) in [
        ("'", true),
        ("\"", true),
        ("none", true),
        ("ab", false),
        ("\n", false),
        ("", false),
    ] {
        value["source"]["quote"] = quote.into();
        assert_eq!(v.is_valid(&value), ok, "quote {quote:?}");
    }
}
