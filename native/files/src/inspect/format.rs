//! Which kind of file this is, from its first bytes (never its name alone).
//!
//! - `PK\x03\x04` / `PK\x05\x06`: a zip, which here means a workbook (xlsx, xlsm, xlsb, ods);
//!   the sheet module looks inside to tell which ([`crate::sheet::detect`]).
//! - `D0 CF 11 E0 A1 B1 1A E1`: an OLE compound file ([MS-CFB] 2.2): an `.xls`, or an encrypted
//!   OOXML workbook, which the sheet module reports as password-protected.
//! - Anything else is read as delimited text; the text reader decides whether it really is text.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::{ReadError, ReadErrorKind};

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Delimited text (CSV, TSV, …), or something that claims to be.
    Text,
    /// A zip or OLE container: a workbook for calamine.
    Workbook,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads at most 8 bytes of `path` and decides its kind. A directory or an unreadable file is an
/// [`ReadErrorKind::Io`] error naming it.
pub fn sniff(path: &Path) -> Result<FileKind, ReadError> {
    let io_err = |e: std::io::Error| ReadError {
        file: path.to_path_buf(),
        byte_offset: None,
        row: None,
        column: None,
        kind: ReadErrorKind::Io(e.to_string()),
    };
    let mut file = File::open(path).map_err(io_err)?;
    if file.metadata().map_err(io_err)?.is_dir() {
        return Err(io_err(std::io::Error::other(
            "it is a directory, not a file",
        )));
    }
    let mut head = [0u8; 8];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_err(e)),
        }
    }
    Ok(kind_of(&head[..n]))
}

/// The kind of a file that starts with `head`.
pub fn kind_of(head: &[u8]) -> FileKind {
    if head.starts_with(ZIP_MAGIC)
        || head.starts_with(EMPTY_ZIP_MAGIC)
        || head.starts_with(CFB_MAGIC)
    {
        FileKind::Workbook
    } else {
        FileKind::Text
    }
}

/// Largest `[Content_Types].xml` read to tell xlsm from xlsx (real ones are a few KiB).
const MAX_CONTENT_TYPES: u64 = 1 << 20;

/// True for a macro-enabled workbook: the same container as xlsx, whose workbook part is
/// declared `application/vnd.ms-excel.sheet.macroEnabled.main+xml` in `[Content_Types].xml`
/// (ECMA-376 Part 2, §10.1.2; [MS-OFFMACRO2]). Anything unreadable here is simply not xlsm: the
/// workbook itself has already opened.
pub(crate) fn is_xlsm(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let Ok(part) = zip.by_name("[Content_Types].xml") else {
        return false;
    };
    if part.size() > MAX_CONTENT_TYPES {
        return false;
    }
    let mut text = Vec::new();
    if part.take(MAX_CONTENT_TYPES).read_to_end(&mut text).is_err() {
        return false;
    }
    memchr::memmem::find(&text, b"macroEnabled.main+xml").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_workbooks_and_everything_else_is_text() {
        assert_eq!(kind_of(b"PK\x03\x04rest"), FileKind::Workbook);
        assert_eq!(kind_of(b"PK\x05\x06"), FileKind::Workbook);
        assert_eq!(kind_of(CFB_MAGIC), FileKind::Workbook);
        assert_eq!(kind_of(b"id,name\n"), FileKind::Text);
        assert_eq!(kind_of(b""), FileKind::Text);
        assert_eq!(kind_of(b"PK"), FileKind::Text);
    }

    #[test]
    fn xlsm_is_told_from_xlsx_by_its_content_types() {
        use std::io::Write;
        let write = |main: &str| {
            let f = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
            let mut z = zip::ZipWriter::new(f.reopen().unwrap());
            z.start_file(
                "[Content_Types].xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            write!(z, "<Types><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.{main}\"/></Types>").unwrap();
            z.finish().unwrap();
            f
        };
        let xlsm = write("ms-excel.sheet.macroEnabled.main+xml");
        assert!(is_xlsm(xlsm.path()));
        let xlsx = write("openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        assert!(!is_xlsm(xlsx.path()));
        assert!(!is_xlsm(Path::new("/no/such/file.xlsm")));
    }

    #[test]
    fn a_directory_is_an_io_error_naming_it() {
        let dir = std::env::temp_dir();
        let e = sniff(&dir).unwrap_err();
        assert!(matches!(e.kind, ReadErrorKind::Io(_)), "{e}");
        assert!(e.to_string().contains("directory"), "{e}");
    }
}
