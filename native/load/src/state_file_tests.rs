//! The state file: written whole, read back, versions, keys.

use super::*;

fn sample(dir: &Path) -> (PathBuf, FileIdentity) {
    let p = dir.join("data.csv");
    std::fs::write(&p, "id,label\n1,a\n2,b\n").unwrap();
    let id = FileIdentity::of(&p).unwrap();
    (p, id)
}

fn state(file: FileIdentity) -> LoadState {
    LoadState {
        version: STATE_VERSION,
        load_id: new_load_id(&file, "dbo.t"),
        files: vec![file.into()],
        target: "dbo.t".into(),
        mapping_sha256: mapping_hash(&["id", "label"]),
        created_table: true,
        journal: None,
        batches: vec![],
        in_doubt_batch: None,
    }
}

#[test]
fn a_state_is_written_whole_and_read_back_with_each_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = sample(dir.path());
    let mut f = StateFile::create(dir.path(), state(id.clone())).unwrap();
    let b = CommittedBatch {
        batch: 1,
        first_row: 1,
        last_row: 2,
        next_offset: Some(17),
        rows: 2,
    };
    f.record_batch(b).unwrap();
    f.record_batch(b).unwrap();
    let back = StateFile::open(&StateFile::path_for(
        dir.path(),
        std::slice::from_ref(&id.path),
        "DBO.T ",
    ))
    .unwrap()
    .expect("recorded");
    assert_eq!(back.state.batches, vec![b]);
    assert!(back.state.created_table);
    assert!(!f.path().with_extension("json.tmp").exists());
    f.remove().unwrap();
    assert!(StateFile::open(back.path()).unwrap().is_none());
}

/// The runner may call its commit callback after the load removed the state file (it
/// still holds the state): the file must not come back, or a later `--resume` would find
/// a finished load.
#[test]
fn a_removed_state_file_is_not_written_again_by_a_late_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = sample(dir.path());
    let mut f = StateFile::create(dir.path(), state(id)).unwrap();
    let path = f.path().to_path_buf();
    assert!(path.exists());
    f.remove_now().unwrap();
    assert!(!path.exists());
    f.record_batch(CommittedBatch {
        batch: 3,
        first_row: 1,
        last_row: 9,
        next_offset: None,
        rows: 9,
    })
    .unwrap();
    assert!(
        !path.exists(),
        "a late batch wrote the finished load's state back"
    );
}

#[test]
fn a_changed_file_is_described() {
    let dir = tempfile::tempdir().unwrap();
    let (p, before) = sample(dir.path());
    std::fs::write(&p, "id,label\n1,a\n2,c\n").unwrap();
    let after = FileIdentity::of(&p).unwrap();
    let d = before.differences(&after);
    assert!(d.iter().any(|d| d.starts_with("content:")), "{d:?}");
    std::fs::write(&p, "id,label\n1,a\n").unwrap();
    let shorter = FileIdentity::of(&p).unwrap();
    assert!(before
        .differences(&shorter)
        .iter()
        .any(|d| d == "size: recorded 17 bytes, now 13 bytes"));
    assert!(before.differences(&before).is_empty());
}

#[test]
fn a_garbled_state_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.json");
    std::fs::write(&p, "{ not json").unwrap();
    let e = StateFile::open(&p).expect_err("garbled");
    assert!(e.to_string().contains("x.json"), "{e}");
}

#[test]
fn the_state_dir_follows_the_environment() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    };
    assert_eq!(
        state_dir_from(env(&[("SLUICE_STATE_DIR", "/s"), ("XDG_STATE_HOME", "/x")])),
        PathBuf::from("/s")
    );
    if !cfg!(windows) {
        assert_eq!(
            state_dir_from(env(&[("XDG_STATE_HOME", "/x"), ("HOME", "/h")])),
            PathBuf::from("/x/sluice/loads")
        );
        assert_eq!(
            state_dir_from(env(&[("SLUICE_STATE_DIR", ""), ("HOME", "/h")])),
            PathBuf::from("/h/.local/state/sluice/loads")
        );
    }
}

