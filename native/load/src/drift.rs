//! Schema drift: the file in hand against the columns a template expects. Loading with drift
//! is refused before anything is sent, with the list of differences, unless the user allows
//! it (`--allow-drift`); [`check`] is what the load runner calls.
//!
//! How columns are matched:
//! 1. By name, exactly as written in the header. A matched column whose place among the
//!    other matched columns changed is [`Drift::Moved`], which does not block: the loader finds
//!    source columns by name.
//! 2. The columns left over on both sides are paired as **renamed** when they sit in the same
//!    place — between the same two columns that kept their names — as the only leftovers
//!    there (or as many on each side, paired in order), and the file's values still fit the
//!    expected type (always so when only the header was read). A leftover that cannot be
//!    paired this way is [`Drift::Missing`] (template side) or [`Drift::Added`] (file side).
//! 3. A matched or renamed column whose inferred type no longer fits the expected type is
//!    [`Drift::TypeWidened`] (`int` → `bigint`, `varchar(20)` → `varchar(37)`, `date` →
//!    `nvarchar(12)`); see `drift/fits.rs` for what "fits" means. One that now holds NULLs where the
//!    template expected none is [`Drift::NowNullable`], which blocks only when the mapped
//!    target column is NOT NULL (those rows would be rejected).

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;
use sluice_files::infer::{ColumnSchema, SqlType};

use crate::template::Template;

mod fits;
#[cfg(test)]
mod tests;

/// A column as the file has it now.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundColumn {
    pub name: String,
    /// The inferred type; `None` when only the header was read.
    pub sql_type: Option<SqlType>,
    pub nullable: bool,
    /// The longest value as written (bytes; UTF-16 units for `nvarchar`).
    pub max_length: u64,
    /// Smallest and largest value as the inference reports them (numbers and dates).
    pub min: Option<String>,
    pub max: Option<String>,
    /// Which value made the type what it is, for the message (`row 17: "12345.67"`).
    pub because: Option<String>,
}

impl FoundColumn {
    /// A column known by its header name only.
    pub fn named(name: impl Into<String>) -> FoundColumn {
        FoundColumn {
            name: name.into(),
            sql_type: None,
            nullable: true,
            max_length: 0,
            min: None,
            max: None,
            because: None,
        }
    }

    /// A column as the inference proposed it, with its evidence.
    pub fn from_schema(c: &ColumnSchema) -> FoundColumn {
        FoundColumn::from_schema_in(c, None, None)
    }

    /// Like [`FoundColumn::from_schema`] for a column inferred over several files: the files
    /// holding the longest value and the value with the most integer digits, to name them.
    pub fn from_schema_in(
        c: &ColumnSchema,
        longest_in: Option<String>,
        digits_in: Option<String>,
    ) -> FoundColumn {
        let e = &c.evidence;
        let in_file = |f: Option<String>| f.map(|f| format!(" of {f}")).unwrap_or_default();
        let widening = |w: &sluice_files::infer::evidence::Widening| {
            format!("row {}: {:?} ({})", w.row, w.value, w.reason)
        };
        let longest = || {
            format!(
                "the longest value ({} {}) is on row {}{}",
                e.max_length,
                e.length_unit,
                e.longest_row,
                in_file(longest_in.clone())
            )
        };
        let because = match (c.sql_type, &e.decimal) {
            (SqlType::Decimal { .. }, Some(d)) => Some(format!(
                "{} digits before the point on row {}{}",
                d.integer_digits,
                d.integer_digits_row,
                in_file(digits_in)
            )),
            // Text: the value that made it text (if one did), and where the longest is.
            (t, _) if t.is_text() && e.longest_row > 0 => {
                match e.widenings.iter().rev().find(|w| w.to == "text") {
                    Some(w) => Some(format!("{}; {}", widening(w), longest())),
                    None => Some(longest()),
                }
            }
            _ => e.widenings.last().map(widening),
        };
        FoundColumn {
            name: c.name.clone(),
            sql_type: Some(c.sql_type),
            nullable: c.nullable,
            max_length: e.max_length,
            min: e.min.clone(),
            max: e.max.clone(),
            because,
        }
    }

