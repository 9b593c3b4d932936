//! Names the inference rules this build has: a hash of the sources that decide what a whole-file
//! inference finds (the readers and the inference in `sluice-files`, and the several-files
//! inference here). The inference cache (`src/infer_cache.rs`) keys its entries by it, so a
//! build whose rules differ never takes an entry another build wrote.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

const SOURCES: [&str; 4] = [
    "../files/src",
    "../files/Cargo.toml",
    "src/multi_file",
    "src/multi_file.rs",
];

fn files_under(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(read) = std::fs::read_dir(p) else {
            return;
        };
        for e in read.flatten() {
            files_under(&e.path(), out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut files = Vec::new();
    for s in SOURCES {
        println!("cargo:rerun-if-changed={s}");
        files_under(Path::new(s), &mut files);
    }
    files.sort();
    // SipHash with fixed keys: the same sources give the same id on every machine.
    let mut h = DefaultHasher::new();
    h.write(
        std::env::var("CARGO_PKG_VERSION")
            .unwrap_or_default()
            .as_bytes(),
    );
    for f in &files {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=SLUICE_INFER_RULES={:016x}", h.finish());
}
