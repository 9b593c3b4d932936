//! Hostile workbooks: each is a clear [`ReadError`] naming the file, never a panic, a hang or
//! unbounded memory. Built from the committed real workbooks by cutting, corrupting and
//! re-zipping them here.

use super::reader::tests::tempdir;
use super::*;
use crate::{ReadError, ReadErrorKind, RowSource};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

/// Opens and reads every row of the default sheet (or, when there is none, of the first).
fn read_all(path: &Path, limits: &ZipLimits) -> Result<u64, ReadError> {
    let mut wb = Workbook::open_with_limits(path, limits)?;
    let mut r = match wb.default_sheet() {
        Ok(_) => wb.reader(&SheetOptions::default())?,
        Err(e) => return Err(e),
    };
    let mut n = 0;
    while r.advance()? {
        for i in 0..r.len() {
            let _ = r.field(i);
        }
        n += 1;
    }
    Ok(n)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn workbook_message(e: &ReadError) -> &str {
    match &e.kind {
        ReadErrorKind::Workbook(m) => m,
        other => panic!("expected a workbook error, got {other:?}"),
    }
}

/// The entries of a zip, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed size an entry declares, in its local header and in the central
/// directory (APPNOTE.TXT 4.3.7 and 4.3.12: offsets 22 and 24).
fn forge_declared_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let (sig, name_at, size_at) = match &zip[i..i + 4] {
            b"PK\x03\x04" => ("local", 30, 22),
            b"PK\x01\x02" => ("central", 46, 24),
            _ => continue,
        };
        let name_len_at = if sig == "local" { 26 } else { 28 };
        let n = u16::from_le_bytes([zip[i + name_len_at], zip[i + name_len_at + 1]]) as usize;
        if zip.get(i + name_at..i + name_at + n) == Some(name.as_bytes()) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "{name} not found");
}

#[test]
fn a_zero_byte_file_is_empty() {
    let dir = tempdir();
    let p = write(&dir, "zero.xlsx", b"");
    let e = Workbook::open(&p).err().unwrap();
    assert_eq!(e.kind, ReadErrorKind::Empty);
    assert!(e.to_string().starts_with(&p.display().to_string()), "{e}");
}

#[test]
fn a_csv_renamed_xlsx_is_recognised_as_text() {
    let dir = tempdir();
    let p = write(&dir, "orders.xlsx", b"id,name,amount\n1,Ada,12.5\n");
    let e = Workbook::open(&p).err().unwrap();
    let m = workbook_message(&e);
    assert!(
        m.contains("the file is text, not a workbook (it starts with `id,name,amount`)"),
        "{m}"
    );
    assert!(m.contains("open it as text"), "{m}");
}

#[test]
fn an_unknown_binary_is_not_a_workbook() {
    let dir = tempdir();
    let p = write(&dir, "x.xlsx", &[0u8, 159, 146, 150, 0, 1, 2, 3]);
    let m = workbook_message(&Workbook::open(&p).err().unwrap()).to_string();
    assert!(m.contains("neither a zip-based workbook"), "{m}");
}

#[test]
fn a_zip_that_is_no_workbook_says_so() {
    let dir = tempdir();
    let p = write(
        &dir,
        "photos.xlsx",
        &rezip(&[("a.txt".into(), b"hello".to_vec())]),
    );
    let m = workbook_message(&Workbook::open(&p).err().unwrap()).to_string();
    assert!(m.contains("a zip archive, but not a workbook"), "{m}");
}

#[test]
fn an_empty_workbook_is_an_error_not_zero_rows() {
    let e = read_all(&testdata("empty.xlsx"), &ZipLimits::default())
        .err()
        .unwrap();
    assert!(
        workbook_message(&e).contains("the workbook is empty"),
        "{e}"
    );
}

#[test]
fn a_truncated_xlsx_is_an_error_at_every_cut() {
    let bytes = std::fs::read(testdata("sample.xlsx")).unwrap();
    let dir = tempdir();
    let p = dir.join("cut.xlsx");
    for cut in (1..bytes.len()).step_by(97) {
        std::fs::write(&p, &bytes[..cut]).unwrap();
        let e = read_all(&p, &ZipLimits::default()).err();
        assert!(e.is_some(), "cut at {cut} read without error");
    }
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let e = Workbook::open(&p).err().unwrap();
    assert!(workbook_message(&e).contains("truncated or corrupt"), "{e}");
}

#[test]
fn truncated_xls_and_ods_files_are_errors_at_every_cut() {
    let dir = tempdir();
    for name in ["sample.xls", "sample.ods"] {
        let bytes = std::fs::read(testdata(name)).unwrap();
        let p = dir.join(name);
        for cut in (1..bytes.len()).step_by(211) {
            std::fs::write(&p, &bytes[..cut]).unwrap();
            // Never a panic; a cut past the used streams of a compound file may still read.
            let _ = read_all(&p, &ZipLimits::default());
        }
        std::fs::write(&p, &bytes[..bytes.len() / 3]).unwrap();
        assert!(read_all(&p, &ZipLimits::default()).is_err(), "{name}");
    }
}

