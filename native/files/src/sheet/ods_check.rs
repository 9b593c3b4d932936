//! A pass over an OpenDocument spreadsheet's `content.xml` before calamine parses it, for two
//! things calamine 0.38 does not guard against:
//!
//! - a table that is never closed (truncated or corrupt XML): calamine's table loop does not
//!   stop at the end of the file and spins for ever;
//! - repeat counts (`table:number-rows-repeated`, `table:number-columns-repeated`, OpenDocument
//!   1.2 Part 1, 19.677 and 19.675) that turn a few bytes into millions of cells, each of which
//!   calamine materialises (32 bytes a cell, up to its cap of 100 million cells).
//!
//! The pass streams the XML with quick-xml (end tags must match their start tags), so its own
//! memory is a small buffer; it costs one more read of `content.xml`.

use crate::ReadErrorKind;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read, Seek};

/// Most cells one table's grid may span (after expanding repeats): 16 Mi cells is about 512 MiB
/// in calamine's `Range` (and as much again for its formula grid).
pub const MAX_ODS_CELLS: u64 = 16 << 20;

/// Checks `content.xml` of the zipped workbook `file`.
pub fn check_ods<R: Read + Seek>(file: &mut R, max_cells: u64) -> Result<(), ReadErrorKind> {
    let corrupt = |what: String| {
        ReadErrorKind::Workbook(format!("content.xml is truncated or corrupt ({what})"))
    };
    let mut archive = zip::ZipArchive::new(&mut *file).map_err(|e| corrupt(e.to_string()))?;
    // An encrypted document (ODF 1.2 Part 3, 3.8: `manifest:encryption-data` in the manifest)
    // has ciphertext in content.xml.
    if let Ok(manifest) = archive.by_name("META-INF/manifest.xml") {
        let mut text = Vec::new();
        manifest
            .take(4 << 20)
            .read_to_end(&mut text)
            .map_err(|e| corrupt(e.to_string()))?;
        if text.windows(15).any(|w| w == b"encryption-data") {
            return Err(ReadErrorKind::Encrypted);
        }
    }
    let part = match archive.by_name("content.xml") {
        Ok(p) => p,
        // calamine reports the missing part itself.
        Err(_) => return Ok(()),
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    xml.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut table = Table::default();
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(format!("at byte {}: {e}", xml.error_position())))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                table.start(&e)?;
            }
            Event::Empty(e) => table.start(&e)?,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    "table:table-row" => table.end_row(max_cells)?,
                    "table:table" => table = Table::default(),
                    _ => {}
                }
            }
            Event::Eof if depth > 0 => {
                return Err(corrupt("it ends inside an open element".to_string()))
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The grid calamine will build for one table: from the first to the last row holding a value
/// (repeated rows counted, empty ones between included), from the leftmost to the rightmost
/// value's column.
#[derive(Default)]
struct Table {
    /// Rows so far, repeats expanded.
    rows: u64,
    /// Row (expanded) where the first value sits.
    first_value_row: Option<u64>,
    col_min: u64,
    col_max: u64,
    /// The current row: its repeat count, the column reached, its value columns.
    row_repeat: u64,
    row_pos: u64,
    row_values: Option<(u64, u64)>,
}

impl Table {
    fn start(&mut self, e: &BytesStart<'_>) -> Result<(), ReadErrorKind> {
        match e.name().as_ref() {
            "table:table-row" => {
                self.row_repeat = repeat(e, "table:number-rows-repeated")?;
                self.row_pos = 0;
                self.row_values = None;
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repeat(e, "table:number-columns-repeated")?;
                let has_value = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.as_ref() == "office:value-type");
                if has_value {
                    let first = self.row_values.map_or(self.row_pos, |(f, _)| f);
                    let last = self.row_pos.saturating_add(n.saturating_sub(1));
                    self.row_values = Some((first, last));
                }
                self.row_pos = self.row_pos.saturating_add(n);
            }
            _ => {}
        }
        Ok(())
    }

    fn end_row(&mut self, max_cells: u64) -> Result<(), ReadErrorKind> {
        let start = self.rows;
        self.rows = self.rows.saturating_add(self.row_repeat.max(1));
        let Some((first, last)) = self.row_values else {
            return Ok(());
        };
        let first_row = *self.first_value_row.get_or_insert(start);
        if first_row == start {
            (self.col_min, self.col_max) = (first, last);
        } else {
            self.col_min = self.col_min.min(first);
            self.col_max = self.col_max.max(last);
        }
        let grid = (self.rows - first_row).saturating_mul(self.col_max - self.col_min + 1);
        if grid > max_cells {
            return Err(ReadErrorKind::Workbook(format!(
                "a table's repeated rows and columns expand to more than {max_cells} cells; it \
                 is refused to keep memory bounded"
            )));
        }
        Ok(())
    }
}

fn repeat(e: &BytesStart<'_>, name: &str) -> Result<u64, ReadErrorKind> {
    for a in e.attributes().flatten() {
        if a.key.as_ref() == name {
            return a.value.trim().parse().map_err(|_| {
                ReadErrorKind::Workbook(format!(
                    "content.xml is corrupt (a repeat count `{}` is not a number)",
                    a.value
                ))
            });
        }
    }
    Ok(1)
}
