//! Deciding what a bulk load sends: the destination columns (from the server's own metadata),
//! which source field feeds each, and the `INSERT BULK` statement.

use crate::connection::Connection;
use crate::error::{Error, Result};
use table_catalog::{collation_names, defaulted_columns, open_transactions, TableName};
use tds::bulk::{
    insert_bulk_statement, parse_multipart_name, quote_multipart, BulkColumn, BulkOptions,
    CellError,
};

mod table_catalog;

/// `[source index, destination column name]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    pub source: usize,
    pub destination: String,
}

#[derive(Debug, Clone, Default)]
pub struct BulkCopyOptions {
    /// Rows per batch; each batch is its own `INSERT BULK` and commits on its own — unless the
    /// connection has an open transaction (see [`BulkPlan::in_transaction`]). 0 = one batch.
    pub batch_size: u64,
    pub hints: BulkOptions,
    /// Empty: source field i feeds the i-th insertable column (computed columns are skipped,
    /// identity columns too unless `keep_identity`).
    pub column_mappings: Vec<ColumnMapping>,
}

#[derive(Debug, Clone)]
pub struct BulkPlan {
    pub table: Vec<String>,
    /// Destination columns, in the order they are sent.
    pub columns: Vec<BulkColumn>,
    /// For each destination column, the index of the source field that feeds it.
    pub sources: Vec<usize>,
    pub statement: String,
    pub batch_size: u64,
    /// `@@TRANCOUNT` was above 0 when the load was planned: the caller's transaction is open, so
    /// a batch does not commit on its own — it commits or rolls back with that transaction
    /// (SQL Server nests each INSERT BULK in it). Rows reported committed are then only accepted.
    pub in_transaction: bool,
    /// Why the columns' defaults could not be read, if they could not: NULL into a NOT NULL
    /// column is then refused even where a default would have applied.
    pub defaults_unknown: Option<String>,
    /// What could not be learned about the table and what follows from it, for logs.
    pub notes: Vec<String>,
}

impl BulkPlan {
    /// How many fields a source row needs at least.
    pub fn source_width(&self) -> usize {
        self.sources.iter().map(|s| s + 1).max().unwrap_or(0)
    }

    /// Adds the plan's reason to a refused NULL when the columns' defaults are unknown, so the
    /// user learns why a NOT NULL column with a default did not take it.
    pub fn explain(&self, mut e: CellError) -> CellError {
        let Some(why) = &self.defaults_unknown else {
            return e;
        };
        let not_null = self
            .columns
            .iter()
            .any(|c| c.name == e.column && !c.nullable && !c.null_takes_default);
        if not_null && e.reason.starts_with("NULL into a NOT NULL column") {
            e.reason = format!(
                "{} (whether it has a default is unknown: the table's defaults could not be read: {why})",
                e.reason
            );
        }
        e
    }
}

/// Reads the table's metadata (types, lengths, precision, collations, flags) and builds the plan.
pub async fn prepare(
    conn: &mut Connection,
    table: &str,
    opts: &BulkCopyOptions,
) -> Result<BulkPlan> {
    let parts = parse_multipart_name(table)
        .map_err(|e| Error::Unsupported(format!("table name {table:?}: {e}")))?;
    let quoted = quote_multipart(&parts);
    let meta = conn
        .execute(&format!("SELECT TOP 0 * FROM {quoted}"))
        .await?;
    let cols = meta
        .result_sets
        .first()
        .map(|rs| rs.columns.clone())
        .ok_or_else(|| {
            Error::Protocol(format!(
                "the server returned no column metadata for {quoted}"
            ))
        })?;
    let name = TableName::from_parts(&parts, conn.database());
    let mut notes = Vec::new();
    let collations = collation_names(conn, &name).await.unwrap_or_else(|why| {
        notes.push(format!(
            "column collations unknown ({why}): INSERT BULK names none, the server applies the columns' own"
        ));
        Vec::new()
    });
    let mut all: Vec<BulkColumn> = cols
        .iter()
        .map(|m| {
            let name = collations
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&m.name))
                .map(|(_, c)| c.clone());
            BulkColumn::from_meta(m, name)
        })
        .collect();
    let mut defaults_unknown = None;
    if !opts.hints.keep_nulls && all.iter().any(|c| !c.nullable) {
        match defaulted_columns(conn, &name).await {
            Ok(names) => {
                for name in names {
                    if let Some(c) = all.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&name)) {
                        c.null_takes_default = true;
                    }
                }
            }
            // Not knowing which columns have defaults keeps NULL into NOT NULL refused before
            // it is sent (the safe side); the refusal then says why.
            Err(why) => {
                notes.push(format!(
                    "column defaults unknown ({why}): NULL into a NOT NULL column is refused even where a default exists"
                ));
                defaults_unknown = Some(why);
            }
        }
    }
    let open_transactions = open_transactions(conn).await.unwrap_or_else(|why| {
        notes.push(format!("@@TRANCOUNT unknown ({why})"));
        0
    });
    let (columns, sources) = map_columns(&all, opts, &quoted)?;
    if let Some(why) = columns.iter().find_map(BulkColumn::unsupported_reason) {
        return Err(Error::Unsupported(why));
    }
    let statement = insert_bulk_statement(&parts, &columns, &opts.hints);
    Ok(BulkPlan {
        table: parts,
        columns,
        sources,
        statement,
        batch_size: opts.batch_size,
        in_transaction: open_transactions > 0,
        defaults_unknown,
        notes,
    })
}

