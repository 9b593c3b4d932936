//! Fault knob × resume, with the server in-process: a CSV load stopped by each fault knob (and
//! by a cancel) is resumed from its state file and journal, and the table ends with every row
//! of the file exactly once. Also: a changed file, a changed mapping and an unjournaled
//! in-doubt batch are refused.
//!
//! The driver below stands in for the `load` runner: it reads the CSV, converts two columns and
//! pushes cells, telling the encoder each record's position — the calls the runner makes.

use super::*;
use crate::journal::JournalRecorder;
use crate::state_file::{
    mapping_hash, new_load_id, JournalTable, LoadState, StateFile, STATE_VERSION,
};
use sluice_client::bulk::{
    begin_journaled, BulkCopyOptions, BulkFailure, BulkFailureKind, SessionOptions, SourcePosition,
    JOURNAL_TABLE,
};
use sluice_files::text::{TextOptions, TextReader};
use sluice_files::Field;
use sluice_server::{Faults, ServerHandle};
use tds::bulk::Cell;
use tds::value::Value;

const ROWS: u64 = 2_500;
const TARGET: &str = "dbo.t";

async fn server(faults: Faults) -> ServerHandle {
    crate::load_tests::faulty_server(faults).await
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
        ref v => panic!("{sql}: {v:?}"),
    }
}

fn csv(dir: &Path) -> PathBuf {
    let p = dir.join("orders.csv");
    let mut text = String::from("id,label\n");
    for i in 0..ROWS {
        text.push_str(&format!("{i},\"row {i}\"\n"));
    }
    std::fs::write(&p, text).unwrap();
    p
}

fn mapping() -> String {
    mapping_hash(&("id -> id int", "label -> label nvarchar(20)"))
}

struct Run {
    cancel_at: Option<u64>,
    resume: bool,
}

/// One run of the load (fresh or `--resume`), as the `load` runner does it.
async fn load(
    h: &ServerHandle,
    file: &Path,
    state_dir: &Path,
    run: Run,
) -> Result<(), BulkFailure> {
    let mut conn = connect(h).await;
    let mut reader = TextReader::open(file, &TextOptions::default()).expect("opens");
    assert!(reader.advance().expect("header"), "the header");
    let (state, spec) = if run.resume {
        let mut rp = ResumePoint::load(state_dir, &[file.to_path_buf()], TARGET, &mapping())
            .expect("may resume")
            .expect("a recorded load");
        rp.settle(&mut conn).await.expect("journal read");
        // A --create load resumed does not create the table again.
        assert!(rp.created_table());
        rp.skip(&mut reader).expect("skips the committed records");
        let spec = rp.journal_spec().expect("journaled");
        (rp.state, spec)
    } else {
        conn.execute("CREATE TABLE dbo.t (id int NOT NULL, label nvarchar(20) NULL)")
            .await
            .expect("--create");
        let file_id = FileIdentity::of(file).unwrap();
        let load_id = new_load_id(&file_id, TARGET);
        let state = StateFile::create(
            state_dir,
            LoadState {
                version: STATE_VERSION,
                load_id: load_id.clone(),
                files: vec![file_id.into()],
                target: TARGET.into(),
                mapping_sha256: mapping(),
                created_table: true,
                journal: Some(JournalTable {
                    schema: "dbo".into(),
                    table: JOURNAL_TABLE.into(),
                }),
                batches: vec![],
                in_doubt_batch: None,
            },
        )
        .expect("state file");
        (state, JournalSpec::new("dbo", &load_id))
    };
    let batches_before = spec.batches_before;
    let mut record = spec.first_row - 1;
    let recorder = JournalRecorder::new(state);
    let opts = BulkCopyOptions {
        batch_size: 1_000,
        ..Default::default()
    };
    let mut s = match begin_journaled(
        conn,
        TARGET,
        &opts,
        SessionOptions::default(),
        recorder.run(spec),
    )
    .await
    {
        Ok(s) => s,
        Err((e, _)) => panic!("begin: {e}"),
    };
    while reader.advance().expect("reads") {
        record += 1;
        if run.cancel_at == Some(record) {
            s.control.cancel();
        }
        let id: i64 = match reader.field(0) {
            Field::Text(t) => t.parse().expect("an id"),
            other => panic!("id field {other:?}"),
        };
        let label = match reader.field(1) {
            Field::Text(t) => t.to_string(),
            _ => String::new(),
        };
        s.encoder.set_source_position(SourcePosition {
            next_row: record + 1,
            next_offset: None,
        });
        if s.push_row(&[Cell::Int(id), Cell::Text(&label)])
            .await
            .is_err()
        {
            break;
        }
    }
    let out = s.finish().await;
    assert!(recorder.take_error().is_none());
    match out.result {
        Ok(_) => {
            let state = recorder.into_state().expect("the runner is done");
            state.remove().expect("removed");
            Ok(())
        }
        Err(f) => {
            if let Some(b) = f.in_doubt_batch {
                recorder
                    .with_state(|st| st.set_in_doubt(Some(batches_before + b)))
                    .expect("recorded");
            }
            Err(f)
        }
    }
}

