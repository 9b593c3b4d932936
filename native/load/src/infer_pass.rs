//! The inference pass of a load: [`infer_files`] over every file in order (the one several-files
//! inference: columns matched by header name, types widened across files, evidence naming the
//! file and row), and what the load pass needs from it to read each file the same way.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use sluice_files::infer::{ColumnSchema, HeaderChoice};
use sluice_files::ReadErrorKind;

use crate::infer_cache::{self, ReadSettings};
use crate::multi_file::{infer_files, MultiFileOptions};
use crate::row_pass::cancelled;
use crate::source::{read_error, with_source, SourceSpec};
use crate::summary::LoadError;

/// How the load pass reads one file: its header decision and, per combined column, which of
/// the file's fields it is (`None`: the file lacks it, its rows give NULL there).
#[derive(Debug, Clone)]
pub(crate) struct FilePlan {
    pub has_header: bool,
    pub field_map: Vec<Option<usize>>,
}

/// What the inference pass learned.
pub(crate) struct Inferred {
    pub schema: Vec<ColumnSchema>,
    pub raw_header: Option<Vec<u8>>,
    pub delimiter: u8,
    pub notes: Vec<String>,
    pub files: Vec<FilePlan>,
}

impl Inferred {
    /// What a resume checks it goes on with: the template and each column's type and
    /// conversion rule — what decides the rows' values — not the evidence's wording (an
    /// inspection and a load may word a note differently).
    pub(crate) fn mapping_sha(&self, template: Option<&crate::template::Template>) -> String {
        let columns: Vec<_> = self
            .schema
            .iter()
            .map(|c| {
                (
                    &c.name,
                    &c.proposed_name,
                    c.sql_type,
                    c.nullable,
                    c.rule.date_order,
                    c.rule.nulls.tokens(),
                    c.rule.nulls.empty_is_null,
                )
            })
            .collect();
        crate::state_file::mapping_hash(&(template, &columns))
    }
}

/// Infers one schema over `specs` (every spec carries the same reading settings; the first's
/// are used) — or takes it from the inference cache when `use_cache` and the files are
/// unchanged since it was inferred — then opens the first file once more for the reject
/// file's header and delimiter.
pub(crate) fn infer(
    specs: &[SourceSpec],
    cancel: &AtomicBool,
    use_cache: bool,
) -> Result<Inferred, LoadError> {
    let Some(first) = specs.first() else {
        return Err(LoadError::usage("no file to load"));
    };
    let options = MultiFileOptions {
        text: first.text_options(),
        sheet: first.sheet.clone(),
        header: match first.has_header {
            None => HeaderChoice::Detect,
            Some(true) => HeaderChoice::Present,
            Some(false) => HeaderChoice::Absent,
        },
        ..Default::default()
    };
    let paths: Vec<PathBuf> = specs.iter().map(|s| s.path.clone()).collect();
    let use_cache = use_cache && infer_cache::enabled_by_env();
    let settings = ReadSettings::of_spec(first);
    let dir = infer_cache::cache_dir();
    let mut notes = Vec::new();
    let hit = if use_cache {
        infer_cache::lookup(&dir, &paths, &settings)
    } else {
        None
    };
    let mut keep = None;
    let found = match hit {
        Some(hit) => {
            let (the_file, is) = if paths.len() == 1 {
                ("the file", "is")
            } else {
                ("the files", "are")
            };
            notes.push(format!(
                "column types from the inference cache: {} read every row of {the_file}, which {is} \
                 unchanged since (size, modification time, first MiB), so this load read it once; \
                 --no-cache (inferCache: false) infers them again",
                hit.by
            ));
            hit.inspection
        }
        None => {
            // Identities taken before reading: a file changing meanwhile never matches them.
            keep = use_cache
                .then(|| infer_cache::identities_now(&paths))
                .flatten();
            infer_files(&paths, &options, &mut |_| {}, cancel).map_err(|e| {
                if matches!(e.kind, ReadErrorKind::Cancelled) {
                    cancelled()
                } else {
                    read_error(e)
                }
            })?
        }
    };
    let files: Vec<FilePlan> = found
        .files
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let mut field_map = found.field_map(k);
            field_map.truncate(found.columns.len());
            FilePlan {
                has_header: f.has_header,
                field_map,
            }
        })
        .collect();
    let first_spec = SourceSpec {
        has_header: files.first().map(|f| f.has_header),
        ..first.clone()
    };
    let (raw_header, delimiter, mut read_as) = with_source(&first_spec, |_, info| {
        Ok((
            info.raw_header.clone(),
            info.delimiter,
            info.read_as.clone(),
        ))
    })?;
    if let Some(ids) = keep {
        // The header decision, when every file's agrees (else a given one never matches).
        let first_header = files.first().map(|f| f.has_header);
        read_as.has_header = first_header.filter(|h| files.iter().all(|f| f.has_header == *h));
        infer_cache::store(
            &dir,
            &ids,
            &settings,
            &read_as,
            &found,
            "an earlier load or dry run",
        );
    }
    if specs.len() > 1 {
        notes.push(format!(
            "one schema inferred over all {} files (columns matched by name, types widened across them)",
            specs.len()
        ));
        for f in &found.files {
            notes.push(format!(
                "{}: {} data rows read by the inference ({})",
                f.path.display(),
                f.rows,
                f.header_evidence
            ));
            if !f.missing_columns.is_empty() {
                notes.push(format!(
                    "{} has no column {} (loaded as NULL)",
                    f.path.display(),
                    f.missing_columns.join(", ")
                ));
            }
        }
        for w in &found.widenings {
            notes.push(format!(
                "{} widened from {} to {} at {} row {} ({:?})",
                w.column,
                w.from,
                w.to,
                w.file.display(),
                w.row,
                w.value
            ));
        }
    }
    Ok(Inferred {
        schema: found.columns,
        raw_header,
        delimiter,
        notes,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multi_file::{infer_files, MultiFileOptions};
    use sluice_files::infer::SqlType;

    fn inferred(text: &str) -> Inferred {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f.csv");
        std::fs::write(&f, text).unwrap();
        let found = infer_files(
            &[f],
            &MultiFileOptions::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        Inferred {
            schema: found.columns,
            raw_header: None,
            delimiter: b',',
            notes: Vec::new(),
            files: Vec::new(),
        }
    }

    /// A resume goes on when the columns' types and rules are the same, whatever the evidence
    /// says; another type is another mapping.
    #[test]
    fn the_mapping_a_resume_checks_is_the_types_and_rules_not_the_evidence() {
        let a = inferred("id,name\n1,ann\n2,bob\n");
        let mut worded = inferred("id,name\n1,ann\n2,bob\n");
        for c in &mut worded.schema {
            c.evidence.notes.push("worded another way".into());
            c.evidence.distinct.clear();
        }
        assert_eq!(a.mapping_sha(None), worded.mapping_sha(None));
        let mut retyped = inferred("id,name\n1,ann\n2,bob\n");
        retyped.schema[0].sql_type = SqlType::BigInt;
        retyped.schema[0].rule.sql_type = SqlType::BigInt;
        assert_ne!(a.mapping_sha(None), retyped.mapping_sha(None));
        let mut renamed = inferred("id,name\n1,ann\n2,bob\n");
        renamed.schema[1].proposed_name = "who".into();
        assert_ne!(a.mapping_sha(None), renamed.mapping_sha(None));
    }
}
