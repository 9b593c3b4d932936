//! Reads every cell of one xlsx sheet and reports rows/s and peak memory, one way per run (each
//! in its own process so the peak RSS is that way's own):
//!
//! - `calamine-stream`: calamine's streaming cell reader alone (`worksheet_cells_reader`);
//! - `calamine-range`: calamine loading the sheet into a `Range` (`worksheet_range`), the way
//!   formats without a streaming reader (xls, ods) are read;
//! - `sluice`: [`SheetReader`] over the same sheet (chosen by the default-sheet rule), every
//!   field converted to a [`Field`];
//! - `sluice-preview`: the same, stopping after 100 rows (what a preview costs).
//!
//! `cargo run --release -p sluice-files --example sheet_bench -- MODE FILE.xlsx`
//! (generate the file with `bench/files/make-xlsx.py`).

use calamine::{DataRef, Reader, Xlsx};
use sluice_files::sheet::{SheetOptions, Workbook};
use sluice_files::{Field, RowSource};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(mode), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: sheet_bench calamine-stream|calamine-range|sluice|sluice-preview FILE.xlsx"
        );
        std::process::exit(2);
    };
    let start = Instant::now();
    let (rows, cells) = match mode.as_str() {
        "calamine-stream" => calamine_stream(path),
        "calamine-range" => calamine_range(path),
        "sluice" => sluice(path, u64::MAX),
        "sluice-preview" => sluice(path, 100),
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    };
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds();
    println!(
        "{mode}: {rows} rows, {cells} non-empty cells; wall {secs:.3} s = {:.0} rows/s; \
         CPU {cpu:.2} s = {:.0} rows/s; peak RSS {:.1} MiB",
        rows as f64 / secs,
        rows as f64 / cpu,
        peak_rss_kib() as f64 / 1024.0
    );
}

fn calamine_stream(path: &str) -> (u64, u64) {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("open");
    let name = wb.sheet_names()[0].clone();
    let mut cells = wb.worksheet_cells_reader(&name).expect("sheet");
    let (mut rows, mut n, mut last_row) = (0u64, 0u64, u32::MAX);
    while let Some(c) = cells.next_cell().expect("cell") {
        if c.get_position().0 != last_row {
            last_row = c.get_position().0;
            rows += 1;
        }
        if !matches!(c.get_value(), DataRef::Empty) {
            n += 1;
        }
        black_box(c.get_value());
    }
    (rows, n)
}

fn calamine_range(path: &str) -> (u64, u64) {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).expect("open");
    let range = wb.worksheet_range_at(0).expect("sheet").expect("range");
    let n = range.used_cells().count() as u64;
    (range.height() as u64, n)
}

/// Opens the workbook, picks the default sheet by its rule and reads up to `limit` rows.
fn sluice(path: &str, limit: u64) -> (u64, u64) {
    let mut wb = Workbook::open(path.as_ref()).expect("open");
    let mut r = wb.reader(&SheetOptions::default()).expect("sheet");
    let (mut rows, mut n) = (0u64, 0u64);
    while rows < limit && r.advance().expect("row") {
        rows += 1;
        for i in 0..r.len() {
            let f = r.field(i);
            if !matches!(f, Field::Empty) {
                n += 1;
            }
            black_box(f);
        }
    }
    (rows, n)
}

/// CPU time (user + system) this process has used, from `/proc/self/stat` (fields 14 and 15,
/// in clock ticks of 1/100 s on Linux). On a shared machine this is steadier than wall time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (the state), so utime (field 14) is token 11.
    let tick = |i: usize| f.get(i).and_then(|t| t.parse::<u64>().ok());
    match (tick(11), tick(12)) {
        (Some(u), Some(s)) => (u + s) as f64 / 100.0,
        _ => f64::NAN,
    }
}

/// Peak resident set size of this process (Linux `VmHWM`), in KiB; 0 where unknown.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
