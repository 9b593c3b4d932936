//! `preview` and `inspect` underneath: sluice-files' entry points run on Tokio's blocking pool,
//! never on the JS thread. Results travel as JSON text that `native/sluice.js` parses (their
//! evidence is a deep, evolving structure; `native/sluice.d.ts` types it). Progress comes back
//! through a thread-safe function (the core calls it at most every 100 ms); cancelling sets the
//! flag the core checks every thousand rows or so.

// napi registers the exports below only outside `cfg(test)`; the unit-test build sees them unused.
#![cfg_attr(test, allow(dead_code))]

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde_json::json;
use sluice_files::inspect::{self, HeaderSetting, Options};
use sluice_files::text::{EscapeStyle, QuoteSetting};
use sluice_files::{ReadError, ReadErrorKind};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::js_error::MARKER;

/// The overrides, as the JS wrapper passes them (it turns a sheet number into digits).
#[napi(object)]
pub struct NativeFileOptions {
    pub sheet: Option<String>,
    pub range: Option<String>,
    pub header_row: Option<u32>,
    pub no_header: Option<bool>,
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
    /// `"`, `'` (any one ASCII character) or `none`.
    pub quote: Option<String>,
    /// `\\` (backslash) or `double`.
    pub escape: Option<String>,
    pub sample: Option<f64>,
    pub null_tokens: Option<Vec<String>>,
    pub preview_rows: Option<u32>,
    /// The target collation's code page (`1252`, `65001`, `windows-1250` …).
    pub code_page: Option<String>,
}

#[napi(object)]
#[derive(Clone, Copy)]
pub struct FileProgress {
    pub bytes_read: f64,
    pub rows: f64,
}

fn invalid_arg(message: String) -> Error {
    let detail = json!({ "code": "EARG", "message": message });
    Error::new(Status::InvalidArg, format!("{MARKER}{detail}"))
}

fn to_options(o: Option<NativeFileOptions>) -> Result<Options> {
    let Some(o) = o else {
        return Ok(Options::default());
    };
    let delimiter = match o.delimiter.as_deref() {
        None => None,
        Some("\t" | "\\t" | "tab") => Some(b'\t'),
        Some(s) => match s.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\r' | b'\n') => Some(*b),
            _ => {
                return Err(invalid_arg(format!(
                    "delimiter must be one ASCII character other than a quote or newline, got {s:?}"
                )))
            }
        },
    };
    let quote = o
        .quote
        .as_deref()
        .map(str::parse::<QuoteSetting>)
        .transpose()
        .map_err(invalid_arg)?;
    let escape = o
        .escape
        .as_deref()
        .map(str::parse::<EscapeStyle>)
        .transpose()
        .map_err(invalid_arg)?;
    let header = match (o.header_row, o.no_header.unwrap_or(false)) {
        (Some(_), true) => {
            return Err(invalid_arg(
                "headerRow and noHeader contradict each other".to_string(),
            ))
        }
        (Some(0), false) => return Err(invalid_arg("headerRow is 1-based".to_string())),
        (Some(n), false) => HeaderSetting::Row(n),
        (None, true) => HeaderSetting::Absent,
        (None, false) => HeaderSetting::Detect,
    };
    let sample = match o.sample {
        None => None,
        Some(n) if n == f64::INFINITY => None,
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 2f64.powi(53) => Some(n as u64),
        Some(n) => {
            return Err(invalid_arg(format!(
                "sample must be a whole number ≥ 1, got {n}"
            )))
        }
    };
    Ok(Options {
        sheet: o.sheet,
        range: o.range,
        header,
        delimiter,
        encoding: o.encoding,
        quote,
        escape,
        sample,
        null_tokens: o.null_tokens,
        preview_rows: o.preview_rows.map(|n| n as usize),
        varchar_code_page: o.code_page,
    })
}

