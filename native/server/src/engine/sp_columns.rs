//! `sp_columns`: the ODBC catalog procedure that lists a table's columns with their defaults
//! (`COLUMN_DEF`). Clients call it where catalog views of another database are out of reach
//! (Azure SQL Database: `tempdb..sp_columns N'#t'` works, `tempdb.sys.columns` is error 40515).
//!
//! A subset of SQL Server's result: the columns a client needs to tell names, nullability and
//! defaults apart, under SQL Server's names. `@table_name` matches exactly (ignoring case), not
//! as a LIKE pattern.

use super::catalog::Catalog;
use super::names::ObjectRef;
use super::select::ResultSet;
use super::session::Session;
use super::type_decl::column_meta;
use tds::types::{SqlType, VarLen};
use tds::value::Value;

/// The arguments, by name (`@table_name`, `@table_owner`) or position.
pub(crate) struct SpColumnsArgs {
    pub table_name: Option<String>,
    pub table_owner: Option<String>,
}

pub(crate) fn sp_columns(
    args: SpColumnsArgs,
    database: Option<&str>,
    catalog: &Catalog,
    session: &Session,
) -> ResultSet {
    let sysname = || SqlType::NVarChar {
        len: VarLen::Len(128),
        collation: super::collation_names::default_collation().collation,
    };
    let columns = vec![
        column_meta("TABLE_QUALIFIER", sysname(), true, false, false),
        column_meta("TABLE_OWNER", sysname(), true, false, false),
        column_meta("TABLE_NAME", sysname(), true, false, false),
        column_meta("COLUMN_NAME", sysname(), true, false, false),
        column_meta("NULLABLE", SqlType::SmallInt, true, false, false),
        column_meta(
            "COLUMN_DEF",
            SqlType::NVarChar {
                len: VarLen::Len(4000),
                collation: super::collation_names::default_collation().collation,
            },
            true,
            false,
            false,
        ),
        column_meta("ORDINAL_POSITION", SqlType::Int, true, false, false),
        column_meta(
            "IS_NULLABLE",
            SqlType::VarChar {
                len: VarLen::Len(254),
                collation: super::collation_names::default_collation().collation,
            },
            true,
            false,
            false,
        ),
    ];
    let Some(table) = args.table_name.filter(|t| !t.is_empty()) else {
        return ResultSet {
            columns,
            rows: Vec::new(),
        };
    };
    let home = database.unwrap_or(&session.database).to_string();
    let r = ObjectRef {
        database: (!table.starts_with('#')).then(|| home.clone()),
        schema: args.table_owner.clone(),
        name: table.clone(),
    };
    let rows = catalog
        .read_table(session, &r, |t| {
            let qualifier = if table.starts_with('#') {
                "tempdb".to_string()
            } else {
                home.clone()
            };
            let owner = args
                .table_owner
                .clone()
                .unwrap_or_else(|| "dbo".to_string());
            t.columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    vec![
                        Value::String(qualifier.clone()),
                        Value::String(owner.clone()),
                        Value::String(t.name.clone()),
                        Value::String(c.name.clone()),
                        Value::SmallInt(i16::from(c.nullable)),
                        // SQL Server shows the definition in parentheses: `((7))`.
                        c.default
                            .as_ref()
                            .map_or(Value::Null, |d| Value::String(format!("(({d}))"))),
                        Value::Int(i as i32 + 1),
                        Value::String(if c.nullable { "YES" } else { "NO" }.to_string()),
                    ]
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    ResultSet { columns, rows }
}
