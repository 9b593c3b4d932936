//! The places where `--resume` and `--allow-drift` plug into a load. Their logic belongs to the
//! resume and template work; the loader calls these and nothing else.

use sluice_files::infer::ColumnSchema;

use crate::request::LoadRequest;
use crate::template::Template;
use crate::LoadError;

/// `--resume`: continue the recorded load of these files (the same list, in the same order)
/// into this table (`recording.rs` does the work once connected). Every journaled load that
/// sends rows is recorded, of one file or several.
pub fn resume(req: &LoadRequest) -> Result<(), LoadError> {
    if req.dry_run {
        return Err(LoadError::usage(
            "--resume and --dry-run do not go together",
        ));
    }
    Ok(())
}

/// Schema drift: the template's expected columns against the file's (`drift::check`). Refused
/// before anything is sent unless `allow_drift`; the differences that let the load go on come
/// back as notes for the summary.
pub fn check_drift(
    template: &Template,
    schema: &[ColumnSchema],
    allow_drift: bool,
) -> Result<Vec<String>, LoadError> {
    let found = crate::drift::FoundColumn::from_schemas(schema);
    match crate::drift::check(template, &found, allow_drift) {
        Ok(differences) => Ok(differences.iter().map(|d| format!("drift: {d}")).collect()),
        Err(refused) => Err(LoadError::input(refused.to_string())),
    }
}

/// `--map FILE`: the template, read and validated by the template work (`Template::read`:
/// version, JSON Schema rules, parts that must agree).
pub fn read_template(path: &std::path::Path) -> Result<Template, LoadError> {
    Template::read(path).map_err(|e| LoadError::usage(format!("--map {}: {e}", path.display())))
}
