//! Deciding what a bulk load sends: the destination columns (from the server's own metadata),
//! which source field feeds each, and the `INSERT BULK` statement.

use crate::connection::Connection;
use crate::error::{Error, Result};
use tds::bulk::{
    insert_bulk_statement, parse_multipart_name, quote_multipart, BulkColumn, BulkOptions,
};
use tds::value::Value;

/// `[source index, destination column name]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    pub source: usize,
    pub destination: String,
}

#[derive(Debug, Clone, Default)]
pub struct BulkCopyOptions {
    /// Rows per batch; each batch is its own `INSERT BULK` and commits on its own. 0 = one batch.
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
}

impl BulkPlan {
    /// How many fields a source row needs at least.
    pub fn source_width(&self) -> usize {
        self.sources.iter().map(|s| s + 1).max().unwrap_or(0)
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
    let collations = collation_names(conn, &parts, &quoted).await;
    let all: Vec<BulkColumn> = cols
        .iter()
        .map(|m| {
            let name = collations
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&m.name))
                .map(|(_, c)| c.clone());
            BulkColumn::from_meta(m, name)
        })
        .collect();
    let mut all = all;
    if !opts.hints.keep_nulls && all.iter().any(|c| !c.nullable) {
        for name in defaulted_columns(conn, &parts, &quoted).await {
            if let Some(c) = all.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&name)) {
                c.null_takes_default = true;
            }
        }
    }
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
    })
}

/// Columns with a default: without KEEP_NULLS a NULL sent for them takes the default, so a NOT
/// NULL column with a default accepts NULL. When the catalog cannot be read none are known, and
/// NULL into NOT NULL stays refused before it is sent.
async fn defaulted_columns(conn: &mut Connection, parts: &[String], quoted: &str) -> Vec<String> {
    // sys.columns is per database: the table's own (tempdb for #temp tables) when named.
    let temp = parts.last().is_some_and(|p| p.starts_with('#'));
    let (catalog, object) = if temp {
        ("tempdb.".to_string(), format!("tempdb..{quoted}"))
    } else if parts.len() >= 3 {
        let db = quote_multipart(&parts[parts.len() - 3..parts.len() - 2]);
        (format!("{db}."), quoted.to_string())
    } else {
        (String::new(), quoted.to_string())
    };
    let sql = format!(
        "SELECT name FROM {catalog}sys.columns WHERE object_id = OBJECT_ID(N'{}') AND default_object_id <> 0",
        object.replace('\'', "''")
    );
    let Ok(r) = conn.execute(&sql).await else {
        return Vec::new();
    };
    r.result_sets
        .first()
        .map(|rs| {
            rs.rows
                .iter()
                .filter_map(|row| match row.first() {
                    Some(Value::String(n)) => Some(n.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Column collation names from `sp_tablecollations_100`, as SqlBulkCopy asks for them. When the
/// procedure is unavailable, `INSERT BULK` goes without COLLATE clauses and the server applies
/// the columns' own collations; the bytes are still encoded in each column's code page.
async fn collation_names(
    conn: &mut Connection,
    parts: &[String],
    quoted: &str,
) -> Vec<(String, String)> {
    let temp = parts.last().is_some_and(|p| p.starts_with('#'));
    let sql = if temp {
        format!(
            "EXEC tempdb..sp_tablecollations_100 N'{}'",
            quoted.replace('\'', "''")
        )
    } else {
        format!(
            "EXEC ..sp_tablecollations_100 N'{}'",
            quoted.replace('\'', "''")
        )
    };
    let Ok(r) = conn.execute(&sql).await else {
        return Vec::new();
    };
    let Some(rs) = r.result_sets.first() else {
        return Vec::new();
    };
    let idx = |name: &str| {
        rs.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
    };
    // SQL Server names the column `collation`; some versions' docs say `collation_name`.
    let (Some(n), Some(c)) = (
        idx("name"),
        idx("collation").or_else(|| idx("collation_name")),
    ) else {
        return Vec::new();
    };
    rs.rows
        .iter()
        .filter_map(|row| match (row.get(n), row.get(c)) {
            (Some(Value::String(name)), Some(Value::String(coll))) if !coll.is_empty() => {
                Some((name.clone(), coll.clone()))
            }
            _ => None,
        })
        .collect()
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
