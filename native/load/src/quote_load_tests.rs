//! The quote character end to end: detected, or set by the request or the template, it reads
//! the file the same way in the inference and the load passes.

use std::path::PathBuf;
use std::time::Duration;

use sluice_files::text::QuoteSetting;
use tds::value::Value;

use crate::load_tests::{request, server, sql};
use crate::template::LoadMode;
use crate::{load, LoadControl};

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../files/testdata")
        .join(name)
}

#[tokio::test]
async fn a_single_quoted_file_loads_with_its_quotes_detected() {
    let h = server(Duration::ZERO).await;
    let req = request(
        &h,
        vec![testdata("single-quoted.csv")],
        "dbo.customers",
        LoadMode::Create,
    );
    let s = load(req, None, LoadControl::default())
        .await
        .expect("loads");
    assert_eq!((s.rows_loaded, s.rows_rejected), (4, 0));
    let rows = sql(&h, "SELECT customer, note FROM dbo.customers ORDER BY id").await;
    assert_eq!(rows[1][0], Value::String("O'Brien, Pat".into()));
    assert_eq!(
        rows[1][1],
        Value::String("asked for 'fast' delivery".into())
    );
}

#[tokio::test]
async fn the_requests_quote_overrides_the_detection_and_the_templates_quote_is_used() {
    let h = server(Duration::ZERO).await;
    // Detected: quoting off, so the inch marks stay.
    let req = request(
        &h,
        vec![testdata("inches-no-quoting.csv")],
        "dbo.detected",
        LoadMode::Create,
    );
    load(req, None, LoadControl::default())
        .await
        .expect("loads");
    let rows = sql(&h, "SELECT size FROM dbo.detected ORDER BY price").await;
    assert_eq!(rows[2][0], Value::String("\"55\" screen".into()));
    // `--quote '"'`: `"55"` is a quoted field followed by data, as csv-core reads it.
    let mut req = request(
        &h,
        vec![testdata("inches-no-quoting.csv")],
        "dbo.quoted",
        LoadMode::Create,
    );
    req.quote = Some(QuoteSetting::Char(b'"'));
    load(req, None, LoadControl::default())
        .await
        .expect("loads");
    let rows = sql(&h, "SELECT size FROM dbo.quoted ORDER BY price").await;
    assert_eq!(rows[2][0], Value::String("55 screen".into()));
    // The same from a template's source settings.
    let mut t = crate::template::Template::from_json(
        r#"{"version":1,"source":{"quote":"\""},
            "columns":[{"name":"item","sqlType":"varchar(10)","nullable":false},
                       {"name":"size","sqlType":"varchar(20)","nullable":false},
                       {"name":"price","sqlType":"int","nullable":false}],
            "target":{"table":"dbo.templated","mode":"create"},
            "mapping":[{"target":"size","source":"size","sqlType":"varchar(20)","nullable":false},
                       {"target":"price","source":"price","sqlType":"int","nullable":false}]}"#,
        "t.json",
    )
    .expect("template");
    t.target.table = "dbo.templated".into();
    let mut req = request(
        &h,
        vec![testdata("inches-no-quoting.csv")],
        "dbo.templated",
        LoadMode::Create,
    );
    req.template = Some(t);
    load(req, None, LoadControl::default())
        .await
        .expect("loads");
    let rows = sql(&h, "SELECT size FROM dbo.templated ORDER BY price").await;
    assert_eq!(rows[2][0], Value::String("55 screen".into()));
}
