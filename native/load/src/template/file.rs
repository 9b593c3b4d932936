//! Reading and writing template files: the version check comes first, so a template from a
//! newer Sluice is refused for its version and not for a field this build does not know.

use std::fmt;
use std::path::{Path, PathBuf};

use super::check::Problem;
use super::{Template, TEMPLATE_VERSION};

/// Why a template was not read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// The file could not be read or written.
    Io { file: PathBuf, message: String },
    /// Not JSON, or JSON that does not have the template's shape (serde's message names the
    /// field, line and column).
    Json { file: PathBuf, message: String },
    /// A `version` this build does not read.
    Version { file: PathBuf, found: String },
    /// Well-formed, but the parts do not agree (a mapping from a column that is not there …).
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::Io { file, message } => {
                write!(f, "template {}: {message}", file.display())
            }
            TemplateError::Json { file, message } => {
                write!(
                    f,
                    "template {} is not a valid template: {message}",
                    file.display()
                )
            }
            TemplateError::Version { file, found } => write!(
                f,
                "template {} has version {found}; this Sluice reads version {TEMPLATE_VERSION} \
                 (a newer Sluice wrote it, or the file is not a Sluice template)",
                file.display()
            ),
            TemplateError::Invalid { file, problems } => {
                write!(f, "template {} is not valid:", file.display())?;
                for p in problems {
                    write!(f, "\n  - {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for TemplateError {}

impl Template {
    /// Reads and validates a template file.
    pub fn read(path: impl AsRef<Path>) -> Result<Template, TemplateError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| TemplateError::Io {
            file: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Template::from_json(&text, path)
    }

    /// Parses and validates a template's JSON text; `file` is what errors call it.
    pub fn from_json(text: &str, file: impl AsRef<Path>) -> Result<Template, TemplateError> {
        let file = file.as_ref().to_path_buf();
        let json_err = |message: String| TemplateError::Json {
            file: file.clone(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| json_err(e.to_string()))?;
        let Some(object) = value.as_object() else {
            return Err(json_err("the document is not a JSON object".into()));
        };
        match object.get("version") {
            None => return Err(json_err("it has no \"version\" field".into())),
            Some(v) if v.as_u64() == Some(u64::from(TEMPLATE_VERSION)) => {}
            Some(v) => {
                return Err(TemplateError::Version {
                    file,
                    found: v.to_string(),
                })
            }
        }
        // Parsed again from the text (not the value) so serde's errors carry line and column.
        let template: Template = serde_json::from_str(text).map_err(|e| json_err(e.to_string()))?;
        template
            .validate()
            .map_err(|problems| TemplateError::Invalid { file, problems })?;
        Ok(template)
    }

    /// The template as pretty JSON (two-space indent, fields in declaration order, a final
    /// newline): the same template always gives the same bytes, so files diff well.
    pub fn to_json(&self) -> String {
        // Serialising these plain structs cannot fail (string keys, no maps with other keys).
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Validates, then writes the template to `path` (through a temporary file beside it, so
    /// an interrupted write never leaves half a template).
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), TemplateError> {
        let path = path.as_ref();
        self.validate().map_err(|problems| TemplateError::Invalid {
            file: path.to_path_buf(),
            problems,
        })?;
        let io_err = |e: std::io::Error| TemplateError::Io {
            file: path.to_path_buf(),
            message: e.to_string(),
        };
        let mut tmp_name = path.as_os_str().to_owned();
        tmp_name.push(".tmp");
        let tmp = PathBuf::from(tmp_name);
        std::fs::write(&tmp, self.to_json()).map_err(io_err)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io_err(e)
        })
    }
}