/// A state written by a build that recorded one file (version 1) is still resumable: it reads
/// as a one-file load, under the same key.
#[test]
fn a_version_1_state_reads_as_a_load_of_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = sample(dir.path());
    let v1 = serde_json::json!({
        "version": 1,
        "loadId": "abc",
        "file": id,
        "target": "dbo.t",
        "mappingSha256": "m",
        "createdTable": true,
        "journal": { "schema": "dbo", "table": "sluice_load_journal" },
        "batches": [{ "batch": 1, "firstRow": 1, "lastRow": 1, "nextOffset": 13, "rows": 1 }],
        "inDoubtBatch": 2
    });
    let path = StateFile::path_for(dir.path(), std::slice::from_ref(&id.path), "dbo.t");
    std::fs::write(&path, serde_json::to_vec(&v1).unwrap()).unwrap();
    let back = StateFile::open(&path).unwrap().expect("read");
    assert_eq!(back.state.version, STATE_VERSION);
    assert_eq!(back.state.files, vec![RecordedFile::from(id)]);
    assert_eq!(back.state.in_doubt_batch, Some(2));
    assert_eq!(back.state.batches[0].next_offset, Some(13));
    std::fs::write(&path, br#"{"version":7}"#).unwrap();
    let e = StateFile::open(&path).expect_err("unknown version");
    assert!(
        e.to_string()
            .contains("version 7 (this build reads 1 and 2)"),
        "{e}"
    );
}

/// The key is the files in order and the table: another order, a subset or one file alone
/// are other loads.
#[test]
fn the_key_names_the_files_in_order() {
    let (a, b) = (PathBuf::from("/d/a.csv"), PathBuf::from("/d/b.csv"));
    let ab = state_key(&[a.clone(), b.clone()], "dbo.t");
    assert_eq!(ab, state_key(&[a.clone(), b.clone()], " DBO.T"));
    assert_ne!(ab, state_key(&[b.clone(), a.clone()], "dbo.t"));
    assert_ne!(ab, state_key(std::slice::from_ref(&a), "dbo.t"));
    assert_ne!(ab, state_key(&[a.clone(), b], "dbo.u"));
    // One file: the version-1 key (path, NUL, target).
    assert_eq!(
        state_key(std::slice::from_ref(&a), "dbo.t"),
        sha256_hex(b"/d/a.csv\0dbo.t")[..32]
    );
}

#[test]
fn a_file_read_to_its_end_is_recorded_with_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (_, id) = sample(dir.path());
    let mut f = StateFile::create(dir.path(), state(id)).unwrap();
    let read = FileRead {
        records: 2,
        rejected: 1,
    };
    f.record_file_read(0, read);
    // An index past the files changes nothing.
    f.record_file_read(5, read);
    let marks = f.path().with_extension("files");
    assert!(
        !marks.exists(),
        "written when a batch is about to commit, not before"
    );
    f.flush_marks().unwrap();
    let back = StateFile::open(f.path()).unwrap().expect("recorded");
    assert_eq!(back.state.files[0].read, Some(read));
    assert_eq!(back.state.files.len(), 1);
    // The count is appended to <key>.files, not written by rewriting the state; a line cut
    // short by a crash (no newline) is not taken.
    assert_eq!(std::fs::read_to_string(&marks).unwrap(), "0 2 1\n");
    std::fs::write(&marks, "0 2 1\n0 3").unwrap();
    let back = StateFile::open(f.path()).unwrap().expect("recorded");
    assert_eq!(back.state.files[0].read, Some(read));
    std::fs::write(&marks, "0 3 0\nnot a line\n9 1 1\n").unwrap();
    let back = StateFile::open(f.path()).unwrap().expect("recorded");
    assert_eq!(
        back.state.files[0].read,
        Some(FileRead {
            records: 3,
            rejected: 0
        })
    );
    // A new load of the same files starts without the old counts; a finished one leaves none.
    let again = StateFile::create(dir.path(), back.state.clone()).unwrap();
    assert!(!marks.exists());
    let mut again = again;
    again.record_file_read(0, read);
    again.flush_marks().unwrap();
    again.remove_now().unwrap();
    assert!(!marks.exists() && !again.path().exists());
}
