//! Session-level statements: SET options, USE, transactions, CREATE/DROP DATABASE, and the
//! system procedures clients call (`sp_tablecollations_100`).

use super::catalog::Catalog;
use super::error::SqlError;
use super::names::{object_ref, parse_name_string};
use super::select::ResultSet;
use super::session::Session;
use super::type_decl::{collation_of, column_meta};
use sqlparser::ast::{ObjectName, SessionParamValue, Set, SetSessionParamKind};
use tds::types::{SqlType, VarLen};
use tds::value::Value;

const ON_OFF_OPTIONS: &[&str] = &[
    "ansi_defaults",
    "ansi_null_dflt_off",
    "ansi_null_dflt_on",
    "ansi_nulls",
    "ansi_padding",
    "ansi_warnings",
    "arithabort",
    "arithignore",
    "concat_null_yields_null",
    "cursor_close_on_commit",
    "fmtonly",
    "forceplan",
    "implicit_transactions",
    "nocount",
    "noexec",
    "numeric_roundabort",
    "parseonly",
    "quoted_identifier",
    "remote_proc_transactions",
    "showplan_all",
    "showplan_text",
    "showplan_xml",
    "xact_abort",
    "no_browsetable",
    "nocount",
];

const VALUED_OPTIONS: &[&str] = &[
    "datefirst",
    "dateformat",
    "deadlock_priority",
    "language",
    "lock_timeout",
    "query_governor_cost_limit",
    "rowcount",
    "textsize",
    "context_info",
];

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v
        .strip_prefix('N')
        .filter(|r| r.starts_with('\''))
        .unwrap_or(v);
    v.trim_matches('\'').to_string()
}

fn on_off(value: &str) -> Result<bool, SqlError> {
    match value.trim().to_ascii_uppercase().as_str() {
        "ON" => Ok(true),
        "OFF" => Ok(false),
        _ => Err(SqlError::syntax_near(value)),
    }
}

fn set_option(session: &mut Session, name: &str, value: &str) -> Result<(), SqlError> {
    let n = name.to_ascii_lowercase();
    if ON_OFF_OPTIONS.contains(&n.as_str()) {
        let on = on_off(value)?;
        match n.as_str() {
            "fmtonly" => session.options.fmtonly = on,
            "nocount" => session.options.nocount = on,
            "noexec" | "parseonly" => session.options.noexec = on,
            "xact_abort" => session.options.xact_abort = on,
            _ => {}
        }
    } else if VALUED_OPTIONS.contains(&n.as_str()) {
        let v = unquote(value);
        let number = || v.parse::<i64>().map_err(|_| SqlError::syntax_near(&v));
        match n.as_str() {
            "rowcount" => session.options.rowcount = number()?.max(0) as u64,
            "textsize" => session.options.textsize = number()?,
            "datefirst" => {
                let d = number()?;
                if !(1..=7).contains(&d) {
                    return Err(SqlError::new(
                        1005,
                        15,
                        1,
                        format!("Line 1: Invalid parameter {d} specified for datefirst."),
                    ));
                }
                session.options.datefirst = d as u8;
            }
            "language" => session.options.language = v.clone(),
            "dateformat" => session.options.dateformat = v.to_ascii_lowercase(),
            _ => {}
        }
    } else {
        return Err(SqlError::new(
            195,
            15,
            5,
            format!("'{name}' is not a recognized SET option."),
        ));
    }
    session.options.other.insert(n, value.to_string());
    Ok(())
}

/// Whether a statement turns NOEXEC/PARSEONLY off (the only thing NOEXEC lets through).
pub(crate) fn ends_noexec(set: &Set) -> bool {
    matches!(set, Set::SetSessionParam(SetSessionParamKind::Generic(g))
        if g.names.iter().any(|n| n.eq_ignore_ascii_case("noexec") || n.eq_ignore_ascii_case("parseonly")))
}

pub(crate) fn set(s: &Set, catalog: &Catalog, session: &mut Session) -> Result<(), SqlError> {
    match s {
        Set::SetSessionParam(SetSessionParamKind::Generic(g)) => {
            for name in &g.names {
                set_option(session, name, &g.value)?;
            }
            Ok(())
        }
        Set::SetSessionParam(SetSessionParamKind::IdentityInsert(ii)) => {
            identity_insert(&ii.obj, ii.value == SessionParamValue::On, catalog, session)
        }
        Set::SetSessionParam(
            SetSessionParamKind::Statistics(_) | SetSessionParamKind::Offsets(_),
        ) => Ok(()),
        Set::SetTransaction { .. } => Ok(()),
        Set::SingleAssignment { variable, .. } => {
            let name = variable.to_string();
            if name.starts_with('@') {
                Err(SqlError::undeclared_variable(&name))
            } else {
                Err(SqlError::new(
                    195,
                    15,
                    5,
                    format!("'{name}' is not a recognized SET option."),
                ))
            }
        }
        other => Err(SqlError::unsupported(&other.to_string())),
    }
}

