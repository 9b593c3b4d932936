//! Several files into one table: ONE schema inferred over all of them.
//!
//! Every file's records go through one [`Inferrer`], so a type widens across files exactly
//! as it widens inside one (`int` in a.csv and `bigint` in b.csv → `bigint`; `varchar(10)` and
//! `varchar(30)` → `varchar(30)`; dates in a.csv and text in b.csv → text), with no second set
//! of widening rules. Columns are matched across files by header name (by position for files
//! without a header); the combined columns are the first file's, then any new name in file
//! order. A file that lacks a column contributes empty fields to it (so it is nullable), and
//! its summary lists the columns it lacks.
//!
//! Row numbers in the evidence are each file's own (file line or sheet row), and the file is
//! named beside them: in each widening's reason (`… (in b.csv)`), in
//! [`MultiInspection::widenings`], and in the column's notes for the values quoted.
//!
//! The inference needed one addition for this (`Inferrer::name_columns`, as a later file may
//! bring a column): `rows::Combined` presents each file's records to the one inferrer in the
//! combined column order with row numbers unique across the files, and `rows::localise` turns
//! them back afterwards.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sluice_files::infer::{
    default_names, detect_header, header_names, ColumnSchema, HeaderChoice, InferOptions, Inferrer,
    RecordSample,
};
use sluice_files::read_ahead::{with_read_ahead, ReadAheadOptions};
use sluice_files::sheet::CellRange;
use sluice_files::text::TextOptions;
use sluice_files::{Field, ReadError, ReadErrorKind, RowSource};

mod open;
mod rows;
mod settings;
#[cfg(test)]
mod tests;

pub(crate) use rows::Combined;
pub use rows::EvidenceFiles;
use rows::RowMap;

/// Records looked at to decide whether record 1 is a header.
pub const HEADER_SAMPLE: usize = 100;
/// Records between two looks at the cancel flag and the clock.
const CHECK_EVERY: u64 = 4096;
/// At most this often a progress report (about 10 a second).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// How to read every file (the same settings for all).
#[derive(Debug, Clone)]
pub struct MultiFileOptions {
    pub text: TextOptions,
    /// Spreadsheets: the sheet, range and header row (see `SheetOptions`).
    pub sheet: Option<String>,
    pub range: Option<CellRange>,
    pub header_row: Option<u32>,
    /// Whether record 1 of each file is a header (text, and sheets without `header_row`).
    pub header: HeaderChoice,
    pub infer: InferOptions,
}

impl Default for MultiFileOptions {
    fn default() -> Self {
        MultiFileOptions {
            text: TextOptions::default(),
            sheet: None,
            range: None,
            header_row: None,
            header: HeaderChoice::Detect,
            infer: InferOptions::default(),
        }
    }
}

/// One file's part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSummary {
    pub path: PathBuf,
    /// Data records read (header excluded).
    pub rows: u64,
    pub bytes_read: u64,
    pub has_header: bool,
    pub header_evidence: String,
    /// The file's own column names, in its order.
    pub columns: Vec<String>,
    /// Combined columns this file does not have (its rows give them empty fields).
    pub missing_columns: Vec<String>,
}

/// A widening, with the file it happened in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileWidening {
    /// The combined column's name.
    pub column: String,
    pub file: PathBuf,
    /// The row in that file.
    pub row: u64,
    pub from: String,
    pub to: String,
    pub value: String,
}

/// One schema over several files.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiInspection {
    pub files: Vec<FileSummary>,
    /// The combined schema (evidence rows are each file's own; see the module docs).
    pub columns: Vec<ColumnSchema>,
    /// Every widening of every column, in the order they happened, with its file.
    pub widenings: Vec<FileWidening>,
    /// Per column, the files of the other rows its evidence quotes.
    pub evidence_files: Vec<EvidenceFiles>,
    /// Data records over all files.
    pub rows: u64,
}

impl MultiInspection {
    /// For file `k`: which of its fields each combined column is (`None` where the file lacks
    /// the column), placed the way [`infer_files`] placed them (by name, repeats as `name_2`).
    /// The load pass reads each file through this map, so columns match by name there too.
    pub fn field_map(&self, k: usize) -> Vec<Option<usize>> {
        let mut names: Vec<String> = self.columns.iter().map(|c| c.name.clone()).collect();
        let mut map = vec![None; names.len()];
        if let Some(f) = self.files.get(k) {
            for (j, name) in f.columns.iter().enumerate() {
                place(&mut names, &mut map, name, j);
            }
        }
        map
    }

