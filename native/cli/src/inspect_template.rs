//! `sluice inspect FILE --template OUT.json`: a starting template from the inspection, made by
//! `Template::from_inspection` (the load crate's one way to write one), so that
//! `sluice load FILE --map OUT.json` reads the file the way the inspection did.

use std::path::Path;

use sluice_files::infer::nulls::DEFAULT_NULL_TOKENS;
use sluice_files::inspect::{Inspection, Options};
use sluice_files::sheet::{CellRange, SheetFormat};
use sluice_files::text::TextReader;
use sluice_load::template::{InspectedFile, SourceSettings};
use sluice_load::Template;

/// Writes the template for `file` (inspected as `found` with `options`) to `out`. The error
/// names what failed: the range, the file reopened for its text dialect, or the write.
pub(crate) fn write_template(
    file: &Path,
    options: &Options,
    found: &Inspection,
    out: &Path,
) -> Result<(), String> {
    let nulls: Vec<String> = options.null_tokens.clone().unwrap_or_else(|| {
        DEFAULT_NULL_TOKENS
            .iter()
            .map(ToString::to_string)
            .collect()
    });
    let source = match sheet_format(&found.format) {
        Some(format) => {
            let range = options
                .range
                .as_deref()
                .map(str::parse::<CellRange>)
                .transpose()
                .map_err(|e| format!("--range: {e}"))?;
            SourceSettings::from_sheet(
                format,
                found.sheet.as_deref().unwrap_or_default(),
                range.as_ref(),
                sheet_header_row(options, found, range.as_ref()),
                &nulls,
            )
        }
        None => {
            // The dialect as the text reader detects it with the same overrides: opening reads
            // only the detection sample.
            let reader =
                TextReader::open(file, &options.text_options()).map_err(|e| e.to_string())?;
            SourceSettings::from_text_detection(reader.detection(), found.has_header, &nulls)
        }
    };
    Template::from_inspection(&InspectedFile {
        path: file,
        source: &source,
        columns: &found.columns,
    })
    .write(out)
    .map_err(|e| e.to_string())
}

/// The workbook format an inspection's `format` names; `None` for delimited text.
fn sheet_format(format: &str) -> Option<SheetFormat> {
    match format {
        "xlsx" | "xlsm" => Some(SheetFormat::Xlsx),
        "xlsb" => Some(SheetFormat::Xlsb),
        "xls" => Some(SheetFormat::Xls),
        "ods" => Some(SheetFormat::Ods),
        _ => None,
    }
}

/// The 1-based sheet row holding the names: the one the user set, else the range's first row
/// (or row 1) when a header was found, else 0 (none).
fn sheet_header_row(options: &Options, found: &Inspection, range: Option<&CellRange>) -> u32 {
    use sluice_files::inspect::HeaderSetting;
    match options.header {
        HeaderSetting::Row(n) => n,
        _ if !found.has_header => 0,
        _ => range.map_or(1, |r| r.first_row.saturating_add(1)),
    }
}

#[cfg(test)]
#[path = "inspect_template_tests.rs"]
mod tests;
