//! The reject file: each skipped row's original bytes exactly as in the file (its encoding,
//! its quoting; a spreadsheet row as a CSV line), then four more fields in the file's
//! delimiter: the row number, the column, the value and the error, each quoted as RFC 4180
//! quotes (UTF-8). When the file has a header, its raw line comes first, extended by
//! `sluice_row`, `sluice_column`, `sluice_value`, `sluice_error`. Lines end with `\n`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::LoadError;

/// Appends rejected rows to the reject file, created on the first one.
pub struct RejectWriter {
    path: PathBuf,
    delimiter: u8,
    header: Option<Vec<u8>>,
    out: Option<BufWriter<File>>,
    pub rows: u64,
}

/// One rejected row.
pub struct Rejected<'a> {
    pub raw: &'a [u8],
    pub row: u64,
    pub column: &'a str,
    pub value: &'a str,
    pub error: &'a str,
}

/// A free path beside `path` for a resumed run's rejects: `name.resumed.csv`, then
/// `name.resumed-2.csv` and so on.
pub fn beside(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "rejects".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (1..10_000)
        .map(|n| {
            let suffix = if n == 1 {
                ".resumed".to_string()
            } else {
                format!(".resumed-{n}")
            };
            path.with_file_name(format!("{stem}{suffix}{ext}"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_file_name(format!("{stem}.resumed-last{ext}")))
}

impl RejectWriter {
    pub fn new(path: &Path, delimiter: u8, header: Option<Vec<u8>>) -> Self {
        RejectWriter {
            path: path.to_path_buf(),
            delimiter,
            header,
            out: None,
            rows: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&mut self, r: &Rejected<'_>) -> Result<(), LoadError> {
        let io = |e: std::io::Error| {
            LoadError::input(format!("reject file {}: {e}", self.path.display()))
        };
        if self.out.is_none() {
            let mut w = BufWriter::new(File::create(&self.path).map_err(io)?);
            if let Some(h) = &self.header {
                let mut line = h.clone();
                for name in [
                    "sluice_row",
                    "sluice_column",
                    "sluice_value",
                    "sluice_error",
                ] {
                    line.push(self.delimiter);
                    line.extend_from_slice(name.as_bytes());
                }
                line.push(b'\n');
                w.write_all(&line).map_err(io)?;
            }
            self.out = Some(w);
        }
        let mut line = Vec::with_capacity(r.raw.len() + 64);
        line.extend_from_slice(r.raw);
        line.push(self.delimiter);
        line.extend_from_slice(r.row.to_string().as_bytes());
        for field in [r.column, r.value, r.error] {
            line.push(self.delimiter);
            quote(field, self.delimiter, &mut line);
        }
        line.push(b'\n');
        if let Some(w) = self.out.as_mut() {
            w.write_all(&line).map_err(io)?;
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(&mut self) -> Result<(), LoadError> {
        if let Some(w) = self.out.as_mut() {
            w.flush().map_err(|e| {
                LoadError::input(format!("reject file {}: {e}", self.path.display()))
            })?;
        }
        Ok(())
    }
}

/// Always quoted, quotes doubled: the value may hold anything.
fn quote(s: &str, _delimiter: u8, out: &mut Vec<u8>) {
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_row_keeps_its_bytes_and_names_row_column_value_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rejects.csv");
        let mut w = RejectWriter::new(&path, b';', Some(b"id;\"name\"".to_vec()));
        w.write(&Rejected {
            raw: b"x;\"caf\xe9 \"\"q\"\"\"",
            row: 7,
            column: "id",
            value: "x",
            error: "\"x\" is not a valid int value",
        })
        .unwrap();
        w.finish().unwrap();
        let got = std::fs::read(&path).unwrap();
        let want: &[u8] = b"id;\"name\";sluice_row;sluice_column;sluice_value;sluice_error\n\
x;\"caf\xe9 \"\"q\"\"\";7;\"id\";\"x\";\"\"\"x\"\" is not a valid int value\"\n";
        assert_eq!(got, want);
        assert_eq!(w.rows, 1);
    }
}
