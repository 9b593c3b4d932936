//! `sluice load FILE… --table [schema.]name (--create | --append | --truncate)`: files into a
//! table through the zero-hop path (`sluice-load`). A progress bar on a terminal (stderr); with
//! `--json`, JSON lines of progress and a last line with the summary (or the error and its
//! account). Exit codes: see [`exit`].

use clap::{ArgGroup, Args};
use serde_json::json;
use sluice_files::text::{EscapeStyle, QuoteSetting};
use sluice_load::template::LoadMode;
use sluice_load::{
    hooks, load, LoadControl, LoadError, LoadErrorKind, LoadProgress, LoadRequest, LoadSummary,
};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Exit codes of `sluice load` (also in the README).
pub mod exit {
    /// Every row loaded.
    pub const OK: i32 = 0;
    /// Bad arguments, or a bad file: unreadable, not fitting the table, too many bad rows.
    pub const BAD_INPUT: i32 = 2;
    /// Loaded, but some rows were rejected (within --max-errors) and are in the reject file.
    pub const REJECTED: i32 = 3;
    /// Could not connect (network, TLS, login) or the connection broke.
    pub const CONNECTION: i32 = 4;
    /// The server refused a statement or a batch.
    pub const SERVER: i32 = 5;
    /// Cancelled (Ctrl-C); the account says what committed.
    pub const CANCELLED: i32 = 130;
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("mode").required(true).args(["create", "append", "truncate"])))]
pub struct LoadArgs {
    /// The files, loaded in order into one table.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// ADO.NET connection string (or set SLUICE_CONNECTION, which keeps the password out of
    /// the process list).
    #[arg(long, short = 'c', env = "SLUICE_CONNECTION", hide_env_values = true)]
    connection: String,
    /// The target table, `[schema.]name` (brackets for odd names: `[my table]`).
    #[arg(long)]
    table: String,
    /// Create the table from the inferred (or mapped) schema; refuses an existing table.
    #[arg(long)]
    create: bool,
    /// Add the rows to the existing table.
    #[arg(long)]
    append: bool,
    /// Empty the existing table, then load.
    #[arg(long)]
    truncate: bool,
    /// A template (JSON) with the mapping: renames, skips, constants, types, NULL rules.
    #[arg(long, value_name = "TEMPLATE.json")]
    map: Option<PathBuf>,
    /// Rows per batch; each batch commits on its own.
    #[arg(long, default_value_t = 100_000)]
    batch_size: u64,
    /// Where skipped rows go (their original bytes, then row, column, value, error).
    #[arg(long, value_name = "PATH")]
    reject_file: Option<PathBuf>,
    /// Skip and report up to N bad rows instead of stopping at the first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    max_errors: u64,
    /// Convert every row against the target and write the reject file, but send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Continue the recorded load of these files into this table.
    #[arg(long)]
    resume: bool,
    /// Load even when the file's columns differ from the template's.
    #[arg(long)]
    allow_drift: bool,
    /// Commit batches without the journal table (for a login that may not create tables);
    /// such a load cannot be resumed.
    #[arg(long)]
    no_journal: bool,
    /// Infer the column types again even when the inference cache holds them for these
    /// unchanged files (from an earlier load, dry run or `sluice inspect`).
    #[arg(long)]
    no_cache: bool,
    /// The sheet of a spreadsheet (name or 1-based position).
    #[arg(long)]
    sheet: Option<String>,
    /// The delimiter of delimited text (one character; `\t` or `tab` for a tab).
    #[arg(long)]
    delimiter: Option<String>,
    /// The text encoding (`utf-8`, `windows-1252`, `utf-16le` …).
    #[arg(long)]
    encoding: Option<String>,
    /// The quote character of delimited text (`"`, `'`), or `none` to read quotes as data.
    #[arg(long, value_name = "C")]
    quote: Option<QuoteSetting>,
    /// How a quote inside quotes is escaped: `\\` (backslash) or `double`.
    #[arg(long, value_name = "C")]
    escape: Option<EscapeStyle>,
    /// JSON lines of progress on stdout, then the summary.
    #[arg(long)]
    json: bool,
}

fn delimiter(s: &str) -> Result<u8, LoadError> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 => Ok(s.as_bytes()[0]),
        _ => Err(LoadError::usage(format!(
            "--delimiter {s:?}: give one ASCII character (or \\t)"
        ))),
    }
}

fn request(a: &LoadArgs) -> Result<LoadRequest, LoadError> {
    let mode = match (a.create, a.append) {
        (true, _) => LoadMode::Create,
        (_, true) => LoadMode::Append,
        _ => LoadMode::Truncate,
    };
    let template = a.map.as_deref().map(hooks::read_template).transpose()?;
    Ok(LoadRequest {
        files: a.files.clone(),
        connection: a.connection.clone(),
        table: a.table.clone(),
        mode,
        template,
        batch_size: a.batch_size,
        reject_file: a.reject_file.clone(),
        max_errors: a.max_errors,
        dry_run: a.dry_run,
        resume: a.resume,
        allow_drift: a.allow_drift,
        journal: !a.no_journal,
        infer_cache: !a.no_cache,
        sheet: a.sheet.clone(),
        delimiter: a.delimiter.as_deref().map(delimiter).transpose()?,
        encoding: a.encoding.clone(),
        quote: a.quote,
        escape: a.escape,
        ..Default::default()
    })
}