    /// The inferred schema as found columns.
    pub fn from_schemas(columns: &[ColumnSchema]) -> Vec<FoundColumn> {
        columns.iter().map(FoundColumn::from_schema).collect()
    }

    /// Header names as found columns (no types known).
    pub fn from_header<S: AsRef<str>>(names: &[S]) -> Vec<FoundColumn> {
        names
            .iter()
            .map(|n| FoundColumn::named(n.as_ref()))
            .collect()
    }

    fn integer_bounds(&self) -> Option<(i128, i128)> {
        let min = self.min.as_deref()?.trim().parse().ok()?;
        let max = self.max.as_deref()?.trim().parse().ok()?;
        Some((min, max))
    }
}

/// One difference between the template's expected columns and the file. Positions are
/// 1-based. Serialises with a `kind` tag (`added`, `missing`, `renamed`, `moved`,
/// `typeWidened`, `nowNullable`) and camelCase fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Drift {
    /// The file has a column the template does not expect.
    Added { column: String, position: usize },
    /// The template expects a column the file lacks; `mapped` when the mapping reads it.
    Missing {
        column: String,
        position: usize,
        mapped: bool,
    },
    /// Taken as the same column under a new name (see the module documentation).
    Renamed {
        from: String,
        to: String,
        position: usize,
    },
    /// The same column in another place among the others (does not block).
    Moved {
        column: String,
        from: usize,
        to: usize,
    },
    /// The file's values no longer fit the expected type.
    TypeWidened {
        column: String,
        expected: String,
        found: String,
        because: Option<String>,
        /// The mapped target column's type, and whether the values still fit it.
        target_type: Option<String>,
        fits_target: Option<bool>,
    },
    /// NULLs (or empty fields) where the template expected none.
    NowNullable {
        column: String,
        target_not_null: bool,
    },
}

impl Drift {
    /// Whether this difference refuses a load without `--allow-drift`.
    pub fn blocks(&self) -> bool {
        match self {
            Drift::Moved { .. } => false,
            Drift::NowNullable {
                target_not_null, ..
            } => *target_not_null,
            _ => true,
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Added { column, position } => write!(
                f,
                "column {column:?} (position {position}) is new: the template does not expect it"
            ),
            Drift::Missing {
                column,
                position,
                mapped,
            } => write!(
                f,
                "column {column:?} (position {position} in the template) is not in the file{}",
                if *mapped {
                    ", and the mapping reads it"
                } else {
                    ""
                }
            ),
            Drift::Renamed { from, to, position } => write!(
                f,
                "column {position} was {from:?} and is now {to:?} (same place between the same \
                 columns, values of the expected type)"
            ),
            Drift::Moved { column, from, to } => write!(
                f,
                "column {column:?} moved from position {from} to {to} (columns are found by \
                 name: this alone does not stop a load)"
            ),
            Drift::TypeWidened {
                column,
                expected,
                found,
                because,
                target_type,
                fits_target,
            } => {
                write!(f, "column {column:?} was {expected} and now needs {found}")?;
                if let Some(b) = because {
                    write!(f, " ({b})")?;
                }
                match (target_type, fits_target) {
                    (Some(t), Some(true)) => write!(f, "; the target type {t} still holds it"),
                    (Some(t), Some(false)) => write!(f, "; the target type {t} cannot hold it"),
                    _ => Ok(()),
                }
            }
            Drift::NowNullable {
                column,
                target_not_null,
            } => write!(
                f,
                "column {column:?} now has NULLs or empty fields where the template expected \
                 none{}",
                if *target_not_null {
                    "; its target column is NOT NULL, so those rows would be rejected"
                } else {
                    ""
                }
            ),
        }
    }
}

/// A difference as the app shows it: the structured fields, the sentence, and whether it
/// blocks.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftJson<'a> {
    #[serde(flatten)]
    pub drift: &'a Drift,
    pub message: String,
    pub blocks: bool,
}

/// The differences as JSON (an array of [`DriftJson`]).
pub fn to_json(drifts: &[Drift]) -> serde_json::Value {
    let items: Vec<DriftJson<'_>> = drifts
        .iter()
        .map(|d| DriftJson {
            drift: d,
            message: d.to_string(),
            blocks: d.blocks(),
        })
        .collect();
    serde_json::to_value(items).unwrap_or_default()
}

