//! A starting template from what `inspect` found: the detected source settings, the inferred
//! columns as the expected ones, a 1:1 mapping under the proposed names and types, a table
//! named after the file, mode create. The user edits it from there.

use std::path::Path;

use sluice_files::infer::nulls::DEFAULT_NULL_TOKENS;
use sluice_files::infer::{propose_names, ColumnSchema, SqlType};
use sluice_files::sheet::{CellRange, SheetFormat};
use sluice_files::text::{Detection, QuoteSetting};

use super::{
    date_order_name, ColumnMapping, ExpectedColumn, LoadMode, LoadSettings, SourceSettings, Target,
    Template, TEMPLATE_VERSION,
};

/// What an inspection of one file gives a template.
#[derive(Debug, Clone, Copy)]
pub struct InspectedFile<'a> {
    /// The file (its stem names the table).
    pub path: &'a Path,
    /// How it was read (see [`SourceSettings::from_text_detection`] for delimited text).
    pub source: &'a SourceSettings,
    /// The inferred columns, in file order.
    pub columns: &'a [ColumnSchema],
}

impl SourceSettings {
    /// The settings a delimited text file was read with: format, delimiter, encoding, the quote
    /// when it is not `"`, whether record 1 is a header, and the NULL tokens when they are not the defaults.
    pub fn from_text_detection(
        detection: &Detection,
        has_header: bool,
        null_tokens: &[String],
    ) -> SourceSettings {
        let defaults = null_tokens.len() == DEFAULT_NULL_TOKENS.len()
            && null_tokens
                .iter()
                .zip(DEFAULT_NULL_TOKENS)
                .all(|(a, b)| a == b);
        SourceSettings {
            format: Some("csv".into()),
            header_row: Some(u32::from(has_header)),
            delimiter: Some(char::from(detection.dialect.delimiter).to_string()),
            encoding: Some(detection.encoding.name.to_ascii_lowercase()),
            // `"` is what detection falls back to; anything else is worth keeping.
            quote: match detection.dialect.quote {
                Some(b'"') => None,
                Some(q) => Some(QuoteSetting::Char(q).as_text()),
                None => Some(QuoteSetting::Off.as_text()),
            },
            null_tokens: (!defaults).then(|| null_tokens.to_vec()),
            ..SourceSettings::default()
        }
    }
}

impl SourceSettings {
    /// The settings a sheet was read with: its format, the sheet's name, the range if one was
    /// given, and the header row (`0`: none).
    pub fn from_sheet(
        format: SheetFormat,
        sheet: &str,
        range: Option<&CellRange>,
        header_row: u32,
        null_tokens: &[String],
    ) -> SourceSettings {
        let text = SourceSettings::written_null_tokens(null_tokens);
        SourceSettings {
            format: Some(format.name().to_string()),
            sheet: Some(sheet.to_string()),
            range: range.map(ToString::to_string),
            header_row: Some(header_row),
            null_tokens: text,
            ..SourceSettings::default()
        }
    }

    /// The NULL tokens to write: none when they are the defaults.
    fn written_null_tokens(null_tokens: &[String]) -> Option<Vec<String>> {
        let defaults = null_tokens.len() == DEFAULT_NULL_TOKENS.len()
            && null_tokens
                .iter()
                .zip(DEFAULT_NULL_TOKENS)
                .all(|(a, b)| a == b);
        (!defaults).then(|| null_tokens.to_vec())
    }
}

impl Template {
    /// A starting template for `file` (see the module documentation).
    pub fn from_inspection(file: &InspectedFile<'_>) -> Template {
        let stem = file
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let table = propose_names(&[stem])
            .pop()
            .unwrap_or_else(|| "imported".to_string());
        let columns = file
            .columns
            .iter()
            .map(|c| ExpectedColumn {
                name: c.name.clone(),
                sql_type: c.sql_type.to_string(),
                nullable: c.nullable,
            })
            .collect();
        let mapping = file
            .columns
            .iter()
            .map(|c| ColumnMapping {
                target: c.proposed_name.clone(),
                source: Some(c.name.clone()),
                constant: None,
                sql_type: c.sql_type.to_string(),
                nullable: c.nullable,
                empty_as_null: c.rule.nulls.empty_is_null,
                // Only a column of numeric dates has an order worth pinning: the next file of
                // the feed may hold no value that settles it.
                date_order: (is_temporal(c.sql_type) && c.evidence.date_order.is_some())
                    .then(|| date_order_name(c.rule.date_order).to_string()),
                null_tokens: None,
            })
            .collect();
        Template {
            version: TEMPLATE_VERSION,
            source: file.source.clone(),
            columns,
            target: Target {
                table,
                mode: LoadMode::Create,
                primary_key: Vec::new(),
            },
            mapping,
            options: LoadSettings::default(),
        }
    }
}

fn is_temporal(t: SqlType) -> bool {
    matches!(
        t,
        SqlType::Date | SqlType::DateTime2(_) | SqlType::DateTimeOffset(_)
    )
}
