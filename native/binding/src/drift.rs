//! `templateDrift`: an import template against the files it is about to read, before any load —
//! what the app shows when a template is opened on a file. The comparison is the core's
//! (`sluice_load::drift::against_files`, the same check a load with the template runs); this
//! only reads the template, runs it on the blocking pool and hands the differences back as the
//! JSON `drift::to_json` writes (`kind`, the names and positions, `message`, `blocks`).

// napi registers the export below only outside `cfg(test)`; the unit-test build sees it unused.
#![cfg_attr(test, allow(dead_code))]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::json;
use sluice_load::drift::{self, AgainstFilesError};
use sluice_load::Template;

use crate::js_error::MARKER;

/// Where the template comes from: a file (`path`) or its JSON text (`json`), exactly one.
#[napi(object)]
pub struct TemplateSource {
    pub path: Option<String>,
    pub json: Option<String>,
}

fn error(code: &str, message: String) -> Error {
    let detail = json!({ "code": code, "message": message });
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}

/// Why no differences came back (kept apart from napi's `Error`, which only links inside Node).
#[derive(Debug)]
enum Failure {
    /// `EARG` or `ETEMPLATE`, with the words.
    Usage(&'static str, String),
    Read(sluice_files::ReadError),
}

impl Failure {
    fn into_js(self) -> Error {
        match self {
            Failure::Usage(code, message) => error(code, message),
            Failure::Read(r) => crate::files::file_error(&r),
        }
    }
}

/// The template named by `source`, read and validated as `sluice load --map` reads it.
fn read(source: &TemplateSource) -> std::result::Result<Template, Failure> {
    let parsed = match (&source.path, &source.json) {
        (Some(p), None) => Template::read(p),
        (None, Some(text)) => Template::from_json(text, "(template text)"),
        _ => {
            return Err(Failure::Usage(
                "EARG",
                "give the template as exactly one of path and json".to_string(),
            ))
        }
    };
    parsed.map_err(|e| Failure::Usage("ETEMPLATE", e.to_string()))
}

/// The differences as JSON text: an array of `{ kind, …fields, message, blocks }`.
fn differences_json(
    template: &Template,
    files: &[PathBuf],
) -> std::result::Result<String, Failure> {
    let never = AtomicBool::new(false);
    let (found, _) =
        drift::against_files(template, files, &mut |_| {}, &never).map_err(|e| match e {
            AgainstFilesError::Settings(_) => Failure::Usage("ETEMPLATE", e.to_string()),
            AgainstFilesError::Read(r) => Failure::Read(r),
        })?;
    Ok(drift::to_json(&found).to_string())
}

/// The template's expected columns against `files` (read whole, as the template's source
/// settings say); resolves to the differences as JSON text (`native/sluice.js` parses it).
#[napi]
pub async fn template_drift(source: TemplateSource, files: Vec<String>) -> Result<String> {
    if files.is_empty() {
        return Err(error("EARG", "give at least one file".to_string()));
    }
    let template = read(&source).map_err(Failure::into_js)?;
    let paths: Vec<PathBuf> = files.into_iter().map(PathBuf::from).collect();
    spawn_blocking(move || differences_json(&template, &paths))
        .await
        .map_err(|e| error("EFILE", format!("the drift task stopped: {e}")))?
        .map_err(Failure::into_js)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"{
      "version": 1,
      "source": { "format": "csv" },
      "columns": [
        { "name": "id", "sqlType": "int", "nullable": false },
        { "name": "name", "sqlType": "varchar(3)", "nullable": false },
        { "name": "amount", "sqlType": "decimal(3,2)", "nullable": false }
      ],
      "target": { "table": "dbo.sales", "mode": "create" },
      "mapping": [
        { "target": "id", "source": "id", "sqlType": "int", "nullable": false },
        { "target": "amount", "source": "amount", "sqlType": "float", "nullable": false }
      ]
    }"#;

    fn file(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sluice-binding-drift-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn source_json() -> TemplateSource {
        TemplateSource {
            path: None,
            json: Some(TEMPLATE.to_string()),
        }
    }

    #[test]
    fn renamed_columns_come_back_with_kind_names_message_and_blocks() {
        let t = read(&source_json()).unwrap();
        let f = file("renamed.csv", "id,customer,total\n9,Ida,3.5\n");
        let out: serde_json::Value =
            serde_json::from_str(&differences_json(&t, &[f]).unwrap()).unwrap();
        assert_eq!(
            out,
            json!([
                { "kind": "renamed", "from": "name", "to": "customer", "position": 2,
                  "message": "column 2 was \"name\" and is now \"customer\" (same place between the same columns, values of the expected type)",
                  "blocks": true },
                { "kind": "renamed", "from": "amount", "to": "total", "position": 3,
                  "message": "column 3 was \"amount\" and is now \"total\" (same place between the same columns, values of the expected type)",
                  "blocks": true }
            ])
        );
    }

    #[test]
    fn an_unchanged_file_has_no_differences() {
        let t = read(&source_json()).unwrap();
        let f = file("same.csv", "id,name,amount\n1,Ann,2.50\n");
        assert_eq!(differences_json(&t, &[f]).unwrap(), "[]");
    }

    #[test]
    fn an_added_column_does_not_hide_the_moved_one_and_each_says_whether_it_blocks() {
        let t = read(&source_json()).unwrap();
        let f = file("moved.csv", "amount,id,name,note\n2.50,1,Ann,x\n");
        let out: serde_json::Value =
            serde_json::from_str(&differences_json(&t, &[f]).unwrap()).unwrap();
        let kinds: Vec<(&str, bool)> = out
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["kind"].as_str().unwrap(), d["blocks"].as_bool().unwrap()))
            .collect();
        assert_eq!(kinds, [("moved", false), ("added", true)]);
    }

    #[test]
    fn a_template_that_is_not_one_is_refused_with_etemplate() {
        let bad = TemplateSource {
            path: None,
            json: Some("{\"version\": 2}".to_string()),
        };
        let e = read(&bad).err().unwrap();
        assert!(
            matches!(&e, Failure::Usage("ETEMPLATE", m) if m.contains("version")),
            "{e:?}"
        );
        let neither = TemplateSource {
            path: None,
            json: None,
        };
        assert!(matches!(read(&neither), Err(Failure::Usage("EARG", _))));
    }

    #[test]
    fn an_unreadable_file_is_an_efile_error_naming_it() {
        let t = read(&source_json()).unwrap();
        let missing = std::env::temp_dir().join("sluice-binding-drift-no-such-file.csv");
        let Err(Failure::Read(e)) = differences_json(&t, &[missing]) else {
            panic!("a missing file must be a read error");
        };
        assert!(e.to_string().contains("no-such-file"), "{e}");
    }
}
