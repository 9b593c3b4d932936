//! One table: its columns, rows, identity counter and PRIMARY KEY / UNIQUE constraints.

use super::error::SqlError;
use super::type_decl::column_meta;
use super::value_text::display_value;
use sqlparser::ast::Expr;
use std::collections::HashSet;
use std::sync::Arc;
use tds::types::{ColumnMeta, SqlType};
use tds::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IdentitySpec {
    pub seed: i128,
    pub increment: i128,
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: String,
    pub ty: SqlType,
    pub nullable: bool,
    pub identity: Option<IdentitySpec>,
    /// The DEFAULT expression, evaluated at insert time.
    pub default: Option<Arc<Expr>>,
    /// The collation name of a character column, as SQL Server spells it.
    pub collation_name: Option<String>,
}

impl Column {
    pub fn meta(&self) -> ColumnMeta {
        column_meta(
            &self.name,
            self.ty,
            self.nullable,
            self.identity.is_some(),
            true,
        )
    }
}

/// A PRIMARY KEY or UNIQUE constraint, enforced with a set of normalised key values.
#[derive(Debug, Clone)]
pub(crate) struct KeyConstraint {
    pub name: String,
    pub primary: bool,
    pub columns: Vec<usize>,
    keys: HashSet<Vec<u8>>,
}

