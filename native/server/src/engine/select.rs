//! SELECT: one table (or none, or a catalog view), a select list of columns, expressions and
//! aggregates, WHERE, ORDER BY, TOP. No joins, GROUP BY, DISTINCT or subqueries.

use super::aggregate::{aggregate_parts, aggregate_row, aggregate_type};
use super::catalog::{Catalog, Column};
use super::condition::predicate;
use super::convert::cast;
use super::error::SqlError;
use super::eval::{eval, Env, Row};
use super::functions::is_aggregate;
use super::names::{key, object_ref};
use super::order_by::sort_rows;
use super::session::Session;
use super::system_views;
use super::type_decl::column_meta;
use super::typed::Typed;
use sqlparser::ast::{
    Expr, Function, GroupByExpr, Query, SelectItem, SelectItemQualifiedWildcardKind, SetExpr,
    TableFactor, TopQuantity,
};
use tds::types::ColumnMeta;
use tds::value::Value;

/// The rows a SELECT reads: a snapshot of a table or catalog view.
#[derive(Debug, Clone, Default)]
pub(crate) struct Source {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    pub qualifiers: Vec<String>,
}

/// A query result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResultSet {
    pub columns: Vec<ColumnMeta>,
    pub rows: Vec<Vec<Value>>,
}