/// A load refused for drift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftRefused {
    /// Every difference (blocking or not), in the order [`compare`] gives them.
    pub differences: Vec<Drift>,
}

impl fmt::Display for DriftRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the file's columns differ from the template's (nothing was sent; --allow-drift \
             loads anyway):"
        )?;
        for d in &self.differences {
            write!(f, "\n  - {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DriftRefused {}

/// What the load runner calls before sending anything: the differences when the load may go
/// on (none that block, or `allow_drift`), or the refusal listing them.
pub fn check(
    template: &Template,
    found: &[FoundColumn],
    allow_drift: bool,
) -> Result<Vec<Drift>, DriftRefused> {
    let differences = compare(template, found);
    if allow_drift || !differences.iter().any(Drift::blocks) {
        Ok(differences)
    } else {
        Err(DriftRefused { differences })
    }
}

/// Why [`against_files`] could not compare.
#[derive(Debug, Clone, PartialEq)]
pub enum AgainstFilesError {
    /// The template's source settings cannot be used to read the files.
    Settings(String),
    Read(sluice_files::ReadError),
}

impl fmt::Display for AgainstFilesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgainstFilesError::Settings(s) => write!(f, "the template's {s}"),
            AgainstFilesError::Read(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AgainstFilesError {}

/// Reads `paths` as the template says (one inference over all of them, see
/// [`crate::multi_file`]) and compares: what the app shows when a template is opened on a
/// file, and what a load with a template runs before sending anything (then [`check`]'s
/// refusal rule applies: `differences.iter().any(Drift::blocks)`). The inspection is returned
/// too, so the caller need not read the files again for their counts.
pub fn against_files(
    template: &Template,
    paths: &[std::path::PathBuf],
    progress: &mut dyn FnMut(crate::multi_file::MultiProgress),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<(Vec<Drift>, crate::multi_file::MultiInspection), AgainstFilesError> {
    let options = crate::multi_file::MultiFileOptions::from_source(&template.source)
        .map_err(AgainstFilesError::Settings)?;
    let inspection = crate::multi_file::infer_files(paths, &options, progress, cancel)
        .map_err(AgainstFilesError::Read)?;
    Ok((compare(template, &inspection.found_columns()), inspection))
}

/// Every difference between `template.columns` and `found`, in template order (added columns
/// after the others, in file order).
pub fn compare(template: &Template, found: &[FoundColumn]) -> Vec<Drift> {
    let expected = &template.columns;
    // 1. Exact names (the first column of a name, when a file repeats one).
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(found.len());
    for (j, f) in found.iter().enumerate() {
        by_name.entry(f.name.as_str()).or_insert(j);
    }
    let mut found_of: Vec<Option<usize>> = expected
        .iter()
        .map(|e| by_name.get(e.name.as_str()).copied())
        .collect();
    let anchors = in_order(&found_of);
    let mut is_anchor = vec![false; expected.len()];
    for &i in &anchors {
        if let Some(a) = is_anchor.get_mut(i) {
            *a = true;
        }
    }
    let mut drifts = Vec::new();
    let mut renamed: Vec<(usize, usize)> = Vec::new();
    // 2. Leftovers between consecutive anchors.
    let mut matched_found = vec![false; found.len()];
    for j in found_of.iter().flatten() {
        if let Some(m) = matched_found.get_mut(*j) {
            *m = true;
        }
    }
    // Leftovers on each side, in order; gap g lies before anchor g (after the last, for the
    // final gap). Anchors increase on both sides, so one pass walks both lists.
    let exp_left: Vec<usize> = (0..expected.len())
        .filter(|&i| found_of.get(i).copied().flatten().is_none())
        .collect();
    let found_left: Vec<usize> = (0..found.len())
        .filter(|&j| !matched_found.get(j).copied().unwrap_or(true))
        .collect();
    let (mut ei, mut fi) = (0, 0);
    for g in 0..=anchors.len() {
        let hi_e = anchors.get(g).copied();
        let hi_f = hi_e.and_then(|a| found_of.get(a).copied().flatten());
        let (start_e, start_f) = (ei, fi);
        while exp_left
            .get(ei)
            .is_some_and(|&i| hi_e.is_none_or(|h| i < h))
        {
            ei += 1;
        }
        while found_left
            .get(fi)
            .is_some_and(|&j| hi_f.is_none_or(|h| j < h))
        {
            fi += 1;
        }
        let here_e = exp_left.get(start_e..ei).unwrap_or_default();
        let here_f = found_left.get(start_f..fi).unwrap_or_default();
        if here_e.len() != here_f.len() {
            continue;
        }
        for (&i, &j) in here_e.iter().zip(here_f) {
            let (Some(e), Some(f)) = (expected.get(i), found.get(j)) else {
                continue;
            };
            if e.parsed_type().is_ok_and(|t| fits::fits(f, t)) {
                renamed.push((i, j));
            }
        }
    }
    // The first mapping that reads each source column.
    let mut mapping_of: HashMap<&str, &crate::template::ColumnMapping> = HashMap::new();
    for m in &template.mapping {
        if let Some(src) = m.source.as_deref() {
            mapping_of.entry(src).or_insert(m);
        }
    }
    let renamed_set: HashSet<(usize, usize)> = renamed.iter().copied().collect();
    for &(i, j) in &renamed {
        if let Some(slot) = found_of.get_mut(i) {
            *slot = Some(j);
        }
        if let Some(m) = matched_found.get_mut(j) {
            *m = true;
        }
    }
    for (i, e) in expected.iter().enumerate() {
        let Some(j) = found_of.get(i).copied().flatten() else {
            drifts.push(Drift::Missing {
                column: e.name.clone(),
                position: i + 1,
                mapped: mapping_of.contains_key(e.name.as_str()),
            });
            continue;
        };
        let Some(f) = found.get(j) else { continue };
        if renamed_set.contains(&(i, j)) {
            drifts.push(Drift::Renamed {
                from: e.name.clone(),
                to: f.name.clone(),
                position: j + 1,
            });
        } else if !is_anchor.get(i).copied().unwrap_or(false) {
            drifts.push(Drift::Moved {
                column: e.name.clone(),
                from: i + 1,
                to: j + 1,
            });
        }
        let mapped = mapping_of.get(e.name.as_str()).copied();
        if let (Ok(want), Some(have)) = (e.parsed_type(), f.sql_type) {
            if !fits::fits(f, want) {
                let target = mapped.and_then(|m| m.parsed_type().ok());
                drifts.push(Drift::TypeWidened {
                    column: e.name.clone(),
                    expected: want.to_string(),
                    found: have.to_string(),
                    because: f.because.clone(),
                    target_type: target.map(|t| t.to_string()),
                    fits_target: target.map(|t| fits::fits(f, t)),
                });
            }
        }
        if f.sql_type.is_some() && f.nullable && !e.nullable {
            drifts.push(Drift::NowNullable {
                column: e.name.clone(),
                target_not_null: mapped.is_some_and(|m| !m.nullable),
            });
        }
    }
    for (j, f) in found.iter().enumerate() {
        if !matched_found.get(j).copied().unwrap_or(true) {
            drifts.push(Drift::Added {
                column: f.name.clone(),
                position: j + 1,
            });
        }
    }
    drifts
}

/// The expected indices of the matched columns that keep their relative order: a longest
/// increasing run of found positions (patience sorting, O(n log n)). The others moved.
fn in_order(found_of: &[Option<usize>]) -> Vec<usize> {
    let matched: Vec<(usize, usize)> = found_of
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect();
    // tails[k]: index into `matched` of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut parent: Vec<Option<usize>> = vec![None; matched.len()];
    for (m, &(_, j)) in matched.iter().enumerate() {
        let k = tails.partition_point(|&t| matched.get(t).is_some_and(|&(_, tj)| tj < j));
        if let Some(slot) = parent.get_mut(m) {
            *slot = k.checked_sub(1).and_then(|p| tails.get(p).copied());
        }
        if k == tails.len() {
            tails.push(m);
        } else if let Some(slot) = tails.get_mut(k) {
            *slot = m;
        }
    }
    let mut run = Vec::new();
    let mut at = tails.last().copied();
    while let Some(m) = at {
        if let Some(&(i, _)) = matched.get(m) {
            run.push(i);
        }
        at = parent.get(m).copied().flatten();
    }
    run.reverse();
    run
}
