//! Journaled bulk sessions against the test server, under every fault knob and a cancel: the
//! table always holds exactly the rows of the journaled batches, a batch is in doubt only when
//! its COMMIT went unanswered, and the journal then settles it.

use super::*;
use crate::bulk::{
    begin_journaled, BulkCopyOptions, BulkFailure, BulkFailureKind, BulkOutcome, SessionOptions,
};
use sluice_server::{start, Faults, ServerConfig, ServerHandle};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tds::bulk::Cell;

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

async fn scalar(h: &ServerHandle, sql: &str) -> i64 {
    let mut c = connect(h).await;
    let r = c.execute(sql).await.expect(sql);
    match r.result_sets[0].rows[0][0] {
        Value::Int(n) => n.into(),
        Value::BigInt(n) => n,
        Value::Null => 0,
        ref v => panic!("{sql}: {v:?}"),
    }
}

/// Loads ids 0..n (source rows 1..=n, each record 10 bytes) in batches of 1,000, journaled
/// as load "L"; `cancel_at` cancels once that many rows were pushed.
async fn journaled(
    h: &ServerHandle,
    n: u64,
    cancel_at: Option<u64>,
) -> (BulkOutcome, Vec<JournalEntry>) {
    let mut c = connect(h).await;
    c.execute("IF OBJECT_ID(N'dbo.t') IS NULL CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .expect("table");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let mut run = JournalRun::new(JournalSpec::new("dbo", "L"));
    run.on_commit = Some(Box::new(move |e| sink.lock().unwrap().push(*e)));
    let opts = BulkCopyOptions {
        batch_size: 1_000,
        ..Default::default()
    };
    let mut s = match begin_journaled(c, "dbo.t", &opts, SessionOptions::default(), run).await {
        Ok(s) => s,
        Err((e, _)) => panic!("begin: {e}"),
    };
    for i in 0..n {
        if cancel_at == Some(i) {
            s.control.cancel();
        }
        s.encoder.set_source_position(SourcePosition {
            next_row: i + 2,
            next_offset: Some((i + 1) * 10),
        });
        let label = format!("row {i}");
        if s.push_row(&[Cell::Int(i as i64), Cell::Text(&label)])
            .await
            .is_err()
        {
            break;
        }
    }
    let out = s.finish().await;
    let seen = seen.lock().unwrap().clone();
    (out, seen)
}

/// The table holds the journaled batches' rows, exactly; the account agrees, with an in-doubt
/// batch settled by the journal.
async fn assert_exact(h: &ServerHandle, f: &BulkFailure, seen: &[JournalEntry]) {
    let mut c = connect(h).await;
    let journal = read_journal(&mut c, "dbo", JOURNAL_TABLE, "L")
        .await
        .expect("journal");
    let journaled: u64 = journal.iter().map(|e| e.rows).sum();
    let held = scalar(h, "SELECT COUNT(*) FROM dbo.t").await as u64;
    assert_eq!(held, journaled, "{f}: the table and the journal agree");
    let expected_sum: i64 = (0..held as i64).sum();
    assert_eq!(
        scalar(h, "SELECT SUM(CAST(id AS bigint)) FROM dbo.t").await,
        expected_sum,
        "{f}: the rows are the first {held}, each once"
    );
    assert!(
        !(f.failed_batch.is_some() && f.in_doubt_batch.is_some()),
        "{f}"
    );
    match f.in_doubt_batch {
        None => {
            assert_eq!(held, f.rows_committed, "{f}");
            assert_eq!(journal, seen, "{f}: every journaled batch was reported");
        }
        Some(b) => {
            assert!(
                journal.len() as u64 == b || journal.len() as u64 == b - 1,
                "{f}"
            );
            assert_eq!(journal[..seen.len()], *seen);
        }
    }
}

#[tokio::test]
async fn a_journaled_load_writes_one_row_per_batch_with_its_source_end() {
    let h = server(Faults::default()).await;
    let (out, seen) = journaled(&h, 2_500, None).await;
    let s = out.result.expect("loads");
    assert_eq!((s.rows_copied, s.batch_count), (2_500, 3));
    assert_eq!(
        seen.iter()
            .map(|e| (
                e.batch,
                e.first_row,
                e.last_row,
                e.source_end_offset,
                e.rows
            ))
            .collect::<Vec<_>>(),
        vec![
            (1, 1, 1_000, Some(10_000), 1_000),
            (2, 1_001, 2_000, Some(20_000), 1_000),
            (3, 2_001, 2_500, Some(25_000), 500)
        ]
    );
    let mut c = out.connection.expect("usable");
    assert_eq!(
        read_journal(&mut c, "dbo", JOURNAL_TABLE, "L")
            .await
            .unwrap(),
        seen
    );
    let r = c.execute("SELECT @@TRANCOUNT").await.unwrap();
    assert_eq!(r.result_sets[0].rows[0][0], Value::Int(0));
}

#[tokio::test]
async fn a_refused_batch_is_rolled_back_and_failed() {
    let h = server(Faults {
        fail_batch: Some(2),
        ..Default::default()
    })
    .await;
    let (out, seen) = journaled(&h, 3_000, None).await;
    let f = out.result.expect_err("batch 2 refused");
    assert_eq!(f.kind, BulkFailureKind::Server);
    assert_eq!((f.rows_committed, f.failed_batch), (1_000, Some(2)), "{f}");
    assert_exact(&h, &f, &seen).await;
    let mut c = out.connection.expect("usable");
    let r = c.execute("SELECT @@TRANCOUNT").await.unwrap();
    assert_eq!(r.result_sets[0].rows[0][0], Value::Int(0), "rolled back");
}

#[tokio::test]
async fn a_connection_dropped_mid_batch_fails_that_batch_never_in_doubt() {
    for faults in [
        Faults {
            drop_after_rows: Some(1_500),
            ..Default::default()
        },
        Faults {
            drop_after_bytes: Some(30_000),
            ..Default::default()
        },
    ] {
        let h = server(faults.clone()).await;
        let (out, seen) = journaled(&h, 3_000, None).await;
        let f = out.result.expect_err("dropped");
        assert_eq!(f.kind, BulkFailureKind::Connection, "{faults:?}");
        assert_eq!(f.in_doubt_batch, None, "{faults:?}: {f}");
        assert!(f.failed_batch.is_some(), "{faults:?}: {f}");
        // The server notices the closed connection and rolls back on its own time.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_exact(&h, &f, &seen).await;
    }
}

#[tokio::test]
async fn an_unanswered_commit_is_in_doubt_and_the_journal_settles_it() {
    let h = server(Faults {
        drop_after_commit: Some(2),
        ..Default::default()
    })
    .await;
    let (out, seen) = journaled(&h, 3_000, None).await;
    let f = out
        .result
        .expect_err("the COMMIT of batch 2 is never answered");
    assert_eq!(f.kind, BulkFailureKind::Connection);
    assert_eq!(
        (f.batches_committed, f.rows_committed, f.in_doubt_batch),
        (1, 1_000, Some(2)),
        "{f}"
    );
    assert_exact(&h, &f, &seen).await;
    let mut c = connect(&h).await;
    let journal = read_journal(&mut c, "dbo", JOURNAL_TABLE, "L")
        .await
        .unwrap();
    assert_eq!(journal.last().map(|e| e.batch), Some(2), "it committed");
    assert_eq!(scalar(&h, "SELECT COUNT(*) FROM dbo.t").await, 2_000);
}

#[tokio::test]
async fn a_cancel_rolls_back_the_open_batch() {
    let h = server(Faults::default()).await;
    let (out, seen) = journaled(&h, 3_000, Some(1_500)).await;
    let f = out.result.expect_err("cancelled");
    assert_eq!(f.kind, BulkFailureKind::Cancelled, "{f}");
    assert_eq!(f.in_doubt_batch, None, "{f}");
    assert_exact(&h, &f, &seen).await;
    assert!(out.connection.is_some());
}

#[tokio::test]
async fn a_journal_inside_the_callers_transaction_is_refused() {
    let h = server(Faults::default()).await;
    let mut c = connect(&h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL); BEGIN TRAN")
        .await
        .unwrap();
    let run = JournalRun::new(JournalSpec::new("dbo", "L"));
    let s = match begin_journaled(
        c,
        "dbo.t",
        &BulkCopyOptions::default(),
        SessionOptions::default(),
        run,
    )
    .await
    {
        Ok(s) => s,
        Err((e, _)) => panic!("begin: {e}"),
    };
    let f = s.finish().await.result.expect_err("refused");
    assert_eq!(f.kind, BulkFailureKind::Source);
    assert!(f.to_string().contains("open transaction"), "{f}");
}

/// The caller's hook runs before each batch's journal row and COMMIT are sent (with that row);
/// when it fails, the batch is rolled back and the load stops there, nothing in doubt.
#[tokio::test]
async fn a_failing_before_commit_hook_rolls_its_batch_back_and_stops_the_load() {
    let h = server(Faults::default()).await;
    let mut c = connect(&h).await;
    c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
        .await
        .expect("table");
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    let mut run = JournalRun::new(JournalSpec::new("dbo", "L"));
    run.before_commit = Some(Box::new(move |e: &JournalEntry| {
        log.lock().unwrap().push((e.batch, e.last_row));
        match e.batch {
            2 => Err(std::io::Error::other("the state file could not be written")),
            _ => Ok(()),
        }
    }));
    let opts = BulkCopyOptions {
        batch_size: 1_000,
        ..Default::default()
    };
    let mut s = match begin_journaled(c, "dbo.t", &opts, SessionOptions::default(), run).await {
        Ok(s) => s,
        Err((e, _)) => panic!("begin: {e}"),
    };
    for i in 0..2_500u64 {
        s.encoder.set_source_position(SourcePosition {
            next_row: i + 2,
            next_offset: None,
        });
        let label = format!("row {i}");
        if s.push_row(&[Cell::Int(i as i64), Cell::Text(&label)])
            .await
            .is_err()
        {
            break;
        }
    }
    let f = s.finish().await.result.expect_err("batch 2's hook fails");
    assert!(f.to_string().contains("could not be written"), "{f}");
    assert_eq!((f.rows_committed, f.in_doubt_batch), (1_000, None), "{f}");
    assert_eq!(*asked.lock().unwrap(), vec![(1, 1_000), (2, 2_000)]);
    assert_eq!(scalar(&h, "SELECT COUNT(*) FROM dbo.t").await, 1_000);
    let mut c = connect(&h).await;
    let journal = read_journal(&mut c, "dbo", JOURNAL_TABLE, "L")
        .await
        .expect("journal");
    assert_eq!(journal.len(), 1);
}

/// `table_ready`: the caller made the journal table, so the runner sends no `CREATE` — with
/// the table missing, its first journal row then fails the batch (proof that nothing created
/// it), while without the flag the runner creates it and the load goes through.
#[tokio::test]
async fn a_journal_table_the_caller_made_is_not_created_again() {
    for ready in [true, false] {
        let h = server(Faults::default()).await;
        let mut c = connect(&h).await;
        c.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
            .await
            .expect("table");
        let run = JournalRun::new(JournalSpec {
            table_ready: ready,
            ..JournalSpec::new("dbo", "L")
        });
        let mut s = match begin_journaled(
            c,
            "dbo.t",
            &BulkCopyOptions::default(),
            SessionOptions::default(),
            run,
        )
        .await
        {
            Ok(s) => s,
            Err((e, _)) => panic!("begin: {e}"),
        };
        for i in 0..10i64 {
            if s.push_row(&[Cell::Int(i), Cell::Text("x")]).await.is_err() {
                break;
            }
        }
        let out = s.finish().await.result;
        assert_eq!(out.is_ok(), !ready, "ready {ready}: {out:?}");
        let journal = scalar(
            &h,
            "SELECT COUNT(*) FROM sys.tables WHERE name = N'sluice_load_journal'",
        )
        .await;
        assert_eq!(journal, i64::from(!ready), "ready {ready}");
    }
}
