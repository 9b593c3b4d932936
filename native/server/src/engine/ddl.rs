//! CREATE TABLE, DROP TABLE, TRUNCATE TABLE.

use super::catalog::{next_object_id, Catalog, Column, IdentitySpec, KeyConstraint};
use super::collation_names::{self, NamedCollation};
use super::error::SqlError;
use super::eval::{eval, Env};
use super::names::{empty_name, identifier_too_long, object_ref, MAX_IDENTIFIER};
use super::numeric::{num_of, Num};
use super::session::Session;
use super::table::Table;
use super::type_decl::{self, is_character, DeclContext};
use sqlparser::ast::{
    ColumnDef, ColumnOption, CreateTable, Expr, IdentityPropertyFormatKind, IdentityPropertyKind,
    IndexColumn, ObjectName, TableConstraint, Truncate,
};
use std::sync::Arc;
use tds::types::SqlType;

/// SQL Server's per-table column limit.
const MAX_COLUMNS: usize = 1024;
/// Temp table names are limited further, to leave room for the session suffix.
const MAX_TEMP_NAME: usize = 116;

struct ColumnSpec {
    column: Column,
    explicit_null: bool,
    primary: Option<Option<String>>,
    unique: Option<Option<String>>,
}

fn integer_constant(e: &Expr, catalog: &Catalog, session: &Session) -> Result<i128, SqlError> {
    let t = eval(e, &Env::new(catalog, session), 0)?;
    match num_of(&t.value) {
        Some(Num::Int(i)) => Ok(i),
        Some(Num::Dec { m, s: 0 }) => Ok(m),
        _ => Err(SqlError::syntax_near(&e.to_string())),
    }
}

fn column_spec(
    index: usize,
    def: ColumnDef,
    catalog: &Catalog,
    session: &Session,
) -> Result<ColumnSpec, SqlError> {
    let name = def.name.value.clone();
    if name.is_empty() {
        return Err(empty_name());
    }
    if name.chars().count() > MAX_IDENTIFIER {
        return Err(identifier_too_long(&name));
    }
    let mut nullable = None;
    let mut default = None;
    let mut identity = None;
    let mut collation: Option<NamedCollation> = None;
    let mut primary = None;
    let mut unique = None;
    for opt in def.options {
        let constraint_name = opt.name.as_ref().map(|n| n.value.clone());
        // Taken by value: a DEFAULT expression is moved, never deep-cloned.
        match opt.option {
            ColumnOption::Null => nullable = Some(true),
            ColumnOption::NotNull => nullable = Some(false),
            ColumnOption::Default(e) => default = Some(Arc::new(e)),
            ColumnOption::PrimaryKey(_) => primary = Some(constraint_name),
            ColumnOption::Unique(_) => unique = Some(constraint_name),
            ColumnOption::Identity(IdentityPropertyKind::Identity(p)) => {
                let (seed, increment) = match &p.parameters {
                    None => (1, 1),
                    Some(
                        IdentityPropertyFormatKind::FunctionCall(params)
                        | IdentityPropertyFormatKind::StartAndIncrement(params),
                    ) => (
                        integer_constant(&params.seed, catalog, session)?,
                        integer_constant(&params.increment, catalog, session)?,
                    ),
                };
                if increment == 0 {
                    return Err(SqlError::new(
                        2753,
                        16,
                        1,
                        format!("Identity column '{name}' contains invalid INCREMENT."),
                    ));
                }
                identity = Some(IdentitySpec { seed, increment });
            }
            ColumnOption::Collation(c) => {
                let text = c.to_string();
                let bare =
                    c.0.last()
                        .and_then(|p| p.as_ident())
                        .map(|i| i.value.clone())
                        .unwrap_or(text.clone());
                collation = Some(
                    collation_names::lookup(&bare)
                        .ok_or_else(|| SqlError::invalid_collation(&bare))?,
                );
            }
            // Accepted and not enforced.
            ColumnOption::Check(_) | ColumnOption::ForeignKey(_) | ColumnOption::Comment(_) => {}
            other => return Err(SqlError::unsupported(&other.to_string())),
        }
    }
    let decl = type_decl::declaration(&def.data_type)?;
    let named = collation
        .clone()
        .unwrap_or_else(collation_names::default_collation);
    let ty = type_decl::resolve(&decl, DeclContext::Column { index, name: &name }, &named)?;
    if collation.is_some() && !is_character(&ty) {
        return Err(SqlError::new(
            447,
            16,
            1,
            format!(
                "Expression type {} is invalid for COLLATE clause.",
                type_decl::base_name(&ty)
            ),
        ));
    }
    if identity.is_some() {
        let integral = matches!(
            ty,
            SqlType::TinyInt | SqlType::SmallInt | SqlType::Int | SqlType::BigInt
        ) || matches!(
            ty,
            SqlType::Decimal { scale: 0, .. } | SqlType::Numeric { scale: 0, .. }
        );
        if !integral || nullable == Some(true) {
            return Err(SqlError::new(
                2749,
                16,
                2,
                format!("Identity column '{name}' must be of data type int, bigint, smallint, tinyint, or decimal or numeric with a scale of 0, and constrained to be nonnullable."),
            ));
        }
    }
    let explicit_null = nullable == Some(true);
    let nullable = nullable.unwrap_or(identity.is_none() && primary.is_none());
    let collation_name = is_character(&ty).then(|| named.name.clone());
    Ok(ColumnSpec {
        column: Column {
            name,
            ty,
            nullable,
            identity,
            default,
            collation_name,
        },
        explicit_null,
        primary,
        unique,
    })
}

