use sluice_client::Connection;
use sluice_load::Template;
use sluice_server::{start, ServerConfig};
use tds::value::Value;

fn testdata(name: &str) -> String {
    format!("{}/../files/testdata/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `sluice inspect FILE --template OUT.json` writes a template that validates, and
/// `sluice load FILE --map OUT.json` loads every row with it: a semicolon, day-first,
/// decimal-comma CSV and a workbook.
#[tokio::test]
async fn the_written_template_validates_and_loads_the_file_it_came_from() {
    let h = start(ServerConfig {
        port: 0,
        ..Default::default()
    })
    .await
    .expect("server starts");
    let conn = h.connection_string();
    let dir = tempfile::tempdir().unwrap();
    // (file, table, the template's source format, data rows when known here)
    for (file, table, format, rows) in [
        (
            "semicolon-dayfirst-decimal-comma.csv",
            "from_csv",
            "csv",
            Some(3),
        ),
        ("sample.xlsx", "from_xlsx", "xlsx", None),
    ] {
        let src = testdata(file);
        let out = dir.path().join(format!("{table}.json"));
        let out_s = out.display().to_string();
        let code = crate::run(vec![
            "inspect".into(),
            src.clone(),
            "--template".into(),
            out_s.clone(),
        ])
        .await;
        assert_eq!(code, 0, "{file}");
        let t = Template::read(&out).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(t.source.format.as_deref(), Some(format), "{file}");
        assert!(!t.columns.is_empty() && t.mapping.len() == t.columns.len());
        let code = crate::run(vec![
            "load".into(),
            src,
            "-c".into(),
            conn.clone(),
            "--table".into(),
            table.into(),
            "--create".into(),
            "--map".into(),
            out_s,
        ])
        .await;
        assert_eq!(code, 0, "{file}: sluice load --map {table}.json");
        let mut c = Connection::connect_str(&conn).await.expect("connects");
        let r = c
            .execute(&format!("SELECT COUNT(*) FROM {table}"))
            .await
            .expect("counts");
        let n = &r.result_sets[0].rows[0][0];
        match (n, rows) {
            (Value::Int(k), Some(want)) => assert_eq!(*k, want, "{file}"),
            (Value::Int(k), None) => assert!(*k > 0, "{file}: {k}"),
            _ => panic!("{file}: the count is {n:?}"),
        }
    }
}

/// The quote goes into the template when it is not `"` (detected or set with `--quote`), and
/// `sluice load --map` reads the file with it.
#[tokio::test]
async fn the_template_carries_a_quote_that_is_not_the_double_quote_and_loads_with_it() {
    let h = start(ServerConfig {
        port: 0,
        ..Default::default()
    })
    .await
    .expect("server starts");
    let conn = h.connection_string();
    let dir = tempfile::tempdir().unwrap();
    let template = |name: &str| dir.path().join(name).display().to_string();
    let single = testdata("single-quoted.csv");
    let out = template("single.json");
    let code = crate::run(vec![
        "inspect".into(),
        single.clone(),
        "--template".into(),
        out.clone(),
    ])
    .await;
    assert_eq!(code, 0);
    assert_eq!(
        Template::read(&out).unwrap().source.quote.as_deref(),
        Some("'")
    );
    let code = crate::run(vec![
        "load".into(),
        single,
        "-c".into(),
        conn.clone(),
        "--table".into(),
        "single".into(),
        "--create".into(),
        "--map".into(),
        out,
    ])
    .await;
    assert_eq!(code, 0);
    let mut c = Connection::connect_str(&conn).await.expect("connects");
    let r = c
        .execute("SELECT customer FROM single WHERE id = 2")
        .await
        .expect("selects");
    assert_eq!(
        r.result_sets[0].rows[0][0],
        Value::String("O'Brien, Pat".into())
    );
    let plain = template("plain.json");
    let off = template("off.json");
    for (args, out, quote) in [
        (vec![], &plain, None),
        (
            vec!["--quote".to_string(), "none".to_string()],
            &off,
            Some("none"),
        ),
    ] {
        let mut argv = vec![
            "inspect".to_string(),
            testdata("quoted-newlines.csv"),
            "--template".to_string(),
            out.clone(),
        ];
        argv.extend(args);
        assert_eq!(crate::run(argv).await, 0);
        assert_eq!(Template::read(out).unwrap().source.quote.as_deref(), quote);
    }
}
