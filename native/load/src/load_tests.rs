//! `load` end to end against the test server started in-process: create, append, truncate,
//! rejects with the reject file's exact bytes, dry run, hostile names, hand-written files,
//! cancel with an account that matches the table.

use super::*;
use crate::template::LoadMode;
use sluice_client::Connection;
use sluice_server::{start, Faults, ServerConfig, ServerHandle};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tds::value::Value;

pub(crate) async fn server(reply_delay: Duration) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        reply_delay,
        faults: Faults::default(),
        ..Default::default()
    })
    .await
    .expect("server starts")
}

/// A test server with these fault knobs.
pub(crate) async fn faulty_server(faults: Faults) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        faults,
        ..Default::default()
    })
    .await
    .expect("server starts")
}

pub(crate) fn conn_str(h: &ServerHandle) -> String {
    h.connection_string()
}

pub(crate) async fn sql(h: &ServerHandle, q: &str) -> Vec<Vec<Value>> {
    let mut c = Connection::connect_str(&conn_str(h))
        .await
        .expect("connects");
    let r = c.execute(q).await.unwrap_or_else(|e| panic!("{q}: {e}"));
    r.result_sets
        .into_iter()
        .next()
        .map(|rs| rs.rows)
        .unwrap_or_default()
}

pub(crate) async fn count(h: &ServerHandle, table: &str) -> i64 {
    match sql(h, &format!("SELECT COUNT(*) FROM {table}")).await[0][0] {
        Value::Int(n) => n.into(),
        ref v => panic!("count is {v:?}"),
    }
}

pub(crate) fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

pub(crate) fn request(
    h: &ServerHandle,
    files: Vec<PathBuf>,
    table: &str,
    mode: LoadMode,
) -> LoadRequest {
    LoadRequest {
        files,
        connection: conn_str(h),
        table: table.into(),
        mode,
        ..Default::default()
    }
}

/// A file written by hand, as a spreadsheet export would: BOM, CRLF, semicolons, day-first
/// dates, decimal commas quoted, a quoted field with a delimiter and a doubled quote.
const HAND_WRITTEN: &[u8] = b"\xEF\xBB\xBFOrder Id;Customer;Order Date;Amount;Paid\r\n\
1;\"Smith; John\";31/01/2024;12.50;true\r\n\
2;\"O\"\"Brien\";01/02/2024;7.25;false\r\n\
3;M\xC3\xBCller;15/02/2024;;true\r\n";

