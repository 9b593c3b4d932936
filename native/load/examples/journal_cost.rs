//! What the resume guarantee costs: the same bulk load with and without the journal (each
//! batch committed together with its journal row), against the in-process test server.
//!
//! `cargo run --release -p sluice-load --example journal_cost [ROWS] [--sink]`
//! Prints the round trip, and rows/s for each batch size: medians of 7 alternating runs and
//! the median paired ratio. `--sink` makes the
//! server validate and drop bulk rows (the journal rows are still stored), so the journal's
//! round trips weigh more than they would against a server that stores the rows.

use sluice_client::bulk::{
    begin, begin_journaled, BulkCopyOptions, JournalRun, JournalSpec, SessionOptions,
};
use sluice_client::Connection;
use sluice_server::{start, ServerConfig};
use std::time::Instant;
use tds::bulk::Cell;

/// Runs alternate (without, with) so that the machine's load falls on both alike.
const REPS: usize = 7;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

async fn connect(port: u16) -> Connection {
    let s = format!("Server=127.0.0.1,{port};User ID=sa;Password=Sluice_Test_1;Encrypt=False");
    Connection::connect_str(&s).await.expect("connects")
}

async fn one(port: u16, table: &str, rows: u64, batch: u64, journal: Option<&str>) -> f64 {
    let mut c = connect(port).await;
    c.execute(&format!(
        "CREATE TABLE {table} (id int NOT NULL, qty int NOT NULL, label nvarchar(40) NULL)"
    ))
    .await
    .expect("table");
    let opts = BulkCopyOptions {
        batch_size: batch,
        ..Default::default()
    };
    let started = Instant::now();
    let s = match journal {
        Some(id) => {
            begin_journaled(
                c,
                table,
                &opts,
                SessionOptions::default(),
                JournalRun::new(JournalSpec::new("dbo", id)),
            )
            .await
        }
        None => begin(c, table, &opts, SessionOptions::default()).await,
    };
    let Ok(mut s) = s else {
        panic!("begin failed");
    };
    let mut label = String::new();
    for i in 0..rows {
        label.clear();
        label.push_str("order line ");
        label.push_str(&i.to_string());
        s.push_row(&[
            Cell::Int(i as i64),
            Cell::Int((i % 97) as i64),
            Cell::Text(&label),
        ])
        .await
        .expect("row");
    }
    let out = s.finish().await;
    let summary = out.result.expect("loads");
    assert_eq!(summary.rows_copied, rows);
    rows as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(500_000);
    let sink = args.iter().any(|a| a == "--sink");
    let h = start(ServerConfig {
        port: 0,
        sink,
        ..Default::default()
    })
    .await
    .expect("server");
    let port = h.local_addr().port();
    println!("{rows} rows x (int, int, nvarchar(40)), test server in-process, sink={sink}");
    // The journal adds two round trips per batch: their price on this machine.
    let mut c = connect(port).await;
    let mut rtts = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        c.execute("SELECT 1").await.expect("select");
        rtts.push(t.elapsed().as_secs_f64() * 1e6);
    }
    println!("round trip (SELECT 1): median {:.0} us", median(&mut rtts));
    let mut n = 0;
    for batch in [10_000u64, 1_000] {
        let (mut plain, mut journaled, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..REPS {
            n += 1;
            let p = one(port, &format!("dbo.p{n}"), rows, batch, None).await;
            let id = format!("bench-{n}");
            let j = one(port, &format!("dbo.j{n}"), rows, batch, Some(&id)).await;
            plain.push(p);
            journaled.push(j);
            ratios.push(j / p);
        }
        println!(
            "batch {batch:>6}: median of {REPS} runs without journal {:>10.0} rows/s, with journal {:>10.0} rows/s; median paired ratio {:.3} (min {:.3}, max {:.3})",
            median(&mut plain),
            median(&mut journaled),
            median(&mut ratios.clone()),
            ratios.iter().cloned().fold(f64::MAX, f64::min),
            ratios.iter().cloned().fold(0.0, f64::max),
        );
    }
    h.shutdown().await;
}