pub(crate) enum Item<'q> {
    Column { index: usize, name: String },
    Expr { expr: &'q Expr, name: String },
    Aggregate { func: &'q Function, name: String },
}

pub(crate) fn unsupported_if(cond: bool, what: &str) -> Result<(), SqlError> {
    if cond {
        Err(SqlError::unsupported(what))
    } else {
        Ok(())
    }
}

/// Reads the FROM table into a [`Source`]; `limit` caps the rows copied when nothing but TOP
/// needs them.
fn load_source(
    relation: &TableFactor,
    catalog: &Catalog,
    session: &Session,
    limit: Option<usize>,
) -> Result<Source, SqlError> {
    let TableFactor::Table {
        name,
        alias,
        args: None,
        version: None,
        ..
    } = relation
    else {
        return Err(SqlError::unsupported(&relation.to_string()));
    };
    let r = object_ref(name)?;
    let qualifiers = vec![match alias {
        Some(a) => key(&a.name.value),
        None => key(&r.name),
    }];
    if let Some(view) = system_views::source(catalog, session, &r) {
        return view.map(|s| Source { qualifiers, ..s });
    }
    let loc = catalog.find(session, &r)?;
    catalog
        .read_at(session, &loc, |t| Source {
            columns: t.columns.clone(),
            rows: match limit {
                Some(n) => t.rows.iter().take(n).cloned().collect(),
                None => t.rows.clone(),
            },
            qualifiers: qualifiers.clone(),
        })
        .ok_or_else(|| SqlError::invalid_object(&r.display()))
}

fn top_count(
    q: &Option<TopQuantity>,
    percent: bool,
    env: &Env<'_>,
) -> Result<Option<(u64, bool)>, SqlError> {
    let n = match q {
        None => return Ok(None),
        Some(TopQuantity::Constant(n)) => *n,
        Some(TopQuantity::Expr(e)) => {
            let t = eval(e, env, 0)?;
            match super::numeric::num_of(&t.value).and_then(|n| n.to_integer(false)) {
                Some(n) if n >= 0 => u64::try_from(n).unwrap_or(u64::MAX),
                _ => return Err(SqlError::new(1060, 15, 1, "The number of rows provided for a TOP or FETCH clauses row count parameter must be an integer.")),
            }
        }
    };
    Ok(Some((n, percent)))
}

/// Runs a query. With `metadata_only` (SET FMTONLY ON) no rows are read.
pub(crate) fn run_query(
    q: &Query,
    catalog: &Catalog,
    session: &Session,
    metadata_only: bool,
) -> Result<ResultSet, SqlError> {
    unsupported_if(q.with.is_some(), "WITH")?;
    unsupported_if(q.limit_clause.is_some() || q.fetch.is_some(), "OFFSET")?;
    unsupported_if(q.for_clause.is_some(), "FOR")?;
    unsupported_if(
        !q.locks.is_empty() || !q.pipe_operators.is_empty() || q.settings.is_some(),
        &q.to_string(),
    )?;
    let SetExpr::Select(sel) = q.body.as_ref() else {
        return Err(SqlError::unsupported(&q.body.to_string()));
    };
    unsupported_if(sel.distinct.is_some(), "DISTINCT")?;
    unsupported_if(sel.into.is_some(), "INTO")?;
    unsupported_if(sel.having.is_some(), "HAVING")?;
    unsupported_if(
        !matches!(&sel.group_by, GroupByExpr::Expressions(g, m) if g.is_empty() && m.is_empty()),
        "GROUP BY",
    )?;
    unsupported_if(
        sel.from.len() > 1 || sel.from.iter().any(|f| !f.joins.is_empty()),
        "JOIN",
    )?;
    let env0 = Env::new(catalog, session);
    let top = match &sel.top {
        Some(t) => {
            unsupported_if(t.with_ties, "WITH TIES")?;
            top_count(&t.quantity, t.percent, &env0)?
        }
        None => None,
    };
    let plain_scan = sel.selection.is_none() && q.order_by.is_none();
    let limit = match (top, plain_scan) {
        (Some((n, false)), true) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
        _ => None,
    };
    let source = match sel.from.first() {
        Some(f) => Some(load_source(
            &f.relation,
            catalog,
            session,
            if metadata_only { Some(0) } else { limit },
        )?),
        None => None,
    };
    let empty = Source::default();
    let src = source.as_ref().unwrap_or(&empty);
    let items = select_items(&sel.projection, source.as_ref())?;
    let null_row = Row {
        columns: &src.columns,
        values: &[],
        qualifiers: &src.qualifiers,
    };
    let columns = describe(&items, src, &env0.with_row(null_row))?;
    if metadata_only {
        return Ok(ResultSet {
            columns,
            rows: Vec::new(),
        });
    }
    // The rows that pass WHERE (a FROM-less SELECT has one empty row).
    let mut matching: Vec<&[Value]> = Vec::new();
    let all: Vec<&[Value]> = if source.is_some() {
        src.rows.iter().map(Vec::as_slice).collect()
    } else {
        vec![&[]]
    };
    for values in all {
        let env = if source.is_some() {
            env0.with_row(row_of(src, values))
        } else {
            env0
        };
        let keep = match &sel.selection {
            Some(w) => predicate(w, &env, 0)? == Some(true),
            None => true,
        };
        if keep {
            matching.push(values);
        }
    }
    let has_aggregate = items.iter().any(|i| matches!(i, Item::Aggregate { .. }));
    let mut rows: Vec<Vec<Value>> = if has_aggregate {
        vec![aggregate_row(&items, &matching, src, &env0, &columns)?]
    } else {
        let mut out = Vec::with_capacity(matching.len());
        for values in &matching {
            let env = env0.with_row(row_of(src, values));
            out.push(project(&items, values, &env, &columns)?);
        }
        if let Some(ob) = &q.order_by {
            sort_rows(&mut out, &matching, ob, &items, &env0, src)?;
        }
        out
    };
    let mut cap = match top {
        Some((n, true)) => (rows.len() as u128 * u128::from(n.min(100))).div_ceil(100) as u64,
        Some((n, false)) => n,
        None => u64::MAX,
    };
    if session.options.rowcount > 0 {
        cap = cap.min(session.options.rowcount);
    }
    rows.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
    Ok(ResultSet { columns, rows })
}

fn select_items<'q>(
    projection: &'q [SelectItem],
    source: Option<&Source>,
) -> Result<Vec<Item<'q>>, SqlError> {
    let mut items = Vec::new();
    let no_table = || SqlError::new(263, 16, 1, "Must specify table to select from.");
    for p in projection {
        match p {
            SelectItem::Wildcard(_) => {
                let s = source.ok_or_else(no_table)?;
                items.extend(s.columns.iter().enumerate().map(|(index, c)| Item::Column {
                    index,
                    name: c.name.clone(),
                }));
            }
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(q), _) => {
                let s = source.ok_or_else(no_table)?;
                let qual =
                    q.0.last()
                        .and_then(|p| p.as_ident())
                        .map(|i| key(&i.value))
                        .unwrap_or_default();
                if !s.qualifiers.contains(&qual) {
                    return Err(SqlError::unbound_identifier(&q.to_string()));
                }
                items.extend(s.columns.iter().enumerate().map(|(index, c)| Item::Column {
                    index,
                    name: c.name.clone(),
                }));
            }
            SelectItem::UnnamedExpr(e) => items.push(item(e, None, source)),
            SelectItem::ExprWithAlias { expr, alias } => {
                items.push(item(expr, Some(alias.value.clone()), source))
            }
            other => return Err(SqlError::unsupported(&other.to_string())),
        }
    }
    Ok(items)
}

