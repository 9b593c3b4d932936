//! `loadFile`: the file loader (`sluice-load`) for the app. The load runs on the Tokio runtime
//! and a worker thread; the JS thread only starts it, receives throttled progress, and may
//! cancel it. Errors carry the committed account, as bulkCopy's do.

use crate::js_error::MARKER;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde_json::json;
use sluice_files::text::{EscapeStyle, QuoteSetting};
use sluice_load::template::LoadMode;
use sluice_load::{hooks, load, LoadControl, LoadError, LoadErrorKind, LoadRequest, LoadSummary};
use std::sync::Arc;
use tokio::sync::{oneshot, Mutex};

/// The options of `sluice load`, camelCase.
#[napi(object)]
pub struct NativeLoadOptions {
    pub files: Vec<String>,
    pub connection: String,
    pub table: String,
    pub create: Option<bool>,
    pub append: Option<bool>,
    pub truncate: Option<bool>,
    /// A template file (JSON) with the mapping.
    pub map: Option<String>,
    pub batch_size: Option<u32>,
    pub reject_file: Option<String>,
    pub max_errors: Option<f64>,
    pub dry_run: Option<bool>,
    pub resume: Option<bool>,
    pub allow_drift: Option<bool>,
    /// `false`: no journal table and no resume (`--no-journal`).
    pub journal: Option<bool>,
    /// `false`: infer the column types again even when the inference cache holds them for
    /// these unchanged files (`--no-cache`).
    pub infer_cache: Option<bool>,
    pub sheet: Option<String>,
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
    /// `"`, `'` (any one ASCII character) or `none`.
    pub quote: Option<String>,
    /// `\\` (backslash) or `double`.
    pub escape: Option<String>,
}

#[napi(object)]
#[derive(Clone, Copy, Default, PartialEq)]
pub struct LoadProgressInfo {
    pub rows_read: f64,
    pub rows_sent: f64,
    pub rows_committed: f64,
    pub rows_rejected: f64,
    pub bytes_read: f64,
    pub bytes_total: f64,
    pub bytes_sent: f64,
    pub batch: f64,
    pub file: f64,
    pub elapsed_ms: f64,
}

#[napi(object)]
pub struct LoadFileCounts {
    pub path: String,
    pub rows_read: f64,
    pub rows_loaded: f64,
    pub rows_rejected: f64,
    /// A resumed load: rows of this file earlier runs loaded (the counts above are this run's).
    pub rows_loaded_before: f64,
    /// A resumed load: rows of this file earlier runs rejected inside committed batches.
    pub rows_rejected_before: f64,
}

#[napi(object)]
pub struct LoadFileResult {
    pub rows_read: f64,
    pub rows_loaded: f64,
    pub rows_rejected: f64,
    pub batches: f64,
    pub elapsed_ms: f64,
    pub dry_run: bool,
    pub files: Vec<LoadFileCounts>,
    pub reject_file: Option<String>,
    pub notes: Vec<String>,
}

pub type LoadProgressFn = ThreadsafeFunction<LoadProgressInfo, (), LoadProgressInfo, Status, false>;

type LoadOutcome = std::result::Result<LoadSummary, LoadError>;

/// A running file load.
#[napi]
pub struct LoadJob {
    control: LoadControl,
    result: Arc<Mutex<Option<oneshot::Receiver<LoadOutcome>>>>,
}

#[napi]
impl LoadJob {
    /// Stops reading and cancels the batch in flight; `result()` then rejects with code ECANCEL
    /// and the account.
    #[napi]
    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// The summary, or an error with `code`, `kind` and the committed account.
    #[napi]
    pub async fn result(&self) -> Result<LoadFileResult> {
        let rx =
            self.result.lock().await.take().ok_or_else(|| {
                Error::new(Status::GenericFailure, "the result was already taken")
            })?;
        match rx.await {
            Ok(Ok(s)) => Ok(summary(s)),
            Ok(Err(e)) => Err(load_error(&e)),
            Err(_) => Err(load_error(&LoadError::input("the load task stopped"))),
        }
    }
}

fn whole(n: Option<f64>, what: &str) -> Result<u64> {
    match n {
        None => Ok(0),
        Some(f) if f == f64::INFINITY => Ok(u64::MAX),
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= 2f64.powi(53) => Ok(f as u64),
        Some(f) => Err(Error::new(
            Status::InvalidArg,
            format!("{what} must be a whole number ≥ 0, got {f}"),
        )),
    }
}

