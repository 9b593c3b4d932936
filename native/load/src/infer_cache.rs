//! The inference cache: a load of a file whose types were already inferred — by an earlier
//! load, a dry run, or `sluice inspect` / the app's whole-file inspection — reads it once, not
//! twice.
//!
//! # Why it is safe
//! An entry is keyed by the files' identities (canonical path, size, modification time in
//! nanoseconds, SHA-256 of the first MiB — the identity `--resume` trusts) and by the build's
//! inference rules ([`INFER_RULES`]). It is used only when every file still has the identity
//! it was read with, and when the load reads the files as that inference did: each setting
//! that changes what the inference sees (delimiter, encoding, quote, escape, sheet, header) is
//! the one given then, or, where that one was detected, the value detected — so the settings a
//! template made by `sluice inspect --template` spells out still match the inspection. A file
//! rewritten in place while keeping its size and modification time to the
//! nanosecond would escape that; even then nothing is loaded silently wrong: the load pass
//! converts every value under the column's rule, and a value that does not fit is a rejected
//! row naming its row, column and value, never a changed one.
//!
//! # Where it lives
//! `<state dir>/inferred/<key>.json` (the state dir of `state_file`), at most
//! [`MAX_ENTRIES`] entries (the oldest are removed). Writing is best effort: a cache that
//! cannot be written costs the next load its inference pass, nothing more.
//! `SLUICE_INFER_CACHE=0`, `--no-cache` or `LoadRequest::infer_cache = false` skip it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sluice_files::infer::{ColumnRule, ColumnSchema, DateOrder, Evidence, NullPolicy, SqlType};
use sluice_files::inspect::{HeaderSetting, Inspection, Options as InspectOptions};
use sluice_files::text::{EscapeStyle, QuoteSetting};

use crate::multi_file::{
    from_inspection, EvidenceFiles, FileSummary, FileWidening, MultiInspection,
};
use crate::source::SourceSpec;
use crate::state_file::{sha256_hex, state_dir, FileIdentity};

/// The entry format; a change to it bumps it.
pub const CACHE_VERSION: u32 = 1;
/// The inference rules of this build (a hash of their sources, see `build.rs`): an entry
/// another build wrote is not taken, so a changed inference never meets a stale one.
pub const INFER_RULES: &str = env!("SLUICE_INFER_RULES");
/// Entries kept.
pub const MAX_ENTRIES: usize = 64;

/// How files are read: the settings a caller gave (`None`: detected), or — as an entry's
/// `effective` settings — what the reading used in the end. Spelled one way whatever the
/// source (a command-line flag, a template, an inspection).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadSettings {
    pub delimiter: Option<u8>,
    /// Lower case (`utf-8`, `windows-1252`).
    pub encoding: Option<String>,
    /// The quote character, or `none` for quoting off.
    pub quote: Option<String>,
    /// `double` or `backslash`.
    pub escape: Option<String>,
    pub sheet: Option<String>,
    pub has_header: Option<bool>,
}

impl ReadSettings {
    /// The settings a load's source spec gives.
    pub fn of_spec(spec: &SourceSpec) -> ReadSettings {
        ReadSettings::new(
            spec.delimiter,
            spec.encoding.as_deref(),
            spec.quote,
            spec.escape,
            spec.sheet.clone(),
            spec.has_header,
        )
    }

    pub fn new(
        delimiter: Option<u8>,
        encoding: Option<&str>,
        quote: Option<QuoteSetting>,
        escape: Option<EscapeStyle>,
        sheet: Option<String>,
        has_header: Option<bool>,
    ) -> ReadSettings {
        ReadSettings {
            delimiter,
            encoding: encoding.map(|e| e.trim().to_ascii_lowercase()),
            quote: quote.map(|q| match q {
                QuoteSetting::Char(b) => char::from(b).to_string(),
                QuoteSetting::Off => "none".to_string(),
            }),
            escape: escape.map(|e| match e {
                EscapeStyle::Doubled => "double".to_string(),
                EscapeStyle::Backslash => "backslash".to_string(),
            }),
            sheet,
            has_header,
        }
    }

    /// True when reading with `self` reads as an entry inferred with `given` did, which in the
    /// end read with `effective`: each setting is the one given then, or — where it was
    /// detected then — the value detected (detection of the same bytes by the same build
    /// finds it again, so giving it changes nothing).
    fn reads_as(&self, given: &ReadSettings, effective: &ReadSettings) -> bool {
        fn same<T: PartialEq>(now: &Option<T>, given: &Option<T>, effective: &Option<T>) -> bool {
            now == given || (given.is_none() && now.is_some() && now == effective)
        }
        same(&self.delimiter, &given.delimiter, &effective.delimiter)
            && same(&self.encoding, &given.encoding, &effective.encoding)
            && same(&self.quote, &given.quote, &effective.quote)
            && same(&self.escape, &given.escape, &effective.escape)
            && same(&self.sheet, &given.sheet, &effective.sheet)
            && same(&self.has_header, &given.has_header, &effective.has_header)
    }
}

