//! Whole-column inference and conversion on hostile input: arbitrary bytes become records
//! (`\n`) of fields (`,`), some of them spreadsheet cells. Nothing may panic, and every value the
//! inference saw must convert under the rule it proposed (the loader relies on that).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sluice_files::field::{DateKind, SheetDateTime};
use sluice_files::infer::{
    convert, detect_header, propose_names, DateOrder, HeaderChoice, InferOptions, Inferrer,
    NullPolicy,
};
use sluice_files::Field;

/// A field: text, or a spreadsheet cell when it starts with `~` and a kind letter.
fn field(s: &str) -> Field<'_> {
    let rest = s.get(2..).unwrap_or("");
    let number = || {
        rest.bytes()
            .fold(0i64, |a, b| a.wrapping_mul(31).wrapping_add(i64::from(b)))
    };
    match s.as_bytes() {
        [] => Field::Empty,
        [b'~', b'i', ..] => Field::Int(number()),
        [b'~', b'f', ..] => Field::Float(rest.parse().unwrap_or(number() as f64 / 7.0)),
        [b'~', b'b', ..] => Field::Bool(rest.len() % 2 == 0),
        [b'~', b'e', ..] => Field::Error(rest),
        [b'~', b'd' | b't' | b'x', ..] => {
            let n = number();
            let kind = match s.as_bytes()[1] {
                b'd' => DateKind::Date,
                b't' => DateKind::Time,
                _ => DateKind::DateTime,
            };
            Field::DateTime(SheetDateTime {
                days: n as i32,
                nanos: n.unsigned_abs(),
                kind,
            })
        }
        _ => Field::Text(s),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    let records: Vec<Vec<Field<'_>>> = text
        .split('\n')
        .take(2000)
        .map(|line| line.split(',').take(64).map(field).collect())
        .collect();
    let options = InferOptions {
        nulls: if flags & 1 == 0 {
            NullPolicy::default()
        } else {
            NullPolicy::new(["-".to_string(), "NULL".to_string()], false)
        },
        default_date_order: if flags & 2 == 0 {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        },
        narrow_integers: flags & 4 != 0,
        // The varchar code page path: a single-byte and a double-byte code page.
        varchar_code_page: match (flags >> 6) & 3 {
            1 => sluice_files::inspect::code_page_encoding("1252").ok(),
            2 => sluice_files::inspect::code_page_encoding("932").ok(),
            _ => None,
        },
    };
    let header: Option<Vec<String>> = (flags & 8 != 0).then(|| {
        records
            .first()
            .map(|r| r.iter().map(|f| format!("{f:?}")).collect())
            .unwrap_or_default()
    });
    let mut inferrer = Inferrer::new(options, header);
    for (i, record) in records.iter().enumerate() {
        inferrer.observe_fields(i as u64 + 1, record);
    }
    let schema = inferrer.finish();
    for record in &records {
        for (column, f) in schema.iter().zip(record) {
            if let Err(e) = convert(*f, &column.rule) {
                panic!(
                    "{f:?} was inferred as {} but does not convert: {e}",
                    column.sql_type
                );
            }
        }
    }
    let _ = detect_header(
        records.get(..records.len().min(100)).unwrap_or_default(),
        HeaderChoice::Detect,
    );
    let names: Vec<&str> = records
        .first()
        .map(|r| {
            r.iter()
                .map(|f| match f {
                    Field::Text(s) => *s,
                    _ => "",
                })
                .collect()
        })
        .unwrap_or_default();
    let _ = propose_names(&names);
});
