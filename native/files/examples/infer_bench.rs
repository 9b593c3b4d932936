//! Micro-benchmark of whole-file inference alone (no reader): 12 columns shaped like the bulk
//! benchmark's (int, bigint, decimal, float, flag, date, datetime2, GUID, code, name with
//! non-ASCII, note with `\N` NULLs, money-like decimal), generated into one in-memory buffer,
//! then observed through a `RowSource` that hands out borrowed slices.
//!
//! `cargo run --release -p sluice-files --example infer_bench [ROWS]` (default 1,000,000).
//! Prints the CPU time per field (this thread's time on a CPU, from `/proc/thread-self/schedstat`,
//! so a busy machine does not inflate it), MB/s over the text, and the proposed schema.

use std::time::Instant;

/// Time this thread spent on a CPU (Linux `schedstat`), so figures hold on a busy machine;
/// wall time elsewhere.
struct Clock(Instant);
impl Clock {
    fn start() -> (Self, Option<u64>) {
        (Clock(Instant::now()), cpu_nanos())
    }
}
fn cpu_nanos() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
fn elapsed((wall, cpu): &(Clock, Option<u64>)) -> f64 {
    match (cpu, cpu_nanos()) {
        (Some(a), Some(b)) => (b - a) as f64 / 1e9,
        _ => wall.0.elapsed().as_secs_f64(),
    }
}

use sluice_files::infer::{InferOptions, Inferrer};
use sluice_files::{Field, ReadError, RowSource};

const COLUMNS: usize = 12;
const NAMES: [&str; COLUMNS] = [
    "id", "big", "amount", "ratio", "is_flag", "born", "created", "guid", "code", "name", "note",
    "price",
];

/// xorshift64*: deterministic data without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Table {
    text: String,
    /// End offset of every field, row after row.
    ends: Vec<u32>,
    rows: usize,
}

fn generate(rows: usize) -> Table {
    use std::fmt::Write;
    let first = [
        "Ann", "Bob", "Zaïd", "Václav", "Dmitri", "Łucja", "Mei", "Søren",
    ];
    let last = [
        "Lee", "Müller", "Rossi", "Yilmaz", "García", "Ng", "O'Brien", "Dubois",
    ];
    let notes = ["awaiting stock", "back-ordered", "shipped", "returned"];
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut text = String::with_capacity(rows * 150);
    let mut ends = Vec::with_capacity(rows * COLUMNS);
    for id in 1..=rows {
        let r = &mut rng;
        let mut field = |text: &mut String, f: &dyn Fn(&mut String)| {
            f(text);
            ends.push(text.len() as u32);
        };
        let big = r.next() as i64;
        let amount = (
            r.below(20_000_000_000) as i64 - 10_000_000_000,
            r.below(10_000),
        );
        let ratio = (r.below(1_000_000), r.below(20));
        let flag = r.below(2);
        let born = (1950 + r.below(100), 1 + r.below(12), 1 + r.below(28));
        let created = (
            2000 + r.below(25),
            1 + r.below(12),
            1 + r.below(28),
            r.below(24),
            r.below(60),
            r.below(60),
            r.below(1000),
        );
        let guid = (r.next(), r.next());
        let code = r.below(10_000_000_000);
        let name = (r.below(8) as usize, r.below(8) as usize);
        let note = (r.below(10), r.below(4) as usize, r.below(20_000_000));
        let price = (r.below(100_000), r.below(10_000));
        field(&mut text, &|t| write!(t, "{id}").unwrap());
        field(&mut text, &|t| write!(t, "{big}").unwrap());
        field(&mut text, &|t| {
            let sign = if amount.0 < 0 { "-" } else { "" };
            write!(t, "{sign}{}.{:04}", amount.0.unsigned_abs() / 100, amount.1).unwrap()
        });
        field(&mut text, &|t| {
            write!(t, "{}.{:06}e-{}", ratio.0 % 10, ratio.0, ratio.1).unwrap()
        });
        field(&mut text, &|t| write!(t, "{flag}").unwrap());
        field(&mut text, &|t| {
            write!(t, "{}-{:02}-{:02}", born.0, born.1, born.2).unwrap()
        });
        field(&mut text, &|t| {
            let (y, mo, d, h, mi, s, ms) = created;
            write!(t, "{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}").unwrap()
        });
        field(&mut text, &|t| {
            let (a, b) = guid;
            write!(
                t,
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xFFFF,
                a & 0xFFFF,
                b >> 48,
                b & 0xFFFF_FFFF_FFFF
            )
            .unwrap()
        });
        field(&mut text, &|t| write!(t, "SKU-{code}").unwrap());
        field(&mut text, &|t| {
            write!(t, "{} {}", first[name.0], last[name.1]).unwrap()
        });
        field(&mut text, &|t| {
            if note.0 == 0 {
                t.push_str("\\N");
            } else {
                write!(t, "{} #{}", notes[note.1], note.2).unwrap()
            }
        });
        field(&mut text, &|t| {
            write!(t, "{}.{:04}", price.0, price.1).unwrap()
        });
    }
    Table { text, ends, rows }
}