#[test]
fn corrupt_bytes_in_a_worksheet_are_an_error_naming_the_sheet() {
    // A worksheet's deflated bytes damaged: the zip CRC or inflate or XML check fails while
    // streaming the sheet, and the error says which sheet.
    let entries = unzip(&std::fs::read(testdata("sample.xlsx")).unwrap());
    let mut zipped = rezip(&entries);
    let name = b"xl/worksheets/sheet2.xml";
    let at = zipped.windows(name.len()).position(|w| w == name).unwrap();
    for b in &mut zipped[at + name.len() + 40..at + name.len() + 120] {
        *b ^= 0x5A;
    }
    let dir = tempdir();
    let p = write(&dir, "corrupt.xlsx", &zipped);
    let mut wb = Workbook::open(&p).unwrap();
    let e = match wb.reader(&SheetOptions {
        sheet: Some("Orders".into()),
        ..Default::default()
    }) {
        Err(e) => e,
        Ok(mut r) => loop {
            match r.advance() {
                Ok(true) => {}
                Ok(false) => panic!("a corrupt sheet read to its end"),
                Err(e) => break e,
            }
        },
    };
    assert!(workbook_message(&e).contains("sheet 'Orders'"), "{e}");
    assert_eq!(e.file, p);
}

#[test]
fn a_part_declaring_more_than_the_limit_is_refused_before_inflating() {
    let mut zipped = rezip(&unzip(&std::fs::read(testdata("sample.xlsx")).unwrap()));
    forge_declared_size(&mut zipped, "xl/sharedStrings.xml", 600 << 20);
    let dir = tempdir();
    let p = write(&dir, "bomb.xlsx", &zipped);
    let m = workbook_message(&Workbook::open(&p).err().unwrap()).to_string();
    assert!(
        m.contains("zip part xl/sharedStrings.xml declares 600.0 MiB uncompressed, over the 512.0 MiB limit"),
        "{m}"
    );
}

#[test]
fn a_honest_part_over_a_configured_limit_is_refused() {
    let mut entries = unzip(&std::fs::read(testdata("sample.xlsx")).unwrap());
    let strings = entries
        .iter_mut()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .unwrap();
    // Pad the shared strings part with XML whitespace to 2 MiB.
    let end = strings.1.len() - "</sst>".len();
    strings
        .1
        .splice(end..end, std::iter::repeat_n(b' ', 2 << 20));
    let dir = tempdir();
    let p = write(&dir, "big.xlsx", &rezip(&entries));
    let limits = ZipLimits {
        max_loaded_part: 1 << 20,
        ..ZipLimits::default()
    };
    let m = workbook_message(&Workbook::open_with_limits(&p, &limits).err().unwrap()).to_string();
    assert!(
        m.contains("over the 1.0 MiB limit for a part read whole"),
        "{m}"
    );
    // Under the default limit the same file reads.
    assert_eq!(read_all(&p, &ZipLimits::default()).unwrap(), 5);
}

#[test]
fn a_compression_ratio_only_a_bomb_reaches_is_refused() {
    let mut zipped = rezip(&unzip(&std::fs::read(testdata("sample.xlsx")).unwrap()));
    forge_declared_size(&mut zipped, "xl/worksheets/sheet2.xml", 3 << 30);
    let dir = tempdir();
    let p = write(&dir, "ratio.xlsx", &zipped);
    let m = workbook_message(&Workbook::open(&p).err().unwrap()).to_string();
    assert!(
        m.contains("zip part xl/worksheets/sheet2.xml declares 3072.0 MiB"),
        "{m}"
    );
    assert!(m.contains("treated as a zip bomb"), "{m}");
}

#[test]
fn a_part_that_inflates_past_its_declared_size_stops_there() {
    // A bomb that lies: it declares 100 bytes but inflates to more. The zip reader stops at
    // the declared size, so memory stays bounded by what the directory declares.
    let mut zipped = rezip(&unzip(&std::fs::read(testdata("sample.xlsx")).unwrap()));
    forge_declared_size(&mut zipped, "xl/sharedStrings.xml", 100);
    let dir = tempdir();
    let p = write(&dir, "liar.xlsx", &zipped);
    let e = Workbook::open(&p).err().unwrap();
    assert!(workbook_message(&e).contains("truncated or corrupt"), "{e}");
}

