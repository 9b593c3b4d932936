//! What a bulk load asks the server about its destination besides the columns' types: their
//! collation names (`sp_tablecollations_100`, as SqlBulkCopy does), which columns have defaults
//! (`sys.columns`, falling back to `sp_columns`), and whether a user transaction is open.
//!
//! Every query runs in the table's own database — `[db]` for `db.schema.table`, tempdb for
//! `#temp` tables — because these catalogs are per database. Azure SQL Database refuses
//! references to another database's catalog views (error 40515, even `tempdb.sys.columns`), but
//! runs system procedures there (`tempdb..sp_columns`), hence the fallback.

use crate::connection::Connection;
use crate::error::Error;
use tds::bulk::quote_multipart;
use tds::value::Value;

/// The destination's name split the way the catalog queries need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableName {
    /// `[db]` from a three-part name, or `tempdb` for a `#temp` table; `None`: current database.
    database: Option<String>,
    /// `None` for `db..t` and one-part names: the default schema.
    schema: Option<String>,
    table: String,
}

fn quote(part: &str) -> String {
    quote_multipart(&[part.to_owned()])
}

/// `'` doubled, for a value inside `N'…'`.
fn literal(s: &str) -> String {
    s.replace('\'', "''")
}

impl TableName {
    /// From `parse_multipart_name`'s 1 to 4 parts (`[[[server.]db.]schema.]table`).
    pub(crate) fn from_parts(parts: &[String], current_database: &str) -> TableName {
        let n = parts.len();
        let table = parts.last().cloned().unwrap_or_default();
        let schema = n
            .checked_sub(2)
            .and_then(|i| parts.get(i))
            .filter(|s| !s.is_empty())
            .cloned();
        let named_db = n
            .checked_sub(3)
            .and_then(|i| parts.get(i))
            .filter(|s| !s.is_empty())
            .cloned();
        let database = if table.starts_with('#') {
            Some("tempdb".to_owned())
        } else {
            // The current database needs no prefix, and on Azure SQL Database must not get one
            // where only the current database may be named.
            named_db.filter(|d| !d.eq_ignore_ascii_case(current_database))
        };
        TableName {
            database,
            schema,
            table,
        }
    }

    /// `[db]` (or `tempdb`), or empty for the current database: the prefix of `X..proc` and
    /// `X.sys.columns`.
    fn database_prefix(&self) -> String {
        match self.database.as_deref() {
            Some("tempdb") => "tempdb".to_owned(),
            Some(db) => quote(db),
            None => String::new(),
        }
    }

    /// `[schema].[table]` or `[table]`: the name as seen from inside its database.
    fn in_database(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", quote(s), quote(&self.table)),
            None => quote(&self.table),
        }
    }

    /// The name `OBJECT_ID()` resolves from the current database: `[db].[s].[t]`, `tempdb..[#t]`.
    fn object_id_name(&self) -> String {
        match &self.database {
            None => self.in_database(),
            Some(_) => format!(
                "{}.{}.{}",
                self.database_prefix(),
                self.schema.as_deref().map(quote).unwrap_or_default(),
                quote(&self.table)
            ),
        }
    }

    /// SqlClient's form: `EXEC [db]..sp_tablecollations_100 N'[s].[t]'`.
    pub(crate) fn collations_sql(&self) -> String {
        format!(
            "EXEC {}..sp_tablecollations_100 N'{}'",
            self.database_prefix(),
            literal(&self.in_database())
        )
    }

    pub(crate) fn defaults_sql(&self) -> String {
        let catalog = match self.database {
            Some(_) => format!("{}.", self.database_prefix()),
            None => String::new(),
        };
        format!(
            "SELECT name FROM {catalog}sys.columns WHERE object_id = OBJECT_ID(N'{}') AND default_object_id <> 0",
            literal(&self.object_id_name())
        )
    }

    /// `sp_columns` lists `COLUMN_DEF` per column and runs in any database, Azure included.
    pub(crate) fn defaults_fallback_sql(&self) -> String {
        let owner = self
            .schema
            .as_deref()
            .map(|s| format!(", @table_owner = N'{}'", literal(s)))
            .unwrap_or_default();
        format!(
            "EXEC {}..sp_columns @table_name = N'{}'{owner}",
            self.database_prefix(),
            literal(&self.table)
        )
    }
}

/// Column `name`'s index in a result set's columns, ignoring case.
fn column_index(rs: &crate::result::ResultSet, name: &str) -> Option<usize> {
    rs.columns
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case(name))
}

fn why(e: &Error) -> String {
    match e.server_message() {
        Some(m) => format!("error {}: {}", m.number, m.message),
        None => e.to_string(),
    }
}

/// Column collation names from `sp_tablecollations_100`. `Err` says why they are unknown; the
/// load then goes without COLLATE clauses and the server applies the columns' own collations
/// (the bytes are still encoded in each column's code page, from the type metadata).
pub(crate) async fn collation_names(
    conn: &mut Connection,
    name: &TableName,
) -> Result<Vec<(String, String)>, String> {
    let r = conn
        .execute(&name.collations_sql())
        .await
        .map_err(|e| why(&e))?;
    let rs = r
        .result_sets
        .first()
        .ok_or("sp_tablecollations_100 returned no result set")?;
    // SQL Server names the column `collation`; some versions' docs say `collation_name`.
    let (Some(n), Some(c)) = (
        column_index(rs, "name"),
        column_index(rs, "collation").or_else(|| column_index(rs, "collation_name")),
    ) else {
        return Err("sp_tablecollations_100 returned no name and collation columns".into());
    };
    Ok(rs
        .rows
        .iter()
        .filter_map(|row| match (row.get(n), row.get(c)) {
            (Some(Value::String(name)), Some(Value::String(coll))) if !coll.is_empty() => {
                Some((name.clone(), coll.clone()))
            }
            _ => None,
        })
        .collect())
}

