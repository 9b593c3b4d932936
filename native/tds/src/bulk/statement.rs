//! The `INSERT BULK` statement sent as a SQL batch before the bulk-load message.
//!
//! INSERT BULK is the "external tool only" form of INSERT documented in the T-SQL reference
//! (INSERT (Transact-SQL), syntax for external tools):
//!
//! ```text
//! INSERT BULK table ( column type [COLLATE name] [, …] )
//!   [ WITH ( [CHECK_CONSTRAINTS] [FIRE_TRIGGERS] [KEEP_NULLS] [KILOBYTES_PER_BATCH = n]
//!            [ROWS_PER_BATCH = n] [ORDER ( column [ASC | DESC] [, …] )] [TABLOCK] ) ]
//! ```
//!
//! The spellings are the ones the established clients send: Microsoft.Data.SqlClient
//! (`SqlBulkCopy.AnalyzeTargetAndCreateUpdateBulkCommand`: `KEEP_NULLS`, `TABLOCK`,
//! `CHECK_CONSTRAINTS`, `FIRE_TRIGGERS`, `ORDER([c] ASC, …)`), go-mssqldb (`bulkcopy.go`:
//! also `KILOBYTES_PER_BATCH = n` and `ROWS_PER_BATCH = n`) and tedious (`bulk-load.ts`
//! `getOptionsSql`). There is no keep-identity hint: SqlBulkCopy with `KeepIdentity` lists the
//! identity column (and sends its values), and without it leaves the column out so the server
//! generates the values; [`BulkColumn::is_loaded`] does the same.

use super::names::{quote_identifier, quote_multipart};
use super::{BulkColumn, BulkOptions};
use crate::types::SqlType;

/// `INSERT BULK [dbo].[t] ([a] int, [b] nvarchar(50) COLLATE Latin1_General_CI_AS, …)
/// WITH (…)` for the columns of `cols` that are loaded with `opts` (never computed columns;
/// identity columns only with `keep_identity`). Types are spelled by [`SqlType::sql_name`];
/// COLLATE is added to char/varchar/nchar/nvarchar columns that have a collation name made of
/// letters, digits and underscores (every SQL Server collation name is), so a bogus name can
/// never change the statement.
pub fn insert_bulk_statement(table: &[String], cols: &[BulkColumn], opts: &BulkOptions) -> String {
    let columns: Vec<String> = cols
        .iter()
        .filter(|c| c.is_loaded(opts))
        .map(column_definition)
        .collect();
    let mut sql = format!(
        "INSERT BULK {} ({})",
        quote_multipart(table),
        columns.join(", ")
    );
    let hints = hints(opts);
    if !hints.is_empty() {
        sql.push_str(" WITH (");
        sql.push_str(&hints.join(", "));
        sql.push(')');
    }
    sql
}

fn column_definition(c: &BulkColumn) -> String {
    let mut def = format!("{} {}", quote_identifier(&c.name), c.ty.sql_name());
    let is_char = matches!(
        c.ty,
        SqlType::Char { .. }
            | SqlType::VarChar { .. }
            | SqlType::NChar { .. }
            | SqlType::NVarChar { .. }
    );
    if let Some(name) = c.collation_name.as_deref().filter(|_| is_char) {
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            def.push_str(" COLLATE ");
            def.push_str(name);
        }
    }
    def
}

fn hints(opts: &BulkOptions) -> Vec<String> {
    let mut hints = Vec::new();
    let flags = [
        (opts.check_constraints, "CHECK_CONSTRAINTS"),
        (opts.fire_triggers, "FIRE_TRIGGERS"),
        (opts.keep_nulls, "KEEP_NULLS"),
        (opts.table_lock, "TABLOCK"),
    ];
    hints.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, h)| h.to_string()),
    );
    if let Some(n) = opts.rows_per_batch.filter(|&n| n > 0) {
        hints.push(format!("ROWS_PER_BATCH = {n}"));
    }
    if let Some(n) = opts.kilobytes_per_batch.filter(|&n| n > 0) {
        hints.push(format!("KILOBYTES_PER_BATCH = {n}"));
    }
    if !opts.order.is_empty() {
        let order: Vec<String> = opts
            .order
            .iter()
            .map(|o| {
                let dir = if o.descending { "DESC" } else { "ASC" };
                format!("{} {dir}", quote_identifier(&o.name))
            })
            .collect();
        hints.push(format!("ORDER ({})", order.join(", ")));
    }
    hints
}
