//! DELETE and UPDATE on one table with an optional WHERE.
//!
//! The rows are read without holding the lock (expressions may take it), the new contents are
//! computed, and then written if the table did not change meanwhile (else the statement is
//! re-run, a few times at most).

use super::catalog::{Catalog, Location};
use super::condition::predicate;
use super::convert::assign;
use super::error::SqlError;
use super::eval::{eval, Env, Row};
use super::names::{key, object_ref};
use super::session::Session;
use super::table::Table;
use sqlparser::ast::{
    AssignmentTarget, Delete, Expr, FromTable, TableFactor, TableWithJoins, Update,
};
use tds::value::Value;

const ATTEMPTS: usize = 4;

struct Snapshot {
    loc: Location,
    table: Table,
    qualifiers: Vec<String>,
}

fn snapshot(
    twj: &TableWithJoins,
    catalog: &Catalog,
    session: &Session,
) -> Result<Snapshot, SqlError> {
    if !twj.joins.is_empty() {
        return Err(SqlError::unsupported("JOIN"));
    }
    let TableFactor::Table {
        name,
        alias,
        args: None,
        ..
    } = &twj.relation
    else {
        return Err(SqlError::unsupported(&twj.relation.to_string()));
    };
    let r = object_ref(name)?;
    let loc = catalog.find(session, &r)?;
    let table = catalog
        .read_at(session, &loc, Table::clone)
        .ok_or_else(|| SqlError::invalid_object(&r.display()))?;
    let qualifiers = vec![alias
        .as_ref()
        .map_or_else(|| key(&r.name), |a| key(&a.name.value))];
    Ok(Snapshot {
        loc,
        table,
        qualifiers,
    })
}

fn matches(where_: &Option<Expr>, env: &Env<'_>) -> Result<bool, SqlError> {
    Ok(match where_ {
        Some(w) => predicate(w, env, 0)? == Some(true),
        None => true,
    })
}

/// Writes `rows` if the table is still at `version`; `Ok(false)` means it changed.
fn commit(
    catalog: &Catalog,
    session: &Session,
    snap: &Snapshot,
    rows: Vec<Vec<Value>>,
    verb: &str,
) -> Result<bool, SqlError> {
    catalog
        .write_at(session, &snap.loc, |t| {
            if t.version != snap.table.version || t.object_id != snap.table.object_id {
                return Ok(false);
            }
            t.replace_rows(rows, verb).map(|_| true)
        })
        .unwrap_or_else(|| Err(SqlError::invalid_object(&snap.table.name)))
}

pub(crate) fn delete(d: &Delete, catalog: &Catalog, session: &Session) -> Result<u64, SqlError> {
    if d.using.is_some()
        || d.returning.is_some()
        || d.output.is_some()
        || !d.order_by.is_empty()
        || d.limit.is_some()
        || !d.tables.is_empty()
    {
        return Err(SqlError::unsupported("DELETE"));
    }
    let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) = &d.from;
    let [twj] = from.as_slice() else {
        return Err(SqlError::unsupported("DELETE"));
    };
    for _ in 0..ATTEMPTS {
        let snap = snapshot(twj, catalog, session)?;
        if session.options.fmtonly {
            return Ok(0);
        }
        let mut kept = Vec::with_capacity(snap.table.rows.len());
        let mut removed = 0u64;
        for row in &snap.table.rows {
            let env = Env::new(catalog, session).with_row(Row {
                columns: &snap.table.columns,
                values: row,
                qualifiers: &snap.qualifiers,
            });
            if matches(&d.selection, &env)? {
                removed += 1;
            } else {
                kept.push(row.clone());
            }
        }
        if removed == 0 || commit(catalog, session, &snap, kept, "DELETE")? {
            return Ok(removed);
        }
    }
    Err(SqlError::new(1205, 13, 51, "Transaction was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction."))
}

pub(crate) fn update(u: &Update, catalog: &Catalog, session: &Session) -> Result<u64, SqlError> {
    if u.from.is_some()
        || u.returning.is_some()
        || u.output.is_some()
        || u.or.is_some()
        || u.limit.is_some()
    {
        return Err(SqlError::unsupported("UPDATE"));
    }
    for _ in 0..ATTEMPTS {
        let snap = snapshot(&u.table, catalog, session)?;
        let mut targets = Vec::with_capacity(u.assignments.len());
        for a in &u.assignments {
            let AssignmentTarget::ColumnName(n) = &a.target else {
                return Err(SqlError::unsupported(&a.target.to_string()));
            };
            let cname =
                n.0.last()
                    .and_then(|p| p.as_ident())
                    .map(|i| i.value.clone())
                    .unwrap_or_default();
            let idx = snap
                .table
                .column_index(&cname)
                .ok_or_else(|| SqlError::invalid_column(&cname))?;
            if snap
                .table
                .columns
                .get(idx)
                .is_some_and(|c| c.identity.is_some())
            {
                return Err(SqlError::new(
                    8102,
                    16,
                    1,
                    format!("Cannot update identity column '{cname}'."),
                ));
            }
            targets.push((idx, &a.value));
        }
        if session.options.fmtonly {
            return Ok(0);
        }
        let full_name = snap.table.full_name();
        let mut rows = Vec::with_capacity(snap.table.rows.len());
        let mut changed = 0u64;
        for row in &snap.table.rows {
            let env = Env::new(catalog, session).with_row(Row {
                columns: &snap.table.columns,
                values: row,
                qualifiers: &snap.qualifiers,
            });
            if !matches(&u.selection, &env)? {
                rows.push(row.clone());
                continue;
            }
            changed += 1;
            let mut new_row = row.clone();
            for (idx, e) in &targets {
                let Some(col) = snap.table.columns.get(*idx) else {
                    continue;
                };
                let v = if matches!(e, Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("DEFAULT"))
                {
                    match &col.default {
                        Some(d) => assign(
                            &eval(d, &Env::new(catalog, session), 0)?,
                            &col.ty,
                            &col.name,
                            &full_name,
                        )?,
                        None => Value::Null,
                    }
                } else {
                    assign(&eval(e, &env, 0)?, &col.ty, &col.name, &full_name)?
                };
                if let Some(slot) = new_row.get_mut(*idx) {
                    *slot = v;
                }
            }
            rows.push(new_row);
        }
        if changed == 0 || commit(catalog, session, &snap, rows, "UPDATE")? {
            return Ok(changed);
        }
    }
    Err(SqlError::new(1205, 13, 51, "Transaction was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction."))
}
