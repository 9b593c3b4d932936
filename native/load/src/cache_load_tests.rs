//! The inference cache seen from a load: a second load of an unchanged file takes its types
//! from the cache and says so, loads the same rows, and a changed file is inferred again.

use super::*;
use crate::load_tests::{count, request, server, sql, write};
use crate::template::LoadMode;
use std::time::Duration;

fn from_cache(s: &LoadSummary) -> bool {
    s.notes.iter().any(|n| n.contains("inference cache"))
}

#[tokio::test]
async fn a_second_load_of_an_unchanged_file_takes_its_types_from_the_cache() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "orders.csv",
        b"id,placed,amount\n1,31/01/2024,12.50\n2,01/02/2024,7.25\n",
    );
    let first = load(
        request(&h, vec![f.clone()], "dbo.first", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert!(!from_cache(&first), "{:?}", first.notes);

    let second = load(
        request(&h, vec![f.clone()], "dbo.second", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert!(from_cache(&second), "{:?}", second.notes);
    // The same table, the same rows: day-first dates stay day-first through the cache.
    let q = |t: &str| format!("SELECT id, placed, amount FROM {t} ORDER BY id");
    assert_eq!(
        sql(&h, &q("dbo.first")).await,
        sql(&h, &q("dbo.second")).await
    );
    let cols = |t: &str| {
        format!(
            "SELECT name, system_type_id, precision, scale FROM sys.columns \
             WHERE object_id = OBJECT_ID('{t}') ORDER BY column_id"
        )
    };
    assert_eq!(
        sql(&h, &cols("dbo.first")).await,
        sql(&h, &cols("dbo.second")).await
    );

    // --no-cache infers again.
    let fresh = load(
        LoadRequest {
            infer_cache: false,
            ..request(&h, vec![f.clone()], "dbo.third", LoadMode::Create)
        },
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert!(!from_cache(&fresh), "{:?}", fresh.notes);

    // A changed file: inferred again, and its new value widens the type.
    std::fs::write(
        &f,
        b"id,placed,amount\n1,31/01/2024,12.50\n2,01/02/2024,7.25\n3000000000,02/02/2024,1\n",
    )
    .unwrap();
    let changed = load(
        request(&h, vec![f.clone()], "dbo.fourth", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert!(!from_cache(&changed), "{:?}", changed.notes);
    assert_eq!(count(&h, "dbo.fourth").await, 3);
}

/// A dry run's inference serves the load that follows it.
#[tokio::test]
async fn a_dry_run_leaves_the_inference_for_the_load_after_it() {
    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "x.csv", b"a,b\n1,x\n2,y\n");
    let dry = load(
        LoadRequest {
            dry_run: true,
            ..request(&h, vec![f.clone()], "dbo.x", LoadMode::Create)
        },
        None,
        LoadControl::default(),
    )
    .await
    .expect("dry run");
    assert!(!from_cache(&dry));
    let real = load(
        request(&h, vec![f], "dbo.x", LoadMode::Create),
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert!(from_cache(&real), "{:?}", real.notes);
    assert_eq!(count(&h, "dbo.x").await, 2);
}
