//! `sluice inspect FILE`: the detected format, encoding and dialect, and the schema inferred
//! over the whole file, as a table or (`--json`) one JSON object.
//!
//! Exit codes: 0 done; 1 the file cannot be read (the message names the file and, where it
//! applies, the row, column and byte offset); 2 usage (bad arguments, an option that does not
//! apply to the file, a sheet or encoding that does not exist).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::Args;
use sluice_files::infer::{ColumnSchema, Evidence};
use sluice_files::inspect::{HeaderSetting, Inspection, Options, Progress};
use sluice_files::text::{EscapeStyle, QuoteSetting};
use sluice_files::{ReadError, ReadErrorKind};

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The file: delimited text (CSV, TSV, …) or a workbook (xlsx, xlsm, xlsb, xls, ods).
    file: PathBuf,
    /// Workbooks: the sheet, by name or 1-based position (default: the first sheet holding a
    /// table).
    #[arg(long, value_name = "NAME|N")]
    sheet: Option<String>,
    /// Workbooks: only these cells.
    #[arg(long, value_name = "A1:H400")]
    range: Option<String>,
    /// This 1-based row holds the column names (sheet row, or N-th record of a text file).
    #[arg(long, value_name = "N", conflicts_with = "no_header")]
    header_row: Option<u32>,
    /// The file has no header row: columns are named column1, column2, …
    #[arg(long)]
    no_header: bool,
    /// Text: the delimiter, one character (`,` `;` `|`, `\t` or `tab` for a tab).
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// Text: the encoding (`utf-8`, `windows-1252`, `utf-16le`, `latin1`, …).
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// Text: the quote character (`"`, `'`), or `none` to read quotes as data.
    #[arg(long, value_name = "C")]
    quote: Option<QuoteSetting>,
    /// Text: how a quote inside quotes is escaped: `\` (backslash) or `double`.
    #[arg(long, value_name = "C")]
    escape: Option<EscapeStyle>,
    /// Infer from the first N data rows only (default: the whole file).
    #[arg(long, value_name = "N")]
    sample: Option<u64>,
    /// The target collation's code page (`1252`, `65001`, `windows-1250` …): text it holds
    /// is proposed as varchar (lengths in its bytes) instead of nvarchar.
    #[arg(long, value_name = "CP")]
    code_page: Option<String>,
    /// A value that means NULL (repeatable; replaces the defaults NULL, NA, N/A, \N).
    #[arg(long = "null", value_name = "TOKEN")]
    null_tokens: Vec<String>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write a starting template (JSON) for `sluice load --map`: the detected source
    /// settings, the inferred columns, a 1:1 mapping under the proposed names, mode create.
    #[arg(long, value_name = "OUT.json")]
    template: Option<PathBuf>,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ => match s.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\r' | b'\n') => Ok(*b),
            _ => Err(format!(
                "`{s}` is not a delimiter: give one ASCII character other than a quote or newline"
            )),
        },
    }
}

impl InspectArgs {
    fn options(&self) -> Options {
        Options {
            sheet: self.sheet.clone(),
            range: self.range.clone(),
            header: match (self.header_row, self.no_header) {
                (Some(n), _) => HeaderSetting::Row(n),
                (None, true) => HeaderSetting::Absent,
                (None, false) => HeaderSetting::Detect,
            },
            delimiter: self.delimiter,
            encoding: self.encoding.clone(),
            quote: self.quote,
            escape: self.escape,
            sample: self.sample,
            null_tokens: (!self.null_tokens.is_empty()).then(|| self.null_tokens.clone()),
            preview_rows: None,
            varchar_code_page: self.code_page.clone(),
        }
    }
}

pub async fn run(a: InspectArgs) -> i32 {
    let bar = std::io::stderr().is_terminal();
    let file = a.file.clone();
    let done = tokio::task::spawn_blocking(move || {
        execute(
            &a,
            bar,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr(),
        )
    })
    .await;
    done.unwrap_or_else(|e| {
        eprintln!(
            "sluice inspect: {}: the inspection stopped: {e}",
            file.display()
        );
        1
    })
}