fn identity_insert(
    obj: &ObjectName,
    on: bool,
    catalog: &Catalog,
    session: &mut Session,
) -> Result<(), SqlError> {
    let r = object_ref(obj)?;
    let not_found = || {
        SqlError::new(
            1088,
            16,
            11,
            format!("Cannot find the object \"{}\" because it does not exist or you do not have permissions.", r.display()),
        )
    };
    let loc = catalog.locate(session, &r).ok_or_else(not_found)?;
    let (name, has_identity) = catalog
        .read_at(session, &loc, |t| {
            (t.full_name(), t.identity_column().is_some())
        })
        .ok_or_else(not_found)?;
    if !has_identity {
        return Err(SqlError::new(
            8106,
            16,
            1,
            format!(
                "Table '{name}' does not have the identity property. Cannot perform SET operation."
            ),
        ));
    }
    let token = loc.token();
    if on {
        if let Some(current) = &session.identity_insert {
            if *current != token {
                return Err(SqlError::new(
                    8107,
                    16,
                    1,
                    format!("IDENTITY_INSERT is already ON for table '{current}'. Cannot perform SET operation for table '{name}'."),
                ));
            }
        }
        session.identity_insert = Some(token);
    } else if session.identity_insert.as_deref() == Some(token.as_str()) {
        session.identity_insert = None;
    }
    Ok(())
}

/// USE: returns the (old, new) database names.
pub(crate) fn use_database(
    name: &ObjectName,
    catalog: &Catalog,
    session: &mut Session,
) -> Result<(String, String), SqlError> {
    let db = name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.clone())
        .unwrap_or_default();
    let new = catalog
        .database_name(&db)
        .ok_or_else(|| SqlError::unknown_database(&db))?;
    let old = std::mem::replace(&mut session.database, new.clone());
    Ok((old, new))
}

pub(crate) fn database_name(name: &ObjectName) -> Result<String, SqlError> {
    match name.0.as_slice() {
        [part] => part
            .as_ident()
            .map(|i| i.value.clone())
            .ok_or_else(|| SqlError::unsupported(&name.to_string())),
        _ => Err(SqlError::syntax_near(".")),
    }
}

/// `sp_tablecollations_100 N'[schema].[table]'`, which SqlBulkCopy sends before a load:
/// one row per column with its TDS collation (NULL for non-character columns).
pub(crate) fn table_collations(
    arg: Option<&str>,
    database: Option<&str>,
    catalog: &Catalog,
    session: &Session,
) -> ResultSet {
    let default = super::collation_names::default_collation().collation;
    let sysname = SqlType::NVarChar {
        len: VarLen::Len(128),
        collation: default,
    };
    let columns = vec![
        column_meta("colid", SqlType::Int, false, false, false),
        column_meta("name", sysname, false, false, false),
        column_meta(
            "tds_collation",
            SqlType::Binary { len: 5 },
            true,
            false,
            false,
        ),
        column_meta("collation", sysname, true, false, false),
    ];
    // The procedure reads the sys.columns of the database it runs in (`[db]..sp_…`, else the
    // current one), as SQL Server's does: a name in another database finds nothing there, which
    // is why SqlBulkCopy runs it as `EXEC [db]..sp_tablecollations_100 N'[s].[t]'`.
    let home = database.unwrap_or(&session.database).to_string();
    let target = arg.and_then(parse_name_string).and_then(|mut r| {
        if r.is_temp() {
            return Some(r);
        }
        match &r.database {
            Some(d) if !d.eq_ignore_ascii_case(&home) => None,
            _ => {
                r.database = Some(home.clone());
                Some(r)
            }
        }
    });
    let rows = target
        .and_then(|r| {
            catalog.read_table(session, &r, |t| {
                t.columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        vec![
                            Value::Int(i as i32 + 1),
                            Value::String(c.name.clone()),
                            collation_of(&c.ty).map_or(Value::Null, |coll| {
                                Value::Binary(coll.to_bytes().to_vec())
                            }),
                            c.collation_name.clone().map_or(Value::Null, Value::String),
                        ]
                    })
                    .collect::<Vec<_>>()
            })
        })
        .unwrap_or_default();
    ResultSet { columns, rows }
}
