//! Batches that drivers generate and the in-memory engine cannot run as written.
//!
//! SqlBulkCopy (Microsoft.Data.SqlClient) and mssql-python's bulk copy (mssql_py_core) read the
//! destination's metadata with one generated batch: `SELECT @@TRANCOUNT`, variables, a
//! `sp_executesql` with an OUTPUT parameter that lists the columns, `SET FMTONLY ON; EXEC(N'SELECT
//! ' + @Column_Names + N' FROM <table>')`, `SET FMTONLY OFF` and `sp_tablecollations_100`. The
//! engine has no variables or dynamic SQL, so this module recognises that shape and runs what it
//! amounts to for a table: the same result sets, in the same order.

/// The equivalent batch, or `None` when `sql` is not SqlBulkCopy's metadata batch.
pub(crate) fn sqlbulkcopy_metadata(sql: &str) -> Option<String> {
    let lower = sql.to_ascii_lowercase();
    if !(lower.contains("sp_tablecollations_100")
        && lower.contains("fmtonly on")
        && lower.contains("output"))
    {
        return None;
    }
    let table = quoted_after(sql, &lower, "object_id(n'")?;
    let collations_at = lower.find("sp_tablecollations_100")?;
    let collation_arg = quoted_after(&sql[collations_at..], &lower[collations_at..], "n'")?;
    let prefix = if lower[..collations_at].trim_end().ends_with("tempdb..") {
        "tempdb.."
    } else {
        ""
    };
    Some(format!(
        "SELECT @@TRANCOUNT;\nSET FMTONLY ON;\nSELECT * FROM {table};\nSET FMTONLY OFF;\nEXEC {prefix}sp_tablecollations_100 N'{}'",
        collation_arg.replace('\'', "''")
    ))
}

/// The text of the N'…' literal that starts right after `marker` (found case-insensitively),
/// with doubled quotes undone.
fn quoted_after(sql: &str, lower: &str, marker: &str) -> Option<String> {
    let start = lower.find(marker)? + marker.len();
    let mut out = String::new();
    let mut chars = sql.get(start..)?.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some(out);
            }
        } else {
            out.push(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlbulkcopy_metadata_batch_becomes_its_equivalent() {
        let sql = "SELECT @@TRANCOUNT;\nDECLARE @Column_Names NVARCHAR(MAX) = NULL;\nDECLARE @object_id INT = OBJECT_ID(N'[dbo].[sales]');\n\
                   EXEC sp_executesql @sql, N'@CN NVARCHAR(MAX) OUTPUT, @ObjId INT', @CN = @Column_Names OUTPUT, @ObjId = @object_id;\n\
                   SET FMTONLY ON;\nEXEC(N'SELECT ' + @Column_Names + N' FROM [dbo].[sales]');\nSET FMTONLY OFF;\n\
                   EXEC ..sp_tablecollations_100 N'[dbo].[sales]'";
        let out = sqlbulkcopy_metadata(sql).expect("recognised");
        assert!(out.contains("SELECT * FROM [dbo].[sales];"), "{out}");
        assert!(
            out.ends_with("EXEC sp_tablecollations_100 N'[dbo].[sales]'"),
            "{out}"
        );
    }

    #[test]
    fn other_batches_are_left_alone() {
        assert_eq!(sqlbulkcopy_metadata("SELECT 1"), None);
        assert_eq!(
            sqlbulkcopy_metadata("SET FMTONLY ON SELECT * FROM t SET FMTONLY OFF"),
            None
        );
        // Unterminated literal: not recognised, never a panic.
        assert_eq!(
            sqlbulkcopy_metadata("OUTPUT FMTONLY ON sp_tablecollations_100 OBJECT_ID(N'abc"),
            None
        );
    }
}
