//! Times Sluice's two entry points on one file, one per process so that `/usr/bin/time -v`
//! measures that one's peak memory (bench/files/run-inspect.js drives it):
//!
//! - `preview FILE`: open, detect, first 100 rows, provisional types;
//! - `inspect FILE`: the whole-file inference on one core (the reading thread is the only one).
//!
//! Prints one JSON line: `{"mode","seconds","rows","bytes","columns":[[name,sqlType],…]}`.
//!
//! `cargo run --release -p sluice-files --example inspect_bench -- inspect FILE`

use sluice_files::inspect::{inspect, preview, Options};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(mode), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: inspect_bench preview|inspect FILE");
        std::process::exit(2);
    };
    let path = std::path::Path::new(path);
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let start = Instant::now();
    let (rows, columns) = match mode.as_str() {
        "preview" => match preview(path, &Options::default()) {
            Ok(p) => (
                p.rows.len() as u64,
                p.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.sql_type.to_string()))
                    .collect::<Vec<_>>(),
            ),
            Err(e) => fail(&e),
        },
        "inspect" => match inspect(
            path,
            &Options::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        ) {
            Ok(i) => (
                i.row_count,
                i.columns
                    .iter()
                    .map(|c| (c.name.clone(), c.sql_type.to_string()))
                    .collect(),
            ),
            Err(e) => fail(&e),
        },
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    let cols: Vec<String> = columns
        .iter()
        .map(|(n, t)| format!("[{n:?},{t:?}]"))
        .collect();
    println!(
        "{{\"mode\":{mode:?},\"seconds\":{seconds},\"rows\":{rows},\"bytes\":{bytes},\"columns\":[{}]}}",
        cols.join(",")
    );
}

fn fail(e: &sluice_files::ReadError) -> ! {
    eprintln!("{e}");
    std::process::exit(1)
}