fn map_columns(
    all: &[BulkColumn],
    opts: &BulkCopyOptions,
    table: &str,
) -> Result<(Vec<BulkColumn>, Vec<usize>)> {
    let keep_identity = opts.hints.keep_identity;
    if opts.column_mappings.is_empty() {
        let cols: Vec<BulkColumn> = all
            .iter()
            .filter(|c| !c.computed && (keep_identity || !c.identity))
            .cloned()
            .collect();
        if cols.is_empty() {
            return Err(Error::Unsupported(format!(
                "{table} has no column a bulk load can fill"
            )));
        }
        let sources = (0..cols.len()).collect();
        return Ok((cols, sources));
    }
    let names = || {
        all.iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut cols = Vec::new();
    let mut sources = Vec::new();
    for m in &opts.column_mappings {
        let col = all
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&m.destination))
            .ok_or_else(|| {
                Error::Unsupported(format!(
                    "column mapping names {:?}, which {table} does not have (it has: {})",
                    m.destination,
                    names()
                ))
            })?;
        if col.computed {
            return Err(Error::Unsupported(format!(
                "column {:?} of {table} is computed and cannot be loaded",
                col.name
            )));
        }
        if col.identity && !keep_identity {
            return Err(Error::Unsupported(format!(
                "column {:?} of {table} is an identity column: set keepIdentity to load its values, or leave it out of the mappings",
                col.name
            )));
        }
        if cols
            .iter()
            .any(|c: &BulkColumn| c.name.eq_ignore_ascii_case(&col.name))
        {
            return Err(Error::Unsupported(format!(
                "column {:?} is mapped twice",
                col.name
            )));
        }
        cols.push(col.clone());
        sources.push(m.source);
    }
    Ok((cols, sources))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BytesMut;
    use tds::bulk::{encode_cell, Cell};
    use tds::types::SqlType;

    fn plan(defaults_unknown: Option<&str>) -> BulkPlan {
        let column = |name: &str, nullable| BulkColumn {
            name: name.into(),
            ty: SqlType::Int,
            nullable,
            null_takes_default: false,
            identity: false,
            computed: false,
            collation_name: None,
        };
        BulkPlan {
            table: vec!["t".into()],
            columns: vec![column("v", false), column("w", true)],
            sources: vec![0, 1],
            statement: String::new(),
            batch_size: 0,
            in_transaction: false,
            defaults_unknown: defaults_unknown.map(str::to_owned),
            notes: Vec::new(),
        }
    }

    fn refused_null(p: &BulkPlan) -> CellError {
        encode_cell(&p.columns[0], Cell::Null, &mut BytesMut::new())
            .expect_err("NULL into NOT NULL")
    }

    #[test]
    fn a_refused_null_says_why_defaults_are_unknown() {
        let p = plan(Some("sys.columns: error 40515: …"));
        let e = p.explain(refused_null(&p));
        assert!(e.reason.starts_with("NULL into a NOT NULL column"), "{e}");
        assert!(
            e.reason
                .contains("defaults could not be read: sys.columns: error 40515"),
            "{e}"
        );
    }

    #[test]
    fn a_refused_null_is_left_alone_when_defaults_were_read() {
        let p = plan(None);
        let e = refused_null(&p);
        assert_eq!(p.explain(e.clone()), e);
    }
}
