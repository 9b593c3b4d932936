//! What serde cannot check: that the template's parts agree with each other and with SQL
//! Server. Every problem is collected (not just the first), each with where it is, in the
//! JSON's own terms (`mapping[2].source`), so a hand-edited template can be fixed in one go.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;
use sluice_files::sheet::CellRange;
use sluice_files::text::{detect_encoding, QuoteSetting};

use sluice_files::infer::{convert, ColumnRule, Converted, DateOrder, NullPolicy, SqlType};
use sluice_files::Field;

use super::{is_date_order_name, ColumnMapping, LoadMode, Template};

/// SQL Server's limit on an identifier's length (sysname is nvarchar(128)).
const MAX_IDENTIFIER: usize = 128;

/// The spreadsheet formats a template may name (`csv` stands for any delimited text).
pub const FORMATS: [&str; 6] = ["csv", "xlsx", "xlsm", "xlsb", "xls", "ods"];

/// One thing wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where, as a path into the JSON (`mapping[2].sqlType`).
    pub at: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl Template {
    /// Checks what the JSON's shape does not: unique names, sources that exist, type
    /// spellings SQL Server and the loader accept, a primary key over mapped NOT NULL columns.
    pub fn validate(&self) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        let mut add = |at: String, message: String| problems.push(Problem { at, message });
        let src = &self.source;
        let is_text = src
            .format
            .as_deref()
            .is_none_or(|f| f.eq_ignore_ascii_case("csv"));
        if let Some(f) = &src.format {
            if !FORMATS.iter().any(|k| k.eq_ignore_ascii_case(f)) {
                add(
                    "source.format".into(),
                    format!("{f:?} is not one of {}", FORMATS.join(", ")),
                );
            }
        }
        if let Some(d) = &src.delimiter {
            let mut chars = d.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii() && c != '"' && c != '\n' && c != '\r' => {}
                _ => add(
                    "source.delimiter".into(),
                    format!(
                        "{d:?} is not one ASCII character (other than a quote or a line break)"
                    ),
                ),
            }
        }
        if let Some(q) = &src.quote {
            match q.parse::<QuoteSetting>() {
                Ok(QuoteSetting::Char(c)) if src.delimiter.as_deref() == Some(q.as_str()) => add(
                    "source.quote".into(),
                    format!("{:?} is also the delimiter", char::from(c)),
                ),
                Ok(_) => {}
                Err(e) => add("source.quote".into(), e),
            }
        }
        if let Some(e) = &src.encoding {
            if detect_encoding(b" ", 1, Some(e)).is_err() {
                add(
                    "source.encoding".into(),
                    format!(
                        "{e:?} is not an encoding label (utf-8, windows-1252, utf-16le, latin1 …)"
                    ),
                );
            }
        }
        if let Some(r) = &src.range {
            if let Err(e) = r.parse::<CellRange>() {
                add("source.range".into(), e.to_string());
            }
        }
        if src.format.is_some() && is_text {
            for (field, set) in [
                ("sheet", src.sheet.is_some()),
                ("range", src.range.is_some()),
            ] {
                if set {
                    add(
                        format!("source.{field}"),
                        "only spreadsheets have sheets and ranges, and the format is csv".into(),
                    );
                }
            }
        }
        if !is_text {
            for (field, set) in [
                ("delimiter", src.delimiter.is_some()),
                ("encoding", src.encoding.is_some()),
                ("quote", src.quote.is_some()),
            ] {
                if set {
                    add(
                        format!("source.{field}"),
                        "only delimited text has a delimiter, an encoding and a quote".into(),
                    );
                }
            }
        }

        if self.columns.is_empty() {
            add(
                "columns".into(),
                "the template expects no source columns".into(),
            );
        }
        let mut names = HashSet::new();
        for (i, c) in self.columns.iter().enumerate() {
            if c.name.is_empty() {
                add(format!("columns[{i}].name"), "is empty".into());
            }
            if !names.insert(c.name.as_str()) {
                add(
                    format!("columns[{i}].name"),
                    format!("{:?} is listed twice", c.name),
                );
            }
            if let Err(e) = c.parsed_type() {
                add(format!("columns[{i}].sqlType"), e.to_string());
            }
        }

        if self.mapping.is_empty() {
            add("mapping".into(), "maps no target column".into());
        }
        let mut targets = HashSet::new();
        for (i, m) in self.mapping.iter().enumerate() {
            let at = |field: &str| format!("mapping[{i}].{field}");
            if m.target.trim().is_empty() {
                add(at("target"), "is empty".into());
            } else if m.target.chars().count() > MAX_IDENTIFIER {
                add(
                    at("target"),
                    format!("is longer than SQL Server's {MAX_IDENTIFIER} characters"),
                );
            }
            // SQL Server compares column names case-insensitively under the usual collations.
            if !targets.insert(m.target.to_lowercase()) {
                add(
                    at("target"),
                    format!(
                        "{:?} is mapped twice (names compare without regard to case)",
                        m.target
                    ),
                );
            }
            match (&m.source, &m.constant) {
                (Some(s), None) => {
                    if !names.contains(s.as_str()) {
                        add(
                            at("source"),
                            format!(
                                "{s:?} is not among the template's columns ({})",
                                quoted_list(self.columns.iter().map(|c| c.name.as_str()))
                            ),
                        );
                    }
                }
                (None, Some(_)) => {}
                (Some(_), Some(_)) => add(
                    at("source"),
                    "a column has either a source or a constant, not both".into(),
                ),
                (None, None) => add(
                    at("source"),
                    "neither a source column nor a constant: give one".into(),
                ),
            }
            match (m.parsed_type(), &m.constant) {
                (Err(e), _) => add(at("sqlType"), e.to_string()),
                (Ok(t), Some(c)) => {
                    if let Some(message) = constant_problem(m, t, c, src.null_tokens.as_deref()) {
                        add(at("constant"), message);
                    }
                }
                (Ok(_), None) => {}
            }
            if let Some(d) = &m.date_order {
                if !is_date_order_name(d) {
                    add(at("dateOrder"), format!("{d:?} is not dmy, mdy or ymd"));
                }
            }
        }

        let mut keys = HashSet::new();
        for (i, k) in self.target.primary_key.iter().enumerate() {
            let at = format!("target.primaryKey[{i}]");
            if !keys.insert(k.to_lowercase()) {
                add(at.clone(), format!("{k:?} is listed twice"));
            }
            match self
                .mapping
                .iter()
                .find(|m| m.target.to_lowercase() == k.to_lowercase())
            {
                None => add(at, format!("{k:?} is not a mapped target column")),
                Some(m) if m.nullable => add(
                    at,
                    format!("{k:?} is nullable; primary key columns are NOT NULL"),
                ),
                Some(_) => {}
            }
        }
        if !self.target.primary_key.is_empty() && self.target.mode != LoadMode::Create {
            add(
                "target.primaryKey".into(),
                "a primary key is declared only when the table is created (mode create)".into(),
            );
        }
        if self.target.table.trim().is_empty() {
            add("target.table".into(), "is empty".into());
        }
        if self.options.batch_size == 0 {
            add("options.batchSize".into(), "must be at least 1".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Why a mapping's constant would not load into its column, if it would not: converted with
/// the very function the loader converts fields with.
fn constant_problem(
    m: &ColumnMapping,
    sql_type: SqlType,
    constant: &str,
    source_tokens: Option<&[String]>,
) -> Option<String> {
    let nulls = match m.null_tokens.as_deref().or(source_tokens) {
        Some(tokens) => NullPolicy::new(tokens.iter().cloned(), m.empty_as_null),
        None => {
            let mut p = NullPolicy::default();
            p.empty_is_null = m.empty_as_null;
            p
        }
    };
    let rule = ColumnRule {
        sql_type,
        date_order: m.parsed_date_order().unwrap_or(DateOrder::MonthFirst),
        nulls,
    };
    match convert(Field::Text(constant), &rule) {
        Ok(Converted::Null) if !m.nullable => Some(format!(
            "{constant:?} reads as NULL, and the column is NOT NULL"
        )),
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}

fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<String> = names.map(|n| format!("{n:?}")).collect();
    if all.is_empty() {
        "none".into()
    } else {
        all.join(", ")
    }
}
