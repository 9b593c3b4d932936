//! A Windows-1252 file end to end against the test server: into a varchar of its own code page
//! the file's bytes travel as they are (checked in the captured bulk stream), into nvarchar and
//! into a varchar of another code page the text is what its UTF-8 twin gives, and a character
//! the column's code page lacks is refused with the row, column and value.

use super::*;
use crate::load_tests::{conn_str, sql};
use crate::template::LoadMode;
use sluice_server::{start, ServerConfig, ServerHandle};
use std::path::{Path, PathBuf};
use tds::value::Value;

async fn server(capture: Option<&Path>) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        capture_bulk: capture.map(Path::to_path_buf),
        ..Default::default()
    })
    .await
    .expect("server starts")
}

/// The file as UTF-8 and as windows-1252 (every character is in both).
const TEXT: &str = "id;name;note\n1;Café €5;Müller\n2;\"Straße; \"\"naïve\"\"\";ü\n3;plain;ascii\n";

fn cp1252() -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(TEXT);
    assert!(!unmappable);
    bytes.into_owned()
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("writes");
    p
}

fn request(h: &ServerHandle, f: PathBuf, table: &str, encoding: &str) -> LoadRequest {
    LoadRequest {
        files: vec![f],
        connection: conn_str(h),
        table: table.into(),
        mode: LoadMode::Append,
        encoding: Some(encoding.into()),
        ..Default::default()
    }
}

async fn texts(h: &ServerHandle, table: &str) -> Vec<Vec<Value>> {
    sql(h, &format!("SELECT name, note FROM {table} ORDER BY id")).await
}

fn want() -> Vec<Vec<Value>> {
    let s = |t: &str| Value::String(t.into());
    vec![
        vec![s("Café €5"), s("Müller")],
        vec![s("Straße; \"naïve\""), s("ü")],
        vec![s("plain"), s("ascii")],
    ]
}

