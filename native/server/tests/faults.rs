//! The fault knobs and transactions as a client sees them: each knob fires once per server (the
//! same server then takes the retry), `drop_after_commit` commits and goes silent, and a
//! connection that goes away inside a transaction leaves nothing of it behind.

use sluice_client::bulk::{self, BulkCopyOptions, BulkEncoder, BulkFailureKind, BulkProgress};
use sluice_client::Connection;
use sluice_server::{start, Faults, ServerConfig, ServerHandle};
use std::sync::Arc;
use std::time::Duration;
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

async fn count(h: &ServerHandle) -> Value {
    let mut c = connect(h).await;
    c.execute("SELECT COUNT(*) FROM dbo.t")
        .await
        .unwrap()
        .result_sets[0]
        .rows[0][0]
        .clone()
}

/// Waits (bounded) until the table holds `n` rows: the server notices a closed connection
/// asynchronously.
async fn until_count(h: &ServerHandle, n: i32) {
    for _ in 0..200 {
        if count(h).await == Value::Int(n) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the table never held {n} rows: {:?}", count(h).await);
}

/// Loads ids `from..from + n` in batches of `batch` rows.
async fn load(
    c: &mut Connection,
    from: u64,
    n: u64,
    batch: u64,
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
        for i in from..from + n {
            let text = format!("row {i}");
            enc.encode_row(|p, buf| {
                encode_cell(&p.columns[0], Cell::Int(i as i64), buf)?;
                encode_cell(&p.columns[1], Cell::Text(&text), buf)
            })
            .expect("row encodes");
            if enc.flush().await.is_err() {
                return;
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

async fn with_table(h: &ServerHandle) -> Connection {
    let mut c = connect(h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .unwrap();
    c
}

async fn fires_once(faults: Faults, kind: BulkFailureKind) {
    let h = server(faults.clone()).await;
    let mut c = with_table(&h).await;
    let f = load(&mut c, 0, 3_000, 1_000)
        .await
        .expect_err(&format!("{faults:?} fires"));
    assert_eq!(f.kind, kind, "{faults:?}: {f}");
    let committed = f.rows_committed;
    until_count(&h, committed as i32).await;
    // The same server, the rows it holds, and the rest of the load: no fault this time.
    let mut again = connect(&h).await;
    let s = load(&mut again, committed, 3_000 - committed, 1_000)
        .await
        .unwrap_or_else(|f| panic!("{faults:?} fired twice: {f}"));
    assert_eq!(s.rows_copied, 3_000 - committed);
    assert_eq!(count(&h).await, Value::Int(3_000));
}

#[tokio::test]
async fn drop_after_rows_fires_once_per_server() {
    let faults = Faults {
        drop_after_rows: Some(1_500),
        ..Default::default()
    };
    fires_once(faults, BulkFailureKind::Connection).await;
}

#[tokio::test]
async fn drop_after_bytes_fires_once_per_server() {
    let faults = Faults {
        drop_after_bytes: Some(30_000),
        ..Default::default()
    };
    fires_once(faults, BulkFailureKind::Connection).await;
}

#[tokio::test]
async fn fail_batch_fires_once_per_server() {
    let faults = Faults {
        fail_batch: Some(2),
        ..Default::default()
    };
    fires_once(faults, BulkFailureKind::Server).await;
}

#[tokio::test]
async fn drop_after_commit_stores_the_batch_and_leaves_it_in_doubt() {
    let h = server(Faults {
        drop_after_commit: Some(2),
        ..Default::default()
    })
    .await;
    let mut c = with_table(&h).await;
    let f = load(&mut c, 0, 3_000, 1_000)
        .await
        .expect_err("the answer to batch 2 never comes");
    assert_eq!(f.kind, BulkFailureKind::Connection);
    assert_eq!((f.batches_committed, f.in_doubt_batch), (1, Some(2)), "{f}");
    // Batch 2 did commit: the client could not know.
    assert_eq!(count(&h).await, Value::Int(2_000));
    // Once only: the next load is answered.
    let mut again = connect(&h).await;
    load(&mut again, 2_000, 1_000, 1_000)
        .await
        .expect("fires once");
    assert_eq!(count(&h).await, Value::Int(3_000));
}

#[tokio::test]
async fn drop_after_commit_inside_a_transaction_closes_at_the_commit() {
    let h = server(Faults {
        drop_after_commit: Some(1),
        ..Default::default()
    })
    .await;
    let mut c = with_table(&h).await;
    c.execute("BEGIN TRAN").await.expect("begin");
    load(&mut c, 0, 500, 1_000)
        .await
        .expect("the batch is answered: it is not committed yet");
    c.execute("INSERT INTO dbo.t VALUES (-1, N'marker')")
        .await
        .expect("same transaction");
    c.execute("COMMIT TRAN")
        .await
        .expect_err("the COMMIT's answer never comes");
    assert!(!c.is_usable());
    assert_eq!(count(&h).await, Value::Int(501));
}

#[tokio::test]
async fn a_connection_closed_inside_a_transaction_rolls_it_back() {
    let h = server(Faults::default()).await;
    let mut c = with_table(&h).await;
    c.execute("INSERT INTO dbo.t VALUES (1, N'kept')")
        .await
        .unwrap();
    c.execute("BEGIN TRAN INSERT INTO dbo.t VALUES (2, N'undone')")
        .await
        .unwrap();
    load(&mut c, 10, 2_500, 1_000).await.expect("loads");
    assert_eq!(count(&h).await, Value::Int(2_502), "no isolation");
    drop(c);
    until_count(&h, 1).await;
}

#[tokio::test]
async fn rollback_through_sql_undoes_bulk_rows_and_the_connection_goes_on() {
    let h = server(Faults::default()).await;
    let mut c = with_table(&h).await;
    c.execute("BEGIN TRAN").await.unwrap();
    load(&mut c, 0, 1_500, 1_000).await.expect("loads");
    c.execute("ROLLBACK TRAN").await.expect("rollback");
    assert_eq!(count(&h).await, Value::Int(0));
    let r = c.execute("SELECT @@TRANCOUNT").await.unwrap();
    assert_eq!(r.result_sets[0].rows[0][0], Value::Int(0));
    load(&mut c, 0, 10, 1_000).await.expect("loads again");
    assert_eq!(count(&h).await, Value::Int(10));
}

/// `--sink` counts every row it frames and keeps none; its drop-after-rows knob still fires at
/// the row it names.
#[tokio::test]
async fn a_sink_counts_rows_keeps_none_and_still_fires_its_faults() {
    let h = start(ServerConfig {
        port: 0,
        sink: true,
        ..Default::default()
    })
    .await
    .expect("server starts");
    let mut c = with_table(&h).await;
    let s = load(&mut c, 0, 2_500, 1_000).await.expect("loads");
    assert_eq!((s.rows_copied, s.batch_count), (2_500, 3));
    assert_eq!(count(&h).await, Value::Int(0));

    let h = start(ServerConfig {
        port: 0,
        sink: true,
        faults: Faults {
            drop_after_rows: Some(1_500),
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("server starts");
    let mut c = with_table(&h).await;
    let f = load(&mut c, 0, 3_000, 1_000).await.expect_err("drops");
    assert_eq!(f.kind, BulkFailureKind::Connection, "{f}");
    assert_eq!(f.rows_committed, 1_000);
}
