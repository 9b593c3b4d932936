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

/// b.csv has the columns in another order and lacks one; c.csv brings a new one. Columns match
/// by name: every value lands in its own column, a missing one is NULL, and types widen.
#[tokio::test]
async fn several_files_with_columns_in_different_orders_load_by_name() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.csv", b"id,name,amount\n1,ann,5\n2,bob,6\n");
    let b = write(dir.path(), "b.csv", b"amount,id\n7.25,3\n");
    let c = write(dir.path(), "c.csv", b"name,id,city,amount\ncy,4,Oslo,8\n");
    let s = load(
        request(&h, vec![a, b, c], "by_name", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert_eq!(
        s.files.iter().map(|f| f.rows_loaded).collect::<Vec<_>>(),
        vec![2, 1, 1]
    );
    assert_eq!(count(&h, "by_name").await, 4);
    let rows = sql(
        &h,
        "SELECT id, name, CONVERT(varchar(20), amount), city FROM by_name ORDER BY id",
    )
    .await;
    assert_eq!(
        rows,
        vec![
            vec![
                Value::Int(1),
                Value::String("ann".into()),
                Value::String("5.00".into()),
                Value::Null
            ],
            vec![
                Value::Int(2),
                Value::String("bob".into()),
                Value::String("6.00".into()),
                Value::Null
            ],
            vec![
                Value::Int(3),
                Value::Null,
                Value::String("7.25".into()),
                Value::Null
            ],
            vec![
                Value::Int(4),
                Value::String("cy".into()),
                Value::String("8.00".into()),
                Value::String("Oslo".into())
            ],
        ]
    );
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("b.csv has no column name")),
        "{:?}",
        s.notes
    );
}
