use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::*;
use crate::multi_file::{infer_files, MultiFileOptions};

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../files/testdata")
        .join(name)
}

fn infer(paths: &[PathBuf]) -> MultiInspection {
    infer_files(
        paths,
        &MultiFileOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .expect("infers")
}

/// Nothing given: everything detected.
fn detect() -> ReadSettings {
    ReadSettings::default()
}

/// What a tab-separated UTF-8 file with a header is read with in the end.
fn tsv_effective() -> ReadSettings {
    ReadSettings::new(
        Some(b'\t'),
        Some("UTF-8"),
        Some(QuoteSetting::Char(b'"')),
        Some(EscapeStyle::Doubled),
        None,
        Some(true),
    )
}

fn store_now(dir: &Path, paths: &[PathBuf], given: &ReadSettings) -> MultiInspection {
    let ids = identities_now(paths).expect("identities");
    let found = infer(paths);
    assert!(store(dir, &ids, given, &tsv_effective(), &found, "a test"));
    found
}

/// What the load reads back is what the inference found: every column's type, nullability,
/// rule (date order, NULL tokens) and evidence, every file's header decision and column
/// names — for text in several dialects and encodings, and for spreadsheets.
#[test]
fn a_cached_inference_reads_back_equal_to_the_one_stored() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "semicolon-dayfirst-decimal-comma.csv",
        "windows-1252-accents.csv",
        "quoted-newlines.csv",
        "excel-unicode-text.txt",
        "export.tsv",
        "sample.xlsx",
        "sample.ods",
        "dates1904.xlsx",
    ] {
        let paths = vec![testdata(name)];
        let found = store_now(dir.path(), &paths, &detect());
        let hit = lookup(dir.path(), &paths, &detect()).expect(name);
        assert_eq!(hit.inspection, found, "{name}");
        assert_eq!(hit.by, "a test");
    }
}

/// Several files: the entry is the one schema over all of them, each file's part and the
/// widenings naming the files as this load names them.
#[test]
fn several_files_read_back_with_their_widenings_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, "id,day\n1,2024-03-05\n").unwrap();
    std::fs::write(&b, "id,day,extra\n3000000000,soon,x\n").unwrap();
    let paths = vec![a.clone(), b.clone()];
    let cache = dir.path().join("cache");
    let found = store_now(&cache, &paths, &detect());
    assert!(!found.widenings.is_empty());
    let hit = lookup(&cache, &paths, &detect()).expect("hit");
    assert_eq!(hit.inspection, found);
    // The same files named another way: same entry, this load's names.
    let other: Vec<PathBuf> = paths
        .iter()
        .map(|p| dir.path().join(".").join(p.file_name().unwrap()))
        .collect();
    let hit = lookup(&cache, &other, &detect()).expect("hit under other names");
    assert_eq!(hit.inspection.files[1].path, other[1]);
    assert!(hit
        .inspection
        .widenings
        .iter()
        .all(|w| other.contains(&w.file)));
    // Only the first file: another entry.
    assert!(lookup(&cache, &paths[..1], &detect()).is_none());
}

/// A file that changed since it was inferred is never matched: a row appended, the same bytes
/// rewritten (a new modification time), or bytes changed in place at the same size.
#[test]
fn a_changed_file_misses_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let f = dir.path().join("f.csv");
    let paths = vec![f.clone()];
    let text = "id,name\n1,ann\n2,bob\n";

    std::fs::write(&f, text).unwrap();
    store_now(&cache, &paths, &detect());
    assert!(lookup(&cache, &paths, &detect()).is_some());
    std::fs::write(&f, format!("{text}3000000000,cy\n")).unwrap();
    assert!(lookup(&cache, &paths, &detect()).is_none(), "appended");

    std::fs::write(&f, text).unwrap();
    store_now(&cache, &paths, &detect());
    let before = std::fs::metadata(&f).unwrap().modified().unwrap();
    // Same size, other bytes; the modification time is set back to the recorded one, so
    // only the head's hash tells.
    std::fs::write(&f, "id,name\n1,ann\n2,b0b\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&f)
        .unwrap()
        .set_modified(before)
        .unwrap();
    assert!(lookup(&cache, &paths, &detect()).is_none(), "same size");
}

