//! A template's source settings as reader options, so a file is read the way its template
//! says (delimiter, encoding, quote, sheet, range, header, NULL tokens).

use sluice_files::infer::{HeaderChoice, NullPolicy};
use sluice_files::sheet::CellRange;

use super::MultiFileOptions;
use crate::template::SourceSettings;

impl MultiFileOptions {
    /// Options that read files as `source` describes (each setting left out is detected).
    /// An error names the setting that cannot be used (`Template::validate` refuses the same).
    pub fn from_source(source: &SourceSettings) -> Result<MultiFileOptions, String> {
        let mut o = MultiFileOptions::default();
        if let Some(d) = &source.delimiter {
            match d.as_bytes() {
                [b] => o.text.delimiter = Some(*b),
                _ => return Err(format!("source.delimiter {d:?} is not one ASCII character")),
            }
        }
        o.text.encoding.clone_from(&source.encoding);
        if let Some(q) = &source.quote {
            o.text
                .set_quote(Some(q.parse().map_err(|e| format!("source.quote: {e}"))?));
        }
        o.sheet.clone_from(&source.sheet);
        if let Some(r) = &source.range {
            o.range = Some(
                r.parse::<CellRange>()
                    .map_err(|e| format!("source.range: {e}"))?,
            );
        }
        let spreadsheet = source
            .format
            .as_deref()
            .is_some_and(|f| !f.eq_ignore_ascii_case("csv"));
        match source.header_row {
            None => {}
            Some(0) => o.header = HeaderChoice::Absent,
            // Text has its header on line 1 or nowhere; a sheet's may be lower down.
            Some(1) if !spreadsheet => o.header = HeaderChoice::Present,
            Some(h) if spreadsheet => o.header_row = Some(h),
            Some(h) => {
                return Err(format!(
                    "source.headerRow {h}: a delimited text file's header is on line 1 (1) or \
                     absent (0)"
                ))
            }
        }
        if let Some(tokens) = &source.null_tokens {
            o.infer.nulls = NullPolicy::new(tokens.iter().cloned(), o.infer.nulls.empty_is_null);
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_settings_become_reader_options() {
        let o = MultiFileOptions::from_source(&SourceSettings {
            format: Some("csv".into()),
            header_row: Some(1),
            delimiter: Some(";".into()),
            encoding: Some("windows-1252".into()),
            quote: Some("'".into()),
            null_tokens: Some(vec!["-".into()]),
            ..SourceSettings::default()
        })
        .unwrap();
        assert_eq!(o.text.delimiter, Some(b';'));
        assert_eq!((o.text.quote, o.text.quoting), (Some(b'\''), true));
        assert_eq!(o.text.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(o.header, HeaderChoice::Present);
        assert!(o.infer.nulls.is_token("-") && !o.infer.nulls.is_token("NULL"));
        let o = MultiFileOptions::from_source(&SourceSettings {
            header_row: Some(0),
            ..SourceSettings::default()
        })
        .unwrap();
        assert_eq!(o.header, HeaderChoice::Absent);
    }

    #[test]
    fn sheet_settings_become_reader_options_and_a_text_header_below_line_1_is_refused() {
        let o = MultiFileOptions::from_source(&SourceSettings {
            format: Some("xlsx".into()),
            sheet: Some("Orders".into()),
            range: Some("A1:J20".into()),
            header_row: Some(3),
            ..SourceSettings::default()
        })
        .unwrap();
        assert_eq!(o.sheet.as_deref(), Some("Orders"));
        assert_eq!(o.header_row, Some(3));
        assert!(o.range.is_some());
        let e = MultiFileOptions::from_source(&SourceSettings {
            header_row: Some(3),
            ..SourceSettings::default()
        })
        .unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}
