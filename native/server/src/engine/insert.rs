//! INSERT … VALUES / SELECT / DEFAULT VALUES, and the row store shared with the bulk path.
//!
//! Every value is converted before the table is locked; the locked step only hands out
//! identity values, checks NOT NULL and keys, and appends — all rows or none.

use super::catalog::{Catalog, Column, Location};
use super::convert::assign;
use super::error::SqlError;
use super::eval::{eval, Env};
use super::names::object_ref;
use super::select::run_query;
use super::session::Session;
use super::typed::Typed;
use sqlparser::ast::{Expr, Insert, SetExpr, TableObject};
use tds::types::SqlType;
use tds::value::{Decimal, Value};

/// SQL Server's limit on rows in one VALUES clause.
const MAX_VALUES_ROWS: usize = 1000;

/// A table's shape, read once per statement.
pub(crate) struct Target {
    pub loc: Location,
    pub object_id: i32,
    pub name: String,
    pub full_name: String,
    pub columns: Vec<Column>,
}

impl Target {
    pub fn read(
        catalog: &Catalog,
        session: &Session,
        loc: Location,
        display: &str,
    ) -> Result<Target, SqlError> {
        catalog
            .read_at(session, &loc, |t| {
                (
                    t.object_id,
                    t.name.clone(),
                    t.full_name(),
                    t.columns.clone(),
                )
            })
            .map(|(object_id, name, full_name, columns)| Target {
                loc: loc.clone(),
                object_id,
                name,
                full_name,
                columns,
            })
            .ok_or_else(|| SqlError::invalid_object(display))
    }

    pub fn identity_insert_on(&self, session: &Session) -> bool {
        session.identity_insert.as_deref() == Some(self.loc.token().as_str())
    }

    /// The column's DEFAULT (or NULL), converted to the column type.
    pub fn default_value(
        &self,
        col: &Column,
        catalog: &Catalog,
        session: &Session,
    ) -> Result<Value, SqlError> {
        match &col.default {
            Some(e) => assign(
                &eval(e, &Env::new(catalog, session), 0)?,
                &col.ty,
                &col.name,
                &self.full_name,
            ),
            None => Ok(Value::Null),
        }
    }
}

fn identity_value(ty: &SqlType, v: i128) -> Result<Value, SqlError> {
    let t = Typed::not_null(
        Value::Decimal(Decimal {
            mantissa: v,
            scale: 0,
        }),
        SqlType::Numeric {
            precision: 38,
            scale: 0,
        },
    );
    match super::convert::cast(&t, ty) {
        Ok(t) => Ok(t.value),
        Err(_) => Err(SqlError::new(
            8115,
            16,
            1,
            format!(
                "Arithmetic overflow error converting IDENTITY to data type {}.",
                super::type_decl::base_name(ty)
            ),
        )),
    }
}

fn value_as_i128(v: &Value) -> Option<i128> {
    match super::numeric::num_of(v)? {
        super::numeric::Num::Int(i) => Some(i),
        super::numeric::Num::Dec { m, s: 0 } => Some(m),
        _ => None,
    }
}

/// Appends converted rows. When `generate_identity`, the identity column's values are handed
/// out here; otherwise the given values are kept and move the identity counter on.
/// Returns the row count and the last identity value generated.
pub(crate) fn store(
    catalog: &Catalog,
    session: &Session,
    target: &Target,
    mut rows: Vec<Vec<Value>>,
    generate_identity: bool,
) -> Result<(u64, Option<i128>), SqlError> {
    let result = catalog.append_at(session, &target.loc, |t| {
        if t.object_id != target.object_id {
            return Err(SqlError::invalid_object(&target.name));
        }
        let mut last = None;
        if let Some(ic) = t.identity_column() {
            let ty = t.columns.get(ic).map(|c| c.ty).unwrap_or(SqlType::Int);
            for row in &mut rows {
                let Some(slot) = row.get_mut(ic) else {
                    continue;
                };
                if generate_identity {
                    let v = t.next_identity().unwrap_or(1);
                    *slot = identity_value(&ty, v)?;
                    last = Some(v);
                } else if let Some(v) = value_as_i128(slot) {
                    t.observe_identity(v);
                } else {
                    return Err(SqlError::new(
                        339,
                        16,
                        1,
                        "DEFAULT or NULL are not allowed as explicit identity values.",
                    ));
                }
            }
        }
        let n = t.append(rows, "INSERT")?;
        Ok((n, last))
    });
    let (n, last) = result.ok_or_else(|| SqlError::invalid_object(&target.name))??;
    if let Some(v) = last {
        session.set_last_identity(v);
    }
    Ok((n, last))
}

/// One value of a VALUES row: an expression's result, or the DEFAULT keyword.
enum Supplied {
    Value(Typed),
    Default,
}

fn is_default_keyword(e: &Expr) -> bool {
    matches!(e, Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("DEFAULT"))
}

