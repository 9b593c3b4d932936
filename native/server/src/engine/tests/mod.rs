//! Batch-level tests: SQL in, outcomes out.
//!
//! Tests marked "needs tds text conversions" rely on `tds::value::text::parse_text` (string
//! literals into numeric, date/time and uniqueidentifier columns) and pass once the codec
//! implements it.

mod batches;
mod bulk_api;
mod ddl_tests;
mod insert_tests;
mod large_types;
mod robustness;
mod select_tests;
mod system_tests;
mod transaction_tests;

use super::{execute_batch, Catalog, Outcome, Session, SqlError};
use tds::types::ColumnMeta;
use tds::value::Value;

pub(super) struct Db {
    pub catalog: Catalog,
    pub session: Session,
}

impl Db {
    pub fn new() -> Db {
        Db {
            catalog: Catalog::new(),
            session: Session::new("sluice"),
        }
    }

    /// A second connection to the same catalog.
    pub fn other_session(&self) -> Db {
        Db {
            catalog: self.catalog.clone(),
            session: Session::new("sluice"),
        }
    }

    pub fn exec(&mut self, sql: &str) -> Vec<Outcome> {
        execute_batch(&self.catalog, &mut self.session, sql)
    }

    /// Runs a batch that must not fail.
    pub fn ok(&mut self, sql: &str) -> Vec<Outcome> {
        let out = self.exec(sql);
        if let Some(e) = errors(&out).first() {
            panic!("{sql}: unexpected error {e}");
        }
        out
    }

    /// The single result set of a batch.
    pub fn result(&mut self, sql: &str) -> (Vec<ColumnMeta>, Vec<Vec<Value>>) {
        let sets: Vec<_> = self
            .ok(sql)
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Rows { columns, rows } => Some((columns, rows)),
                _ => None,
            })
            .collect();
        assert_eq!(
            sets.len(),
            1,
            "{sql}: expected one result set, got {sets:?}"
        );
        sets.into_iter().next().unwrap()
    }

    pub fn rows(&mut self, sql: &str) -> Vec<Vec<Value>> {
        self.result(sql).1
    }

    pub fn meta(&mut self, sql: &str) -> Vec<ColumnMeta> {
        self.result(sql).0
    }

    /// The single value of a one-row, one-column result.
    pub fn scalar(&mut self, sql: &str) -> Value {
        let rows = self.rows(sql);
        assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
        rows[0][0].clone()
    }

    /// The first error of a batch that must fail.
    pub fn error(&mut self, sql: &str) -> SqlError {
        let out = self.exec(sql);
        errors(&out)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{sql}: expected an error, got {out:?}"))
    }

    pub fn count(&mut self, table: &str) -> i32 {
        match self.scalar(&format!("SELECT COUNT(*) FROM {table}")) {
            Value::Int(n) => n,
            other => panic!("count: {other:?}"),
        }
    }
}

pub(super) fn errors(out: &[Outcome]) -> Vec<SqlError> {
    out.iter()
        .filter_map(|o| match o {
            Outcome::Error(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn s(v: &str) -> Value {
    Value::String(v.to_string())
}
