//! The bulk session as a pure-Rust caller drives it, against the test server: typed cells in,
//! progress out, and after every cancel, timeout or drop an account that matches the table.

use super::*;
use crate::bulk::BulkFailureKind;
use sluice_server::{start, Faults, ServerConfig, ServerHandle};
use std::sync::Mutex;
use std::time::Duration;
use tds::value::Value;

async fn server(reply_delay: Duration, faults: Faults) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        reply_delay,
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

async fn count(h: &ServerHandle, table: &str) -> i64 {
    let mut c = connect(h).await;
    let r = c
        .execute(&format!("SELECT COUNT(*) FROM {table}"))
        .await
        .expect("count");
    match r.result_sets[0].rows[0][0] {
        Value::Int(n) => n.into(),
        ref v => panic!("count is {v:?}"),
    }
}

async fn with_table(h: &ServerHandle, table: &str) -> Connection {
    let mut c = connect(h).await;
    c.execute(&format!(
        "CREATE TABLE {table} (id int NOT NULL, label nvarchar(20) NULL)"
    ))
    .await
    .expect("table");
    c
}

async fn start_load(c: Connection, table: &str, batch: u64, opts: SessionOptions) -> BulkSession {
    let o = BulkCopyOptions {
        batch_size: batch,
        ..Default::default()
    };
    match begin(c, table, &o, opts).await {
        Ok(s) => s,
        Err((e, _)) => panic!("begin: {e}"),
    }
}

async fn push(s: &mut BulkSession, from: u64, n: u64) -> Result<(), PushError> {
    for i in from..from + n {
        let label = format!("row {i}");
        s.push_row(&[Cell::Int(i as i64), Cell::Text(&label)])
            .await?;
    }
    Ok(())
}

/// Waits until the runner has put `rows` rows on the wire.
async fn until_sent(control: &BulkControl, rows: u64) {
    for _ in 0..5_000 {
        if control.progress().rows_sent >= rows {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("the rows never left: {:?}", control.progress());
}

/// After any stop the table holds exactly what the account says, or the batch is named in doubt
/// and the table holds the committed rows with or without that batch.
fn assert_account(f: &BulkFailure, held: i64, batch_rows: u64) {
    let committed = f.rows_committed as i64;
    match f.in_doubt_batch {
        None => assert_eq!(held, committed, "{f}"),
        Some(_) => assert!(
            held == committed || held == committed + batch_rows as i64,
            "{f}; table holds {held}"
        ),
    }
    if let Some(b) = f.failed_batch {
        assert_eq!(f.batches_committed + 1, b, "{f}");
    }
}

#[tokio::test]
async fn a_rust_caller_pushes_typed_cells_and_gets_progress_and_its_connection_back() {
    let h = server(Duration::ZERO, Faults::default()).await;
    let c = with_table(&h, "dbo.t").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let opts = SessionOptions {
        on_progress: Some(Box::new(move |p| sink.lock().unwrap().push(p))),
        progress_every: Duration::from_millis(1),
        ..Default::default()
    };
    let mut s = start_load(c, "dbo.t", 1_000, opts).await;
    push(&mut s, 0, 2_500).await.expect("rows go in");
    // A row with too few fields names the column it misses; nothing of it is sent.
    let short = s.push_row(&[Cell::Int(1)]).await.expect_err("short row");
    assert!(
        matches!(&short, PushError::Value { row: 2_501, error } if error.column == "label"),
        "{short}"
    );
    let control = s.control.clone();
    let out = s.finish().await;
    let summary = out.result.expect("loads");
    assert_eq!((summary.rows_copied, summary.batch_count), (2_500, 3));
    assert_eq!(control.progress().rows_committed, 2_500);
    assert!(!seen.lock().unwrap().is_empty());
    let mut c = out.connection.expect("the connection comes back");
    assert!(c.execute("SELECT 1").await.is_ok());
    assert_eq!(count(&h, "dbo.t").await, 2_500);
}

#[tokio::test]
async fn a_cancel_after_the_server_stored_a_batch_counts_that_batch_as_committed() {
    // The server stores the batch, then waits 400 ms before answering; the cancel comes in
    // that window. SQL Server answers with the batch's DONE, then the acknowledgement.
    let h = server(Duration::from_millis(400), Faults::default()).await;
    let c = with_table(&h, "dbo.t").await;
    let mut s = start_load(c, "dbo.t", 100, SessionOptions::default()).await;
    push(&mut s, 0, 100).await.expect("rows go in");
    s.encoder.flush().await.expect("handed over");
    until_sent(&s.control, 100).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.control.cancel();
    let out = s.finish().await;
    let f = out.result.expect_err("cancelled");
    assert_eq!(f.kind, BulkFailureKind::Cancelled);
    assert_eq!(
        (
            f.rows_committed,
            f.batches_committed,
            f.failed_batch,
            f.in_doubt_batch
        ),
        (100, 1, None, None),
        "{f}"
    );
    assert_eq!(count(&h, "dbo.t").await, 100);
    // Only ATTENTION followed the complete message: the session is still in step.
    let mut c = out.connection.expect("the connection stays usable");
    assert!(c.execute("SELECT 1").await.is_ok());
}

#[tokio::test]
async fn cancels_at_many_moments_leave_an_account_that_matches_the_table() {
    let h = server(Duration::from_millis(3), Faults::default()).await;
    for (i, delay_ms) in (0..40u64).step_by(3).enumerate() {
        let table = format!("dbo.t{i}");
        let c = with_table(&h, &table).await;
        let mut s = start_load(c, &table, 500, SessionOptions::default()).await;
        let control = s.control.clone();
        let canceller = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            control.cancel();
        });
        let pushed = push(&mut s, 0, 5_000).await;
        let out = if pushed.is_ok() {
            s.finish().await
        } else {
            s.abandon().await
        };
        canceller.await.expect("cancel task");
        let held = count(&h, &table).await;
        match out.result {
            Ok(summary) => assert_eq!(summary.rows_copied as i64, held),
            Err(f) => {
                assert_eq!(f.kind, BulkFailureKind::Cancelled, "{f}");
                assert_account(&f, held, 500);
                // A cancel never leaves the session out of step with this server.
                assert!(out.connection.is_some(), "cancel at {delay_ms} ms: {f}");
            }
        }
    }
}