fn request(o: NativeLoadOptions) -> std::result::Result<LoadRequest, LoadError> {
    let flags = [o.create, o.append, o.truncate].map(|f| f.unwrap_or(false));
    let mode = match flags {
        [true, false, false] => LoadMode::Create,
        [false, true, false] => LoadMode::Append,
        [false, false, true] => LoadMode::Truncate,
        _ => {
            return Err(LoadError::usage(
                "give exactly one of create, append and truncate",
            ))
        }
    };
    let delimiter = match o.delimiter.as_deref() {
        None => None,
        Some("\t" | "\\t" | "tab") => Some(b'\t'),
        Some(d) if d.len() == 1 => d.bytes().next(),
        Some(d) => {
            return Err(LoadError::usage(format!(
                "delimiter {d:?}: give one ASCII character"
            )))
        }
    };
    let quote = o
        .quote
        .as_deref()
        .map(str::parse::<QuoteSetting>)
        .transpose()
        .map_err(LoadError::usage)?;
    let escape = o
        .escape
        .as_deref()
        .map(str::parse::<EscapeStyle>)
        .transpose()
        .map_err(LoadError::usage)?;
    let template = o
        .map
        .as_deref()
        .map(|p| hooks::read_template(std::path::Path::new(p)))
        .transpose()?;
    Ok(LoadRequest {
        files: o.files.iter().map(Into::into).collect(),
        connection: o.connection,
        table: o.table,
        mode,
        template,
        batch_size: u64::from(o.batch_size.unwrap_or(100_000)),
        reject_file: o.reject_file.map(Into::into),
        max_errors: whole(o.max_errors, "maxErrors")
            .map_err(|e| LoadError::usage(e.reason.clone()))?,
        dry_run: o.dry_run.unwrap_or(false),
        resume: o.resume.unwrap_or(false),
        allow_drift: o.allow_drift.unwrap_or(false),
        journal: o.journal.unwrap_or(true),
        infer_cache: o.infer_cache.unwrap_or(true),
        sheet: o.sheet,
        delimiter,
        encoding: o.encoding,
        quote,
        escape,
        ..Default::default()
    })
}

/// Starts a load; see `loadFile` in sluice.js.
pub async fn begin(
    options: NativeLoadOptions,
    on_progress: Option<LoadProgressFn>,
) -> Result<LoadJob> {
    let req = request(options).map_err(|e| load_error(&e))?;
    let control = LoadControl::default();
    let (tx, rx) = oneshot::channel();
    let progress: Option<sluice_load::OnProgress> = on_progress.map(|f| {
        let f = Arc::new(f);
        let cb: sluice_load::OnProgress = Arc::new(move |p: sluice_load::LoadProgress| {
            f.call(
                LoadProgressInfo {
                    rows_read: p.rows_read as f64,
                    rows_sent: p.rows_sent as f64,
                    rows_committed: p.rows_committed as f64,
                    rows_rejected: p.rows_rejected as f64,
                    bytes_read: p.bytes_read as f64,
                    bytes_total: p.bytes_total as f64,
                    bytes_sent: p.bytes_sent as f64,
                    batch: p.batch as f64,
                    file: p.file as f64,
                    elapsed_ms: p.elapsed_ms as f64,
                },
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        });
        cb
    });
    let c2 = control.clone();
    tokio::spawn(async move {
        let _ = tx.send(load(req, progress, c2).await);
    });
    Ok(LoadJob {
        control,
        result: Arc::new(Mutex::new(Some(rx))),
    })
}

fn summary(s: LoadSummary) -> LoadFileResult {
    LoadFileResult {
        rows_read: s.rows_read as f64,
        rows_loaded: s.rows_loaded as f64,
        rows_rejected: s.rows_rejected as f64,
        batches: s.batches as f64,
        elapsed_ms: s.elapsed_ms as f64,
        dry_run: s.dry_run,
        files: s
            .files
            .into_iter()
            .map(|f| LoadFileCounts {
                path: f.path,
                rows_read: f.rows_read as f64,
                rows_loaded: f.rows_loaded as f64,
                rows_rejected: f.rows_rejected as f64,
                rows_loaded_before: f.rows_loaded_before as f64,
                rows_rejected_before: f.rows_rejected_before as f64,
            })
            .collect(),
        reject_file: s.reject_file,
        notes: s.notes,
    }
}

/// A load error as the JS wrapper rebuilds it: `code`, `kind`, and the account when rows may
/// have been sent (`rowsCommitted` = what the table holds from this load).
fn load_error(e: &LoadError) -> Error {
    let code = match e.kind {
        LoadErrorKind::Usage => "EUSAGE",
        LoadErrorKind::Input => "EINPUT",
        LoadErrorKind::Connection => "ECONNECTION",
        LoadErrorKind::Server => "ESERVER",
        LoadErrorKind::Cancelled => "ECANCEL",
    };
    let mut detail = json!({ "code": code, "message": e.message, "kind": e.kind });
    if let Some(a) = &e.account {
        detail["rowsRead"] = json!(a.rows_read);
        detail["rowsCommitted"] = json!(a.rows_committed);
        detail["batchesCommitted"] = json!(a.batches_committed);
        detail["rowsRejected"] = json!(a.rows_rejected);
        detail["inDoubtBatch"] = json!(a.in_doubt_batch);
    }
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}
