//! A pass over an `.xls` before calamine parses it: every sheet's DIMENSIONS record must
//! describe a sheet the format can hold.
//!
//! calamine 0.38 reserves room for rows × columns cells as a sheet's DIMENSIONS record
//! ([MS-XLS] 2.4.90) declares them, before reading any cell. A hostile 8 KB file that declares
//! two billion rows makes it ask for hundreds of GB, and a failed allocation aborts the process
//! (it cannot be caught); a first row after the last makes its row count wrap. It then builds
//! each sheet's grid from the cells' positions, so one cell at column 65,535 of row 65,535 asks
//! for 137 GB. BIFF8 sheets hold at most 65,536 rows and 256 columns (IV), so larger
//! declarations and cells past column IV are refused here; within those limits a sheet's grid
//! is at most 16.7 M cells (about 540 MB in calamine), the bound on an xls's memory.

use crate::ReadErrorKind;
use std::io::{Read, Seek};

const DIMENSIONS: u16 = 0x0200;
/// FILEPASS ([MS-XLS] 2.4.117): the records after it are encrypted; calamine reports the
/// workbook as password-protected when it reaches it.
const FILEPASS: u16 = 0x002F;
const MAX_ROWS: u32 = 65_536;
const MAX_COLUMNS: u32 = 256;
/// Cell records calamine places by their (row u16, column u16) prefix ([MS-XLS] 2.4: FORMULA,
/// RSTRING, LABELSST, NUMBER, LABEL, BOOLERR, RK) and MULRK, whose columns run from the one at
/// bytes 2..4 to the one in its last two bytes.
const CELL_RECORDS: [u16; 7] = [0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E];
const MULRK: u16 = 0x00BD;

/// Checks the workbook stream of the compound file `file` (of `file_len` bytes).
pub fn check_xls<R: Read + Seek>(file: &mut R, file_len: u64) -> Result<(), ReadErrorKind> {
    let mut cfb = cfb::CompoundFile::open(&mut *file).map_err(|e| {
        ReadErrorKind::Workbook(format!(
            "the OLE compound file is truncated or corrupt ({e})"
        ))
    })?;
    // BIFF8 names the stream "Workbook", BIFF5 "Book"; an encrypted OOXML package has neither
    // (calamine recognises it).
    let name = match ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
    {
        Some(n) => n,
        None => return Ok(()),
    };
    let mut stream = Vec::new();
    cfb.open_stream(name)
        .and_then(|s| s.take(file_len).read_to_end(&mut stream))
        .map_err(|e| {
            ReadErrorKind::Workbook(format!("the workbook stream cannot be read ({e})"))
        })?;
    check_records(&stream)
}

/// Walks the BIFF records ([MS-XLS] 2.1.4: type u16, size u16, data).
fn check_records(stream: &[u8]) -> Result<(), ReadErrorKind> {
    let mut at = 0usize;
    while let Some(head) = stream.get(at..at + 4) {
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else {
            break; // calamine reports the truncated record
        };
        match typ {
            FILEPASS => return Ok(()),
            DIMENSIONS => check_dimensions(data, at)?,
            MULRK if data.len() >= 6 => {
                check_column(data, 2, at)?;
                check_column(data, data.len() - 2, at)?;
            }
            t if CELL_RECORDS.contains(&t) && data.len() >= 4 => check_column(data, 2, at)?,
            _ => {}
        }
        at += 4 + len;
    }
    Ok(())
}

/// A cell's column (u16 at `i`) must lie within the 256 columns of an xls sheet.
fn check_column(d: &[u8], i: usize, offset: usize) -> Result<(), ReadErrorKind> {
    let col = u32::from(u16::from_le_bytes([d[i], d[i + 1]]));
    if col >= MAX_COLUMNS {
        return Err(ReadErrorKind::Workbook(format!(
            "a cell lies in column {} (record at byte {offset} of the workbook stream); an xls \
             sheet holds at most {MAX_COLUMNS} columns",
            col + 1
        )));
    }
    Ok(())
}

/// The same reading of DIMENSIONS as calamine's (BIFF5 u16 rows, BIFF8 u32 rows; rwMac and
/// colMac are one past the last row and column).
fn check_dimensions(d: &[u8], offset: usize) -> Result<(), ReadErrorKind> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([d[i], d[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]);
    let (first_row, end_row, end_col) = match d.len() {
        10 => (u16_at(0), u16_at(2), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(10)),
        _ => return Ok(()), // calamine refuses other sizes itself
    };
    let wraps = end_row >= 1 && end_col >= 1 && first_row > end_row - 1;
    if end_row > MAX_ROWS || end_col > MAX_COLUMNS || wraps {
        return Err(ReadErrorKind::Workbook(format!(
            "a sheet declares rows {first_row} to {end_row} and {end_col} columns (DIMENSIONS \
             record at byte {offset} of the workbook stream); an xls sheet holds at most \
             {MAX_ROWS} rows and {MAX_COLUMNS} columns"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn dims(first: u32, end: u32, cols: u16) -> Vec<u8> {
        let mut d = first.to_le_bytes().to_vec();
        d.extend_from_slice(&end.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&cols.to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        record(DIMENSIONS, &d)
    }

    #[test]
    fn sheet_sizes_the_format_allows_pass() {
        let mut s = record(0x0809, &[0; 16]);
        s.extend(dims(0, 65_536, 256));
        s.extend(dims(5, 6, 1));
        assert_eq!(check_records(&s), Ok(()));
    }

    #[test]
    fn declared_sizes_past_the_format_or_reversed_are_refused() {
        for bad in [dims(0, 0x7FFF_FFFF, 4), dims(0, 10, 300), dims(100, 50, 4)] {
            let mut s = record(0x0809, &[0; 16]);
            s.extend(bad);
            let err = check_records(&s).unwrap_err();
            assert!(
                matches!(&err, ReadErrorKind::Workbook(m) if m.contains("an xls sheet holds at most 65536 rows")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn cells_past_column_iv_are_refused() {
        let mut rk = 3u16.to_le_bytes().to_vec();
        rk.extend_from_slice(&0xFFFFu16.to_le_bytes());
        rk.extend_from_slice(&[0; 6]);
        let err = check_records(&record(0x027E, &rk)).unwrap_err();
        assert!(
            matches!(&err, ReadErrorKind::Workbook(m) if m.contains("column 65536")),
            "{err:?}"
        );
        let mut mulrk = vec![0, 0, 4, 0];
        mulrk.extend_from_slice(&[0; 12]);
        mulrk.extend_from_slice(&300u16.to_le_bytes());
        assert!(check_records(&record(MULRK, &mulrk)).is_err());
        let mut ok = vec![0, 0, 255, 0];
        ok.extend_from_slice(&[0; 6]);
        assert_eq!(check_records(&record(0x027E, &ok)), Ok(()));
    }

    #[test]
    fn records_after_filepass_are_encrypted_and_not_read() {
        let mut s = record(FILEPASS, &[1, 0, 1, 0]);
        s.extend(dims(0, 0x7FFF_FFFF, 4));
        assert_eq!(check_records(&s), Ok(()));
    }

    #[test]
    fn a_truncated_record_stream_is_left_to_calamine() {
        let mut s = dims(0, 10, 4);
        s.truncate(9);
        assert_eq!(check_records(&s), Ok(()));
    }
}