#[tokio::test]
async fn a_cancel_the_server_never_acknowledges_names_the_batch_in_doubt() {
    let h = server(
        Duration::from_millis(1_500),
        Faults {
            ignore_attention: true,
            ..Default::default()
        },
    )
    .await;
    let mut c = with_table(&h, "dbo.t").await;
    c.set_attention_grace(Duration::from_millis(300));
    let mut s = start_load(c, "dbo.t", 50, SessionOptions::default()).await;
    push(&mut s, 0, 50).await.expect("rows go in");
    s.encoder.flush().await.expect("handed over");
    until_sent(&s.control, 50).await;
    s.control.cancel();
    let out = s.finish().await;
    let f = out.result.expect_err("cancelled");
    assert_eq!(
        (f.rows_committed, f.failed_batch, f.in_doubt_batch),
        (0, None, Some(1)),
        "{f}"
    );
    assert!(
        out.connection.is_none(),
        "an unacknowledged cancel closes it"
    );
    assert_account(&f, count(&h, "dbo.t").await, 50);
}

#[tokio::test]
async fn a_command_timeout_on_a_batch_answer_reports_the_batch_the_server_finished() {
    // The server answers after 1.5 s; the command timeout is 1 s. The batch was stored on
    // arrival, so the ATTENTION the timeout sends is answered with its DONE first.
    let h = server(
        Duration::ZERO,
        Faults {
            bulk_reply_delay: Some(Duration::from_millis(1_500)),
            ..Default::default()
        },
    )
    .await;
    let mut c = with_table(&h, "dbo.t").await;
    let opts = BulkCopyOptions {
        batch_size: 10,
        ..Default::default()
    };
    let plan = prepare(&mut c, "dbo.t", &opts).await.expect("plan");
    c.set_command_timeout(Some(Duration::from_secs(1)));
    let mut s = BulkSession::start(c, plan, SessionOptions::default());
    push(&mut s, 0, 10).await.expect("rows go in");
    let out = s.finish().await;
    let f = out.result.expect_err("timed out");
    assert_eq!(f.kind, BulkFailureKind::Timeout, "{f}");
    assert!(matches!(f.error, Error::Timeout { .. }), "{f}");
    assert_eq!(
        (f.rows_committed, f.failed_batch, f.in_doubt_batch),
        (10, None, None),
        "{f}"
    );
    assert_eq!(count(&h, "dbo.t").await, 10);
}

#[tokio::test]
async fn an_encoder_dropped_without_finish_is_a_source_failure_not_a_success() {
    let h = server(Duration::ZERO, Faults::default()).await;
    let c = with_table(&h, "dbo.t").await;
    let mut s = start_load(c, "dbo.t", 1_000, SessionOptions::default()).await;
    push(&mut s, 0, 2_600).await.expect("rows go in");
    let out = s.abandon().await;
    let f = out
        .result
        .expect_err("a source that stopped is not a success");
    assert_eq!(f.kind, BulkFailureKind::Source);
    assert_eq!(
        (f.batches_committed, f.rows_committed, f.failed_batch),
        (2, 2_000, Some(3))
    );
    assert_eq!(count(&h, "dbo.t").await, 2_000);
    assert!(out.connection.is_some());
}

#[tokio::test]
async fn a_cancel_before_any_row_stops_the_load_with_nothing_committed() {
    let h = server(Duration::ZERO, Faults::default()).await;
    let c = with_table(&h, "dbo.t").await;
    let s = start_load(c, "dbo.t", 1_000, SessionOptions::default()).await;
    s.control.cancel();
    // Waiting for room returns at once: the runner has stopped.
    tokio::time::timeout(Duration::from_secs(5), async {
        for _ in 0..3 {
            s.control.ready().await;
        }
    })
    .await
    .expect("ready() returns");
    let out = s.finish().await;
    let f = out.result.expect_err("cancelled");
    assert_eq!(f.kind, BulkFailureKind::Cancelled);
    assert_eq!(
        (f.rows_committed, f.failed_batch, f.in_doubt_batch),
        (0, None, None)
    );
    assert_eq!(count(&h, "dbo.t").await, 0);
}
