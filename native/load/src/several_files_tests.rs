//! Loads where the file's name does not say its format (the content is sniffed), and several
//! files whose columns come in different orders (matched by name).

use super::*;
use crate::load_tests::{count, request, server, sql, write};
use crate::template::LoadMode;
use std::path::Path;
use std::time::Duration;
use tds::value::Value;

#[tokio::test]
async fn a_csv_named_dat_and_a_workbook_named_bin_load_by_their_content() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "orders.dat", b"id,name\n1,ann\n2,bob\n");
    let s = load(
        request(&h, vec![csv], "from_dat", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("the .dat loads as text");
    assert_eq!((s.rows_read, s.rows_loaded), (2, 2));
    let rows = sql(&h, "SELECT name FROM from_dat WHERE id = 2").await;
    assert_eq!(rows, vec![vec![Value::String("bob".into())]]);

    let xlsx = Path::new(env!("CARGO_MANIFEST_DIR")).join("../files/testdata/sample.xlsx");
    let bin = dir.path().join("sample.bin");
    std::fs::copy(&xlsx, &bin).unwrap();
    let s = load(
        request(&h, vec![bin], "from_bin", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("the .bin loads as a workbook");
    assert!(s.rows_read > 0);
    assert_eq!(count(&h, "from_bin").await, s.rows_read as i64);
    let rows = sql(&h, "SELECT customer FROM from_bin WHERE id = 2").await;
    assert_eq!(rows, vec![vec![Value::String("Bjørn Ñúñez".into())]]);
}
