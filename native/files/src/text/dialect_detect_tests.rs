use super::*;

#[test]
fn single_column_file_is_read_as_one_column_and_says_why() {
    let c = detect_dialect(b"alpha\nbeta\ngamma\n", false, &TextOptions::default());
    assert_eq!(c.dialect.delimiter, b',');
    assert!(
        c.delimiter_evidence.starts_with("no candidate splits"),
        "{}",
        c.delimiter_evidence
    );
}

#[test]
fn consistency_beats_the_number_of_fields() {
    // `,` splits into 2 to 4 fields (decimal commas); `;` always into 3.
    let text = b"a;1,5;x\nb;2;y\nc;3,25;z,w\n";
    let c = detect_dialect(text, false, &TextOptions::default());
    assert_eq!(c.dialect.delimiter, b';');
    let comma = c.candidates.iter().find(|s| s.delimiter == b',').unwrap();
    assert_eq!((comma.min_fields, comma.max_fields), (1, 3));
}

#[test]
fn a_cut_last_record_of_a_partial_sample_is_not_counted() {
    let c = detect_dialect(b"a,b\n1,2\n3", true, &TextOptions::default());
    let comma = c.candidates.iter().find(|s| s.delimiter == b',').unwrap();
    assert_eq!((comma.records, comma.modal_records), (2, 2));
    let whole = detect_dialect(b"a,b\n1,2\n3", false, &TextOptions::default());
    assert_eq!(whole.candidates[0].records, 3);
}

#[test]
fn sample_records_caps_the_records_looked_at() {
    let text = "a,b\n".repeat(100);
    let options = TextOptions {
        sample_records: 10,
        ..TextOptions::default()
    };
    let c = detect_dialect(text.as_bytes(), false, &options);
    assert!(
        c.delimiter_evidence
            .starts_with("`,` splits every one of the 10 sampled records into 2 fields"),
        "{}",
        c.delimiter_evidence
    );
}

#[test]
fn candidates_serialize_with_readable_delimiters() {
    let c = detect_dialect(b"a\tb\n", false, &TextOptions::default());
    let json = serde_json::to_string(&c.candidates[2]).unwrap();
    assert!(
        json.starts_with("{\"delimiter\":\"\\t\",\"escape\":\"doubled\""),
        "{json}"
    );
}

#[test]
fn dialect_serializes_its_characters_as_text() {
    let c = detect_dialect(b"a;b\n", false, &TextOptions::default());
    let json = serde_json::to_string(&c.dialect).unwrap();
    assert_eq!(
        json,
        r#"{"delimiter":";","quote":"\"","escape":"doubled","comment":null}"#
    );
}