    /// The combined columns as drift compares them, the file named beside each row quoted.
    pub fn found_columns(&self) -> Vec<crate::drift::FoundColumn> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let files = self.evidence_files.get(i).copied().unwrap_or_default();
                let name = |k: Option<usize>| {
                    k.and_then(|k| self.files.get(k))
                        .map(|f| display_name(&f.path))
                };
                crate::drift::FoundColumn::from_schema_in(
                    c,
                    name(files.longest),
                    name(files.integer_digits),
                )
            })
            .collect()
    }
}

/// Where the inference over several files is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MultiProgress {
    /// 0-based index of the file being read, and how many there are.
    pub file: usize,
    pub files: usize,
    /// Records read so far over all files.
    pub rows: u64,
    /// Bytes read of the current file.
    pub bytes_read: u64,
}

/// Infers one schema over `paths`, read in order. `progress` is called at most about 10
/// times a second and once at the end of each file; `cancel` is looked at every few thousand
/// records (a cancelled run returns [`ReadErrorKind::Cancelled`] naming the file and row).
pub fn infer_files(
    paths: &[PathBuf],
    options: &MultiFileOptions,
    progress: &mut dyn FnMut(MultiProgress),
    cancel: &AtomicBool,
) -> Result<MultiInspection, ReadError> {
    let mut names: Vec<String> = Vec::new();
    let mut files = Vec::with_capacity(paths.len());
    let mut inf = Inferrer::new(options.infer.clone(), None);
    let mut row_map = RowMap::default();
    let mut total_rows = 0u64;
    let mut last_report = Instant::now();
    for (k, path) in paths.iter().enumerate() {
        let offset = row_map.start_file();
        let summary = open::with_source(path, options, |opened| {
            let src = opened.rows;
            // The header: the reader's own (a sheet's header row), or decided from a sample.
            let mut sample = RecordSample::default();
            let (has_header, evidence, mut header) = match opened.reader_header {
                Some(h) => (true, "the sheet's header row, as set".to_string(), h),
                None => {
                    while sample.len() < HEADER_SAMPLE && src.advance()? {
                        sample.push_current(&*src);
                    }
                    let records = sample.fields();
                    let decision = detect_header(&records, options.header);
                    let width = records.iter().map(Vec::len).max().unwrap_or(0);
                    let header = match (decision.has_header, records.first()) {
                        (true, Some(first)) => header_names(first),
                        _ => default_names(width),
                    };
                    (decision.has_header, decision.evidence, header)
                }
            };
            // Combined column order: known names keep their place, new ones go last.
            let mut map: Vec<Option<usize>> = vec![None; names.len()];
            for (j, name) in header.iter().enumerate() {
                place(&mut names, &mut map, name, j);
            }
            let mut rows = 0u64;
            let mut last_row = if has_header {
                sample.row_number(0).unwrap_or(0)
            } else {
                0
            };
            // The sampled records first (record 1 too when it is not a header).
            let fields = sample.fields();
            let skip = usize::from(has_header && !fields.is_empty());
            for (i, record) in fields.iter().enumerate().skip(skip) {
                widen_to(&mut names, &mut map, &mut header, record.len());
                let row = sample.row_number(i).unwrap_or(0);
                let reach = rows::width_of(&map, record.len());
                let arranged: Vec<Field<'_>> = map[..reach]
                    .iter()
                    .map(|j| {
                        j.and_then(|j| record.get(j).copied())
                            .unwrap_or(Field::Empty)
                    })
                    .collect();
                inf.observe_fields(offset.saturating_add(row), &arranged);
                last_row = last_row.max(row);
                rows += 1;
            }
            // Then the rest of the file, read and split by a second thread meanwhile.
            let bytes_read = with_read_ahead(src, ReadAheadOptions::default(), |src| {
                let mut combined = Combined {
                    inner: src,
                    map,
                    offset,
                };
                while combined.advance()? {
                    let width = combined.inner.len();
                    if width > header.len() {
                        widen_to(&mut names, &mut combined.map, &mut header, width);
                    }
                    inf.observe(&combined);
                    last_row = last_row.max(combined.inner.row_number());
                    rows += 1;
                    if rows.is_multiple_of(CHECK_EVERY) {
                        if cancel.load(Ordering::Relaxed) {
                            return Err(ReadError {
                                file: path.clone(),
                                byte_offset: Some(combined.bytes_read()),
                                row: Some(combined.inner.row_number()),
                                column: None,
                                kind: ReadErrorKind::Cancelled,
                            });
                        }
                        if last_report.elapsed() >= PROGRESS_EVERY {
                            last_report = Instant::now();
                            progress(MultiProgress {
                                file: k,
                                files: paths.len(),
                                rows: total_rows + rows,
                                bytes_read: combined.bytes_read(),
                            });
                        }
                    }
                }
                Ok(combined.bytes_read())
            })?;
            row_map.end_file(last_row);
            Ok(FileSummary {
                path: path.clone(),
                rows,
                bytes_read,
                has_header,
                header_evidence: evidence,
                columns: header,
                missing_columns: Vec::new(),
            })
        })?;
        total_rows += summary.rows;
        progress(MultiProgress {
            file: k,
            files: paths.len(),
            rows: total_rows,
            bytes_read: summary.bytes_read,
        });
        files.push(summary);
    }
    for f in &mut files {
        f.missing_columns = names
            .iter()
            .filter(|n| !f.columns.contains(n))
            .cloned()
            .collect();
    }
    // Names last: a later file may have brought columns (and the flag rule reads them).
    inf.name_columns(names);
    let mut columns = inf.finish();
    let (widenings, evidence_files) = localise_all(&mut columns, &row_map, paths);
    Ok(MultiInspection {
        files,
        columns,
        widenings,
        evidence_files,
        rows: total_rows,
    })
}