impl KeyConstraint {
    pub fn new(name: String, primary: bool, columns: Vec<usize>) -> Self {
        KeyConstraint {
            name,
            primary,
            columns,
            keys: HashSet::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub object_id: i32,
    /// The database's display name (`tempdb` for temp tables); set by the catalog.
    pub database: String,
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// The last identity value handed out; `None` until the first insert (or after TRUNCATE).
    pub identity_current: Option<i128>,
    pub constraints: Vec<KeyConstraint>,
    /// Bumped on every change, so that a statement that read the rows without a lock can tell
    /// whether they changed before it writes.
    pub version: u64,
}

/// Appends a normalised form of `v` to `out`: values that compare equal under the default
/// case-insensitive collation (trailing spaces ignored) get the same bytes.
fn push_key_part(v: &Value, out: &mut Vec<u8>) {
    let text = match v {
        Value::Null => "\u{0}NULL".to_string(),
        Value::String(s) => format!("s{}", s.trim_end_matches(' ').to_lowercase()),
        Value::Decimal(d) => {
            let (mut m, mut s) = (d.mantissa, d.scale);
            while s > 0 && m % 10 == 0 {
                m /= 10;
                s -= 1;
            }
            format!("d{m}e{s}")
        }
        Value::Real(f) => format!("f{}", if *f == 0.0 { 0.0 } else { *f }),
        Value::Float(f) => format!("f{}", if *f == 0.0 { 0.0 } else { *f }),
        other => format!("{other:?}"),
    };
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn key_of(row: &[Value], columns: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in columns {
        push_key_part(row.get(*c).unwrap_or(&Value::Null), &mut out);
    }
    out
}

impl Table {
    pub fn new(
        object_id: i32,
        name: String,
        columns: Vec<Column>,
        constraints: Vec<KeyConstraint>,
    ) -> Self {
        Table {
            object_id,
            database: String::new(),
            name,
            columns,
            rows: Vec::new(),
            identity_current: None,
            constraints,
            version: 0,
        }
    }

    /// `db.dbo.name`, as SQL Server names the table in error messages.
    pub fn full_name(&self) -> String {
        format!("{}.dbo.{}", self.database, self.name)
    }

    pub fn identity_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.identity.is_some())
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Hands out the next identity value.
    pub fn next_identity(&mut self) -> Option<i128> {
        let spec = self.columns.iter().find_map(|c| c.identity)?;
        let next = match self.identity_current {
            None => spec.seed,
            Some(cur) => cur.saturating_add(spec.increment),
        };
        self.identity_current = Some(next);
        Some(next)
    }

    /// Notes an explicitly inserted identity value (IDENTITY_INSERT ON): the counter moves past
    /// it in the direction of the increment.
    pub fn observe_identity(&mut self, v: i128) {
        let Some(spec) = self.columns.iter().find_map(|c| c.identity) else {
            return;
        };
        let beyond = match self.identity_current {
            None => true,
            Some(cur) => (spec.increment > 0 && v > cur) || (spec.increment < 0 && v < cur),
        };
        if beyond {
            self.identity_current = Some(v);
        }
    }

    /// Checks `rows` against the NOT NULL columns and the key constraints, then appends them
    /// all — or none, on the first violation (error 515 or 2627).
    pub fn append(&mut self, rows: Vec<Vec<Value>>, verb: &str) -> Result<u64, SqlError> {
        for row in &rows {
            for (col, v) in self.columns.iter().zip(row) {
                if !col.nullable && matches!(v, Value::Null) {
                    return Err(SqlError::null_not_allowed(
                        &col.name,
                        &self.full_name(),
                        verb,
                    ));
                }
            }
        }
        let mut added: Vec<Vec<Vec<u8>>> = vec![Vec::new(); self.constraints.len()];
        for row in &rows {
            for (ci, c) in self.constraints.iter().enumerate() {
                let k = key_of(row, &c.columns);
                if c.keys.contains(&k) || added[ci].contains(&k) {
                    return Err(self.duplicate_key(ci, row));
                }
                added[ci].push(k);
            }
        }
        for (c, keys) in self.constraints.iter_mut().zip(added) {
            c.keys.extend(keys);
        }
        let n = rows.len() as u64;
        self.rows.extend(rows);
        self.version += 1;
        Ok(n)
    }

    fn duplicate_key(&self, ci: usize, row: &[Value]) -> SqlError {
        let Some(c) = self.constraints.get(ci) else {
            return SqlError::new(2627, 14, 1, "Violation of constraint.");
        };
        let shown: Vec<String> = c
            .columns
            .iter()
            .map(|i| match row.get(*i) {
                None | Some(Value::Null) => "<NULL>".to_string(),
                Some(v) => display_value(v),
            })
            .collect();
        SqlError::new(
            2627,
            14,
            1,
            format!(
                "Violation of {} constraint '{}'. Cannot insert duplicate key in object 'dbo.{}'. The duplicate key value is ({}).",
                if c.primary { "PRIMARY KEY" } else { "UNIQUE KEY" },
                c.name,
                self.name,
                shown.join(", ")
            ),
        )
    }

    /// Replaces all rows (DELETE, UPDATE), re-checking the key constraints first; on a
    /// violation nothing changes.
    pub fn replace_rows(&mut self, rows: Vec<Vec<Value>>, verb: &str) -> Result<(), SqlError> {
        let mut fresh = self.clone_empty();
        fresh.append(rows, verb)?;
        self.rows = fresh.rows;
        self.constraints = fresh.constraints;
        self.version += 1;
        Ok(())
    }

    fn clone_empty(&self) -> Table {
        let constraints = self
            .constraints
            .iter()
            .map(|c| KeyConstraint::new(c.name.clone(), c.primary, c.columns.clone()))
            .collect();
        Table {
            rows: Vec::new(),
            constraints,
            ..Table::new(
                self.object_id,
                self.name.clone(),
                self.columns.clone(),
                Vec::new(),
            )
        }
    }

    /// Removes `count` rows from position `from`, and their keys from the constraints (the
    /// undo of an append; the identity counter stays where it is, as in SQL Server).
    pub fn remove_range(&mut self, from: usize, count: usize) {
        let end = from.saturating_add(count).min(self.rows.len());
        if from >= end {
            return;
        }
        for row in self.rows.drain(from..end) {
            for c in &mut self.constraints {
                let k = key_of(&row, &c.columns);
                c.keys.remove(&k);
            }
        }
        self.version += 1;
    }

    /// TRUNCATE TABLE: no rows, identity back to its seed.
    pub fn truncate(&mut self) {
        self.rows.clear();
        for c in &mut self.constraints {
            c.keys.clear();
        }
        self.identity_current = None;
        self.version += 1;
    }
}
