//! What a bulk load learns about its destination before sending rows, against the test server:
//! collations and defaults read in the table's own database (three-part names, tempdb names),
//! the fallback where catalog views of another database are refused (Azure SQL Database), and
//! an open user transaction.

use sluice_client::bulk::{self, BulkCopyOptions, BulkPlan};
use sluice_client::Connection;
use sluice_server::{start, ServerConfig, ServerHandle};

async fn server(single_database: bool) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        single_database,
        ..Default::default()
    })
    .await
    .expect("server starts")
}

async fn connect(h: &ServerHandle) -> Connection {
    let s = h.connection_string();
    Connection::connect_str(&s).await.expect("connects")
}

async fn run(c: &mut Connection, sql: &str) {
    c.execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn plan(c: &mut Connection, table: &str) -> BulkPlan {
    bulk::prepare(c, table, &BulkCopyOptions::default())
        .await
        .unwrap_or_else(|e| panic!("plan for {table}: {e}"))
}

fn takes_default(p: &BulkPlan, column: &str) -> bool {
    p.columns
        .iter()
        .find(|c| c.name == column)
        .unwrap_or_else(|| panic!("no column {column}"))
        .null_takes_default
}

const COLUMNS: &str =
    "(id int NOT NULL, name varchar(10) COLLATE Latin1_General_BIN NULL, v int NOT NULL DEFAULT 7)";

#[tokio::test]
async fn a_three_part_name_reads_collations_and_defaults_in_that_database() {
    let h = server(false).await;
    let mut c = connect(&h).await;
    run(
        &mut c,
        &format!("CREATE TABLE sluice.dbo.elsewhere {COLUMNS}"),
    )
    .await;
    assert_eq!(c.database(), "master", "the table is in another database");
    let p = plan(&mut c, "sluice.dbo.elsewhere").await;
    assert!(
        p.statement.contains("COLLATE Latin1_General_BIN"),
        "collations come from [sluice]..sp_tablecollations_100: {}",
        p.statement
    );
    assert!(takes_default(&p, "v"));
    assert!(p.notes.is_empty(), "{:?}", p.notes);
}

#[tokio::test]
async fn a_temp_table_named_through_tempdb_finds_its_defaults() {
    let h = server(false).await;
    let mut c = connect(&h).await;
    run(&mut c, &format!("CREATE TABLE #staging {COLUMNS}")).await;
    for written in ["#staging", "tempdb..#staging", "[tempdb]..[#staging]"] {
        let p = plan(&mut c, written).await;
        assert!(takes_default(&p, "v"), "{written}: {:?}", p.notes);
        assert!(
            p.statement.contains("COLLATE Latin1_General_BIN"),
            "{written}: {}",
            p.statement
        );
        assert_eq!(p.defaults_unknown, None, "{written}");
    }
}

#[tokio::test]
async fn where_other_databases_catalogs_are_refused_defaults_come_from_sp_columns() {
    // Azure SQL Database: `tempdb.sys.columns` is error 40515; `tempdb..sp_columns` runs.
    let h = server(true).await;
    let mut c = connect(&h).await;
    let refused = c
        .execute("SELECT name FROM tempdb.sys.columns")
        .await
        .expect_err("the server plays Azure SQL Database");
    assert_eq!(refused.server_message().map(|m| m.number), Some(40515));
    run(&mut c, &format!("CREATE TABLE #staging {COLUMNS}")).await;
    let p = plan(&mut c, "#staging").await;
    assert!(takes_default(&p, "v"), "{:?}", p.notes);
    assert_eq!(p.defaults_unknown, None);
}

#[tokio::test]
async fn an_open_user_transaction_is_noticed() {
    let h = server(false).await;
    let mut c = connect(&h).await;
    run(&mut c, &format!("CREATE TABLE dbo.t {COLUMNS}")).await;
    assert!(!plan(&mut c, "dbo.t").await.in_transaction);
    run(&mut c, "BEGIN TRANSACTION").await;
    assert!(plan(&mut c, "dbo.t").await.in_transaction);
    run(&mut c, "COMMIT").await;
}
