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

/// Most value cells (after expanding repeats) an `.ods` may hold: 16 million cells is about
/// 512 MiB in calamine's `Range`.
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
    let mut row_repeat = 1u64;
    let mut row_cells = 0u64;
    let mut cells = 0u64;
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(format!("at byte {}: {e}", xml.error_position())))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                count(&e, &mut row_repeat, &mut row_cells)?;
            }
            Event::Empty(e) => count(&e, &mut row_repeat, &mut row_cells)?,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if e.name().as_ref() == "table:table-row" {
                    cells = cells.saturating_add(row_repeat.saturating_mul(row_cells));
                    if cells > max_cells {
                        return Err(ReadErrorKind::Workbook(format!(
                            "the spreadsheet's repeated rows and columns expand to more than \
                             {max_cells} cells; it is refused to keep memory bounded"
                        )));
                    }
                    row_repeat = 1;
                    row_cells = 0;
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

/// Notes a row's repeat count, and a value cell's column repeat count.
fn count(
    e: &BytesStart<'_>,
    row_repeat: &mut u64,
    row_cells: &mut u64,
) -> Result<(), ReadErrorKind> {
    match e.name().as_ref() {
        "table:table-row" => *row_repeat = repeat(e, "table:number-rows-repeated")?,
        "table:table-cell" => {
            let has_value = e
                .attributes()
                .flatten()
                .any(|a| a.key.as_ref() == "office:value-type");
            if has_value {
                let n = repeat(e, "table:number-columns-repeated")?;
                *row_cells = row_cells.saturating_add(n);
            }
        }
        _ => {}
    }
    Ok(())
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