/// Every row of the file, exactly once.
async fn assert_whole_file(h: &ServerHandle) {
    let n = ROWS as i64;
    assert_eq!(scalar(h, "SELECT COUNT(*) FROM dbo.t").await, n);
    assert_eq!(
        scalar(h, "SELECT SUM(CAST(id AS bigint)) FROM dbo.t").await,
        n * (n - 1) / 2
    );
    assert_eq!(
        scalar(
            h,
            "SELECT SUM(CAST(id AS bigint) * CAST(id AS bigint)) FROM dbo.t"
        )
        .await,
        (n - 1) * n * (2 * n - 1) / 6
    );
}

async fn stop_then_resume(faults: Faults, cancel_at: Option<u64>, kind: BulkFailureKind) {
    let dir = tempfile::tempdir().unwrap();
    let file = csv(dir.path());
    let states = dir.path().join("state");
    let h = server(faults.clone()).await;
    let f = load(
        &h,
        &file,
        &states,
        Run {
            cancel_at,
            resume: false,
        },
    )
    .await
    .expect_err("the load stops");
    assert_eq!(f.kind, kind, "{faults:?}: {f}");
    // The server may still be rolling back the dropped connection's batch.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    load(
        &h,
        &file,
        &states,
        Run {
            cancel_at: None,
            resume: true,
        },
    )
    .await
    .unwrap_or_else(|f| panic!("{faults:?}: the resume fails: {f}"));
    assert_whole_file(&h).await;
    let id = FileIdentity::of(&file).unwrap();
    assert!(
        StateFile::open(&StateFile::path_for(
            &states,
            std::slice::from_ref(&id.path),
            TARGET
        ))
        .unwrap()
        .is_none(),
        "a finished load leaves no state"
    );
}

#[tokio::test]
async fn fail_batch_then_resume_loads_every_row_once() {
    let faults = Faults {
        fail_batch: Some(2),
        ..Default::default()
    };
    stop_then_resume(faults, None, BulkFailureKind::Server).await;
}

#[tokio::test]
async fn drop_after_rows_then_resume_loads_every_row_once() {
    let faults = Faults {
        drop_after_rows: Some(1_500),
        ..Default::default()
    };
    stop_then_resume(faults, None, BulkFailureKind::Connection).await;
}

#[tokio::test]
async fn drop_after_bytes_then_resume_loads_every_row_once() {
    let faults = Faults {
        drop_after_bytes: Some(30_000),
        ..Default::default()
    };
    stop_then_resume(faults, None, BulkFailureKind::Connection).await;
}

#[tokio::test]
async fn an_in_doubt_batch_that_committed_is_settled_by_the_journal_on_resume() {
    let faults = Faults {
        drop_after_commit: Some(2),
        ..Default::default()
    };
    stop_then_resume(faults, None, BulkFailureKind::Connection).await;
}

#[tokio::test]
async fn cancel_then_resume_loads_every_row_once() {
    stop_then_resume(Faults::default(), Some(1_500), BulkFailureKind::Cancelled).await;
}

#[tokio::test]
async fn a_resume_is_refused_when_the_file_or_the_mapping_changed() {
    let dir = tempfile::tempdir().unwrap();
    let file = csv(dir.path());
    let states = dir.path().join("state");
    let h = server(Faults {
        drop_after_rows: Some(1_500),
        ..Default::default()
    })
    .await;
    let run = Run {
        cancel_at: None,
        resume: false,
    };
    load(&h, &file, &states, run).await.expect_err("stops");
    let e = ResumePoint::load(
        &states,
        std::slice::from_ref(&file),
        TARGET,
        "another mapping",
    )
    .expect_err("refused");
    assert!(matches!(e, ResumeError::MappingChanged), "{e}");
    // Same size, other content: the head hash and the time tell.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("row 7\"", "row 8\"");
    std::fs::write(&file, text).unwrap();
    let e = ResumePoint::load(&states, std::slice::from_ref(&file), TARGET, &mapping())
        .expect_err("refused");
    let ResumeError::FileChanged { differences, .. } = &e else {
        panic!("{e}");
    };
    assert!(differences.iter().any(|d| d.starts_with("content")), "{e}");
    assert!(
        e.to_string()
            .contains("orders.csv changed since the load began"),
        "{e}"
    );
    // Nothing recorded for another table.
    assert!(ResumePoint::load(
        &states,
        std::slice::from_ref(&file),
        "dbo.other",
        &mapping()
    )
    .unwrap()
    .is_none());
}

