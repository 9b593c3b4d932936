//! `load` with `--resume`, end to end against the in-process test server: a `--create` load
//! stopped by each fault knob (and a cancel) is resumed by the same request plus `resume`, and
//! the table ends with every row of the file once; a changed file is refused.

use super::*;
use crate::template::LoadMode;
use sluice_client::Connection;
use sluice_server::{start, Faults, ServerConfig, ServerHandle};
use std::path::{Path, PathBuf};
use tds::value::Value;

const ROWS: i64 = 3_000;

fn conn_str(h: &ServerHandle) -> String {
    h.connection_string()
}

async fn scalar(h: &ServerHandle, q: &str) -> i64 {
    let mut c = Connection::connect_str(&conn_str(h))
        .await
        .expect("connects");
    let r = c.execute(q).await.unwrap_or_else(|e| panic!("{q}: {e}"));
    match r.result_sets[0].rows[0][0] {
        Value::Int(n) => n.into(),
        Value::BigInt(n) => n,
        ref v => panic!("{q}: {v:?}"),
    }
}

fn csv(dir: &Path) -> PathBuf {
    let p = dir.join("lines.csv");
    let mut text = String::from("id,item,amount\n");
    for i in 0..ROWS {
        text.push_str(&format!("{i},item {i},{}.{:02}\n", i % 500, i % 100));
    }
    std::fs::write(&p, text).unwrap();
    p
}

fn request(h: &ServerHandle, file: &Path, resume: bool) -> LoadRequest {
    LoadRequest {
        files: vec![file.to_path_buf()],
        connection: conn_str(h),
        table: "dbo.lines".into(),
        mode: LoadMode::Create,
        batch_size: 1_000,
        resume,
        ..Default::default()
    }
}

async fn assert_whole_file(h: &ServerHandle) {
    assert_eq!(scalar(h, "SELECT COUNT(*) FROM dbo.lines").await, ROWS);
    assert_eq!(
        scalar(h, "SELECT SUM(CAST(id AS bigint)) FROM dbo.lines").await,
        ROWS * (ROWS - 1) / 2
    );
    assert_eq!(
        scalar(
            h,
            "SELECT SUM(CAST(id AS bigint) * CAST(id AS bigint)) FROM dbo.lines"
        )
        .await,
        (ROWS - 1) * ROWS * (2 * ROWS - 1) / 6
    );
}

async fn stopped_then_resumed(faults: Faults, cancel: bool) {
    let dir = tempfile::tempdir().unwrap();
    stopped_then_resumed_file(faults, cancel, &csv(dir.path()), true).await;
}

