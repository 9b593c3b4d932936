//! Bulk load through the Rust API (plan → encoder → runner) against the test server: batches,
//! the account of what committed on every kind of stop, and a usable connection afterwards.

use sluice_client::bulk::{self, BulkCopyOptions, BulkEncoder, BulkFailureKind, BulkProgress};
use sluice_client::Connection;
use sluice_server::{start, Faults, ServerConfig, ServerHandle};
use std::sync::Arc;
use tds::bulk::{encode_cell, Cell};
use tds::value::Value;
use tokio::sync::mpsc;

async fn server(faults: Faults) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        faults,
        ..Default::default()
    })
    .await
    .expect("server starts")
}

async fn connect(h: &ServerHandle) -> Connection {
    let s = h.connection_string();
    Connection::connect_str(&s).await.expect("connects")
}

async fn count(c: &mut Connection, table: &str) -> Value {
    c.execute(&format!("SELECT COUNT(*) FROM {table}"))
        .await
        .unwrap()
        .result_sets[0]
        .rows[0][0]
        .clone()
}

/// Loads `n` rows of (id, 'row id') with the given batch size; `stop_after` makes the source
/// fail after that many rows, as a bad value or a throwing iterator would.
async fn load(
    c: &mut Connection,
    n: u64,
    batch: u64,
    stop_after: Option<u64>,
) -> Result<bulk::BulkSummary, bulk::BulkFailure> {
    let opts = BulkCopyOptions {
        batch_size: batch,
        ..Default::default()
    };
    let plan = Arc::new(bulk::prepare(c, "dbo.t", &opts).await.expect("plan"));
    let (tx, rx) = mpsc::channel(4);
    let mut enc = BulkEncoder::new(plan.clone(), c.packet_size(), tx);
    let progress = BulkProgress::default();
    let feed = async move {
        for i in 0..n {
            if stop_after == Some(i) {
                return; // dropping the encoder mid-batch: the runner must abandon that batch
            }
            let text = format!("row {i}");
            enc.encode_row(|p, buf| {
                encode_cell(&p.columns[0], Cell::Int(i as i64), buf)?;
                encode_cell(&p.columns[1], Cell::Text(&text), buf)
            })
            .expect("row encodes");
            if enc.flush().await.is_err() {
                return; // the runner stopped; its result says why
            }
        }
        enc.finish();
        let _ = enc.flush().await;
    };
    let (_, result) = tokio::join!(
        feed,
        bulk::run(c, &plan, rx, &progress, std::future::pending())
    );
    result
}

#[tokio::test]
async fn rows_arrive_in_batches_each_committed() {
    let h = server(Faults::default()).await;
    let mut c = connect(&h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .unwrap();
    let s = load(&mut c, 2_500, 1_000, None).await.expect("loads");
    assert_eq!((s.rows_copied, s.batch_count), (2_500, 3));
    assert_eq!(count(&mut c, "dbo.t").await, Value::Int(2_500));
    let last = c
        .execute("SELECT * FROM dbo.t WHERE id = 2499")
        .await
        .unwrap();
    assert_eq!(
        last.result_sets[0].rows[0],
        vec![Value::Int(2499), Value::String("row 2499".into())]
    );
}

#[tokio::test]
async fn a_refused_batch_is_named_and_earlier_batches_stay() {
    let h = server(Faults {
        fail_batch: Some(2),
        ..Default::default()
    })
    .await;
    let mut c = connect(&h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .unwrap();
    let f = load(&mut c, 3_000, 1_000, None)
        .await
        .expect_err("batch 2 is refused");
    assert_eq!(f.kind, BulkFailureKind::Server);
    assert_eq!(
        (
            f.batches_committed,
            f.rows_committed,
            f.failed_batch,
            f.in_doubt_batch
        ),
        (1, 1_000, Some(2), None)
    );
    assert_eq!(f.error.server_message().map(|m| m.number), Some(4891));
    assert_eq!(count(&mut c, "dbo.t").await, Value::Int(1_000));
}

#[tokio::test]
async fn a_source_that_stops_mid_batch_abandons_that_batch_only() {
    let h = server(Faults::default()).await;
    let mut c = connect(&h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .unwrap();
    // 5,000-row batches; the source stops at row 9,000, when more than 64 KiB of batch 2 (one
    // hand-off) is already on the wire: that message is abandoned with EOM|IGNORE + ATTENTION.
    let f = load(&mut c, 20_000, 5_000, Some(9_000))
        .await
        .expect_err("stops");
    assert_eq!(f.kind, BulkFailureKind::Source);
    assert_eq!(
        (f.batches_committed, f.rows_committed, f.failed_batch),
        (1, 5_000, Some(2))
    );
    assert_eq!(count(&mut c, "dbo.t").await, Value::Int(5_000));
    assert!(c.is_usable());
}

#[tokio::test]
async fn a_source_that_stops_before_sending_anything_of_a_batch_is_a_source_failure_and_the_earlier_batches_stay(
) {
    let h = server(Faults::default()).await;
    let mut c = connect(&h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .unwrap();
    // Batch 3's 600 rows never filled a hand-off: nothing of it left the encoder. The source
    // failed all the same, so the load is not a success: batch 3 is named as not committed.
    let f = load(&mut c, 10_000, 1_000, Some(2_600))
        .await
        .expect_err("a source that stopped is a failure");
    assert_eq!(f.kind, BulkFailureKind::Source);
    assert_eq!(
        (f.batches_committed, f.rows_committed, f.failed_batch),
        (2, 2_000, Some(3))
    );
    assert_eq!(count(&mut c, "dbo.t").await, Value::Int(2_000));
    assert!(c.is_usable());
}

#[tokio::test]
async fn a_dropped_connection_reports_what_committed() {
    let h = server(Faults {
        drop_after_rows: Some(1_500),
        ..Default::default()
    })
    .await;
    let mut c = connect(&h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .unwrap();
    let f = load(&mut c, 5_000, 1_000, None)
        .await
        .expect_err("the server drops us");
    assert_eq!(f.kind, BulkFailureKind::Connection);
    assert_eq!((f.batches_committed, f.rows_committed), (1, 1_000));
    assert!(
        f.failed_batch == Some(2) || f.in_doubt_batch == Some(2),
        "{f}"
    );
    let mut again = connect(&h).await;
    assert_eq!(count(&mut again, "dbo.t").await, Value::Int(1_000));
}