pub async fn run(a: LoadArgs) -> i32 {
    let req = match request(&a) {
        Ok(r) => r,
        Err(e) => return report_error(&e, a.json),
    };
    let json = a.json;
    let bar = !json && std::io::stderr().is_terminal();
    let last_line = Arc::new(Mutex::new(false));
    let on_progress: Option<sluice_load::OnProgress> = if json {
        Some(Arc::new(|p: LoadProgress| {
            let line = json!({ "progress": p });
            println!("{line}");
        }))
    } else if bar {
        let drawn = last_line.clone();
        Some(Arc::new(move |p: LoadProgress| {
            draw_bar(&p);
            if let Ok(mut d) = drawn.lock() {
                *d = true;
            }
        }))
    } else {
        None
    };
    let control = LoadControl::default();
    let c2 = control.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\ncancelling …");
            c2.cancel();
        }
    });
    let result = load(req, on_progress, control).await;
    ctrl_c.abort();
    if bar && last_line.lock().is_ok_and(|d| *d) {
        eprintln!();
    }
    match result {
        Ok(s) => report_summary(&s, json),
        Err(e) => report_error(&e, json),
    }
}

fn draw_bar(p: &LoadProgress) {
    let secs = (p.elapsed_ms as f64 / 1000.0).max(0.001);
    let rate = p.rows_read as f64 / secs;
    let (pct, eta) = if p.bytes_total > 0 && p.bytes_read > 0 {
        let f = (p.bytes_read as f64 / p.bytes_total as f64).min(1.0);
        (
            format!("{:5.1}%", f * 100.0),
            format!("ETA {:.0}s", secs * (1.0 - f) / f.max(1e-9)),
        )
    } else {
        (String::new(), String::new())
    };
    let width = 30usize;
    let filled = if p.bytes_total > 0 {
        ((p.bytes_read as f64 / p.bytes_total as f64).min(1.0) * width as f64) as usize
    } else {
        0
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r[{}{}] {pct} {} rows read, {} committed, {} rejected, {:.0} rows/s {eta}   ",
        "#".repeat(filled),
        " ".repeat(width - filled),
        p.rows_read,
        p.rows_committed,
        p.rows_rejected,
        rate
    );
    let _ = err.flush();
}

fn report_summary(s: &LoadSummary, json: bool) -> i32 {
    if json {
        println!("{}", serde_json::to_string(s).unwrap_or_default());
    } else {
        let verb = if s.dry_run { "would load" } else { "loaded" };
        println!(
            "{} rows read, {verb} {}, rejected {} ({} batches, {} ms)",
            s.rows_read, s.rows_loaded, s.rows_rejected, s.batches, s.elapsed_ms
        );
        if s.files.len() > 1 {
            for f in &s.files {
                // A resumed load: what earlier runs committed of the file, beside this run's.
                let before = match (f.rows_loaded_before, f.rows_rejected_before) {
                    (0, 0) => String::new(),
                    (l, r) => format!(" (before the resume: {l} loaded, {r} rejected)"),
                };
                println!(
                    "  {}: {} read, {} loaded, {} rejected{before}",
                    f.path, f.rows_read, f.rows_loaded, f.rows_rejected
                );
            }
        }
        if let Some(r) = &s.reject_file {
            println!("rejected rows: {r}");
        }
        for n in &s.notes {
            println!("note: {n}");
        }
    }
    if s.rows_rejected > 0 {
        exit::REJECTED
    } else {
        exit::OK
    }
}

fn report_error(e: &LoadError, json: bool) -> i32 {
    if json {
        println!("{}", json!({ "error": e }));
    }
    eprintln!("error: {}", e.message);
    if let Some(a) = &e.account {
        eprintln!(
            "account: {} rows read, {} committed in {} batches, {} rejected{}",
            a.rows_read,
            a.rows_committed,
            a.batches_committed,
            a.rows_rejected,
            a.in_doubt_batch
                .map(|b| format!("; batch {b} is in doubt"))
                .unwrap_or_default()
        );
    }
    match e.kind {
        LoadErrorKind::Usage | LoadErrorKind::Input => exit::BAD_INPUT,
        LoadErrorKind::Connection => exit::CONNECTION,
        LoadErrorKind::Server => exit::SERVER,
        LoadErrorKind::Cancelled => exit::CANCELLED,
    }
}

#[cfg(test)]
mod quote_flag_tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        args: LoadArgs,
    }

    fn parse(extra: &[&str]) -> Result<Cmd, clap::Error> {
        let base = [
            "load", "a.csv", "-c", "Server=x", "--table", "t", "--create",
        ];
        Cmd::try_parse_from(base.iter().chain(extra))
    }

    #[test]
    fn quote_and_escape_flags_reach_the_load_request() {
        let r = request(&parse(&["--quote", "'", "--escape", "\\"]).unwrap().args).unwrap();
        assert_eq!(
            (r.quote, r.escape),
            (
                Some(QuoteSetting::Char(b'\'')),
                Some(EscapeStyle::Backslash)
            )
        );
        let r = request(&parse(&["--quote", "none"]).unwrap().args).unwrap();
        assert_eq!((r.quote, r.escape), (Some(QuoteSetting::Off), None));
        let r = request(&parse(&[]).unwrap().args).unwrap();
        assert_eq!((r.quote, r.escape), (None, None));
        let e = parse(&["--quote", "''"]).err().unwrap().to_string();
        assert!(e.contains("is not a quote"), "{e}");
    }
}