#[tokio::test]
async fn an_in_doubt_batch_without_a_journal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = csv(dir.path());
    let id = FileIdentity::of(&file).unwrap();
    let mut st = StateFile::create(
        dir.path(),
        LoadState {
            version: STATE_VERSION,
            load_id: "x".into(),
            files: vec![id.into()],
            target: TARGET.into(),
            mapping_sha256: mapping(),
            created_table: false,
            journal: None,
            batches: vec![],
            in_doubt_batch: None,
        },
    )
    .unwrap();
    st.set_in_doubt(Some(1)).unwrap();
    let e = ResumePoint::load(dir.path(), std::slice::from_ref(&file), TARGET, &mapping())
        .expect_err("refused");
    assert!(
        matches!(
            e,
            ResumeError::InDoubtWithoutJournal {
                batch: 1,
                first_row: 1
            }
        ),
        "{e}"
    );
}

/// Where a load of three files goes on, from the record counts its state file holds: the
/// first file not read to its end, or the one whose records run past the last committed.
#[test]
fn the_next_record_is_placed_in_a_file_by_the_recorded_counts() {
    use crate::state_file::{CommittedBatch, FileRead};
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = ["a.csv", "b.csv", "c.csv"]
        .iter()
        .map(|n| {
            let p = dir.path().join(n);
            std::fs::write(&p, "id\n1\n").unwrap();
            p
        })
        .collect();
    let files = paths
        .iter()
        .map(|p| FileIdentity::of(p).unwrap().into())
        .collect();
    let mut st = StateFile::create(
        dir.path(),
        LoadState {
            version: STATE_VERSION,
            load_id: "x".into(),
            files,
            target: TARGET.into(),
            mapping_sha256: mapping(),
            created_table: true,
            journal: None,
            batches: vec![],
            in_doubt_batch: None,
        },
    )
    .unwrap();
    let batch = |batch, first_row, last_row, rows| CommittedBatch {
        batch,
        first_row,
        last_row,
        next_offset: Some(77),
        rows,
    };
    let read = |records, rejected| FileRead { records, rejected };
    // Nothing committed: the first record of the first file.
    let rp = ResumePoint { state: st };
    let at = rp.resume_at().unwrap();
    assert_eq!(
        (at.file, at.records_before, at.skip, at.offset),
        (0, 0, 0, None)
    );
    st = rp.state;
    // Batch 1 ends inside a (its count not known yet): a, record 1,000, at the offset.
    st.record_batch(batch(1, 1, 1_000, 999)).unwrap();
    let rp = ResumePoint { state: st };
    let at = rp.resume_at().unwrap();
    assert_eq!(
        (at.file, at.records_before, at.skip, at.offset),
        (0, 0, 1_000, Some(77))
    );
    assert_eq!(at.committed, vec![read(1_000, 1)]);
    st = rp.state;
    // a had 1,200 records (1 rejected, in batch 1), b is being read; batch 2 ends in b.
    st.record_file_read(0, read(1_200, 1));
    st.record_batch(batch(2, 1_001, 2_000, 998)).unwrap();
    let rp = ResumePoint { state: st };
    let at = rp.resume_at().unwrap();
    assert_eq!(
        (at.file, at.records_before, at.skip, at.offset),
        (1, 1_200, 800, Some(77))
    );
    // Three rejected in all: one was a's, two are b's committed part.
    assert_eq!(at.committed, vec![read(1_200, 1), read(800, 2)]);
    st = rp.state;
    // b ends exactly at record 2,000: c from its first record, no offset (it was b's).
    st.record_file_read(1, read(800, 2));
    let rp = ResumePoint { state: st };
    let at = rp.resume_at().unwrap();
    assert_eq!(
        (at.file, at.records_before, at.skip, at.offset),
        (2, 2_000, 0, None)
    );
    st = rp.state;
    // Every file read and committed: nothing to read.
    st.record_file_read(2, read(0, 0));
    let rp = ResumePoint { state: st };
    assert_eq!(rp.resume_at().unwrap().file, 3);
    st = rp.state;
    // Counts that fall short of what committed are refused, not guessed.
    st.record_batch(batch(3, 2_001, 2_005, 5)).unwrap();
    let rp = ResumePoint { state: st };
    assert!(
        matches!(
            rp.resume_at(),
            Err(ResumeError::SourceShorter {
                expected: 2_005,
                found: 2_000
            })
        ),
        "{:?}",
        rp.resume_at()
    );
}