/// The several-files result [`infer_files`] gives for the one file `path`, made from a
/// whole-file inspection of it (`sluice inspect`, the app's inspection), so that the load after
/// an inspection need not read the file for its types again. The caller makes sure the
/// inspection read every row with the load's settings (see `infer_cache::store_inspection`).
pub fn from_inspection(path: &Path, found: &sluice_files::inspect::Inspection) -> MultiInspection {
    let mut row_map = RowMap::default();
    row_map.start_file();
    let mut columns = found.columns.clone();
    let (widenings, evidence_files) = localise_all(
        &mut columns,
        &row_map,
        std::slice::from_ref(&path.to_path_buf()),
    );
    MultiInspection {
        files: vec![FileSummary {
            path: path.to_path_buf(),
            rows: found.row_count,
            bytes_read: found.bytes_read,
            has_header: found.has_header,
            header_evidence: found.detection.header.clone(),
            columns: found.columns.iter().map(|c| c.name.clone()).collect(),
            missing_columns: Vec::new(),
        }],
        columns,
        widenings,
        evidence_files,
        rows: found.row_count,
    }
}

/// Every widening of every column with its file, and each column's evidence turned to rows of
/// its own file (`rows::localise`), the files named as `paths` name them.
fn localise_all(
    columns: &mut [ColumnSchema],
    row_map: &RowMap,
    paths: &[PathBuf],
) -> (Vec<FileWidening>, Vec<EvidenceFiles>) {
    let shown: Vec<String> = paths.iter().map(|p| display_name(p)).collect();
    let mut widenings = Vec::new();
    let mut evidence_files = Vec::with_capacity(columns.len());
    for c in columns {
        for w in &c.evidence.widenings {
            if let Some((k, row)) = row_map.locate(w.row) {
                widenings.push(FileWidening {
                    column: c.name.clone(),
                    file: paths.get(k).cloned().unwrap_or_default(),
                    row,
                    from: w.from.clone(),
                    to: w.to.clone(),
                    value: w.value.clone(),
                });
            }
        }
        evidence_files.push(rows::localise(c, row_map, &shown));
    }
    (widenings, evidence_files)
}

/// Puts the file's column `j`, named `name`, in the combined order: the first combined column
/// of that name this file has not used yet, else a new one (a name a file repeats becomes
/// `name_2`, `name_3` …).
fn place(names: &mut Vec<String>, map: &mut Vec<Option<usize>>, name: &str, j: usize) {
    let mut candidate = name.to_string();
    let mut n = 1;
    loop {
        match names.iter().position(|x| *x == candidate) {
            Some(i) if map.get(i).is_some_and(Option::is_none) => {
                if let Some(slot) = map.get_mut(i) {
                    *slot = Some(j);
                }
                return;
            }
            Some(_) => {
                n += 1;
                candidate = format!("{name}_{n}");
            }
            None => {
                names.push(candidate);
                map.push(Some(j));
                return;
            }
        }
    }
}

/// A record wider than the file's header: its extra fields become columns `columnN` (N the
/// field's 1-based position in the file), as the inference names a header's missing names.
fn widen_to(
    names: &mut Vec<String>,
    map: &mut Vec<Option<usize>>,
    header: &mut Vec<String>,
    width: usize,
) {
    while header.len() < width {
        let j = header.len();
        let name = format!("column{}", j + 1);
        place(names, map, &name, j);
        header.push(name);
    }
}

/// A file as messages name it: its file name (the full path when it has none).
fn display_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
