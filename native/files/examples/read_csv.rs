//! Measures the delimited-text reader alone, beside the `csv` crate merely splitting the same
//! file, and reads hostile files for peak-memory measurements.
//!
//! ```text
//! cargo run --release -p sluice-files --example read_csv -- gen /tmp/orders.csv 1000000
//! cargo run --release -p sluice-files --example read_csv -- bench /tmp/orders.csv
//! cargo run --release -p sluice-files --example read_csv -- preview /tmp/orders.csv
//! /usr/bin/time -v target/release/examples/read_csv read FILE [MAX_RECORD_BYTES]
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

use sluice_files::text::{TextOptions, TextReader};
use sluice_files::{Field, RowSource};

const FIRST: [&str; 16] = [
    "Ada",
    "Zoë",
    "José",
    "Łukasz",
    "Amélie",
    "Björn",
    "Chloé",
    "Dmitri",
    "Émile",
    "Fatima",
    "Grace",
    "Hiroshi",
    "Inès",
    "Jürgen",
    "陈静",
    "Ольга",
];
const LAST: [&str; 8] = [
    "Lovelace", "Müller", "García", "Nowak", "Dubois", "Tanaka", "Lefèvre", "Smith",
];
const WORDS: [&str; 12] = [
    "fragile",
    "express",
    "gift wrap",
    "call ahead",
    "leave at door",
    "signed",
    "\"priority\"",
    "back order",
    "returns, see note",
    "café",
    "naïve",
    "déjà vu",
];

/// xorshift64*: deterministic, fast, good enough for test data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The bulk benchmark's 12 columns as CSV: quoted notes (some with commas, doubled quotes and,
/// one row in 10,000, a newline), non-ASCII names, NULLs as empty fields.
fn generate(path: &str, rows: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(
        w,
        "id,big,amount,ratio,flag,born,created,guid,code,name,note,price"
    )?;
    let mut r = Rng(0x2024_0229);
    for id in 1..=rows {
        let a = r.next();
        let b = r.next();
        let c = r.next();
        let big = if a & 15 == 0 {
            String::new()
        } else {
            format!("{}", (b as i64) >> 4)
        };
        let ratio = if b & 15 == 0 {
            String::new()
        } else {
            format!("{:.6}", (c % 1_000_000) as f64 / 7.0)
        };
        let note = if c & 7 == 0 {
            String::new()
        } else {
            let mut n = format!(
                "{} {}",
                WORDS[(a >> 8) as usize % 12],
                WORDS[(b >> 8) as usize % 12]
            );
            if id % 10_000 == 0 {
                n.push_str("\nsecond line");
            }
            format!("\"{}\"", n.replace('"', "\"\""))
        };
        writeln!(
            w,
            "{id},{big},{}.{:04},{ratio},{},{}-{:02}-{:02},{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03},{:08x}-{:04x}-{:04x}-{:04x}-{:012x},SKU-{},{} {},{note},{}.{:04}",
            (a % 200_000_000) as i64 - 100_000_000,
            b % 10_000,
            c % 2,
            1950 + a % 60,
            1 + b % 12,
            1 + c % 28,
            2000 + b % 25,
            1 + a % 12,
            1 + b % 28,
            c % 24,
            a % 60,
            b % 60,
            c % 1000,
            a >> 32,
            b & 0xffff,
            c & 0xffff,
            (a >> 16) & 0xffff,
            b >> 16,
            c % 1_000_000,
            FIRST[(a >> 40) as usize % 16],
            LAST[(b >> 40) as usize % 8],
            c % 100_000,
            a % 10_000,
        )?;
    }
    w.flush()
}

/// Reads every record and touches every field; returns (records, total field bytes).
fn read_sluice(path: &str, options: &TextOptions) -> Result<(u64, u64), sluice_files::ReadError> {
    let mut reader = TextReader::open(path, options)?;
    let (mut records, mut bytes) = (0u64, 0u64);
    while reader.advance()? {
        records += 1;
        for i in 0..reader.len() {
            if let Field::Text(s) = reader.field(i) {
                bytes += s.len() as u64;
            }
        }
    }
    Ok((records, bytes))
}

fn read_csv_crate(path: &str) -> (u64, u64) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("open");
    let mut record = csv::ByteRecord::new();
    let (mut records, mut bytes) = (0u64, 0u64);
    while rdr.read_byte_record(&mut record).expect("csv") {
        records += 1;
        for f in record.iter() {
            bytes += f.len() as u64;
        }
    }
    (records, bytes)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("runs > 0"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    match (arg(0), arg(1)) {
        (Some("gen"), Some(path)) => {
            let rows = arg(2).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
            generate(path, rows).expect("write");
            let size = std::fs::metadata(path).expect("stat").len();
            println!("wrote {path}: {rows} rows, {size} bytes");
        }
        (Some("bench"), Some(path)) => {
            let size = std::fs::metadata(path).expect("stat").len() as f64;
            let mb = size / 1e6;
            let _ = std::fs::read(path); // warm the page cache
            let (t_csv, (n_csv, b_csv)) = best_of(5, || read_csv_crate(path));
            let (t_s, res) = best_of(5, || read_sluice(path, &TextOptions::default()));
            let (n_s, b_s) = res.expect("sluice read");
            println!("file: {path}, {mb:.1} MB");
            println!("csv crate (ByteRecord, split only): {t_csv:.3} s, {:.0} MB/s, {n_csv} records, {b_csv} field bytes", mb / t_csv);
            println!("sluice TextReader (detect + UTF-8 + every field as &str): {t_s:.3} s, {:.0} MB/s, {n_s} records, {b_s} field bytes", mb / t_s);
        }
        (Some("read"), Some(path)) => {
            let mut options = TextOptions::default();
            if let Some(limit) = arg(2).and_then(|s| s.parse().ok()) {
                options.max_record_bytes = limit;
            }
            let t = Instant::now();
            match read_sluice(path, &options) {
                Ok((n, b)) => println!(
                    "{n} records, {b} field bytes in {:.3} s",
                    t.elapsed().as_secs_f64()
                ),
                Err(e) => println!("error after {:.3} s: {e}", t.elapsed().as_secs_f64()),
            }
        }
        (Some("csv-crate"), Some(path)) => {
            let t = Instant::now();
            let (n, b) = read_csv_crate(path);
            println!("{n} records, {b} field bytes in {:.3} s", t.elapsed().as_secs_f64());
        }
        (Some("preview"), Some(path)) => {
            // An optional third argument sets the quote (`none` for off) instead of detecting it.
            let mut options = TextOptions::default();
            options.set_quote(args.get(2).map(|q| q.parse().expect("a quote")));
            let t = Instant::now();
            let mut reader = TextReader::open(path, &options).expect("open");
            let first = reader.first_records(100).expect("read");
            let d = reader.detection();
            println!(
                "open + detect + first {} records: {:.2} ms\nencoding: {} ({})\ndelimiter: {}\nquote: {}",
                first.len(),
                t.elapsed().as_secs_f64() * 1e3,
                d.encoding.name,
                d.encoding.evidence,
                d.delimiter_evidence,
                d.quote_evidence
            );
        }
        _ => eprintln!(
            "usage: read_csv gen PATH [ROWS] | bench PATH | read PATH [MAX_RECORD_BYTES] | csv-crate PATH | preview PATH [QUOTE]"
        ),
    }
}