/// Runs the inspection, writes the result to `out` and errors (and, when `bar`, the progress
/// line) to `err`; returns the exit code.
pub(crate) fn execute(a: &InspectArgs, bar: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let options = a.options();
    let cancel = AtomicBool::new(false);
    let result = {
        let mut on_progress = |p: Progress| {
            if bar {
                let _ = write!(
                    err,
                    "\r\x1b[2Kinspecting {}: {:.1} MB, {} rows",
                    a.file.display(),
                    p.bytes_read as f64 / 1e6,
                    p.rows
                );
                let _ = err.flush();
            }
        };
        // Kept for the load that usually follows (it then reads the file once, not twice).
        sluice_load::infer_cache::inspect_and_keep(
            &a.file,
            &options,
            &mut on_progress,
            &cancel,
            "sluice inspect",
        )
    };
    if bar {
        let _ = write!(err, "\r\x1b[2K");
    }
    match result {
        Ok(i) => {
            if let Some(t) = &a.template {
                if let Err(e) = crate::inspect_template::write_template(&a.file, &options, &i, t) {
                    let _ = writeln!(err, "sluice inspect: the template {}: {e}", t.display());
                    return 1;
                }
            }
            let written = if a.json {
                serde_json::to_string_pretty(&i)
                    .map_err(std::io::Error::other)
                    .and_then(|s| writeln!(out, "{s}"))
            } else {
                print_table(out, &a.file, &i)
            };
            match written {
                Ok(()) => 0,
                Err(e) => {
                    let _ = writeln!(err, "sluice inspect: cannot write the result: {e}");
                    1
                }
            }
        }
        Err(e) => {
            let _ = writeln!(err, "sluice inspect: {e}");
            exit_code(&e)
        }
    }
}

/// 2 for what the user asked that cannot apply, 1 for a file that cannot be read.
fn exit_code(e: &ReadError) -> i32 {
    match e.kind {
        ReadErrorKind::Invalid(_) | ReadErrorKind::SheetNotFound { .. } => 2,
        _ => 1,
    }
}

fn print_table(out: &mut dyn Write, file: &std::path::Path, i: &Inspection) -> std::io::Result<()> {
    let d = &i.detection;
    writeln!(out, "file:      {}", file.display())?;
    match &i.sheet {
        Some(s) => writeln!(
            out,
            "format:    {} (sheet '{s}': {})",
            i.format,
            d.sheet.as_deref().unwrap_or("")
        )?,
        None => writeln!(out, "format:    {}", i.format)?,
    }
    if let Some(enc) = &i.encoding {
        writeln!(
            out,
            "encoding:  {enc} ({})",
            d.encoding.as_deref().unwrap_or("")
        )?;
    }
    if let Some(delim) = &i.delimiter {
        let shown = if delim == "\t" {
            "tab".to_string()
        } else {
            format!("'{delim}'")
        };
        writeln!(
            out,
            "delimiter: {shown} ({})",
            d.delimiter.as_deref().unwrap_or("")
        )?;
        if let Some(q) = d.quote.as_deref().filter(|e| !e.is_empty()) {
            let shown = match &i.quote {
                Some(c) => c.clone(),
                None => "none".to_string(),
            };
            writeln!(out, "quote:     {shown} ({q})")?;
        }
        if let Some(esc) = d.escape.as_deref().filter(|e| !e.is_empty()) {
            writeln!(out, "quotes:    {esc}")?;
        }
    }
    writeln!(
        out,
        "header:    {} ({})",
        if i.has_header { "yes" } else { "no" },
        d.header
    )?;
    writeln!(
        out,
        "rows:      {}{}",
        i.row_count,
        if i.complete {
            ""
        } else {
            " (a sample: the file has more)"
        }
    )?;
    writeln!(out)?;
    let rows: Vec<[String; 5]> = i.columns.iter().map(column_row).collect();
    let head = ["column", "proposed name", "sql type", "null", "evidence"].map(String::from);
    let mut widths = [0usize; 4];
    for r in std::iter::once(&head).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for r in std::iter::once(&head).chain(&rows) {
        let mut line = String::new();
        for (cell, w) in r.iter().zip(widths) {
            line.push_str(&format!("{cell:<w$}  "));
        }
        line.push_str(&r[4]);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn column_row(c: &ColumnSchema) -> [String; 5] {
    [
        c.name.clone(),
        c.proposed_name.clone(),
        c.sql_type.to_string(),
        if c.nullable { "yes" } else { "no" }.to_string(),
        key_evidence(&c.evidence),
    ]
}

/// The figures that matter most for a column, in a line.
fn key_evidence(e: &Evidence) -> String {
    let mut parts = vec![format!("{} values, {} null", e.values, e.nulls)];
    if let (Some(min), Some(max)) = (&e.min, &e.max) {
        parts.push(format!("{min} … {max}"));
    }
    if e.values > 0 && e.max_length > 0 {
        parts.push(format!(
            "longest {} {} (row {})",
            e.max_length, e.length_unit, e.longest_row
        ));
    }
    if let Some(w) = e.widenings.last() {
        parts.push(format!(
            "{} → {} at row {}: {:?}",
            w.from, w.to, w.row, w.value
        ));
    }
    if let Some(o) = &e.date_order {
        parts.push(o.reason.clone());
    }
    if let Some(x) = &e.first_non_ascii {
        parts.push(format!("non-ASCII at row {}", x.row));
    }
    if e.errors > 0 {
        parts.push(format!("{} error cells", e.errors));
    }
    parts.join("; ")
}

#[cfg(test)]
#[path = "inspect_tests.rs"]
mod tests;
