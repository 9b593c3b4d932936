use super::*;
use crate::text::dialect_detect::detect_dialect;
use crate::text::{TextOptions, TextReader};
use crate::{Field, RowSource};

fn detect(text: &str) -> crate::text::DialectChoice {
    detect_dialect(text.as_bytes(), false, &TextOptions::default())
}

/// Every record's fields, read with the dialect detected by a reader over `text`.
fn read(text: &str, options: &TextOptions) -> Vec<Vec<String>> {
    let mut r = TextReader::from_bytes("t.csv", text.as_bytes().to_vec(), options).unwrap();
    let mut out = Vec::new();
    while r.advance().unwrap() {
        out.push(
            (0..r.len())
                .map(|i| match r.field(i) {
                    Field::Text(s) => s.to_string(),
                    _ => String::new(),
                })
                .collect(),
        );
    }
    out
}

fn dialect(quote: Option<u8>, escape: EscapeStyle) -> Dialect {
    Dialect {
        delimiter: b',',
        quote,
        escape,
        comment: None,
    }
}

#[test]
fn enclosures_are_counted_as_csv_core_reads_them() {
    let d = dialect(Some(b'"'), EscapeStyle::Doubled);
    // Clean: `"a,b"` (needed: the delimiter), `"x""y"` (needed: a doubled quote), `"z"` (not).
    let c = count_enclosures(br#""a,b","x""y","z",plain"#, &d);
    assert_eq!((c.quoted, c.needed, c.unclosed), (3, 2, 0));
    // `"55" screen` closes before a space; `12"` is data (a quote opens only a field); the
    // last never closes.
    let c = count_enclosures(br#""55" screen,12",ok,"open"#, &d);
    assert_eq!((c.quoted, c.needed, c.unclosed), (0, 0, 2));
    // A line break inside is needed quoting; a record without the quote costs nothing.
    let c = count_enclosures(b"\"two\nlines\",x", &d);
    assert_eq!((c.quoted, c.needed), (1, 1));
    assert_eq!(count_enclosures(b"a,b,c", &d), QuoteCounts::default());
}

#[test]
fn backslash_escaping_keeps_an_escaped_quote_inside() {
    let b = dialect(Some(b'\''), EscapeStyle::Backslash);
    let c = count_enclosures(br"'it\'s, fine','x',y\'", &b);
    assert_eq!((c.quoted, c.needed, c.unclosed), (2, 1, 0));
    // Doubling reads the same bytes as a field closed early, then data.
    let d = dialect(Some(b'\''), EscapeStyle::Doubled);
    assert_eq!(count_enclosures(br"'it\'s, fine','x'", &d).unclosed, 1);
    // A backslash as the very last byte ends the record inside the quote: unclosed, no panic.
    assert_eq!(count_enclosures(b"'abc\\", &b).unclosed, 1);
    assert_eq!(count_enclosures(b"''", &d).quoted, 1);
    assert_eq!(count_enclosures(b"'", &d).unclosed, 1);
}

#[test]
fn a_quote_opens_a_field_only_at_its_start() {
    assert!(!opens_a_field(b"1,O'Brien,it's\n", b'\'', b","));
    assert!(opens_a_field(b"1,'90s\n", b'\'', b","));
    assert!(opens_a_field(b"'a'\n", b'\'', b","));
    assert!(opens_a_field(b"x\n'a'\n", b'\'', b","));
    assert!(!opens_a_field(b"x;'a'\n", b'\'', b","));
}

#[test]
fn single_quoted_csv_is_read_with_single_quotes() {
    let text =
        "id,name,city\n1,'Smith, John','Paris'\n2,'O''Brien, Pat','Rome'\n3,'Lee','Oslo, NO'\n";
    let c = detect(text);
    assert_eq!(
        (c.dialect.delimiter, c.dialect.quote, c.dialect.escape),
        (b',', Some(b'\''), EscapeStyle::Doubled)
    );
    assert_eq!(
        c.quote_evidence,
        "`'` encloses 6 fields, 3 holding the delimiter, a line break or a quote in the 4 \
         sampled records; `\"` encloses none (with it `,` splits 3 of the 4 records into 4 \
         fields)"
    );
    let rows = read(text, &TextOptions::default());
    assert_eq!(rows[2], ["2", "O'Brien, Pat", "Rome"]);
    assert_eq!(rows[3], ["3", "Lee", "Oslo, NO"]);
}

#[test]
fn single_quotes_win_on_enclosures_when_both_split_every_record_alike() {
    // Every record has one quoted comma: `"` splits all of them into 4, `'` into 3.
    let c = detect("1,'a, b',x\n2,'c, d',y\n");
    assert_eq!(c.dialect.quote, Some(b'\''), "{}", c.quote_evidence);
}

#[test]
fn backslash_escaped_csv_is_detected_for_either_quote() {
    let text = "id,text\n1,\"say \\\"hi\\\", ok\"\n2,\"plain\"\n";
    let c = detect(text);
    assert_eq!(
        (c.dialect.quote, c.dialect.escape),
        (Some(b'"'), EscapeStyle::Backslash)
    );
    assert_eq!(read(text, &TextOptions::default())[1][1], "say \"hi\", ok");
    let single = "id,text\n1,'it\\'s, fine'\n2,'x'\n3,'y'\n";
    let c = detect(single);
    assert_eq!(
        (c.dialect.quote, c.dialect.escape),
        (Some(b'\''), EscapeStyle::Backslash),
        "{} / {}",
        c.quote_evidence,
        c.escape_evidence
    );
    assert_eq!(read(single, &TextOptions::default())[1][1], "it's, fine");
}

#[test]
fn apostrophes_in_text_are_not_quotes() {
    let text = "id,name,note\n1,O'Brien,it's fine\n2,D'Arcy,\"quoted, with comma\"\n\
                3,'Allo 'Allo,the '90s\n4,Smith,'tis true\n";
    let c = detect(text);
    assert_eq!(c.dialect.quote, Some(b'"'), "{}", c.quote_evidence);
    assert!(
        c.quote_evidence == (
            "`\"` encloses 1 field, 1 holding the delimiter, a line break or a quote in the 5 \
             sampled records; `'` encloses none; `'` opens 1 field it does not close right before a \
             delimiter or the line end (with it `,` splits 3 of the 4 records into 3 fields)"
        ),
        "{}",
        c.quote_evidence
    );
    let rows = read(text, &TextOptions::default());
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[3], ["3", "'Allo 'Allo", "the '90s"]);
    assert_eq!(rows[4][2], "'tis true");
}

#[test]
fn apostrophes_mid_field_do_not_even_make_single_quotes_a_candidate() {
    let c = detect("name,said\nO'Brien,it's\nD'Arcy,don't\n");
    assert!(c.candidates.iter().all(|s| s.quote == Some(b'"')));
    assert_eq!(c.dialect.quote, Some(b'"'));
}

#[test]
fn a_file_without_quotes_keeps_the_rfc_4180_quote_and_says_so() {
    let c = detect("a,b\n1,2\n3,4\n");
    assert_eq!(c.dialect.quote, Some(b'"'));
    assert_eq!(
        c.quote_evidence,
        "no field of the 3 sampled records starts with `\"`: kept (RFC 4180), it reads them \
         as no quoting would"
    );
}

#[test]
fn quote_marks_that_never_enclose_a_field_turn_quoting_off() {
    let text = "item,size\nTV,\"55\" screen\nMonitor,\"24\" wide\nCable,2 m\n";
    let c = detect(text);
    assert_eq!(c.dialect.quote, None, "{}", c.quote_evidence);
    assert!(
        c.quote_evidence.starts_with(
            "quoting off: in the 4 sampled records `\"` encloses none; `\"` opens 2 fields it \
             does not close right before a delimiter or the line end; read as data, `,` \
             splits 4 of the 4 records into 2 fields (with quoting, 4)"
        ),
        "{}",
        c.quote_evidence
    );
    assert_eq!(c.escape_evidence, "quoting off: quote characters are data");
    assert_eq!(
        read(text, &TextOptions::default())[1],
        ["TV", "\"55\" screen"]
    );
}

#[test]
fn an_unterminated_quote_keeps_quoting_so_the_reader_can_name_it() {
    let c = detect("a,b\n1,\"never closed\n2,3\n");
    assert_eq!(c.dialect.quote, Some(b'"'));
    assert!(c.candidates.iter().all(|s| s.quote.is_some()));
}

#[test]
fn mixed_quotes_go_to_the_one_that_splits_most_consistently() {
    let text = "id,name,comment\n1,\"Smith, John\",'ok'\n2,\"Lee, Ann\",'fine'\n\
                3,\"Kim\",'good, really'\n";
    let c = detect(text);
    assert_eq!(c.dialect.quote, Some(b'"'), "{}", c.quote_evidence);
    assert!(
        c.quote_evidence
            .contains("; `'` encloses 3 fields, 1 holding the delimiter"),
        "{}",
        c.quote_evidence
    );
}

#[test]
fn the_callers_quote_and_escape_are_used_as_given() {
    let text = "a,b\n'x, y',\"z\"\n";
    let options = TextOptions {
        quote: Some(b'\''),
        ..TextOptions::default()
    };
    let c = detect_dialect(text.as_bytes(), false, &options);
    assert_eq!(c.dialect.quote, Some(b'\''));
    assert!(
        c.quote_evidence
            .starts_with("`'` set by the caller; `'` encloses 1 field"),
        "{}",
        c.quote_evidence
    );
    assert_eq!(read(text, &options)[1], ["x, y", "\"z\""]);
    let mut off = TextOptions::default();
    off.set_quote(Some("none".parse().unwrap()));
    let c = detect_dialect(text.as_bytes(), false, &off);
    assert_eq!(c.dialect.quote, None);
    assert_eq!(
        c.quote_evidence,
        "quoting off, set by the caller: quote characters are data"
    );
    assert_eq!(read("a,b\n\"x\",y\n", &off)[1], ["\"x\"", "y"]);
    let backslash = TextOptions {
        escape: Some("\\".parse().unwrap()),
        ..TextOptions::default()
    };
    assert_eq!(
        detect_dialect(b"a\n", false, &backslash).dialect.escape,
        EscapeStyle::Backslash
    );
}

#[test]
fn a_quote_equal_to_the_delimiter_is_refused() {
    let options = TextOptions {
        quote: Some(b';'),
        delimiter: Some(b';'),
        ..TextOptions::default()
    };
    let e = TextReader::from_bytes("t.csv", b"a;b\n".to_vec(), &options)
        .err()
        .unwrap();
    assert!(
        e.to_string()
            .contains("the quote and the delimiter are both `;`"),
        "{e}"
    );
}

#[test]
fn quote_and_escape_settings_parse_from_their_flags() {
    assert_eq!(
        "'".parse::<QuoteSettingAlias>(),
        Ok(QuoteSettingAlias::Char(b'\''))
    );
    assert_eq!(
        "none".parse::<QuoteSettingAlias>(),
        Ok(QuoteSettingAlias::Off)
    );
    assert!("ab".parse::<QuoteSettingAlias>().is_err());
    assert!("\n".parse::<QuoteSettingAlias>().is_err());
    assert_eq!("backslash".parse(), Ok(EscapeStyle::Backslash));
    assert_eq!("\"".parse(), Ok(EscapeStyle::Doubled));
    assert!("x".parse::<EscapeStyle>().is_err());
}

type QuoteSettingAlias = crate::text::QuoteSetting;

#[test]
fn detection_is_the_same_every_time() {
    let text = "id,name\n1,'a, b'\n2,O'Brien\n3,\"c\"\n";
    assert_eq!(detect(text), detect(text));
}

#[test]
fn short_inputs_made_of_quotes_delimiters_and_breaks_never_panic_and_decide_alike() {
    // Every string over this alphabet up to 3 bytes, and longer pseudo-random ones: the bytes
    // that steer quote detection, in every arrangement the short ones allow.
    const ALPHABET: &[u8] = b",;\t|'\"\\\n\ra";
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
    for _ in 0..3 {
        let longer: Vec<Vec<u8>> = inputs
            .iter()
            .filter(|s| s.len() == inputs.last().map_or(0, Vec::len))
            .flat_map(|s| {
                ALPHABET.iter().map(move |&b| {
                    let mut t = s.clone();
                    t.push(b);
                    t
                })
            })
            .collect();
        inputs.extend(longer);
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..500 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 48) as usize;
        let s: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ALPHABET[(state % ALPHABET.len() as u64) as usize]
            })
            .collect();
        inputs.push(s);
    }
    for text in &inputs {
        for truncated in [false, true] {
            let a = detect_dialect(text, truncated, &TextOptions::default());
            assert_eq!(a, detect_dialect(text, truncated, &TextOptions::default()));
            assert!(!a.quote_evidence.is_empty(), "{text:?}");
        }
        if let Ok(mut r) = TextReader::from_bytes("t.csv", text.clone(), &TextOptions::default()) {
            let mut records = 0;
            while let Ok(true) = r.advance() {
                records += 1;
                assert!(
                    records <= text.len(),
                    "{text:?}: the reader does not move forward"
                );
            }
        }
    }
}
