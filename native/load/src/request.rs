//! What a load is asked to do ([`LoadRequest`], the options of `sluice load` and `loadFile`), how
//! it is cancelled from anywhere ([`LoadControl`]), and how the request reads each file
//! ([`spec`]: the request's settings, else the template's).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sluice_client::bulk::Canceller;
use sluice_files::text::{EscapeStyle, QuoteSetting};

use crate::source::SourceSpec;
use crate::template::{LoadMode, Template};

/// Everything `sluice load` and `loadFile` take.
#[derive(Debug, Clone)]
pub struct LoadRequest {
    pub files: Vec<PathBuf>,
    pub connection: String,
    /// `[schema.]name`, parsed as SQL Server names parse (brackets or quotes for odd names).
    pub table: String,
    pub mode: LoadMode,
    /// `--map`: the mapping (and source settings) from a template.
    pub template: Option<Template>,
    pub batch_size: u64,
    pub reject_file: Option<PathBuf>,
    /// Rows that may be rejected (0: stop at the first bad row).
    pub max_errors: u64,
    pub dry_run: bool,
    pub resume: bool,
    pub allow_drift: bool,
    pub sheet: Option<String>,
    pub delimiter: Option<u8>,
    pub encoding: Option<String>,
    /// The quote character or quoting off (else the template's, else detected).
    pub quote: Option<QuoteSetting>,
    /// How quotes are escaped inside quotes (else detected).
    pub escape: Option<EscapeStyle>,
    pub table_lock: bool,
    /// Commit each batch with a journal row (the default), so that `--resume` can settle a
    /// batch in doubt. `false` (`--no-journal`): no journal table, no state file, no resume.
    pub journal: bool,
    /// Take the column types from the inference cache when the files are unchanged since they
    /// were inferred (see [`crate::infer_cache`]); `false` (`--no-cache`) infers them again.
    pub infer_cache: bool,
}

impl Default for LoadRequest {
    fn default() -> Self {
        LoadRequest {
            files: Vec::new(),
            connection: String::new(),
            table: String::new(),
            mode: LoadMode::Create,
            template: None,
            batch_size: 100_000,
            reject_file: None,
            max_errors: 0,
            dry_run: false,
            resume: false,
            allow_drift: false,
            sheet: None,
            delimiter: None,
            encoding: None,
            quote: None,
            escape: None,
            table_lock: true,
            journal: true,
            infer_cache: true,
        }
    }
}

/// Cancels a load from anywhere: stops reading and cancels the batch in flight (the account
/// then says what committed).
#[derive(Clone, Default)]
pub struct LoadControl {
    pub(crate) cancelled: Arc<AtomicBool>,
    pub(crate) session: Arc<Mutex<Option<Canceller>>>,
}

impl LoadControl {
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        if let Ok(s) = self.session.lock() {
            if let Some(c) = s.as_ref() {
                c.cancel();
            }
        }
    }
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

/// How the request reads `path`: its own settings, else the template's source settings.
pub(crate) fn spec(req: &LoadRequest, path: &std::path::Path) -> SourceSpec {
    let src = req.template.as_ref().map(|t| &t.source);
    SourceSpec {
        path: path.to_path_buf(),
        delimiter: req.delimiter.or_else(|| {
            src.and_then(|s| s.delimiter.as_ref())
                .and_then(|d| d.bytes().next())
        }),
        encoding: req
            .encoding
            .clone()
            .or_else(|| src.and_then(|s| s.encoding.clone())),
        // A template's quote was checked when it was read; one that does not parse is left to
        // detection.
        quote: req.quote.or_else(|| {
            src.and_then(|s| s.quote.as_deref())
                .and_then(|q| q.parse().ok())
        }),
        escape: req.escape,
        sheet: req
            .sheet
            .clone()
            .or_else(|| src.and_then(|s| s.sheet.clone())),
        has_header: src.and_then(|s| s.header_row).map(|h| h > 0),
        resume_offset: None,
    }
}