/// A read error as a JS error: code EFILE (ECANCEL when cancelled) with the file, row,
/// column and byte offset where known, and what kind of failure it was.
pub(crate) fn file_error(e: &ReadError) -> Error {
    let kind = match &e.kind {
        ReadErrorKind::Io(_) => "io",
        ReadErrorKind::Empty => "empty",
        ReadErrorKind::Binary(_) => "binary",
        ReadErrorKind::InvalidEncoding { .. } => "encoding",
        ReadErrorKind::UnterminatedQuote => "unterminatedQuote",
        ReadErrorKind::FieldTooLong { .. } => "fieldTooLong",
        ReadErrorKind::TooManyFields { .. } => "tooManyFields",
        ReadErrorKind::Workbook(_) => "workbook",
        ReadErrorKind::Encrypted => "encrypted",
        ReadErrorKind::SheetNotFound { .. } => "sheetNotFound",
        ReadErrorKind::Invalid(_) => "invalid",
        ReadErrorKind::Cancelled => "cancelled",
    };
    let code = if e.kind == ReadErrorKind::Cancelled {
        "ECANCEL"
    } else {
        "EFILE"
    };
    let detail = json!({
        "code": code,
        "message": e.to_string(),
        "kind": kind,
        "file": e.file.display().to_string(),
        "row": e.row,
        "column": e.column,
        "byteOffset": e.byte_offset,
    });
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}

fn stopped(e: impl std::fmt::Display) -> Error {
    let detail = json!({ "code": "EFILE", "message": format!("the file task stopped: {e}") });
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(stopped)
}

/// The first rows of a file with the detected settings, as JSON text.
#[napi]
pub async fn preview_file(path: String, options: Option<NativeFileOptions>) -> Result<String> {
    let options = to_options(options)?;
    let done = spawn_blocking(move || inspect::preview(PathBuf::from(path).as_path(), &options))
        .await
        .map_err(stopped)?;
    match done {
        Ok(p) => to_json(&p),
        Err(e) => Err(file_error(&e)),
    }
}

/// A whole-file inspection running on the blocking pool.
#[napi]
pub struct FileInspection {
    cancel: Arc<AtomicBool>,
    task: Mutex<Option<JoinHandle<std::result::Result<inspect::Inspection, ReadError>>>>,
}

/// Starts inspecting `path`; `onProgress` gets `{ bytesRead, rows }` at most ten times a second.
#[napi]
pub fn inspect_file(
    path: String,
    options: Option<NativeFileOptions>,
    on_progress: Option<ThreadsafeFunction<FileProgress, (), FileProgress, Status, false>>,
) -> Result<FileInspection> {
    let options = to_options(options)?;
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let task = spawn_blocking(move || {
        let mut report = |p: inspect::Progress| {
            if let Some(f) = &on_progress {
                let info = FileProgress {
                    bytes_read: p.bytes_read as f64,
                    rows: p.rows as f64,
                };
                f.call(info, ThreadsafeFunctionCallMode::NonBlocking);
            }
        };
        // Kept for the load that usually follows (it then reads the file once, not twice).
        sluice_load::infer_cache::inspect_and_keep(
            PathBuf::from(path).as_path(),
            &options,
            &mut report,
            &flag,
            "an inspection (the app's, or inspect() from JavaScript)",
        )
    });
    Ok(FileInspection {
        cancel,
        task: Mutex::new(Some(task)),
    })
}

#[napi]
impl FileInspection {
    /// Asks the inspection to stop; `result()` then rejects with code ECANCEL (unless it had
    /// already finished).
    #[napi]
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The inspection as JSON text. Resolves once; a second call rejects.
    #[napi]
    pub async fn result(&self) -> Result<String> {
        let task = self.task.lock().await.take();
        let Some(task) = task else {
            return Err(stopped("result() was already taken"));
        };
        match task.await.map_err(stopped)? {
            Ok(i) => to_json(&i),
            Err(e) => Err(file_error(&e)),
        }
    }
}

impl Drop for FileInspection {
    /// Garbage-collected without an answer awaited: nobody wants the rest of the file read.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
