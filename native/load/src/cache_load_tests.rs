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

/// `sluice inspect --template` then `sluice load --map`: the template spells out the detected
/// delimiter, encoding and header, and the load still takes the inspection's types.
#[tokio::test]
async fn a_load_with_the_template_an_inspection_made_takes_the_inspections_types() {
    use crate::template::{InspectedFile, SourceSettings, Template};
    use sluice_files::infer::nulls::DEFAULT_NULL_TOKENS;
    use sluice_files::inspect::Options;
    use sluice_files::text::{TextOptions, TextReader};

    let h = server(Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "semi.csv",
        b"id;name;paid\r\n1;Ann;12,50\r\n2;Bob;7,25\r\n",
    );
    let options = Options::default();
    let found = crate::infer_cache::inspect_and_keep(
        &f,
        &options,
        &mut |_| {},
        &std::sync::atomic::AtomicBool::new(false),
        "sluice inspect",
    )
    .expect("inspects");
    let nulls: Vec<String> = DEFAULT_NULL_TOKENS.iter().map(|t| t.to_string()).collect();
    let reader = TextReader::open(&f, &TextOptions::default()).unwrap();
    let source = SourceSettings::from_text_detection(reader.detection(), found.has_header, &nulls);
    assert_eq!(source.delimiter.as_deref(), Some(";"));
    let template = Template::from_inspection(&InspectedFile {
        path: &f,
        source: &source,
        columns: &found.columns,
    });
    let s = load(
        LoadRequest {
            template: Some(template),
            ..request(&h, vec![f], "dbo.semi", LoadMode::Create)
        },
        None,
        LoadControl::default(),
    )
    .await
    .expect("loads");
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("inference cache") && n.contains("sluice inspect")),
        "{:?}",
        s.notes
    );
    assert_eq!(count(&h, "dbo.semi").await, 2);
}
