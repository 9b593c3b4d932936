//! Is the first record a header? Decided from the first records, with the evidence.
//!
//! The rule, in order:
//! 1. A typed value in record 1 (a number, date, time, boolean, GUID as text, or a number or
//!    date cell) means no header: names are text.
//! 2. Otherwise, when some column is typed below record 1 (every non-NULL value of the column
//!    in records 2… reads as one non-text type), record 1 is a header: a text cell above
//!    numbers or dates is a name.
//! 3. Otherwise every column is text. Record 1 is a header when its fields are all non-empty
//!    and distinct and none of them appears again below in its column (values repeat, names
//!    do not); this is weaker evidence and the decision says so.
//!
//! The caller can override the decision ([`HeaderChoice`]).

use serde::Serialize;

use super::cell_text::render_cell;
use super::column::{ColumnState, InferOptions};
use super::parse::{classify, trim_spaces, TextValue};
use crate::{Field, RowSource};

/// The first records of a file, copied out of the reader (whose fields are valid only until
/// it advances), to decide the header on and to show as a preview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordSample {
    records: Vec<(u64, Vec<SampledField>)>,
}

/// An owned copy of a [`Field`].
#[derive(Debug, Clone, PartialEq)]
enum SampledField {
    Empty,
    Text(String),
    Error(String),
    Cell(Field<'static>),
}

impl RecordSample {
    /// Copies the source's current record.
    pub fn push_current<S: RowSource + ?Sized>(&mut self, src: &S) {
        let fields = (0..src.len())
            .map(|i| match src.field(i) {
                Field::Empty => SampledField::Empty,
                Field::Text(s) => SampledField::Text(s.to_string()),
                Field::Error(s) => SampledField::Error(s.to_string()),
                Field::Int(v) => SampledField::Cell(Field::Int(v)),
                Field::Float(v) => SampledField::Cell(Field::Float(v)),
                Field::Bool(v) => SampledField::Cell(Field::Bool(v)),
                Field::DateTime(v) => SampledField::Cell(Field::DateTime(v)),
            })
            .collect();
        self.records.push((src.row_number(), fields));
    }

    /// Number of records held.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no record is held.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The row number of record `i` (as the reader gave it).
    pub fn row_number(&self, i: usize) -> Option<u64> {
        self.records.get(i).map(|(row, _)| *row)
    }

    /// The records as fields borrowing this sample.
    pub fn fields(&self) -> Vec<Vec<Field<'_>>> {
        self.records
            .iter()
            .map(|(_, r)| {
                r.iter()
                    .map(|f| match f {
                        SampledField::Empty => Field::Empty,
                        SampledField::Text(s) => Field::Text(s),
                        SampledField::Error(s) => Field::Error(s),
                        SampledField::Cell(c) => *c,
                    })
                    .collect()
            })
            .collect()
    }
}

/// The names a header record gives its columns: text as written, a number or date cell as
/// its text, an empty or error cell as blank (which [`super::propose_names`] numbers).
pub fn header_names(record: &[Field<'_>]) -> Vec<String> {
    record
        .iter()
        .map(|f| match f {
            Field::Text(s) => s.to_string(),
            Field::Empty | Field::Error(_) => String::new(),
            cell => render_cell(*cell)
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
        })
        .collect()
}

/// The user's say on the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderChoice {
    /// Decide from the data.
    Detect,
    /// Record 1 is a header.
    Present,
    /// There is no header.
    Absent,
}

/// Whether record 1 is a header, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeaderDecision {
    pub has_header: bool,
    /// True when the user decided.
    pub overridden: bool,
    pub evidence: String,
}