#[test]
fn an_error_mid_sheet_names_the_row_and_ends_the_reading() {
    // Row 3 holds an error value no spreadsheet writes: rows before it read, then the error
    // says where, and the reader reports the end from then on.
    let mut entries = unzip(&std::fs::read(testdata("sample.xlsx")).unwrap());
    let sheet = entries
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
        .unwrap();
    let xml = String::from_utf8(sheet.1.clone()).unwrap();
    assert!(xml.contains("<v>#DIV/0!</v>"));
    sheet.1 = xml.replace("<v>#DIV/0!</v>", "<v>#BOGUS!</v>").into_bytes();
    let dir = tempdir();
    let p = write(&dir, "bad-cell.xlsx", &rezip(&entries));
    let mut wb = Workbook::open(&p).unwrap();
    let mut r = wb
        .reader(&SheetOptions {
            sheet: Some("Orders".into()),
            header_row: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert!(r.advance().unwrap());
    assert_eq!(r.row_number(), 2);
    let e = r.advance().err().unwrap();
    assert!(
        workbook_message(&e).starts_with("sheet 'Orders', after row 2:"),
        "{e}"
    );
    assert!(
        !r.advance().unwrap(),
        "a reader that failed goes on reporting the end"
    );
}

fn ods_with_content(content: &[u8]) -> Vec<u8> {
    let mut entries = unzip(&std::fs::read(testdata("sample.ods")).unwrap());
    for (name, data) in &mut entries {
        if name == "content.xml" {
            *data = content.to_vec();
        }
    }
    rezip(&entries)
}

#[test]
fn an_ods_whose_table_never_closes_is_an_error_not_a_hang() {
    // calamine 0.38 loops for ever on this; the XML check before it stops it.
    let entries = unzip(&std::fs::read(testdata("sample.ods")).unwrap());
    let content = &entries.iter().find(|(n, _)| n == "content.xml").unwrap().1;
    let text = String::from_utf8(content.clone()).unwrap();
    let damaged = text.replacen("</table:table>", "</table:tabl[e>", 1);
    let dir = tempdir();
    for (name, xml) in [
        ("unclosed.ods", damaged.as_bytes()),
        ("cut.ods", &content[..content.len() / 2]),
    ] {
        let p = write(&dir, name, &ods_with_content(xml));
        let e = Workbook::open(&p).err().unwrap();
        assert!(
            workbook_message(&e).contains("content.xml is truncated or corrupt"),
            "{e}"
        );
    }
}

#[test]
fn an_ods_whose_repeat_counts_expand_to_too_many_cells_is_refused() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>
<table:table table:name="Bomb"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let dir = tempdir();
    let p = write(&dir, "repeat-bomb.ods", &ods_with_content(xml.as_bytes()));
    let e = Workbook::open(&p).err().unwrap();
    assert!(
        workbook_message(&e).contains("expand to more than 16777216 cells"),
        "{e}"
    );
    // The same table with 1,000 repeated rows is fine: 100,000 cells.
    let small = xml.replace("1000000", "1000");
    let p = write(&dir, "repeat-ok.ods", &ods_with_content(small.as_bytes()));
    assert_eq!(read_all(&p, &ZipLimits::default()).unwrap(), 1000);
}

#[test]
fn an_xls_declaring_billions_of_rows_is_refused_before_calamine_reserves_them() {
    // calamine reserves rows × columns cells from the DIMENSIONS record; this file would make
    // it ask for 343 GB and abort the process.
    let mut bytes = std::fs::read(testdata("sample.xls")).unwrap();
    let pattern = [0x00, 0x02, 0x0E, 0x00]; // DIMENSIONS, 14 bytes
    let mut patched = 0;
    for at in 0..bytes.len() - 18 {
        if bytes[at..at + 4] == pattern {
            bytes[at + 8..at + 12].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
            patched += 1;
        }
    }
    assert!(patched > 0);
    let dir = tempdir();
    let p = write(&dir, "dimensions.xls", &bytes);
    let m = workbook_message(&Workbook::open(&p).err().unwrap()).to_string();
    assert!(
        m.contains("an xls sheet holds at most 65536 rows and 256 columns"),
        "{m}"
    );
}

#[test]
fn an_xls_cell_past_column_iv_is_refused_before_calamine_builds_its_grid() {
    // One RK cell moved to row 65,536, column 65,536: calamine would allocate a 137 GB grid.
    let mut bytes = std::fs::read(testdata("sample.xls")).unwrap();
    let rk = [0x7E, 0x02, 0x0A, 0x00];
    let at = bytes.windows(4).position(|w| w == rk).unwrap();
    bytes[at + 4..at + 8].copy_from_slice(&[0xFF; 4]);
    let dir = tempdir();
    let p = write(&dir, "far-cell.xls", &bytes);
    let m = workbook_message(&Workbook::open(&p).err().unwrap()).to_string();
    assert!(m.contains("a cell lies in column 65536"), "{m}");
}
