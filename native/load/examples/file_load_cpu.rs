//! One `load` of a file into a table of the given columns, against the in-process test server
//! (`--sink`: it frames and drops the rows), for measuring the load path's CPU with
//! `/usr/bin/time`. `--dry-run` converts and encodes every row against the table without
//! sending any.
//!
//! `cargo run --release -p sluice-load --example file_load_cpu -- FILE ENCODING "COLUMNS" [--dry-run]`
//! e.g. `… f.csv windows-1252 "id int, name varchar(60) COLLATE Latin1_General_CI_AS" --dry-run`.
//! Prints the rows read and loaded and the wall time of the load alone.

use sluice_load::template::LoadMode;
use sluice_load::{load, LoadControl, LoadRequest};
use sluice_server::{start, ServerConfig};
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, encoding, columns, ..] = args.as_slice() else {
        return Err("usage: file_load_cpu FILE ENCODING \"COLUMNS\" [--dry-run]".into());
    };
    let dry_run = args.iter().any(|a| a == "--dry-run");
    let h = start(ServerConfig {
        port: 0,
        sink: true,
        ..Default::default()
    })
    .await?;
    let mut c = sluice_client::Connection::connect_str(&h.connection_string()).await?;
    c.execute(&format!("CREATE TABLE t ({columns})")).await?;
    let req = LoadRequest {
        files: vec![file.into()],
        connection: h.connection_string(),
        table: "t".into(),
        mode: LoadMode::Append,
        encoding: Some(encoding.clone()),
        dry_run,
        journal: false,
        batch_size: 100_000,
        ..Default::default()
    };
    let started = Instant::now();
    let s = load(req, None, LoadControl::default()).await?;
    println!(
        "{} rows read, {} loaded, {} rejected in {:.3} s",
        s.rows_read,
        s.rows_loaded,
        s.rows_rejected,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
