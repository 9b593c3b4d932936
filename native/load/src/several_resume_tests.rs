//! `--resume` for a load of several files, end to end against the in-process test server:
//! three files loaded by one `--create` request in batches that straddle the files' ends,
//! stopped by each fault knob, then resumed by the same request plus `resume`. The table ends
//! with every row of every file exactly once (its ids listed and compared), the files the
//! first run committed whole are not read again, the per-file account adds up across the runs,
//! and a changed file or another order of the files is refused, naming it.

use super::*;
use crate::load_tests::{conn_str, sql};
use crate::template::LoadMode;
use sluice_server::{Faults, ServerHandle};
use std::path::{Path, PathBuf};
use tds::value::Value;

/// Rows of a.csv, b.csv and c.csv; with batches of 1,000 the second batch holds the end of a
/// and the start of b, the third the end of b and the start of c.
const SIZES: [u64; 3] = [1_200, 1_300, 800];
const TABLE: &str = "dbo.parts";

/// The three files; ids run on from file to file (`bad` ids are written as `x`).
fn files_with(dir: &Path, sizes: [u64; 3], bad: &[u64]) -> Vec<PathBuf> {
    let mut next = 0u64;
    ["a.csv", "b.csv", "c.csv"]
        .iter()
        .zip(sizes)
        .map(|(name, n)| {
            let mut text = String::from("id,item\n");
            for id in next..next + n {
                let shown = if bad.contains(&id) {
                    "x".to_string()
                } else {
                    id.to_string()
                };
                text.push_str(&format!("{shown},item {id}\n"));
            }
            next += n;
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect()
}

fn request(h: &ServerHandle, files: &[PathBuf], resume: bool) -> LoadRequest {
    LoadRequest {
        files: files.to_vec(),
        connection: conn_str(h),
        table: TABLE.into(),
        mode: LoadMode::Create,
        batch_size: 1_000,
        resume,
        ..Default::default()
    }
}

async fn server(faults: Faults) -> ServerHandle {
    crate::load_tests::faulty_server(faults).await
}

/// The ids in the table, sorted.
async fn ids(h: &ServerHandle) -> Vec<i64> {
    let mut out: Vec<i64> = sql(h, &format!("SELECT id FROM {TABLE}"))
        .await
        .iter()
        .map(|r| match r[0] {
            Value::Int(n) => n.into(),
            Value::BigInt(n) => n,
            ref v => panic!("id {v:?}"),
        })
        .collect();
    out.sort_unstable();
    out
}

/// Stops a load of the three files with `faults`, resumes it, and checks the table and the
/// account. `whole` is how many files the first run committed whole (not read again).
async fn stopped_then_resumed(faults: Faults, sizes: [u64; 3], whole: usize) -> LoadSummary {
    let dir = tempfile::tempdir().unwrap();
    let files = files_with(dir.path(), sizes, &[]);
    let total: u64 = sizes.iter().sum();
    let h = server(faults.clone()).await;
    let e = load(request(&h, &files, false), None, LoadControl::default())
        .await
        .expect_err(&format!("{faults:?} stops the load"));
    let first = e.account.unwrap_or_else(|| panic!("{faults:?}: {e}"));
    assert!(e.message.contains("--resume"), "{e}");
    // The server may still be rolling back the dropped connection's batch.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let s = load(request(&h, &files, true), None, LoadControl::default())
        .await
        .unwrap_or_else(|e| panic!("{faults:?}: the resume fails: {e}"));

    // Every row of every file, exactly once.
    assert_eq!(
        ids(&h).await,
        (0..total as i64).collect::<Vec<_>>(),
        "{faults:?}"
    );

    // The account: this run's counts add up, and with the earlier runs' give each file whole.
    assert_eq!(s.rows_read, s.rows_loaded + s.rows_rejected);
    assert_eq!(s.files.len(), 3, "{:?}", s.files);
    assert_eq!(
        s.files.iter().map(|f| f.rows_loaded).sum::<u64>(),
        s.rows_loaded
    );
    assert_eq!(
        s.files.iter().map(|f| f.rows_read).sum::<u64>(),
        s.rows_read
    );
    for (f, n) in s.files.iter().zip(sizes) {
        assert_eq!(f.rows_loaded + f.rows_loaded_before, n, "{f:?}");
    }
    let before: u64 = s.files.iter().map(|f| f.rows_loaded_before).sum();
    assert_eq!(before + s.rows_loaded, total);
    // The in-doubt batch committed, though the first run could not know it.
    assert!(before >= first.rows_committed, "{first:?} {:?}", s.files);
    assert_eq!(
        before > first.rows_committed,
        first.in_doubt_batch.is_some(),
        "{faults:?}: {first:?}"
    );
    // Files committed whole are not read again; the one where it stopped is entered by seeking.
    for f in &s.files[..whole] {
        assert_eq!((f.rows_read, f.rows_loaded_before > 0), (0, true), "{f:?}");
    }
    let stopped_in = &s.files[whole];
    assert!(stopped_in.rows_read > 0, "{:?}", s.files);
    let resumed = s
        .notes
        .iter()
        .find(|n| n.starts_with("resumed:"))
        .unwrap_or_else(|| panic!("{:?}", s.notes));
    assert!(
        resumed.contains(&format!("{whole} file(s) committed whole")),
        "{resumed}"
    );
    assert_eq!(
        stopped_in.rows_loaded_before > 0,
        s.notes
            .iter()
            .any(|n| n.contains("went straight to byte") && n.contains(&stopped_in.path)),
        "{:?}",
        s.notes
    );
    // Nothing left to resume.
    let e = load(request(&h, &files, true), None, LoadControl::default())
        .await
        .expect_err("nothing recorded");
    assert!(e.to_string().contains("no recorded load"), "{e}");
    s
}

#[tokio::test]
async fn a_refused_batch_in_the_second_file_is_resumed_there_without_duplicates() {
    let f = Faults {
        fail_batch: Some(3),
        ..Default::default()
    };
    let s = stopped_then_resumed(f, SIZES, 1).await;
    // Batches 1 and 2 (rows 1–2,000) committed: all of a, 800 rows of b.
    assert_eq!(s.files[1].rows_loaded_before, 800, "{:?}", s.files);
}

#[tokio::test]
async fn a_dropped_connection_in_the_second_file_is_resumed_without_duplicates() {
    let f = Faults {
        drop_after_rows: Some(2_500),
        ..Default::default()
    };
    stopped_then_resumed(f, SIZES, 1).await;
}

/// Batch 3 (rows 2,001–3,000: the end of b, the start of c) commits and its answer never
/// comes: the journal settles it, and the resume goes on in c with a and b not read.
#[tokio::test]
async fn an_in_doubt_batch_straddling_two_files_is_settled_and_the_rest_loads_once() {
    let f = Faults {
        drop_after_commit: Some(3),
        ..Default::default()
    };
    let s = stopped_then_resumed(f, SIZES, 2).await;
    assert_eq!(
        s.files
            .iter()
            .map(|f| f.rows_loaded_before)
            .collect::<Vec<_>>(),
        vec![1_200, 1_300, 500]
    );
}

/// The committed part ends exactly where a.csv ends: b starts from its first record.
#[tokio::test]
async fn a_stop_at_the_end_of_a_file_resumes_at_the_next_one() {
    let f = Faults {
        fail_batch: Some(2),
        ..Default::default()
    };
    let s = stopped_then_resumed(f, [1_000, 1_300, 700], 1).await;
    assert_eq!(s.files[1].rows_loaded_before, 0, "{:?}", s.files);
    assert_eq!(s.files[1].rows_read, 1_300, "{:?}", s.files);
}

/// An `--append` request into the table [`stopped`] made.
fn append(h: &ServerHandle, files: &[PathBuf], resume: bool) -> LoadRequest {
    LoadRequest {
        mode: LoadMode::Append,
        ..request(h, files, resume)
    }
}

/// A stopped `--append` load of a, b, c into a table made first (so that an id `x` is a
/// rejected row, not a reason to infer text): its directory, files and server.
async fn stopped(bad: &[u64]) -> (tempfile::TempDir, Vec<PathBuf>, ServerHandle) {
    let dir = tempfile::tempdir().unwrap();
    let files = files_with(dir.path(), SIZES, bad);
    let h = server(Faults {
        fail_batch: Some(3),
        ..Default::default()
    })
    .await;
    sql(
        &h,
        &format!("CREATE TABLE {TABLE} (id int NOT NULL, item varchar(20) NULL)"),
    )
    .await;
    let req = LoadRequest {
        max_errors: 5,
        reject_file: Some(dir.path().join("rejects.csv")),
        ..append(&h, &files, false)
    };
    load(req, None, LoadControl::default())
        .await
        .expect_err("batch 3 is refused");
    (dir, files, h)
}

#[tokio::test]
async fn a_resume_is_refused_when_the_second_file_changed_naming_it() {
    let (_dir, files, h) = stopped(&[]).await;
    let held = ids(&h).await;
    let mut text = std::fs::read_to_string(&files[1]).unwrap();
    text.push_str("99999,late\n");
    std::fs::write(&files[1], text).unwrap();
    let e = load(append(&h, &files, true), None, LoadControl::default())
        .await
        .expect_err("refused");
    let msg = e.to_string();
    assert!(msg.contains("b.csv changed since the load began"), "{msg}");
    assert!(!msg.contains("a.csv") && !msg.contains("c.csv"), "{msg}");
    assert_eq!(ids(&h).await, held, "nothing was sent");
}

#[tokio::test]
async fn a_resume_with_the_files_in_another_order_or_fewer_files_is_refused() {
    let (_dir, files, h) = stopped(&[]).await;
    let held = ids(&h).await;
    let swapped = vec![files[0].clone(), files[2].clone(), files[1].clone()];
    let e = load(append(&h, &swapped, true), None, LoadControl::default())
        .await
        .expect_err("refused");
    assert!(
        e.to_string().contains("the same files in the same order"),
        "{e}"
    );
    let e = load(append(&h, &files[..2], true), None, LoadControl::default())
        .await
        .expect_err("refused");
    assert!(e.to_string().contains("c.csv in that order"), "{e}");
    assert_eq!(ids(&h).await, held, "nothing was sent");
}

/// Ids 5 and 700 (in a) and 2,600 (in c) are bad. Batches 1 and 2 committed with the two of a
/// rejected: they count against --max-errors on resume and stay attributed to a.
#[tokio::test]
async fn rows_rejected_in_committed_batches_stay_with_their_file_and_the_budget() {
    let bad = [5, 700, 2_600];
    let (dir, files, h) = stopped(&bad).await;
    let rej = dir.path().join("rejects.csv");
    let req = |max_errors| LoadRequest {
        max_errors,
        reject_file: Some(rej.clone()),
        ..append(&h, &files, true)
    };
    let e = load(req(2), None, LoadControl::default())
        .await
        .expect_err("the bad row of c is one too many");
    assert!(e.to_string().contains("more than --max-errors 2"), "{e}");
    let s = load(req(5), None, LoadControl::default())
        .await
        .expect("the resume loads the rest");
    let a = &s.files[0];
    assert_eq!(
        (a.rows_read, a.rows_loaded_before, a.rows_rejected_before),
        (0, 1_198, 2),
        "{a:?}"
    );
    assert_eq!((s.files[2].rows_rejected, s.rows_rejected), (1, 1));
    let resumed = std::fs::read_to_string(dir.path().join("rejects.resumed.csv")).unwrap();
    assert!(resumed.contains("x,item 2600,"), "{resumed}");
    let want: Vec<i64> = (0..SIZES.iter().sum::<u64>() as i64)
        .filter(|i| !bad.contains(&(*i as u64)))
        .collect();
    assert_eq!(ids(&h).await, want);
}

/// Stopped twice: batch 3 refused, then the resume's first batch (load batch 3 again: the end
/// of b, the start of c; the server's fourth) commits unanswered. The first resume starts
/// inside b, so the second relies on what it recorded — its journal rows' record numbers over
/// all files, b's record count — and still loads every row once.
#[tokio::test]
async fn a_load_stopped_twice_is_resumed_twice_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let files = files_with(dir.path(), SIZES, &[]);
    let h = server(Faults {
        fail_batch: Some(3),
        drop_after_commit: Some(4),
        ..Default::default()
    })
    .await;
    load(request(&h, &files, false), None, LoadControl::default())
        .await
        .expect_err("batch 3 is refused");
    let e = load(request(&h, &files, true), None, LoadControl::default())
        .await
        .expect_err("the COMMIT of load batch 3 is not answered");
    let account = e.account.expect("an account");
    assert!(account.in_doubt_batch.is_some(), "{e}");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let s = load(request(&h, &files, true), None, LoadControl::default())
        .await
        .unwrap_or_else(|e| panic!("the second resume fails: {e}"));
    let total: u64 = SIZES.iter().sum();
    assert_eq!(ids(&h).await, (0..total as i64).collect::<Vec<_>>());
    assert_eq!(
        s.files
            .iter()
            .map(|f| (f.rows_read, f.rows_loaded_before))
            .collect::<Vec<_>>(),
        vec![(0, 1_200), (0, 1_300), (300, 500)]
    );
}