/// Decides whether `records[0]` is a header, from `records` (the first records of the file,
/// say 100). Fields are compared as the reader gives them.
pub fn detect_header(records: &[Vec<Field<'_>>], choice: HeaderChoice) -> HeaderDecision {
    let decided = |has_header: bool, evidence: String| HeaderDecision {
        has_header,
        overridden: false,
        evidence,
    };
    match choice {
        HeaderChoice::Present | HeaderChoice::Absent => {
            let has_header = choice == HeaderChoice::Present;
            return HeaderDecision {
                has_header,
                overridden: true,
                evidence: format!(
                    "set by the user: {}",
                    if has_header {
                        "record 1 is a header"
                    } else {
                        "no header"
                    }
                ),
            };
        }
        HeaderChoice::Detect => {}
    }
    let Some(first) = records.first() else {
        return decided(false, "no records to look at".to_string());
    };
    if let Some((col, value)) = first
        .iter()
        .enumerate()
        .find_map(|(i, f)| typed(f).map(|v| (i, v)))
    {
        return decided(
            false,
            format!(
                "record 1 holds {value} in column {}, which a header would not",
                col + 1
            ),
        );
    }
    let body = records.get(1..).unwrap_or_default();
    if body.is_empty() {
        let all_named = !first.is_empty() && first.iter().all(|f| !is_blank(f));
        return decided(
            all_named,
            format!(
                "the file has one record, all text{}",
                if all_named {
                    ", none blank: taken as a header"
                } else {
                    " with blanks: taken as data"
                }
            ),
        );
    }
    let settings = InferOptions::default();
    let width = records.iter().map(Vec::len).max().unwrap_or(0);
    let typed_columns: Vec<usize> = (0..width)
        .filter(|&c| {
            let mut state = ColumnState::new(&settings, 0);
            for (r, record) in body.iter().enumerate() {
                state.observe(
                    record.get(c).copied().unwrap_or(Field::Empty),
                    r as u64 + 2,
                    &settings,
                );
            }
            state.is_typed()
        })
        .collect();
    let last = records.len();
    if !typed_columns.is_empty() {
        let list: Vec<String> = typed_columns
            .iter()
            .take(10)
            .map(|c| (c + 1).to_string())
            .collect();
        let more = if typed_columns.len() > 10 { " …" } else { "" };
        return decided(
            true,
            format!(
                "record 1 is all text while column{} {}{more} hold{} numbers, dates or other typed \
                 values in records 2–{last}",
                if typed_columns.len() > 1 { "s" } else { "" },
                list.join(", "),
                if typed_columns.len() > 1 { "" } else { "s" },
            ),
        );
    }
    let texts: Vec<&str> = first.iter().map(text_of).collect();
    if let Some(c) = texts.iter().position(|t| t.trim().is_empty()) {
        return decided(
            false,
            format!(
                "every column is text and record 1 has a blank in column {}",
                c + 1
            ),
        );
    }
    for (c, t) in texts.iter().enumerate() {
        if texts.iter().take(c).any(|u| u == t) {
            return decided(
                false,
                format!("every column is text and record 1 repeats {t:?}"),
            );
        }
        if let Some(r) = body
            .iter()
            .position(|rec| rec.get(c).map(text_of) == Some(t))
        {
            return decided(
                false,
                format!("every column is text and record 1's {t:?} appears again in record {} of column {}", r + 2, c + 1),
            );
        }
    }
    decided(
        true,
        format!(
            "every column is text; record 1's values are all non-empty, distinct and never repeat \
             in records 2–{last}, as names do (weak evidence: check it)"
        ),
    )
}

/// What a typed field is, for the evidence; `None` for text.
fn typed(field: &Field<'_>) -> Option<String> {
    match field {
        Field::Text(s) => match classify(trim_spaces(s)) {
            TextValue::Text => None,
            TextValue::Bool(_) => Some(format!("the boolean {s:?}")),
            TextValue::Number(_) => Some(format!("the number {s:?}")),
            TextValue::Temporal(_) => Some(format!("the date/time {s:?}")),
            TextValue::Guid(_) => Some(format!("the GUID {s:?}")),
        },
        Field::Int(_) | Field::Float(_) => Some("a number cell".to_string()),
        Field::Bool(_) => Some("a boolean cell".to_string()),
        Field::DateTime(_) => Some("a date cell".to_string()),
        Field::Empty | Field::Error(_) => None,
    }
}

fn is_blank(field: &Field<'_>) -> bool {
    text_of(field).trim().is_empty()
}

fn text_of<'a>(field: &Field<'a>) -> &'a str {
    match *field {
        Field::Text(s) | Field::Error(s) => s,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows<'a>(data: &[&[&'a str]]) -> Vec<Vec<Field<'a>>> {
        data.iter()
            .map(|r| {
                r.iter()
                    .map(|s| {
                        if s.is_empty() {
                            Field::Empty
                        } else {
                            Field::Text(s)
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn text_above_typed_columns_is_a_header_naming_them() {
        let d = detect_header(
            &rows(&[
                &["id", "name", "when"],
                &["1", "Ann", "2024-03-05"],
                &["2", "Bob", "2024-03-06"],
            ]),
            HeaderChoice::Detect,
        );
        assert!(d.has_header);
        assert!(d.evidence.contains("columns 1, 3 hold"), "{}", d.evidence);
        assert!(d.evidence.contains("records 2–3"), "{}", d.evidence);
    }

    #[test]
    fn a_number_in_record_one_means_no_header() {
        let d = detect_header(&rows(&[&["1", "Ann"], &["2", "Bob"]]), HeaderChoice::Detect);
        assert!(!d.has_header);
        assert!(d.evidence.contains("column 1"), "{}", d.evidence);
        let sheet = vec![
            vec![Field::Text("x"), Field::Float(2.5)],
            vec![Field::Text("y"), Field::Float(3.0)],
        ];
        assert!(!detect_header(&sheet, HeaderChoice::Detect).has_header);
    }

    #[test]
    fn all_text_columns_use_distinctness() {
        let header = rows(&[&["first", "last"], &["Ann", "Lee"], &["Bob", "Lee"]]);
        let d = detect_header(&header, HeaderChoice::Detect);
        assert!(d.has_header);
        assert!(d.evidence.contains("weak evidence"));
        let repeated = rows(&[&["Ann", "Lee"], &["Ann", "Ng"]]);
        let d = detect_header(&repeated, HeaderChoice::Detect);
        assert!(!d.has_header);
        assert!(
            d.evidence.contains("appears again in record 2"),
            "{}",
            d.evidence
        );
        let blank = rows(&[&["a", ""], &["xx", "yy"]]);
        assert!(!detect_header(&blank, HeaderChoice::Detect).has_header);
    }

    #[test]
    fn the_user_overrides_the_detection() {
        let data = rows(&[&["1", "2"], &["3", "4"]]);
        let d = detect_header(&data, HeaderChoice::Present);
        assert!(d.has_header && d.overridden);
        let d = detect_header(&rows(&[&["id"], &["1"]]), HeaderChoice::Absent);
        assert!(!d.has_header && d.overridden);
    }

    #[test]
    fn a_sample_copies_records_out_of_the_source_for_detection_and_names() {
        use crate::infer::test_source::VecSource;
        let mut src = VecSource::new(
            vec![
                vec![Field::Text("id"), Field::Int(2024), Field::Empty],
                vec![Field::Text("1"), Field::Float(2.5), Field::Error("#N/A")],
            ],
            1,
        );
        let mut sample = RecordSample::default();
        while src.advance().unwrap() {
            sample.push_current(&src);
        }
        assert_eq!((sample.len(), sample.row_number(1)), (2, Some(2)));
        let fields = sample.fields();
        assert_eq!(fields[1][2], Field::Error("#N/A"));
        assert_eq!(header_names(&fields[0]), ["id", "2024", ""]);
        assert!(!detect_header(&fields, HeaderChoice::Detect).has_header);
    }

    #[test]
    fn empty_and_single_record_inputs_are_decided() {
        assert!(!detect_header(&[], HeaderChoice::Detect).has_header);
        assert!(detect_header(&rows(&[&["a", "b"]]), HeaderChoice::Detect).has_header);
    }
}
