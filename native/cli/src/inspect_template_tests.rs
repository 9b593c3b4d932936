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