/// Columns with a default. `Err` says why they could not be read (both ways failed).
pub(crate) async fn defaulted_columns(
    conn: &mut Connection,
    name: &TableName,
) -> Result<Vec<String>, String> {
    let first = match conn.execute(&name.defaults_sql()).await {
        Ok(r) => {
            return Ok(r
                .result_sets
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
                .unwrap_or_default())
        }
        Err(e) => why(&e),
    };
    let r = conn
        .execute(&name.defaults_fallback_sql())
        .await
        .map_err(|e| format!("sys.columns: {first}; sp_columns: {}", why(&e)))?;
    let rs = r.result_sets.first();
    let cols = rs.and_then(|rs| {
        Some((
            rs,
            column_index(rs, "TABLE_NAME")?,
            column_index(rs, "COLUMN_NAME")?,
            column_index(rs, "COLUMN_DEF")?,
        ))
    });
    let Some((rs, t, c, d)) = cols else {
        return Err(format!(
            "sys.columns: {first}; sp_columns returned no TABLE_NAME, COLUMN_NAME and COLUMN_DEF"
        ));
    };
    // @table_name is a LIKE pattern: keep this table's rows only.
    Ok(rs
        .rows
        .iter()
        .filter(|row| matches!(row.get(t), Some(Value::String(n)) if n.eq_ignore_ascii_case(&name.table) || temp_name_matches(n, &name.table)))
        .filter(|row| matches!(row.get(d), Some(v) if *v != Value::Null))
        .filter_map(|row| match row.get(c) {
            Some(Value::String(n)) => Some(n.clone()),
            _ => None,
        })
        .collect())
}

/// tempdb knows `#t` as `#t___…___00000000001A` (padded with underscores and a suffix).
fn temp_name_matches(stored: &str, wanted: &str) -> bool {
    wanted.starts_with('#')
        && stored.len() > wanted.len()
        && stored
            .get(..wanted.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(wanted))
        && stored
            .get(wanted.len()..)
            .is_some_and(|rest| rest.starts_with('_'))
}

/// `@@TRANCOUNT`: above 0, the load's batches commit only with the caller's transaction.
pub(crate) async fn open_transactions(conn: &mut Connection) -> Result<u32, String> {
    let r = conn
        .execute("SELECT @@TRANCOUNT")
        .await
        .map_err(|e| why(&e))?;
    match r
        .result_sets
        .first()
        .and_then(|rs| rs.rows.first())
        .and_then(|row| row.first())
    {
        Some(Value::Int(n)) => Ok(u32::try_from(*n).unwrap_or(0)),
        other => Err(format!("SELECT @@TRANCOUNT returned {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tds::bulk::parse_multipart_name;

    fn name(s: &str, current: &str) -> TableName {
        TableName::from_parts(&parse_multipart_name(s).unwrap(), current)
    }

    #[test]
    fn a_three_part_name_runs_the_collation_procedure_in_its_own_database() {
        assert_eq!(
            name("sales.dbo.orders", "master").collations_sql(),
            "EXEC [sales]..sp_tablecollations_100 N'[dbo].[orders]'"
        );
        assert_eq!(
            name("dbo.orders", "master").collations_sql(),
            "EXEC ..sp_tablecollations_100 N'[dbo].[orders]'"
        );
        assert_eq!(
            name("[o'brien].[t]", "x").collations_sql(),
            "EXEC ..sp_tablecollations_100 N'[o''brien].[t]'"
        );
    }

    #[test]
    fn temp_tables_are_looked_up_in_tempdb_however_they_are_written() {
        for written in ["#t", "tempdb..#t", "[tempdb]..[#t]", "TEMPDB..#t"] {
            let n = name(written, "sales");
            assert_eq!(
                n.defaults_sql(),
                "SELECT name FROM tempdb.sys.columns WHERE object_id = OBJECT_ID(N'tempdb..[#t]') AND default_object_id <> 0",
                "{written}"
            );
            assert_eq!(
                n.collations_sql(),
                "EXEC tempdb..sp_tablecollations_100 N'[#t]'"
            );
            assert_eq!(
                n.defaults_fallback_sql(),
                "EXEC tempdb..sp_columns @table_name = N'#t'"
            );
        }
    }

    #[test]
    fn the_current_database_named_in_full_gets_no_catalog_prefix() {
        let n = name("Sales.dbo.t", "sales");
        assert_eq!(
            n.defaults_sql(),
            "SELECT name FROM sys.columns WHERE object_id = OBJECT_ID(N'[dbo].[t]') AND default_object_id <> 0"
        );
        let other = name("crm..t", "sales");
        assert_eq!(
            other.defaults_sql(),
            "SELECT name FROM [crm].sys.columns WHERE object_id = OBJECT_ID(N'[crm]..[t]') AND default_object_id <> 0"
        );
        assert_eq!(
            name("crm.s.t", "x").defaults_fallback_sql(),
            "EXEC [crm]..sp_columns @table_name = N't', @table_owner = N's'"
        );
    }

    #[test]
    fn temp_names_match_tempdbs_padded_form_only() {
        assert!(temp_name_matches(
            "#t__________________________00000000001A",
            "#t"
        ));
        assert!(!temp_name_matches(
            "#tx_________________________00000000001A",
            "#t"
        ));
        assert!(!temp_name_matches("t_1", "t"));
    }
}
