//! Measures the several-files inference against the one-file inference it is built on.
//!
//! `cargo run --release -p sluice-load --example infer_files -- FILE [FILE…]`
//!
//! Prints, for the files given: one `Inferrer` fed straight from a `TextReader` per file (the
//! baseline, one schema per file), then `infer_files` over all of them (one schema, through the
//! column-rearranging `Combined` source). Figures go to bench/RESULTS.md by hand.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use sluice_files::infer::{header_names, InferOptions, Inferrer};
use sluice_files::text::{TextOptions, TextReader};
use sluice_files::RowSource;
use sluice_load::multi_file::{infer_files, MultiFileOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err("usage: infer_files FILE [FILE…]".into());
    }
    let start = Instant::now();
    let mut rows = 0;
    for p in &paths {
        let mut r = TextReader::open(p, &TextOptions::default())?;
        let header = if r.advance()? {
            let fields: Vec<_> = (0..r.len()).map(|i| r.field(i)).collect();
            header_names(&fields)
        } else {
            Vec::new()
        };
        let mut inf = Inferrer::new(InferOptions::default(), Some(header));
        rows += inf.observe_all(&mut r, None)?;
        std::hint::black_box(inf.finish());
    }
    let one = start.elapsed().as_secs_f64();
    println!(
        "one Inferrer per file:   {rows} rows in {one:.3} s ({:.0} rows/s)",
        rows as f64 / one
    );
    let start = Instant::now();
    let m = infer_files(
        &paths,
        &MultiFileOptions::default(),
        &mut |_| {},
        &AtomicBool::new(false),
    )?;
    let all = start.elapsed().as_secs_f64();
    println!(
        "infer_files, one schema: {} rows in {all:.3} s ({:.0} rows/s), {} columns",
        m.rows,
        m.rows as f64 / all,
        m.columns.len()
    );
    Ok(())
}