/// `seeks`: the file's reader can go straight to a byte offset (UTF-8, single-byte code pages).
async fn stopped_then_resumed_file(faults: Faults, cancel: bool, file: &Path, seeks: bool) {
    let file = file.to_path_buf();
    let h = start(ServerConfig {
        port: 0,
        faults: faults.clone(),
        ..Default::default()
    })
    .await
    .expect("server");
    let control = LoadControl::default();
    if cancel {
        // Cancelled once the first batch is committed: a progress callback sees it.
        let c = control.clone();
        let on: OnProgress = std::sync::Arc::new(move |p: LoadProgress| {
            if p.rows_committed >= 1_000 {
                c.cancel();
            }
        });
        let e = load(request(&h, &file, false), Some(on), control.clone())
            .await
            .expect_err("cancelled");
        assert!(e.account.is_some(), "{e}");
    } else {
        let e = load(request(&h, &file, false), None, control)
            .await
            .expect_err(&format!("{faults:?} stops the load"));
        assert!(e.account.is_some(), "{faults:?}: {e}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let s = load(request(&h, &file, true), None, LoadControl::default())
        .await
        .unwrap_or_else(|e| panic!("{faults:?}: the resume fails: {e}"));
    assert!(
        s.notes.iter().any(|n| n.starts_with("resumed:")),
        "{:?}",
        s.notes
    );
    // A UTF-8 file is not read again up to where the load stopped: the reader seeks there.
    let skipped_some = s
        .notes
        .iter()
        .any(|n| n.starts_with("resumed:") && !n.ends_with("; 0 record(s) of the file skipped"));
    assert_eq!(
        skipped_some && seeks,
        s.notes.iter().any(|n| n.contains("went straight to byte")),
        "{:?}",
        s.notes
    );
    assert_whole_file(&h).await;
    // Nothing left to resume.
    let e = load(request(&h, &file, true), None, LoadControl::default())
        .await
        .expect_err("nothing recorded");
    assert!(e.to_string().contains("no recorded load"), "{e}");
}

#[tokio::test]
async fn a_load_stopped_by_a_refused_batch_is_resumed_without_duplicates() {
    let f = Faults {
        fail_batch: Some(2),
        ..Default::default()
    };
    stopped_then_resumed(f, false).await;
}

/// A UTF-16 file is transcoded as a stream, so its reader cannot seek: the resume reads and
/// drops the committed records instead, with the same result.
#[tokio::test]
async fn a_utf16_file_is_resumed_by_reading_past_the_committed_part() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(csv(dir.path())).unwrap();
    let mut bytes = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let file = dir.path().join("lines16.csv");
    std::fs::write(&file, bytes).unwrap();
    let f = Faults {
        fail_batch: Some(2),
        ..Default::default()
    };
    stopped_then_resumed_file(f, false, &file, false).await;
}

#[tokio::test]
async fn a_load_whose_connection_dropped_is_resumed_without_duplicates() {
    for f in [
        Faults {
            drop_after_rows: Some(1_500),
            ..Default::default()
        },
        Faults {
            drop_after_bytes: Some(40_000),
            ..Default::default()
        },
    ] {
        stopped_then_resumed(f, false).await;
    }
}

#[tokio::test]
async fn a_load_with_an_in_doubt_batch_is_resumed_without_duplicates() {
    let f = Faults {
        drop_after_commit: Some(2),
        ..Default::default()
    };
    stopped_then_resumed(f, false).await;
}

#[tokio::test]
async fn a_cancelled_load_is_resumed_without_duplicates() {
    // Slow batch answers, so that the cancel lands while the load runs.
    let f = Faults {
        bulk_reply_delay: Some(std::time::Duration::from_millis(300)),
        ..Default::default()
    };
    stopped_then_resumed(f, true).await;
}

#[tokio::test]
async fn a_resume_against_a_changed_file_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let file = csv(dir.path());
    let h = start(ServerConfig {
        port: 0,
        faults: Faults {
            drop_after_rows: Some(1_500),
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("server");
    load(request(&h, &file, false), None, LoadControl::default())
        .await
        .expect_err("stops");
    let held = scalar(&h, "SELECT COUNT(*) FROM dbo.lines").await;
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("99999,late,1.00\n");
    std::fs::write(&file, text).unwrap();
    let e = load(request(&h, &file, true), None, LoadControl::default())
        .await
        .expect_err("refused");
    assert!(
        e.to_string().contains("changed since the load began"),
        "{e}"
    );
    assert!(e.to_string().contains("size: recorded"), "{e}");
    assert_eq!(scalar(&h, "SELECT COUNT(*) FROM dbo.lines").await, held);
}

/// A file whose records 10, 20 and 2,500 have no valid id, appended with a reject budget into
/// a table made first; batch 2 is refused, so the first run commits batch 1 (two rejects) only.
async fn rejects_then_resume(max_errors: u64) -> (tempfile::TempDir, ServerHandle, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.csv");
    let mut text = String::from("id,item,amount\n");
    for i in 1..=ROWS {
        let id = if [10, 20, 2_500].contains(&i) {
            "x".to_string()
        } else {
            i.to_string()
        };
        text.push_str(&format!("{id},item {i},{}.{:02}\n", i % 500, i % 100));
    }
    std::fs::write(&p, text).unwrap();
    let h = start(ServerConfig {
        port: 0,
        faults: Faults {
            fail_batch: Some(2),
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("server");
    let mut c = Connection::connect_str(&conn_str(&h)).await.unwrap();
    c.execute(
        "CREATE TABLE dbo.lines (id int NOT NULL, item varchar(20) NULL, amount decimal(5,2) NULL)",
    )
    .await
    .unwrap();
    let rej = dir.path().join("rejects.csv");
    let req = |resume| LoadRequest {
        mode: LoadMode::Append,
        max_errors,
        reject_file: Some(rej.clone()),
        ..request(&h, &p, resume)
    };
    load(req(false), None, LoadControl::default())
        .await
        .expect_err("batch 2 is refused");
    let first = std::fs::read_to_string(&rej).unwrap();
    assert!(
        first.contains("x,item 10,") && first.contains("x,item 20,"),
        "{first}"
    );
    (dir, h, p)
}

#[tokio::test]
async fn rows_rejected_in_committed_batches_count_against_the_budget_on_resume() {
    let (dir, h, file) = rejects_then_resume(2).await;
    let rej = dir.path().join("rejects.csv");
    let req = LoadRequest {
        mode: LoadMode::Append,
        max_errors: 2,
        reject_file: Some(rej.clone()),
        ..request(&h, &file, true)
    };
    let e = load(req, None, LoadControl::default())
        .await
        .expect_err("a third bad row is one too many");
    assert!(e.to_string().contains("more than --max-errors 2"), "{e}");
}

#[tokio::test]
async fn a_resume_keeps_the_reject_file_of_the_run_before_and_writes_its_own_beside_it() {
    let (dir, h, file) = rejects_then_resume(5).await;
    let rej = dir.path().join("rejects.csv");
    let before = std::fs::read_to_string(&rej).unwrap();
    let req = LoadRequest {
        mode: LoadMode::Append,
        max_errors: 5,
        reject_file: Some(rej.clone()),
        ..request(&h, &file, true)
    };
    let s = load(req, None, LoadControl::default())
        .await
        .expect("the resume loads the rest");
    assert_eq!(std::fs::read_to_string(&rej).unwrap(), before, "untouched");
    let resumed = dir.path().join("rejects.resumed.csv");
    let after = std::fs::read_to_string(&resumed).unwrap();
    assert!(after.contains("x,item 2500,"), "{after}");
    assert!(
        s.notes.iter().any(|n| n.contains("rejects.resumed.csv")),
        "{:?}",
        s.notes
    );
    assert_eq!(scalar(&h, "SELECT COUNT(*) FROM dbo.lines").await, ROWS - 3);
}

#[tokio::test]
async fn a_load_without_the_journal_keeps_no_journal_and_cannot_be_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let file = csv(dir.path());
    let h = start(ServerConfig {
        port: 0,
        ..Default::default()
    })
    .await
    .expect("server");
    let req = |resume| LoadRequest {
        journal: false,
        ..request(&h, &file, resume)
    };
    let s = load(req(false), None, LoadControl::default())
        .await
        .expect("loads");
    assert!(
        s.notes.iter().any(|n| n.contains("cannot be resumed")),
        "{:?}",
        s.notes
    );
    assert_whole_file(&h).await;
    assert_eq!(
        scalar(
            &h,
            "SELECT COUNT(*) FROM sys.tables WHERE name = 'sluice_load_journal'"
        )
        .await,
        0
    );
    let e = load(req(true), None, LoadControl::default())
        .await
        .expect_err("nothing to resume");
    assert!(e.to_string().contains("--no-journal"), "{e}");
}