pub(crate) fn insert(ins: &Insert, catalog: &Catalog, session: &Session) -> Result<u64, SqlError> {
    if ins.or.is_some()
        || ins.ignore
        || ins.overwrite
        || ins.partitioned.is_some()
        || ins.on.is_some()
        || ins.returning.is_some()
    {
        return Err(SqlError::unsupported("INSERT"));
    }
    if ins.output.is_some() {
        return Err(SqlError::unsupported("OUTPUT"));
    }
    let TableObject::TableName(name) = &ins.table else {
        return Err(SqlError::unsupported(&ins.table.to_string()));
    };
    let r = object_ref(name)?;
    let loc = catalog.find(session, &r)?;
    let target = Target::read(catalog, session, loc, &r.display())?;
    let identity_insert = target.identity_insert_on(session);
    let identity_col = target.columns.iter().position(|c| c.identity.is_some());
    let explicit_list = !ins.columns.is_empty();

    let mut targets = Vec::with_capacity(ins.columns.len());
    for c in &ins.columns {
        let cname =
            c.0.last()
                .and_then(|p| p.as_ident())
                .map(|i| i.value.clone())
                .unwrap_or_default();
        let idx = target
            .columns
            .iter()
            .position(|col| col.name.eq_ignore_ascii_case(&cname))
            .ok_or_else(|| SqlError::invalid_column(&cname))?;
        if targets.contains(&idx) {
            return Err(SqlError::new(
                264,
                16,
                1,
                format!("The column name '{cname}' is specified more than once in the SET clause or column list of an INSERT. A column cannot be assigned more than one value in the same clause. Modify the clause to make sure that a column is updated only once. If the SET clause updates columns of a view, then the column name '{cname}' may appear twice in the view definition."),
            ));
        }
        targets.push(idx);
    }
    if explicit_list {
        let lists_identity = identity_col.is_some_and(|i| targets.contains(&i));
        if lists_identity && !identity_insert {
            return Err(SqlError::new(
                544,
                16,
                1,
                format!("Cannot insert explicit value for identity column in table '{}' when IDENTITY_INSERT is set to OFF.", target.name),
            ));
        }
        if identity_insert && !lists_identity {
            return Err(SqlError::new(
                545,
                16,
                1,
                format!("Explicit value must be specified for identity column in table '{}' either when IDENTITY_INSERT is set to ON or when a replication user is inserting into a NOT FOR REPLICATION identity column.", target.name),
            ));
        }
    } else if ins.source.is_some() {
        if identity_insert && identity_col.is_some() {
            return Err(SqlError::new(
                8101,
                16,
                1,
                format!("An explicit value for the identity column in table '{}' can only be specified when a column list is used and IDENTITY_INSERT is ON.", target.name),
            ));
        }
        targets = (0..target.columns.len())
            .filter(|i| Some(*i) != identity_col)
            .collect();
    }

    let supplied = supplied_rows(ins, &targets, explicit_list, catalog, session)?;
    if session.options.fmtonly {
        return Ok(0);
    }
    let mut rows = Vec::with_capacity(supplied.len());
    for row in supplied {
        let mut full = Vec::with_capacity(target.columns.len());
        for (j, col) in target.columns.iter().enumerate() {
            let given = targets
                .iter()
                .position(|t| *t == j)
                .and_then(|k| row.get(k));
            let v = match given {
                Some(Supplied::Value(t)) => assign(t, &col.ty, &col.name, &target.full_name)?,
                Some(Supplied::Default) if col.identity.is_some() => {
                    return Err(SqlError::new(
                        339,
                        16,
                        1,
                        "DEFAULT or NULL are not allowed as explicit identity values.",
                    ))
                }
                Some(Supplied::Default) | None if col.identity.is_none() => {
                    target.default_value(col, catalog, session)?
                }
                _ => Value::Null,
            };
            full.push(v);
        }
        rows.push(full);
    }
    let (n, _) = store(catalog, session, &target, rows, !identity_insert)?;
    Ok(n)
}

fn count_error(explicit_list: bool, more_values: bool) -> SqlError {
    match (explicit_list, more_values) {
        (true, true) => SqlError::new(110, 15, 1, "There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement."),
        (true, false) => SqlError::new(109, 15, 1, "There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement."),
        (false, _) => SqlError::new(213, 16, 1, "Column name or number of supplied values does not match table definition."),
    }
}

fn supplied_rows(
    ins: &Insert,
    targets: &[usize],
    explicit_list: bool,
    catalog: &Catalog,
    session: &Session,
) -> Result<Vec<Vec<Supplied>>, SqlError> {
    let Some(source) = &ins.source else {
        return Ok(vec![Vec::new()]);
    };
    let env = Env::new(catalog, session);
    match source.body.as_ref() {
        SetExpr::Values(values) if source.order_by.is_none() && source.with.is_none() => {
            if values.rows.len() > MAX_VALUES_ROWS {
                return Err(SqlError::new(
                    10738,
                    15,
                    1,
                    "The number of row value expressions in the INSERT statement exceeds the maximum allowed number of 1000 row values.",
                ));
            }
            let mut rows = Vec::with_capacity(values.rows.len());
            for row in &values.rows {
                let exprs = &row.content;
                if exprs.len() != targets.len() {
                    return Err(count_error(explicit_list, exprs.len() > targets.len()));
                }
                let mut out = Vec::with_capacity(exprs.len());
                for e in exprs {
                    out.push(if is_default_keyword(e) {
                        Supplied::Default
                    } else {
                        Supplied::Value(eval(e, &env, 0)?)
                    });
                }
                rows.push(out);
            }
            Ok(rows)
        }
        _ => {
            let rs = run_query(source, catalog, session, false)?;
            if rs.columns.len() != targets.len() {
                return Err(if rs.columns.len() < targets.len() {
                    SqlError::new(120, 15, 1, "The select list for the INSERT statement contains fewer items than the insert list. The number of SELECT values must match the number of INSERT columns.")
                } else {
                    SqlError::new(121, 15, 1, "The select list for the INSERT statement contains more items than the insert list. The number of SELECT values must match the number of INSERT columns.")
                });
            }
            Ok(rs
                .rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .zip(&rs.columns)
                        .map(|(value, m)| {
                            Supplied::Value(Typed {
                                value,
                                ty: m.type_info.ty,
                                nullable: m.is_nullable(),
                            })
                        })
                        .collect()
                })
                .collect())
        }
    }
}