fn item<'q>(e: &'q Expr, alias: Option<String>, source: Option<&Source>) -> Item<'q> {
    let column_name = match e {
        Expr::Identifier(i) => Some(i.value.as_str()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.as_str()),
        _ => None,
    };
    if let (Some(n), Some(s)) = (column_name, source) {
        if let Some(index) = s
            .columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(n))
        {
            if matches!(e, Expr::Identifier(_)) {
                let name = alias.unwrap_or_else(|| {
                    s.columns
                        .get(index)
                        .map(|c| c.name.clone())
                        .unwrap_or_default()
                });
                return Item::Column { index, name };
            }
        }
    }
    if let Expr::Function(f) = e {
        if f.name.0.len() == 1
            && f.name
                .0
                .first()
                .and_then(|p| p.as_ident())
                .is_some_and(|i| is_aggregate(&i.value))
        {
            return Item::Aggregate {
                func: f,
                name: alias.unwrap_or_default(),
            };
        }
    }
    let name = alias
        .or_else(|| column_name.map(str::to_string))
        .unwrap_or_default();
    Item::Expr { expr: e, name }
}

fn describe(items: &[Item<'_>], src: &Source, env: &Env<'_>) -> Result<Vec<ColumnMeta>, SqlError> {
    items
        .iter()
        .map(|i| match i {
            Item::Column { index, name } => {
                let c = src
                    .columns
                    .get(*index)
                    .ok_or_else(|| SqlError::invalid_column(name))?;
                Ok(ColumnMeta {
                    name: name.clone(),
                    ..c.meta()
                })
            }
            Item::Expr { expr, name } => {
                let t = eval(expr, env, 0)?;
                Ok(column_meta(name, t.ty, t.nullable, false, false))
            }
            Item::Aggregate { func, name } => {
                let (agg, arg) = aggregate_parts(func)?;
                let arg_t = arg.map(|a| eval(a, env, 0)).transpose()?;
                Ok(column_meta(
                    name,
                    aggregate_type(&agg, arg_t.as_ref()),
                    true,
                    false,
                    false,
                ))
            }
        })
        .collect()
}

pub(crate) fn fit(t: Typed, meta: Option<&ColumnMeta>) -> Result<Value, SqlError> {
    match meta {
        Some(m) if m.type_info.ty != t.ty && !t.is_null() => Ok(cast(&t, &m.type_info.ty)?.value),
        _ => Ok(t.value),
    }
}

fn project(
    items: &[Item<'_>],
    values: &[Value],
    env: &Env<'_>,
    metas: &[ColumnMeta],
) -> Result<Vec<Value>, SqlError> {
    items
        .iter()
        .enumerate()
        .map(|(k, i)| match i {
            Item::Column { index, .. } => Ok(values.get(*index).cloned().unwrap_or(Value::Null)),
            Item::Expr { expr, .. } => fit(eval(expr, env, 0)?, metas.get(k)),
            Item::Aggregate { .. } => Ok(Value::Null),
        })
        .collect()
}

pub(crate) fn row_of<'a>(src: &'a Source, values: &'a [Value]) -> Row<'a> {
    Row {
        columns: &src.columns,
        values,
        qualifiers: &src.qualifiers,
    }
}