fn index_columns(cols: &[IndexColumn], specs: &[ColumnSpec]) -> Result<Vec<usize>, SqlError> {
    cols.iter()
        .map(|ic| {
            let name = match &ic.column.expr {
                Expr::Identifier(i) => i.value.clone(),
                other => other.to_string(),
            };
            specs
                .iter()
                .position(|s| s.column.name.eq_ignore_ascii_case(&name))
                .ok_or_else(|| {
                    SqlError::new(
                        1911,
                        16,
                        1,
                        format!("Column name '{name}' does not exist in the target table or view."),
                    )
                })
        })
        .collect()
}

fn constraint_name(prefix: &str, table: &str, object_id: i32, n: usize) -> String {
    let short: String = table.trim_start_matches('#').chars().take(8).collect();
    format!(
        "{prefix}__{short}__{:016X}",
        (object_id as u32 as u64) << 8 | n as u64
    )
}

pub(crate) fn create_table(
    ct: CreateTable,
    catalog: &Catalog,
    session: &Session,
) -> Result<(), SqlError> {
    if ct.query.is_some() || ct.like.is_some() || ct.clone.is_some() {
        return Err(SqlError::unsupported("CREATE TABLE AS"));
    }
    let r = object_ref(&ct.name)?;
    if r.is_temp() && r.name.chars().count() > MAX_TEMP_NAME {
        return Err(SqlError::new(
            193,
            15,
            1,
            format!("The object or column name starting with '{}' is too long. The maximum length is 116 characters.", r.name),
        ));
    }
    if ct.columns.len() > MAX_COLUMNS {
        let extra = ct
            .columns
            .get(MAX_COLUMNS)
            .map(|c| c.name.value.clone())
            .unwrap_or_default();
        return Err(SqlError::new(
            1702,
            16,
            1,
            format!("CREATE TABLE failed because column '{extra}' in table '{}' exceeds the maximum of 1024 columns.", r.name),
        ));
    }
    if ct.columns.is_empty() {
        return Err(SqlError::syntax_near(")"));
    }
    let mut specs: Vec<ColumnSpec> = Vec::with_capacity(ct.columns.len());
    for (i, def) in ct.columns.into_iter().enumerate() {
        let spec = column_spec(i + 1, def, catalog, session)?;
        if specs
            .iter()
            .any(|s| s.column.name.eq_ignore_ascii_case(&spec.column.name))
        {
            return Err(SqlError::new(
                2705,
                16,
                3,
                format!("Column names in each table must be unique. Column name '{}' in table '{}' is specified more than once.", spec.column.name, r.name),
            ));
        }
        specs.push(spec);
    }
    if specs.iter().filter(|s| s.column.identity.is_some()).count() > 1 {
        return Err(SqlError::new(
            2744,
            16,
            2,
            format!("Multiple identity columns specified for table '{}'. Only one identity column per table is allowed.", r.name),
        ));
    }
    let object_id = next_object_id(r.is_temp());
    // (primary, optional name, columns)
    let mut keys: Vec<(bool, Option<String>, Vec<usize>)> = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        if let Some(n) = &s.primary {
            keys.push((true, n.clone(), vec![i]));
        }
        if let Some(n) = &s.unique {
            keys.push((false, n.clone(), vec![i]));
        }
    }
    for c in &ct.constraints {
        match c {
            TableConstraint::PrimaryKey(pk) => keys.push((
                true,
                pk.name.as_ref().map(|n| n.value.clone()),
                index_columns(&pk.columns, &specs)?,
            )),
            TableConstraint::Unique(u) => keys.push((
                false,
                u.name.as_ref().map(|n| n.value.clone()),
                index_columns(&u.columns, &specs)?,
            )),
            TableConstraint::Check(_) | TableConstraint::ForeignKey(_) => {}
            other => return Err(SqlError::unsupported(&other.to_string())),
        }
    }
    if keys.iter().filter(|k| k.0).count() > 1 {
        return Err(SqlError::new(
            8110,
            16,
            0,
            format!(
                "Cannot add multiple PRIMARY KEY constraints to table '{}'.",
                r.name
            ),
        ));
    }
    let mut constraints = Vec::new();
    for (n, (primary, name, cols)) in keys.into_iter().enumerate() {
        if primary {
            for &c in &cols {
                if let Some(spec) = specs.get_mut(c) {
                    if spec.explicit_null {
                        return Err(SqlError::new(
                            8111,
                            16,
                            1,
                            format!("Cannot define PRIMARY KEY constraint on nullable column in table '{}'.", r.name),
                        ));
                    }
                    spec.column.nullable = false;
                }
            }
        }
        let name = name.unwrap_or_else(|| {
            constraint_name(if primary { "PK" } else { "UQ" }, &r.name, object_id, n)
        });
        constraints.push(KeyConstraint::new(name, primary, cols));
    }
    let columns = specs.into_iter().map(|s| s.column).collect();
    catalog.create_table(
        session,
        &r,
        Table::new(object_id, r.name.clone(), columns, constraints),
    )
}

pub(crate) fn drop_tables(
    names: &[ObjectName],
    if_exists: bool,
    catalog: &Catalog,
    session: &mut Session,
) -> Result<(), SqlError> {
    let mut first_error = None;
    for name in names {
        let r = object_ref(name)?;
        if let Some(loc) = catalog.locate(session, &r) {
            if session.identity_insert.as_deref() == Some(loc.token().as_str()) {
                session.identity_insert = None;
            }
        }
        if !catalog.drop_table(session, &r) && !if_exists && first_error.is_none() {
            first_error = Some(SqlError::cannot_drop_table(&r.display()));
        }
    }
    first_error.map_or(Ok(()), Err)
}

pub(crate) fn truncate(t: &Truncate, catalog: &Catalog, session: &Session) -> Result<(), SqlError> {
    for target in &t.table_names {
        let r = object_ref(&target.name)?;
        let loc = catalog
            .find(session, &r)
            .map_err(|_| SqlError::object_not_found(&r.display()))?;
        catalog.write_at(session, &loc, Table::truncate);
    }
    Ok(())
}