#[tokio::test]
async fn cp1252_text_into_a_cp1252_varchar_is_stored_exactly_and_travels_as_the_files_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture");
    std::fs::create_dir(&capture).unwrap();
    let h = server(Some(&capture)).await;
    sql(
        &h,
        "CREATE TABLE t (id int NOT NULL, name varchar(40) COLLATE Latin1_General_CI_AS NULL, \
         note varchar(10) COLLATE Latin1_General_CI_AS NULL)",
    )
    .await;
    let f = file(dir.path(), "t.csv", &cp1252());
    let s = load(
        request(&h, f, "t", "windows-1252"),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!((s.rows_read, s.rows_loaded), (3, 3));
    assert_eq!(texts(&h, "t").await, want());
    // The bulk stream holds each value as the file holds it (USHORTLEN, then the bytes).
    let mut stream = Vec::new();
    for e in std::fs::read_dir(&capture).unwrap() {
        stream.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    let holds = |b: &[u8]| stream.windows(b.len()).any(|w| w == b);
    assert!(holds(b"\x07\x00Caf\xe9 \x805"), "{stream:?}");
    assert!(holds(b"\x0f\x00Stra\xdfe; \"na\xefve\""));
    assert!(holds(b"\x06\x00M\xfcller"));
    assert!(!holds("Café".as_bytes()), "no UTF-8 on the wire");
}

#[tokio::test]
async fn the_same_cp1252_file_into_nvarchar_stores_what_its_utf8_twin_does() {
    let h = server(None).await;
    for table in ["n1252", "nutf8"] {
        sql(
            &h,
            &format!("CREATE TABLE {table} (id int NOT NULL, name nvarchar(40) NULL, note nvarchar(10) NULL)"),
        )
        .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = file(dir.path(), "a.csv", &cp1252());
    let b = file(dir.path(), "b.csv", TEXT.as_bytes());
    for (f, table, encoding) in [(a, "n1252", "windows-1252"), (b, "nutf8", "utf-8")] {
        load(
            request(&h, f, table, encoding),
            None,
            LoadControl::default(),
        )
        .await
        .expect("loads");
    }
    assert_eq!(texts(&h, "n1252").await, want());
    assert_eq!(texts(&h, "nutf8").await, want());
}

/// Greek_CI_AS is code page 1253: it has € and ü but not é or ß.
#[tokio::test]
async fn a_cp1252_value_a_greek_varchar_cannot_hold_is_refused_naming_row_column_and_value() {
    let h = server(None).await;
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (file(dir.path(), "g.csv", &cp1252()), "windows-1252"),
        (file(dir.path(), "u.csv", TEXT.as_bytes()), "utf-8"),
    ];
    let mut messages = Vec::new();
    let mut notes = Vec::new();
    for (k, (f, encoding)) in files.iter().enumerate() {
        let table = format!("g{k}");
        sql(
            &h,
            &format!(
                "CREATE TABLE {table} (id int NOT NULL, name varchar(40) COLLATE Greek_CI_AS NULL, \
                 note varchar(10) COLLATE Greek_CI_AS NULL)"
            ),
        )
        .await;
        let e = load(
            request(&h, f.clone(), &table, encoding),
            None,
            LoadControl::default(),
        )
        .await
        .expect_err("refused");
        assert_eq!(e.kind, LoadErrorKind::Input);
        messages.push(e.message);
        // Skipping instead: the row goes to the reject file with its own bytes.
        let rej = dir.path().join(format!("{table}.rejects.csv"));
        let s = load(
            LoadRequest {
                max_errors: 5,
                reject_file: Some(rej.clone()),
                ..request(&h, f.clone(), &table, encoding)
            },
            None,
            LoadControl::default(),
        )
        .await
        .expect("loads the rest");
        assert_eq!((s.rows_read, s.rows_loaded, s.rows_rejected), (3, 1, 2));
        assert_eq!(
            texts(&h, &table).await,
            vec![vec![
                Value::String("plain".into()),
                Value::String("ascii".into())
            ]]
        );
        notes.push(std::fs::read(&rej).unwrap());
    }
    let m = &messages[0];
    assert!(
        m.starts_with(
            "row 2: column name: character 'é' cannot be represented in code page 1253 \
             (value \"Café €5\")"
        ),
        "{m}"
    );
    // The same message as the UTF-8 text gives (up to the state file, named after the file).
    let head = |m: &str| {
        m.split("; the load can be resumed")
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(head(&messages[0]), head(&messages[1]));
    // Each raw row in its file's own encoding, then the same UTF-8 notes for both files.
    let reject_file = |encode: &dyn Fn(&str) -> Vec<u8>| {
        let mut r = b"id;name;note;sluice_row;sluice_column;sluice_value;sluice_error\n".to_vec();
        r.extend(encode("1;Café €5;Müller"));
        r.extend_from_slice(
            ";2;\"name\";\"Café €5\";\"character 'é' cannot be represented in code page 1253\"\n"
                .as_bytes(),
        );
        r.extend(encode("2;\"Straße; \"\"naïve\"\"\";ü"));
        r.extend_from_slice(
            ";3;\"name\";\"Straße; \"\"naïve\"\"\";\"character 'ß' cannot be represented in code page 1253\"\n"
                .as_bytes(),
        );
        r
    };
    let in_1252 = reject_file(&|t| encoding_rs::WINDOWS_1252.encode(t).0.into_owned());
    assert_eq!(
        String::from_utf8_lossy(&notes[0]),
        String::from_utf8_lossy(&in_1252)
    );
    assert_eq!(notes[0], in_1252);
    assert_eq!(notes[1], reject_file(&|t| t.as_bytes().to_vec()));
}

/// UTF-8 text into a UTF-8 collation's varchar: the file's bytes go as they are (tds writes a
/// `&str` into such a column without converting it), and read back as the same text.
#[tokio::test]
async fn utf8_text_into_a_utf8_varchar_travels_as_the_files_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture");
    std::fs::create_dir(&capture).unwrap();
    let h = server(Some(&capture)).await;
    sql(
        &h,
        "CREATE TABLE u (id int NOT NULL, \
         name varchar(40) COLLATE Latin1_General_100_CI_AS_SC_UTF8 NULL, \
         note varchar(10) COLLATE Latin1_General_100_CI_AS_SC_UTF8 NULL)",
    )
    .await;
    let f = file(dir.path(), "u.csv", TEXT.as_bytes());
    load(request(&h, f, "u", "utf-8"), None, LoadControl::default())
        .await
        .expect("loads");
    assert_eq!(texts(&h, "u").await, want());
    let mut stream = Vec::new();
    for e in std::fs::read_dir(&capture).unwrap() {
        stream.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    let holds = |b: &[u8]| stream.windows(b.len()).any(|w| w == b);
    let value = |t: &str| {
        let mut v = (t.len() as u16).to_le_bytes().to_vec();
        v.extend_from_slice(t.as_bytes());
        v
    };
    assert!(holds(&value("Café €5")), "{stream:?}");
    assert!(holds(&value("Straße; \"naïve\"")));
    assert!(holds(&value("Müller")));
}
