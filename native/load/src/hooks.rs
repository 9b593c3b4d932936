//! The places where `--resume` and `--allow-drift` plug into a load. Their logic belongs to the
//! resume and template work; the loader calls these and nothing else.

use sluice_files::infer::ColumnSchema;

use crate::run::LoadRequest;
use crate::template::Template;
use crate::LoadError;

/// `--resume`: continue the recorded load of this file into this table (`recording.rs` does
/// the work once connected). Only a single-file load that sends rows is recorded.
pub fn resume(req: &LoadRequest) -> Result<(), LoadError> {
    if req.files.len() != 1 {
        return Err(LoadError::usage(
            "--resume continues the load of one file; loads of several files are not recorded",
        ));
    }
    if req.dry_run {
        return Err(LoadError::usage(
            "--resume and --dry-run do not go together",
        ));
    }
    Ok(())
}

/// Schema drift: the template's expected columns against the file's. Filled in by the template
/// work (`drift.rs`); `allow_drift` lets a drifted file through.
pub fn check_drift(
    _template: &Template,
    _schema: &[ColumnSchema],
    _allow_drift: bool,
) -> Result<(), LoadError> {
    Ok(())
}

/// `--map FILE`: the template, refusing versions this build does not know. (The template work
/// may add validation against `template.schema.json` here.)
pub fn read_template(path: &std::path::Path) -> Result<Template, LoadError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| LoadError::usage(format!("--map {}: {e}", path.display())))?;
    let t: Template = serde_json::from_str(&text)
        .map_err(|e| LoadError::usage(format!("--map {}: {e}", path.display())))?;
    if t.version != crate::template::TEMPLATE_VERSION {
        return Err(LoadError::usage(format!(
            "--map {}: template version {} is not one this build reads ({})",
            path.display(),
            t.version,
            crate::template::TEMPLATE_VERSION
        )));
    }
    Ok(t)
}