/// A column as the cache keeps it: the schema and the rule the loader converts with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CachedColumn {
    name: String,
    proposed_name: String,
    sql_type: SqlType,
    nullable: bool,
    evidence: Evidence,
    date_order: DateOrder,
    null_tokens: Vec<String>,
    empty_is_null: bool,
}

impl From<&ColumnSchema> for CachedColumn {
    fn from(c: &ColumnSchema) -> Self {
        CachedColumn {
            name: c.name.clone(),
            proposed_name: c.proposed_name.clone(),
            sql_type: c.sql_type,
            nullable: c.nullable,
            evidence: c.evidence.clone(),
            date_order: c.rule.date_order,
            null_tokens: c.rule.nulls.tokens().to_vec(),
            empty_is_null: c.rule.nulls.empty_is_null,
        }
    }
}

impl From<CachedColumn> for ColumnSchema {
    fn from(c: CachedColumn) -> Self {
        ColumnSchema {
            rule: ColumnRule {
                sql_type: c.sql_type,
                date_order: c.date_order,
                nulls: NullPolicy::new(c.null_tokens, c.empty_is_null),
            },
            name: c.name,
            proposed_name: c.proposed_name,
            sql_type: c.sql_type,
            nullable: c.nullable,
            evidence: c.evidence,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    version: u32,
    /// The files as they were read, checked again on use.
    identities: Vec<FileIdentity>,
    /// The settings the inference was given, and those it read with in the end.
    given: ReadSettings,
    effective: ReadSettings,
    /// Who inferred it (`a load`, `sluice inspect` …), for the load's note.
    by: String,
    files: Vec<FileSummary>,
    columns: Vec<CachedColumn>,
    widenings: Vec<FileWidening>,
    evidence_files: Vec<EvidenceFiles>,
    rows: u64,
}

/// Where entries go: `<state dir>/inferred`.
pub fn cache_dir() -> PathBuf {
    state_dir().join("inferred")
}

/// False when `SLUICE_INFER_CACHE=0` turns the cache off for this process.
pub fn enabled_by_env() -> bool {
    std::env::var_os("SLUICE_INFER_CACHE").is_none_or(|v| v != "0")
}

/// The entry's file name for these files (one entry per set of files: the last inference).
fn key(identities: &[FileIdentity]) -> String {
    let text = serde_json::to_vec(&(CACHE_VERSION, INFER_RULES, identities)).unwrap_or_default();
    let mut hex = sha256_hex(&text);
    hex.truncate(32);
    hex
}

/// Identities of `paths` now (`None` when a file cannot be read).
pub fn identities_now(paths: &[PathBuf]) -> Option<Vec<FileIdentity>> {
    paths.iter().map(|p| FileIdentity::of(p).ok()).collect()
}

/// What a hit gives: the inference, and who made it.
pub struct Hit {
    pub inspection: MultiInspection,
    pub by: String,
}

/// The cached inference of `paths` read with `settings`, when every file is unchanged and
/// `settings` read them as that inference did.
pub fn lookup(dir: &Path, paths: &[PathBuf], settings: &ReadSettings) -> Option<Hit> {
    let ids = identities_now(paths)?;
    let text = std::fs::read(dir.join(format!("{}.json", key(&ids)))).ok()?;
    let entry: Entry = serde_json::from_slice(&text).ok()?;
    if entry.version != CACHE_VERSION
        || entry.identities != ids
        || entry.files.len() != paths.len()
        || !settings.reads_as(&entry.given, &entry.effective)
    {
        return None;
    }
    // The paths as this load names them (the entry may have been written under other names
    // of the same files).
    let mut files = entry.files;
    for (f, p) in files.iter_mut().zip(paths) {
        f.path = p.clone();
    }
    let mut widenings = entry.widenings;
    for w in &mut widenings {
        if let Some(k) = entry.identities.iter().position(|id| id.path == w.file) {
            if let Some(p) = paths.get(k) {
                w.file = p.clone();
            }
        }
    }
    Some(Hit {
        inspection: MultiInspection {
            files,
            columns: entry.columns.into_iter().map(ColumnSchema::from).collect(),
            widenings,
            evidence_files: entry.evidence_files,
            rows: entry.rows,
        },
        by: entry.by,
    })
}

/// Keeps `found`, inferred with the settings `given` and read in the end with `effective`, for
/// later loads of the same files. Best effort: returns whether it was written. `identities`
/// are the files' identities taken BEFORE the inference read them (a file that changed
/// meanwhile then no longer matches, and the entry is never used).
pub fn store(
    dir: &Path,
    identities: &[FileIdentity],
    given: &ReadSettings,
    effective: &ReadSettings,
    found: &MultiInspection,
    by: &str,
) -> bool {
    let entry = Entry {
        version: CACHE_VERSION,
        identities: identities.to_vec(),
        given: given.clone(),
        effective: effective.clone(),
        by: by.to_string(),
        files: found.files.clone(),
        columns: found.columns.iter().map(CachedColumn::from).collect(),
        widenings: found
            .widenings
            .iter()
            .map(|w| {
                let mut w = w.clone();
                if let Some(id) = identities
                    .iter()
                    .zip(&found.files)
                    .find(|(_, f)| f.path == w.file)
                    .map(|(id, _)| id)
                {
                    w.file = id.path.clone();
                }
                w
            })
            .collect(),
        evidence_files: found.evidence_files.clone(),
        rows: found.rows,
    };
    let Ok(text) = serde_json::to_vec(&entry) else {
        return false;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let path = dir.join(format!("{}.json", key(identities)));
    // A name of this writer's own: two loads storing the same entry at once never mix bytes.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("{}-{n}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_ok();
    if !written {
        let _ = std::fs::remove_file(&tmp);
    }
    prune(dir, MAX_ENTRIES);
    written
}

/// Keeps a whole-file inspection of `path` (`sluice inspect`, the app's inspection) for the
/// load after it — when the inspection read the file as a load reads it: every row, the
/// default NULL tokens, no target code page, no cell range, the header detected or absent.
/// `identity` is the file's, taken before the inspection read it. Returns whether it was kept.
pub fn store_inspection(
    dir: &Path,
    identity: &FileIdentity,
    path: &Path,
    options: &InspectOptions,
    found: &Inspection,
    by: &str,
) -> bool {
    let has_header = match options.header {
        HeaderSetting::Detect => None,
        HeaderSetting::Absent => Some(false),
        HeaderSetting::Row(_) => return false,
    };
    if !found.complete
        || options.sample.is_some()
        || options.null_tokens.is_some()
        || options.varchar_code_page.is_some()
        || options.range.is_some()
    {
        return false;
    }
    let given = ReadSettings::new(
        options.delimiter,
        options.encoding.as_deref(),
        options.quote,
        options.escape,
        options.sheet.clone(),
        has_header,
    );
    let text = found.sheet.is_none();
    let effective = ReadSettings::new(
        found
            .delimiter
            .as_deref()
            .and_then(|d| d.bytes().next())
            .filter(|_| text),
        found.encoding.as_deref().filter(|_| text),
        text.then(|| {
            found
                .quote
                .as_deref()
                .and_then(|q| q.bytes().next())
                .map_or(QuoteSetting::Off, QuoteSetting::Char)
        }),
        found.escape.filter(|_| text),
        found.sheet.clone(),
        Some(found.has_header),
    );
    let multi = from_inspection(path, found);
    store(
        dir,
        std::slice::from_ref(identity),
        &given,
        &effective,
        &multi,
        by,
    )
}

/// [`sluice_files::inspect::inspect`], keeping a whole-file result in the cache (unless
/// `SLUICE_INFER_CACHE=0`) for the load that usually follows: `sluice inspect` and the app's
/// inspection both go through here. `by` names the inspection in the load's note.
pub fn inspect_and_keep(
    path: &Path,
    options: &InspectOptions,
    on_progress: &mut dyn FnMut(sluice_files::inspect::Progress),
    cancel: &std::sync::atomic::AtomicBool,
    by: &str,
) -> Result<Inspection, sluice_files::ReadError> {
    let before = enabled_by_env()
        .then(|| FileIdentity::of(path).ok())
        .flatten();
    let found = sluice_files::inspect::inspect(path, options, on_progress, cancel)?;
    if let Some(id) = before {
        store_inspection(&cache_dir(), &id, path, options, &found, by);
    }
    Ok(found)
}

/// Removes the oldest entries beyond `keep`, and what a writer that died left (a `.tmp` file
/// older than an hour).
fn prune(dir: &Path, keep: usize) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let dated: Vec<(std::time::SystemTime, PathBuf)> = read
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for (t, p) in &dated {
        if p.extension().is_some_and(|x| x == "tmp") && *t < hour_ago {
            let _ = std::fs::remove_file(p);
        }
    }
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = dated
        .into_iter()
        .filter(|(_, p)| p.extension().is_some_and(|x| x == "json"))
        .collect();
    if entries.len() <= keep {
        return;
    }
    entries.sort();
    let excess = entries.len() - keep;
    for (_, p) in entries.into_iter().take(excess) {
        let _ = std::fs::remove_file(p);
    }
}

#[cfg(test)]
#[path = "infer_cache_tests.rs"]
mod tests;
