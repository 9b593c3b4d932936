//! Multi-part object names (`t`, `dbo.t`, `[db].[dbo].[t]`, `db..t`, `#t`) as written in SQL or
//! passed as strings (`OBJECT_ID(N'tempdb..#t')`, `sp_tablecollations_100 N'[dbo].[t]'`).

use super::error::SqlError;
use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

/// SQL Server's limit on identifiers (`sysname`).
pub(crate) const MAX_IDENTIFIER: usize = 128;

/// A table name with its optional database and schema parts; empty parts count as absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectRef {
    pub database: Option<String>,
    pub schema: Option<String>,
    pub name: String,
}

impl ObjectRef {
    pub fn is_temp(&self) -> bool {
        self.name.starts_with('#') && !self.name.starts_with("##")
    }

    pub fn is_global_temp(&self) -> bool {
        self.name.starts_with("##")
    }

    /// The name as SQL Server echoes it in messages: the parts as written, without brackets.
    pub fn display(&self) -> String {
        match (&self.database, &self.schema) {
            (Some(db), Some(s)) => format!("{db}.{s}.{}", self.name),
            (Some(db), None) => format!("{db}..{}", self.name),
            (None, Some(s)) => format!("{s}.{}", self.name),
            (None, None) => self.name.clone(),
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

fn from_parts(parts: &[String], display: &str) -> Result<ObjectRef, SqlError> {
    match parts {
        [name] => Ok(ObjectRef { database: None, schema: None, name: name.clone() }),
        [schema, name] => Ok(ObjectRef { database: None, schema: non_empty(schema), name: name.clone() }),
        [db, schema, name] => Ok(ObjectRef { database: non_empty(db), schema: non_empty(schema), name: name.clone() }),
        // Four-part names go through a linked server, which this server does not have.
        [server, ..] if parts.len() == 4 => Err(SqlError::new(
            7202,
            11,
            2,
            format!("Could not find server '{server}' in sys.servers. Verify that the correct server name was specified. If necessary, execute the stored procedure sp_addlinkedserver to add the server to sys.servers."),
        )),
        _ => Err(SqlError::new(
            117,
            15,
            1,
            format!("The object name '{display}' contains more than the maximum number of prefixes. The maximum is 2."),
        )),
    }
}

pub(crate) fn ident_parts(name: &ObjectName) -> Result<Vec<String>, SqlError> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(Ident { value, .. }) => Ok(value.clone()),
            other => Err(SqlError::unsupported(&other.to_string())),
        })
        .collect()
}

pub(crate) fn object_ref(name: &ObjectName) -> Result<ObjectRef, SqlError> {
    let parts = ident_parts(name)?;
    let r = from_parts(&parts, &parts.join("."))?;
    if r.name.is_empty() {
        return Err(empty_name());
    }
    if r.name.chars().count() > MAX_IDENTIFIER {
        return Err(identifier_too_long(&r.name));
    }
    Ok(r)
}

pub(crate) fn empty_name() -> SqlError {
    SqlError::new(
        1038,
        15,
        4,
        "An object or column name is missing or empty. For SELECT INTO statements, verify each column has a name. For other statements, look for empty alias names. Aliases defined as \"\" or [] are not allowed. Change the alias to a valid name.",
    )
}

pub(crate) fn identifier_too_long(name: &str) -> SqlError {
    let start: String = name.chars().take(MAX_IDENTIFIER).collect();
    SqlError::new(
        103,
        15,
        4,
        format!("The identifier that starts with '{start}' is too long. Maximum length is 128."),
    )
}

/// Splits a name given as a string into its parts: `[a].[b]`, `"a"."b"`, `a.b`, `db..t`.
/// `None` when the brackets or quotes are unbalanced or there are more than four parts.
pub(crate) fn split_name_string(s: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = s.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => loop {
                match chars.next()? {
                    ']' if chars.peek() == Some(&']') => {
                        chars.next();
                        current.push(']');
                    }
                    ']' => break,
                    other => current.push(other),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        current.push('"');
                    }
                    '"' => break,
                    other => current.push(other),
                }
            },
            '.' => {
                parts.push(std::mem::take(&mut current));
                if parts.len() >= 4 {
                    return None;
                }
            }
            other => current.push(other),
        }
    }
    parts.push(current);
    Some(parts)
}

/// Parses a name given as a string; `None` if it cannot name an object.
pub(crate) fn parse_name_string(s: &str) -> Option<ObjectRef> {
    let parts = split_name_string(s)?;
    let r = from_parts(&parts, s).ok()?;
    if r.name.is_empty() || r.name.chars().count() > MAX_IDENTIFIER {
        return None;
    }
    Some(r)
}

/// Case-insensitive key for catalog maps (names compare like the default `_CI_` collation).
pub(crate) fn key(name: &str) -> String {
    name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_strings_split_on_dots_outside_brackets_and_quotes() {
        assert_eq!(split_name_string("[dbo].[t]").unwrap(), vec!["dbo", "t"]);
        assert_eq!(split_name_string("[a.b]]c]").unwrap(), vec!["a.b]c"]);
        assert_eq!(split_name_string("\"x\".y").unwrap(), vec!["x", "y"]);
        assert_eq!(
            split_name_string("tempdb..#t").unwrap(),
            vec!["tempdb", "", "#t"]
        );
        assert!(split_name_string("[unclosed").is_none());
        assert!(split_name_string("a.b.c.d.e").is_none());
    }

    #[test]
    fn parsed_names_keep_optional_parts() {
        let r = parse_name_string(".#t").unwrap();
        assert_eq!(
            r,
            ObjectRef {
                database: None,
                schema: None,
                name: "#t".into()
            }
        );
        assert!(r.is_temp());
        let r = parse_name_string("sluice.dbo.T").unwrap();
        assert_eq!(r.display(), "sluice.dbo.T");
        assert!(parse_name_string("").is_none());
        assert!(parse_name_string("a.").is_none());
    }
}