#[tokio::test]
async fn create_loads_a_hand_written_file_with_its_types() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "orders.csv", HAND_WRITTEN);
    let s = load(
        request(&h, vec![f], "dbo.orders", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!((s.rows_read, s.rows_loaded, s.rows_rejected), (3, 3, 0));
    assert_eq!(s.files.len(), 1);
    assert_eq!(count(&h, "dbo.orders").await, 3);
    let rows = sql(
        &h,
        "SELECT Customer, CONVERT(varchar(10), Order_Date, 23), Amount FROM dbo.orders ORDER BY Order_Id",
    )
    .await;
    assert_eq!(rows[0][0], Value::String("Smith; John".into()));
    assert_eq!(rows[1][0], Value::String("O\"Brien".into()));
    assert_eq!(rows[2][0], Value::String("Müller".into()));
    // Day-first dates load day-first (31/01 settles the order).
    assert_eq!(rows[0][1], Value::String("2024-01-31".into()));
    assert_eq!(rows[1][1], Value::String("2024-02-01".into()));
    assert_eq!(rows[2][2], Value::Null);
}

#[tokio::test]
async fn create_refuses_an_existing_table_and_leaves_it_alone() {
    let h = server(Duration::ZERO).await;
    sql(&h, "CREATE TABLE t (a int); INSERT INTO t VALUES (1)").await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "a.csv", b"a\n2\n");
    let e = load(
        request(&h, vec![f], "t", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect_err("refused");
    assert_eq!(e.kind, LoadErrorKind::Input);
    assert!(e.message.contains("already exists"), "{e}");
    assert_eq!(count(&h, "t").await, 1);
}

#[tokio::test]
async fn append_matches_columns_by_name_whatever_their_order_and_case() {
    let h = server(Duration::ZERO).await;
    sql(
        &h,
        "CREATE TABLE people (AGE int NULL, full_name nvarchar(40) NOT NULL, note varchar(10) NULL)",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "p.csv", b"Full Name,age\nAda,36\nAlan,41\n");
    let s = load(
        request(&h, vec![f], "people", LoadMode::Append),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!(s.rows_loaded, 2);
    let rows = sql(&h, "SELECT full_name, AGE, note FROM people ORDER BY AGE").await;
    assert_eq!(
        rows,
        vec![
            vec![Value::String("Ada".into()), Value::Int(36), Value::Null],
            vec![Value::String("Alan".into()), Value::Int(41), Value::Null]
        ]
    );
}

#[tokio::test]
async fn truncate_empties_the_table_first() {
    let h = server(Duration::ZERO).await;
    sql(
        &h,
        "CREATE TABLE n (v int NOT NULL); INSERT INTO n VALUES (7), (8), (9)",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "n.csv", b"v\n1\n2\n");
    load(
        request(&h, vec![f], "n", LoadMode::Truncate),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!(count(&h, "n").await, 2);
}

#[tokio::test]
async fn an_existing_table_that_cannot_hold_the_file_is_refused_before_any_row() {
    let h = server(Duration::ZERO).await;
    sql(
        &h,
        "CREATE TABLE narrow (id int NOT NULL, price decimal(5,2) NULL, label varchar(3) NULL, must int NOT NULL)",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "wide.csv",
        b"id,price,label\n1,1.5,ab\nx2,12345.67,abcdef\n3,2.125,a\n",
    );
    let e = load(
        request(&h, vec![f], "narrow", LoadMode::Append),
        None,
        LoadControl::default(),
    )
    .await
    .expect_err("refused");
    assert_eq!(e.kind, LoadErrorKind::Input);
    let m = &e.message;
    assert!(m.contains("nothing was sent"), "{m}");
    assert!(m.contains("\"must\" is NOT NULL without a default"), "{m}");
    assert!(
        m.contains("column \"id\" (int)") && m.contains("row 3 has \"x2\""),
        "{m}"
    );
    assert!(
        m.contains("column \"price\" (decimal(5,2))") && m.contains("row 4 has 3 decimal places"),
        "{m}"
    );
    assert!(
        m.contains("column \"label\" (varchar(3))") && m.contains("row 3 has a value 6"),
        "{m}"
    );
    assert_eq!(count(&h, "narrow").await, 0);
}

#[tokio::test]
async fn bad_rows_go_to_the_reject_file_byte_for_byte_and_counts_add_up() {
    let h = server(Duration::ZERO).await;
    sql(
        &h,
        "CREATE TABLE r (id int NOT NULL, name varchar(20) NULL)",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    // Windows-1252 bytes (é = 0xE9), a quoted field, and two rows whose id is no int.
    let body: &[u8] = b"id;name\n1;caf\xe9\n\"x\";\"a;b\"\n3;ok\n4.5;half\n5;end\n";
    let f = write(dir.path(), "r.csv", body);
    let rej = dir.path().join("rejects.csv");
    let req = LoadRequest {
        reject_file: Some(rej.clone()),
        max_errors: 5,
        encoding: Some("windows-1252".into()),
        ..request(&h, vec![f], "r", LoadMode::Append)
    };
    let s = load(req, None, LoadControl::default())
        .await
        .expect("loads");
    assert_eq!((s.rows_read, s.rows_loaded, s.rows_rejected), (5, 3, 2));
    assert_eq!(count(&h, "r").await, 3);
    let got = std::fs::read(&rej).unwrap();
    let want: &[u8] = b"id;name;sluice_row;sluice_column;sluice_value;sluice_error\n\
\"x\";\"a;b\";3;\"id\";\"x\";\"\"\"x\"\" is not a valid int value\"\n\
4.5;half;5;\"id\";\"4.5\";\"\"\"4.5\"\" has more fraction digits than int keeps\"\n";
    assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(want));
    assert_eq!(got, want);
    let names = sql(&h, "SELECT name FROM r WHERE id = 1").await;
    assert_eq!(names[0][0], Value::String("café".into()));
}

#[tokio::test]
async fn a_value_that_cannot_fit_is_refused_up_front_unless_rows_may_be_rejected() {
    let h = server(Duration::ZERO).await;
    sql(&h, "CREATE TABLE ff (id int NOT NULL)").await;
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"id\n".to_vec();
    for i in 1..=10 {
        body.extend_from_slice(format!("{i}\n").as_bytes());
    }
    body.extend_from_slice(b"eleven\n12\n");
    let f = write(dir.path(), "ff.csv", &body);
    let req = LoadRequest {
        batch_size: 4,
        max_errors: 3,
        ..request(&h, vec![f], "ff", LoadMode::Append)
    };
    let mut strict = req.clone();
    strict.max_errors = 0;
    let e = load(strict, None, LoadControl::default())
        .await
        .expect_err("refused");
    assert!(e.message.contains("row 12 has \"eleven\""), "{e}");
    assert!(e.account.is_none());
    assert_eq!(count(&h, "ff").await, 0);
    let s = load(req, None, LoadControl::default())
        .await
        .expect("loads");
    assert_eq!(
        (s.rows_read, s.rows_loaded, s.rows_rejected, s.batches),
        (12, 11, 1, 3)
    );
    assert_eq!(count(&h, "ff").await, 11);
}

#[tokio::test]
async fn fail_fast_stops_at_the_first_bad_row_with_the_committed_account() {
    let h = server(Duration::ZERO).await;
    sql(
        &h,
        "CREATE TABLE ff2 (id int NULL, name varchar(10) NOT NULL)",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"id,name\n".to_vec();
    for i in 1..=12 {
        let name = if i == 11 {
            String::new()
        } else {
            format!("n{i}")
        };
        body.extend_from_slice(format!("{i},{name}\n").as_bytes());
    }
    let f = write(dir.path(), "ff2.csv", &body);
    let req = LoadRequest {
        batch_size: 4,
        ..request(&h, vec![f], "ff2", LoadMode::Append)
    };
    let e = load(req, None, LoadControl::default())
        .await
        .expect_err("stops");
    assert_eq!(e.kind, LoadErrorKind::Input);
    assert!(
        e.message
            .starts_with("row 12: column name: NULL into a NOT NULL column"),
        "{e}"
    );
    let account = e.account.expect("account");
    // Batches 1 and 2 (rows 1-8) committed; the batch holding the bad row did not.
    assert_eq!((account.rows_committed, account.batches_committed), (8, 2));
    assert_eq!(count(&h, "ff2").await, 8);
}

#[tokio::test]
async fn dry_run_converts_every_row_writes_rejects_and_changes_nothing() {
    let h = server(Duration::ZERO).await;
    sql(&h, "CREATE TABLE d (id int NOT NULL, name varchar(5) NULL)").await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "d.csv", b"id,name\n1,a\n2,toolong\n3,c\n");
    let rej = dir.path().join("d.rejects.csv");
    let req = LoadRequest {
        dry_run: true,
        max_errors: 10,
        reject_file: Some(rej.clone()),
        ..request(&h, vec![f.clone()], "d", LoadMode::Append)
    };
    let s = load(req, None, LoadControl::default())
        .await
        .expect("dry run");
    assert!(s.dry_run);
    assert_eq!((s.rows_read, s.rows_loaded, s.rows_rejected), (3, 2, 1));
    assert_eq!(count(&h, "d").await, 0);
    let text = std::fs::read_to_string(&rej).unwrap();
    assert!(text.starts_with("id,name,sluice_row"), "{text}");
    assert!(text.contains("2,toolong,3,\"name\""), "{text}");
    // --create in a dry run creates nothing.
    let req = LoadRequest {
        dry_run: true,
        ..request(&h, vec![f], "fresh", LoadMode::Create)
    };
    let s = load(req, None, LoadControl::default())
        .await
        .expect("dry run");
    assert_eq!(s.rows_loaded, 3);
    assert!(
        s.notes
            .iter()
            .any(|n| n.starts_with("would run: CREATE TABLE [fresh]")),
        "{:?}",
        s.notes
    );
    let mut c = Connection::connect_str(&conn_str(&h)).await.unwrap();
    assert!(c.execute("SELECT TOP 0 * FROM fresh").await.is_err());
}

#[tokio::test]
async fn hostile_table_and_column_names_are_just_names() {
    let h = server(Duration::ZERO).await;
    sql(&h, "CREATE TABLE x (v int); INSERT INTO x VALUES (1)").await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "h.csv", b"\"a]; DROP TABLE x;--\",b\n1,2\n");
    let table = "[dbo].[a]]; DROP TABLE x;--]";
    let s = load(
        request(&h, vec![f], table, LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!(s.rows_loaded, 1);
    assert_eq!(count(&h, "x").await, 1);
    assert_eq!(count(&h, table).await, 1);
}

#[tokio::test]
async fn several_files_load_in_order_with_per_file_counts_and_widened_types() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", b"id,amount\n1,5\n2,6\n");
    let b = write(dir.path(), "b.csv", b"id,amount\n3,7.25\n");
    let s = load(
        request(&h, vec![a, b], "many", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!(
        s.files.iter().map(|f| f.rows_loaded).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(count(&h, "many").await, 3);
    let rows = sql(
        &h,
        "SELECT CONVERT(varchar(20), amount) FROM many WHERE id = 3",
    )
    .await;
    assert_eq!(rows[0][0], Value::String("7.25".into()));
}

#[tokio::test]
async fn cancel_mid_load_leaves_an_account_equal_to_the_table() {
    let h = server(Duration::from_millis(20)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"id,label\n".to_vec();
    for i in 0..60_000 {
        body.extend_from_slice(format!("{i},row {i}\n").as_bytes());
    }
    let f = write(dir.path(), "big.csv", &body);
    let control = LoadControl::default();
    let c2 = control.clone();
    let progress: OnProgress = std::sync::Arc::new(move |p: LoadProgress| {
        if p.rows_committed >= 1_000 {
            c2.cancel();
        }
    });
    let req = LoadRequest {
        batch_size: 1_000,
        ..request(&h, vec![f], "cancelled", LoadMode::Create)
    };
    let e = load(req, Some(progress), control)
        .await
        .expect_err("cancelled");
    assert_eq!(e.kind, LoadErrorKind::Cancelled, "{e}");
    let account = e.account.expect("account");
    assert!(
        account.rows_committed >= 1_000 && account.rows_committed < 60_000,
        "{account:?}"
    );
    assert_eq!(count(&h, "cancelled").await, account.rows_committed as i64);
}

#[tokio::test]
async fn progress_is_throttled_and_ends_with_the_totals() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let mut body = b"id\n".to_vec();
    for i in 0..20_000 {
        body.extend_from_slice(format!("{i}\n").as_bytes());
    }
    let f = write(dir.path(), "p.csv", &body);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let progress: OnProgress = std::sync::Arc::new(move |p: LoadProgress| {
        s2.lock().unwrap().push(p);
    });
    let s = load(
        request(&h, vec![f], "prog", LoadMode::Create),
        Some(progress),
        LoadControl::default(),
    )
    .await
    .expect("loads");
    let seen = seen.lock().unwrap();
    let last = seen.last().expect("a final report");
    assert_eq!((last.rows_read, last.rows_committed), (20_000, 20_000));
    // At most ~10 a second plus the final one.
    let bound = s.elapsed_ms / 100 + 2;
    assert!(
        seen.len() as u64 <= bound,
        "{} reports in {} ms",
        seen.len(),
        s.elapsed_ms
    );
}

#[tokio::test]
async fn a_spreadsheet_loads_with_its_cells_types() {
    let h = server(Duration::ZERO).await;
    let xlsx = Path::new(env!("CARGO_MANIFEST_DIR")).join("../files/testdata/sample.xlsx");
    let s = load(
        request(&h, vec![xlsx], "sheet_orders", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!(s.rows_read, s.rows_loaded);
    assert_eq!(count(&h, "sheet_orders").await, s.rows_read as i64);
    let rows = sql(
        &h,
        "SELECT customer, CONVERT(varchar(10), ordered, 23) FROM sheet_orders WHERE id = 2",
    )
    .await;
    assert_eq!(
        rows,
        vec![vec![
            Value::String("Bjørn Ñúñez".into()),
            Value::String("1999-12-31".into())
        ]]
    );
}

/// A spreadsheet has no raw bytes: its rejected rows, and the header line above them, go to
/// the reject file as CSV lines.
#[tokio::test]
async fn a_spreadsheets_reject_file_starts_with_its_header_row() {
    let h = server(Duration::ZERO).await;
    sql(
        &h,
        "CREATE TABLE sheet_narrow (id int NOT NULL, customer nvarchar(5) NULL, amount decimal(3,1) NULL, \
         paid bit NULL, ordered date NULL, shipped_at datetime2(0) NULL, pickup time(0) NULL, \
         zip varchar(5) NULL, [check] varchar(1) NULL, took varchar(8) NULL)",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let rej = dir.path().join("rejects.csv");
    let xlsx = Path::new(env!("CARGO_MANIFEST_DIR")).join("../files/testdata/sample.xlsx");
    let req = LoadRequest {
        reject_file: Some(rej.clone()),
        max_errors: 10,
        ..request(&h, vec![xlsx], "sheet_narrow", LoadMode::Append)
    };
    match load(req, None, LoadControl::default()).await {
        Ok(s) => {
            assert!(s.rows_rejected > 0, "some customer is longer than 5");
            let text = std::fs::read_to_string(&rej).unwrap();
            let first = text.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("id,customer,amount,paid,ordered")
                    && first.ends_with("sluice_row,sluice_column,sluice_value,sluice_error"),
                "{text}"
            );
            assert_eq!(text.lines().count() as u64, 1 + s.rows_rejected, "{text}");
        }
        Err(e) => panic!("{e}"),
    }
}

const MAPPED: &str = r#"{
  "version": 1,
  "source": { "format": "csv", "headerRow": 1 },
  "columns": [
    { "name": "Order No", "sqlType": "int", "nullable": false },
    { "name": "Ordered", "sqlType": "date", "nullable": false },
    { "name": "Junk", "sqlType": "varchar(5)", "nullable": true }
  ],
  "target": { "table": "mapped", "mode": "create", "primaryKey": ["order_no"] },
  "mapping": [
    { "target": "region", "constant": "EMEA", "sqlType": "varchar(10)", "nullable": false },
    { "target": "ordered_on", "source": "Ordered", "sqlType": "date", "nullable": false, "dateOrder": "dmy" },
    { "target": "order_no", "source": "Order No", "sqlType": "bigint", "nullable": false }
  ]
}"#;

/// A template renames, reorders, skips a column (Junk), adds a constant and forces day-first
/// dates where the file alone cannot tell (03/04).
#[tokio::test]
async fn a_template_maps_renames_skips_and_adds_a_constant() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "m.csv",
        b"Order No,Ordered,Junk\n7,03/04/2024,zz\n",
    );
    let t = write(dir.path(), "m.json", MAPPED.as_bytes());
    let req = LoadRequest {
        template: Some(hooks::read_template(&t).expect("template")),
        ..request(&h, vec![f.clone()], "mapped", LoadMode::Create)
    };
    load(req, None, LoadControl::default())
        .await
        .expect("loads");
    let rows = sql(
        &h,
        "SELECT region, CONVERT(varchar(10), ordered_on, 23), order_no FROM mapped",
    )
    .await;
    assert_eq!(
        rows,
        vec![vec![
            Value::String("EMEA".into()),
            Value::String("2024-04-03".into()),
            Value::BigInt(7)
        ]]
    );
    // A file whose columns drifted from the template's is refused before anything is sent,
    // unless drift is allowed.
    let drifted = write(dir.path(), "d.csv", b"Order No,Ordered\n8,04/04/2024\n");
    let req = LoadRequest {
        template: Some(hooks::read_template(&t).expect("template")),
        ..request(&h, vec![drifted.clone()], "mapped", LoadMode::Append)
    };
    let e = load(req.clone(), None, LoadControl::default())
        .await
        .expect_err("drift");
    assert!(e.message.contains("Junk"), "{e}");
    assert_eq!(count(&h, "mapped").await, 1);
    let s = load(
        LoadRequest {
            allow_drift: true,
            ..req
        },
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads with drift allowed");
    assert!(
        s.notes.iter().any(|n| n.starts_with("drift:")),
        "{:?}",
        s.notes
    );
    assert_eq!(count(&h, "mapped").await, 2);
}