struct TableSource<'t> {
    table: &'t Table,
    row: usize,
    started: bool,
    /// Only this column (for the per-column figures), or all of them.
    only: Option<usize>,
}

impl RowSource for TableSource<'_> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        if self.started {
            self.row += 1;
        }
        self.started = true;
        Ok(self.row < self.table.rows)
    }
    fn row_number(&self) -> u64 {
        self.row as u64 + 2
    }
    fn len(&self) -> usize {
        if self.only.is_some() {
            1
        } else {
            COLUMNS
        }
    }
    #[inline]
    fn field(&self, i: usize) -> Field<'_> {
        let k = self.row * COLUMNS + self.only.unwrap_or(i);
        let end = self.table.ends.get(k).copied().unwrap_or(0) as usize;
        let start = match k.checked_sub(1) {
            Some(p) => self.table.ends.get(p).copied().unwrap_or(0) as usize,
            None => 0,
        };
        match self.table.text.get(start..end) {
            Some("") | None => Field::Empty,
            Some(s) => Field::Text(s),
        }
    }
    fn bytes_read(&self) -> u64 {
        0
    }
}

fn main() -> Result<(), ReadError> {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let table = generate(rows);
    let fields = (rows * COLUMNS) as f64;
    let mb = table.text.len() as f64 / 1e6;

    // Baseline: walking the fields alone (what the inference costs is the difference).
    let mut src = TableSource {
        table: &table,
        row: 0,
        started: false,
        only: None,
    };
    let start = Clock::start();
    let mut total = 0usize;
    while src.advance()? {
        for i in 0..COLUMNS {
            if let Field::Text(s) = src.field(i) {
                total += s.len();
            }
        }
    }
    let walk = elapsed(&start);
    std::hint::black_box(total);

    let mut best = f64::MAX;
    let mut schema = Vec::new();
    for _ in 0..3 {
        let mut src = TableSource {
            table: &table,
            row: 0,
            started: false,
            only: None,
        };
        let start = Clock::start();
        let mut inferrer = Inferrer::new(
            InferOptions::default(),
            Some(NAMES.map(String::from).to_vec()),
        );
        inferrer.observe_all(&mut src, None)?;
        schema = inferrer.finish();
        best = best.min(elapsed(&start));
    }
    let infer_only = (best - walk).max(0.0);
    println!("{rows} rows x {COLUMNS} columns, {mb:.1} MB of field text (no delimiters or quotes)");
    println!(
        "walk fields only:  {:.3} s ({:.2} ns/field)",
        walk,
        walk * 1e9 / fields
    );
    println!(
        "walk + inference:  {:.3} s ({:.2} ns/field, {:.0} MB/s) best of 3",
        best,
        best * 1e9 / fields,
        mb / best
    );
    println!(
        "inference alone:   {:.2} ns/field",
        infer_only * 1e9 / fields
    );
    for (k, c) in schema.iter().enumerate() {
        let mut src = TableSource {
            table: &table,
            row: 0,
            started: false,
            only: Some(k),
        };
        let start = Clock::start();
        let mut inferrer = Inferrer::new(InferOptions::default(), Some(vec![c.name.clone()]));
        inferrer.observe_all(&mut src, None)?;
        let one = elapsed(&start);
        println!(
            "  {:<8} {:<20} nullable={:<5} {:6.2} ns/field (with walking)",
            c.name,
            c.sql_type.to_string(),
            c.nullable,
            one * 1e9 / rows as f64
        );
    }
    Ok(())
}
