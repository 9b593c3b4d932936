//! SET options, USE, transactions, sp_tablecollations_100.

use super::{errors, s, Db};
use crate::engine::Outcome;
use tds::collation::Collation;
use tds::types::SqlType;
use tds::value::Value;

const TEDIOUS_LOGIN_OPTIONS: &str = "set textsize 2147483647 set quoted_identifier on set arithabort off \
set numeric_roundabort off set ansi_warnings on set ansi_padding on set ansi_nulls on \
set concat_null_yields_null on set cursor_close_on_commit off set implicit_transactions off \
set language us_english set dateformat mdy set datefirst 7 set transaction isolation level read committed";

#[test]
fn the_options_drivers_set_at_connect_are_accepted() {
    let mut db = Db::new();
    let out = db.ok(TEDIOUS_LOGIN_OPTIONS);
    assert_eq!(out.len(), 14);
    assert!(out.iter().all(|o| *o
        == Outcome::Done {
            rows_affected: None
        }));
    assert_eq!(db.session.options.textsize, 2_147_483_647);
    assert_eq!(db.session.options.language, "us_english");
    db.ok("SET ANSI_NULLS, QUOTED_IDENTIFIER ON; SET XACT_ABORT ON; SET LOCK_TIMEOUT -1; SET DEADLOCK_PRIORITY LOW");
    db.ok("SET STATISTICS IO ON SET NOCOUNT ON SET ANSI_NULL_DFLT_ON ON SET TRANSACTION ISOLATION LEVEL SNAPSHOT");
    assert!(db.session.options.nocount);
}

#[test]
fn unknown_set_options_are_195() {
    let mut db = Db::new();
    let e = db.error("SET BOGUS_OPTION ON");
    assert_eq!(e.number, 195);
    assert_eq!(e.message, "'BOGUS_OPTION' is not a recognized SET option.");
    assert_eq!(db.error("SET NOCOUNT MAYBE").number, 102);
}

#[test]
fn use_changes_the_database_and_unknown_databases_are_911() {
    let mut db = Db::new();
    assert_eq!(
        db.ok("USE TEMPDB"),
        vec![Outcome::DatabaseChanged {
            old: "sluice".into(),
            new: "tempdb".into()
        }]
    );
    assert_eq!(db.scalar("SELECT DB_NAME()"), s("tempdb"));
    let e = db.error("USE nowhere");
    assert_eq!((e.number, e.class), (911, 16));
    assert_eq!(
        e.message,
        "Database 'nowhere' does not exist. Make sure that the name is entered correctly."
    );
    assert_eq!(db.session.database, "tempdb");
    assert!(db.catalog.database_exists("SLUICE"));
}

#[test]
fn transactions_track_trancount() {
    let mut db = Db::new();
    db.ok("BEGIN TRAN");
    db.ok("BEGIN TRANSACTION inner_tx");
    assert_eq!(db.scalar("SELECT @@TRANCOUNT"), Value::Int(2));
    db.ok("SAVE TRAN sp COMMIT TRAN inner_tx");
    assert_eq!(db.scalar("SELECT @@TRANCOUNT"), Value::Int(1));
    db.ok("ROLLBACK");
    assert_eq!(db.scalar("SELECT @@TRANCOUNT"), Value::Int(0));
    let e = db.error("COMMIT");
    assert_eq!(e.number, 3902);
    assert_eq!(
        e.message,
        "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION."
    );
    assert_eq!(db.error("ROLLBACK TRANSACTION").number, 3903);
}

#[test]
fn xact_abort_ends_the_batch_and_the_transaction() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a int NOT NULL)");
    let out = db.exec("SET XACT_ABORT ON BEGIN TRAN INSERT INTO t VALUES (NULL) SELECT 1");
    assert_eq!(errors(&out)[0].number, 515);
    assert!(!out.iter().any(|o| matches!(o, Outcome::Rows { .. })));
    assert_eq!(db.session.trancount, 0);
}

#[test]
fn sp_tablecollations_100_lists_each_column() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int, name nvarchar(20), code varchar(5) COLLATE Latin1_General_100_CI_AS_SC_UTF8)");
    let (meta, rows) = db.result("exec ..sp_tablecollations_100 N'[dbo].[t]'");
    assert_eq!(
        meta.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["colid", "name", "tds_collation", "collation"]
    );
    assert_eq!(meta[0].type_info.ty, SqlType::Int);
    assert_eq!(meta[2].type_info.ty, SqlType::Binary { len: 5 });
    assert_eq!(
        rows[0],
        vec![Value::Int(1), s("id"), Value::Null, Value::Null]
    );
    assert_eq!(
        rows[1],
        vec![
            Value::Int(2),
            s("name"),
            Value::Binary(Collation::SQL_LATIN1_GENERAL_CP1_CI_AS.to_bytes().to_vec()),
            s("SQL_Latin1_General_CP1_CI_AS")
        ]
    );
    assert_eq!(rows[2][3], s("Latin1_General_100_CI_AS_SC_UTF8"));
    assert_eq!(
        rows[2][2],
        Value::Binary(
            Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8
                .to_bytes()
                .to_vec()
        )
    );
}

#[test]
fn sqlbulkcopy_metadata_batch_works_for_tables_and_temp_tables() {
    let mut db = Db::new();
    db.ok("CREATE TABLE [dbo].[dest] (a int, b nvarchar(10)) CREATE TABLE #stage (x varchar(3))");
    let out = db.ok("select @@trancount; SET FMTONLY ON select * from [dbo].[dest] SET FMTONLY OFF exec sluice..sp_tablecollations_100 N'[dbo].[dest]'");
    assert_eq!(out.len(), 5);
    assert!(matches!(&out[4], Outcome::Rows { rows, .. } if rows.len() == 2));
    let out = db.ok("select @@trancount; SET FMTONLY ON select * from #stage SET FMTONLY OFF exec tempdb..sp_tablecollations_100 N'.#stage'");
    assert!(matches!(&out[4], Outcome::Rows { rows, .. } if rows.len() == 1));
    let (_, rows) = db.result("exec sp_tablecollations_100 @object = N'nosuch'");
    assert!(rows.is_empty());
}