/// An entry is for the settings it was read with: a setting given now must be the one given
/// then, or, where that one was detected, the value detected (as a template made from an
/// inspection spells them out); anything else infers again.
#[test]
fn a_setting_given_must_be_the_one_the_inference_read_with() {
    let dir = tempfile::tempdir().unwrap();
    let paths = vec![testdata("export.tsv")];
    store_now(dir.path(), &paths, &detect());
    let hit = |s: ReadSettings| lookup(dir.path(), &paths, &s).is_some();
    assert!(hit(detect()));
    // The detected values, given (case aside): the same reading.
    assert!(hit(tsv_effective()));
    assert!(hit(ReadSettings::new(
        Some(b'\t'),
        Some("utf-8"),
        None,
        None,
        None,
        Some(true)
    )));
    // Other values: another reading.
    for other in [
        ReadSettings::new(Some(b','), None, None, None, None, None),
        ReadSettings::new(None, Some("windows-1252"), None, None, None, None),
        ReadSettings::new(None, None, Some(QuoteSetting::Off), None, None, None),
        ReadSettings::new(None, None, None, Some(EscapeStyle::Backslash), None, None),
        ReadSettings::new(None, None, None, None, Some("2".into()), None),
        ReadSettings::new(None, None, None, None, None, Some(false)),
    ] {
        assert!(!hit(other.clone()), "{other:?}");
    }

    // Inferred with a delimiter given: a load that leaves it to detection may detect another.
    let given = ReadSettings::new(Some(b'\t'), None, None, None, None, None);
    store_now(dir.path(), &paths, &given);
    assert!(hit(given));
    assert!(!hit(detect()));
}

/// A damaged or foreign entry is a miss, never an error or a panic.
#[test]
fn an_unreadable_entry_is_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let paths = vec![testdata("export.tsv")];
    store_now(dir.path(), &paths, &detect());
    let entry = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    let text = std::fs::read_to_string(&entry).unwrap();
    for bad in [
        String::new(),
        text[..text.len() / 2].to_string(),
        text.replacen("\"sqlType\":\"", "\"sqlType\":\"blob", 1),
        text.replacen("\"lengthUnit\":\"", "\"lengthUnit\":\"miles", 1),
        text.replacen(
            &format!("\"version\":{CACHE_VERSION}"),
            "\"version\":999",
            1,
        ),
    ] {
        std::fs::write(&entry, bad).unwrap();
        assert!(lookup(dir.path(), &paths, &detect()).is_none());
    }
}

#[test]
fn the_oldest_entries_beyond_the_limit_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5 {
        std::fs::write(dir.path().join(format!("{i}.json")), "{}").unwrap();
        let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i);
        std::fs::File::options()
            .write(true)
            .open(dir.path().join(format!("{i}.json")))
            .unwrap()
            .set_modified(t)
            .unwrap();
    }
    // A writer that died an hour ago left its temporary file; one writing now keeps its own.
    let stale = dir.path().join("abc.json.1-0.tmp");
    let live = dir.path().join("abc.json.1-1.tmp");
    std::fs::write(&stale, "{").unwrap();
    std::fs::write(&live, "{").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
        .unwrap();
    prune(dir.path(), 3);
    assert!(!stale.exists());
    assert!(live.exists());
    std::fs::remove_file(&live).unwrap();
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["2.json", "3.json", "4.json"]);
}

/// Inspects `path` as `sluice inspect` does and offers the result to the cache in `dir`.
fn inspect_and_store(dir: &Path, path: &Path, options: &InspectOptions) -> bool {
    let id = FileIdentity::of(path).unwrap();
    let found = sluice_files::inspect::inspect(path, options, &mut |_| {}, &AtomicBool::new(false))
        .unwrap();
    store_inspection(dir, &id, path, options, &found, "sluice inspect")
}

/// A whole-file inspection stored for the load is what the load's own inference would have
/// found (the same inferrer over the same records): over the hand-written and exported files.
#[test]
fn an_inspection_gives_the_entry_the_loads_own_inference_would() {
    let dir = tempfile::tempdir().unwrap();
    let options = InspectOptions::default();
    for name in [
        "semicolon-dayfirst-decimal-comma.csv",
        "windows-1252-accents.csv",
        "cp1252-prices.csv",
        "quoted-newlines.csv",
        "excel-unicode-text.txt",
        "excel-semicolon-bom.csv",
        "export.tsv",
        "single-quoted.csv",
        "apostrophes.csv",
        "sample.xlsx",
        "sample.xls",
        "sample.xlsb",
        "sample.ods",
        "dates1904.xlsx",
    ] {
        let path = testdata(name);
        assert!(inspect_and_store(dir.path(), &path, &options), "{name}");
        let hit = lookup(dir.path(), std::slice::from_ref(&path), &detect()).expect(name);
        assert_eq!(hit.by, "sluice inspect");
        assert_eq!(hit.inspection, infer(&[path]), "{name}");
    }
}

/// An inspection that did not read the file as a load reads it is not kept.
#[test]
fn a_sampled_or_customised_inspection_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = testdata("export.tsv");
    for options in [
        InspectOptions {
            sample: Some(1),
            ..Default::default()
        },
        InspectOptions {
            null_tokens: Some(vec!["-".into()]),
            ..Default::default()
        },
        InspectOptions {
            varchar_code_page: Some("1252".into()),
            ..Default::default()
        },
        InspectOptions {
            header: sluice_files::inspect::HeaderSetting::Row(2),
            ..Default::default()
        },
    ] {
        assert!(
            !inspect_and_store(dir.path(), &path, &options),
            "{options:?}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0),
        0
    );
}
