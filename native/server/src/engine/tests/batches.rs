//! Batches: splitting, syntax errors, runtime errors and how far they unwind.

use super::{errors, Db};
use crate::engine::Outcome;
use tds::value::Value;

#[test]
fn statements_without_semicolons_run_in_order() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a int)");
    let out = db.ok("select @@trancount; SET FMTONLY ON select * from t SET FMTONLY OFF select 1");
    assert_eq!(out.len(), 5);
    assert!(matches!(&out[0], Outcome::Rows { rows, .. } if rows == &vec![vec![Value::Int(0)]]));
    assert_eq!(
        out[1],
        Outcome::Done {
            rows_affected: None
        }
    );
    assert!(
        matches!(&out[2], Outcome::Rows { columns, rows } if columns.len() == 1 && rows.is_empty())
    );
    assert_eq!(
        out[3],
        Outcome::Done {
            rows_affected: None
        }
    );
    assert!(matches!(&out[4], Outcome::Rows { rows, .. } if rows.len() == 1));
}

#[test]
fn semicolons_and_blank_statements_are_fine() {
    let mut db = Db::new();
    let out = db.ok(";; select 1 ; ; select 2;");
    assert_eq!(out.len(), 2);
    assert!(db.ok("").is_empty());
    assert!(db.ok("   -- nothing\n/* at all */").is_empty());
}

#[test]
fn a_syntax_error_anywhere_fails_the_whole_batch_before_anything_runs() {
    let mut db = Db::new();
    let out = db.exec("CREATE TABLE t (a int) select * fro t");
    assert_eq!(out.len(), 1);
    let e = &errors(&out)[0];
    assert_eq!((e.number, e.class, e.state), (102, 15, 1));
    assert_eq!(e.message, "Incorrect syntax near 'fro'.");
    // CREATE TABLE did not run.
    assert_eq!(db.error("select * from t").number, 208);
}

#[test]
fn syntax_error_reports_its_line() {
    let mut db = Db::new();
    let e = db.error("select 1\nselect 2\nselect from where");
    assert_eq!(e.number, 102);
    assert_eq!(e.line, 3);
}

#[test]
fn garbage_input_fails_cleanly() {
    let mut db = Db::new();
    for sql in [
        "\u{0}\u{1}",
        "))))",
        "[[[",
        "@",
        "exec",
        "exec ..",
        "INSERT BULK",
        "SET",
        "select * from t where",
        "select 'a",
        "create table",
        "insert into",
        "select top -1 1",
    ] {
        let out = db.exec(sql);
        assert!(!errors(&out).is_empty(), "{sql}: {out:?}");
    }
}

#[test]
fn runtime_errors_end_the_statement_and_the_batch_goes_on() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a int NOT NULL)");
    let out =
        db.exec("INSERT INTO t VALUES (NULL) INSERT INTO t VALUES (1) SELECT COUNT(*) FROM t");
    let e = &errors(&out)[0];
    assert_eq!(e.number, 515);
    assert_eq!(
        out[1],
        Outcome::Info {
            number: 3621,
            message: "The statement has been terminated.".into()
        }
    );
    assert_eq!(
        out[2],
        Outcome::Done {
            rows_affected: Some(1)
        }
    );
    assert!(matches!(&out[3], Outcome::Rows { rows, .. } if rows == &vec![vec![Value::Int(1)]]));
}

#[test]
fn a_missing_table_abandons_the_rest_of_the_batch_like_sql_server() {
    let mut db = Db::new();
    let out = db.exec("select 1 select * from nosuch select 2");
    assert_eq!(out.len(), 2);
    let e = &errors(&out)[0];
    assert_eq!((e.number, e.class, e.state), (208, 16, 1));
    assert_eq!(e.message, "Invalid object name 'nosuch'.");
    assert_eq!(e.line, 1);
}

#[test]
fn error_lines_point_at_the_statement() {
    let mut db = Db::new();
    let e = db.error("select 1\n\nselect * from [dbo].[missing]");
    assert_eq!(e.line, 3);
    assert_eq!(e.message, "Invalid object name 'dbo.missing'.");
}

#[test]
fn unsupported_statements_are_40517() {
    let mut db = Db::new();
    let e = db.error("CREATE VIEW v AS SELECT 1 AS a");
    assert_eq!((e.number, e.class), (40517, 16));
    assert!(
        e.message
            .starts_with("Keyword or statement option 'CREATE VIEW' is not supported"),
        "{}",
        e.message
    );
}

#[test]
fn deep_expressions_are_refused() {
    let mut db = Db::new();
    let e = db.error(&format!("SELECT 1{}", "+1".repeat(50_000)));
    assert_eq!(e.number, 191);
}

#[test]
fn print_is_an_info_message() {
    let mut db = Db::new();
    assert_eq!(
        db.ok("PRINT 'hello'"),
        vec![Outcome::Info {
            number: 0,
            message: "hello".into()
        }]
    );
}

#[test]
fn if_statements_choose_a_branch() {
    let mut db = Db::new();
    let out = db.ok("IF 1 = 0 SELECT 1 ELSE SELECT 2");
    assert!(matches!(&out[0], Outcome::Rows { rows, .. } if rows == &vec![vec![Value::Int(2)]]));
    let out = db.ok("IF 1 = 1 BEGIN SELECT 'a' SELECT 'b' END");
    assert_eq!(out.len(), 2);
}

#[test]
fn exec_string_and_sp_executesql_run_nested_batches() {
    let mut db = Db::new();
    assert_eq!(db.scalar("EXEC ('select 42')"), Value::Int(42));
    assert_eq!(db.scalar("EXEC sp_executesql N'select 43'"), Value::Int(43));
    let e = db.error("EXEC dbo.no_such_proc 1, 2");
    assert_eq!(e.number, 2812);
    assert_eq!(
        e.message,
        "Could not find stored procedure 'dbo.no_such_proc'."
    );
}

#[test]
fn variables_are_not_supported_but_fail_cleanly() {
    let mut db = Db::new();
    let e = db.error("select @x");
    assert_eq!(e.number, 137);
    assert_eq!(e.message, "Must declare the scalar variable \"@x\".");
}

#[test]
fn error_number_is_visible_through_at_at_error() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a tinyint)");
    let out = db.exec("INSERT INTO t VALUES (300) SELECT @@ERROR");
    assert_eq!(errors(&out)[0].number, 220);
    assert!(
        matches!(out.last(), Some(Outcome::Rows { rows, .. }) if rows == &vec![vec![Value::Int(220)]])
    );
}

#[test]
fn exists_and_scalar_subqueries() {
    let mut db = Db::new();
    db.ok("IF NOT EXISTS (SELECT * FROM sys.tables WHERE name = 't') CREATE TABLE t (a int)");
    db.ok("IF NOT EXISTS (SELECT * FROM sys.tables WHERE name = 't') CREATE TABLE t (a int)");
    db.ok("INSERT INTO t VALUES (1), (2)");
    assert_eq!(
        db.scalar("SELECT (SELECT COUNT(*) FROM t) + 1"),
        Value::Int(3)
    );
    assert_eq!(
        db.scalar("SELECT (SELECT a FROM t WHERE a = 5)"),
        Value::Null
    );
    assert_eq!(db.error("SELECT (SELECT a FROM t)").number, 512);
    db.ok("IF EXISTS (SELECT 1 FROM t WHERE a = 2) DROP TABLE t");
    assert_eq!(db.error("SELECT * FROM t").number, 208);
}
