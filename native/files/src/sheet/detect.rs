//! Which workbook format a file holds, from its bytes (never its name), and the zip checks that
//! keep a hostile archive from taking unbounded memory.
//!
//! - `PK\x03\x04` (or an empty archive's `PK\x05\x06`): a zip. `xl/workbook.bin` makes it xlsb,
//!   `xl/workbook.xml` xlsx/xlsm (ECMA-376 Part 2, the part names are conventional but universal),
//!   `mimetype` or `content.xml` an OpenDocument spreadsheet.
//! - `D0 CF 11 E0 A1 B1 1A E1`: an OLE compound file ([MS-CFB] 2.2): either a BIFF8 `.xls`, or
//!   an encrypted OOXML workbook (a password-protected xlsx is stored as a compound file with an
//!   `EncryptedPackage` stream, [MS-OFFCRYPTO] 2.3.4.4). calamine tells the two apart.
//!
//! Zip bombs: calamine reads the shared strings, styles, workbook part (and the whole of an
//! ODS `content.xml`) into memory, and decompresses each part up to its declared size: the `zip`
//! crate stops with an error once a part inflates past the size its central directory declares.
//! So the declared sizes bound the memory, and they are checked here before calamine opens the
//! file, against [`ZipLimits`].

use crate::ReadErrorKind;
use serde::Serialize;
use std::io::{Read, Seek, SeekFrom};

/// A spreadsheet format calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetFormat {
    /// Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97–2003 workbook (BIFF8 in an OLE compound file).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl SheetFormat {
    pub fn name(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Xlsb => "xlsb",
            SheetFormat::Xls => "xls",
            SheetFormat::Ods => "ods",
        }
    }
}

/// Bounds on a zipped workbook's declared uncompressed sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZipLimits {
    /// Largest part read whole into memory (shared strings, styles, the workbook part, an
    /// ODS `content.xml`). Default 512 MiB.
    pub max_loaded_part: u64,
    /// Largest total of all parts' declared sizes; worksheets stream, so this bounds time
    /// rather than memory. Default 16 GiB.
    pub max_total: u64,
    /// Largest ratio of declared to compressed size for a part over 64 MiB. Real sheet XML
    /// compresses 5–50×; deflate cannot exceed about 1,032×, which a bomb approaches. Default
    /// 400.
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_loaded_part: 512 << 20,
            max_total: 16 << 30,
            max_ratio: 400,
        }
    }
}

const RATIO_FLOOR: u64 = 64 << 20;
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Zip,
    Cfb,
}

/// Looks at the file's first bytes; a non-workbook gets an error that says what it looks like.
pub fn sniff<R: Read + Seek>(file: &mut R) -> Result<Container, ReadErrorKind> {
    let mut head = [0u8; 512];
    let n = read_up_to(file, &mut head).map_err(|e| ReadErrorKind::Io(e.to_string()))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| ReadErrorKind::Io(e.to_string()))?;
    let head = &head[..n];
    if head.is_empty() {
        return Err(ReadErrorKind::Empty);
    }
    if head.starts_with(ZIP_MAGIC) || head.starts_with(EMPTY_ZIP_MAGIC) {
        return Ok(Container::Zip);
    }
    if head.starts_with(CFB_MAGIC) {
        return Ok(Container::Cfb);
    }
    Err(ReadErrorKind::Workbook(describe_non_workbook(head)))
}

/// A sentence about a file that is no workbook: text (a CSV renamed `.xlsx` is common) or an
/// unknown binary.
fn describe_non_workbook(head: &[u8]) -> String {
    let text = match std::str::from_utf8(head) {
        Ok(t) => Some(t),
        // The sample may end inside a multi-byte character.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    match text {
        Some(t) if !t.contains('\0') => {
            let first: String = t.lines().next().unwrap_or("").chars().take(40).collect();
            format!(
                "the file is text, not a workbook (it starts with `{first}`); if it is CSV or \
                 other delimited text, open it as text"
            )
        }
        _ => "the file is neither a zip-based workbook (xlsx, xlsb, ods) nor an OLE one (xls)"
            .to_string(),
    }
}

fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Opens the zip's central directory (without inflating anything), decides the format and
/// checks every part's declared size against `limits`.
pub fn inspect_zip<R: Read + Seek>(
    file: &mut R,
    limits: &ZipLimits,
) -> Result<SheetFormat, ReadErrorKind> {
    let archive = zip::ZipArchive::new(&mut *file).map_err(|e| {
        ReadErrorKind::Workbook(format!("the zip container is truncated or corrupt ({e})"))
    })?;
    let mut format = None;
    let mut has_mimetype = false;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_data(i)
            .map_err(|e| ReadErrorKind::Workbook(format!("the zip directory is corrupt ({e})")))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        match name.as_str() {
            "xl/workbook.bin" => format = Some(SheetFormat::Xlsb),
            "xl/workbook.xml" if format.is_none() => format = Some(SheetFormat::Xlsx),
            "content.xml" if format.is_none() => format = Some(SheetFormat::Ods),
            "mimetype" => has_mimetype = true,
            _ => {}
        }
        total = total.saturating_add(size);
        let streamed = name.starts_with("xl/worksheets/");
        if !streamed && size > limits.max_loaded_part {
            return Err(too_large(
                &name,
                size,
                limits.max_loaded_part,
                "for a part read whole",
            ));
        }
        if size > RATIO_FLOOR && size / packed > limits.max_ratio {
            return Err(ReadErrorKind::Workbook(format!(
                "zip part {name} declares {} from {} compressed ({}:1); over {}:1 it is \
                 treated as a zip bomb",
                mib(size),
                mib(packed),
                size / packed,
                limits.max_ratio
            )));
        }
    }
    if total > limits.max_total {
        return Err(too_large(
            "all parts together",
            total,
            limits.max_total,
            "in total",
        ));
    }
    match format {
        Some(f) => Ok(f),
        None if has_mimetype => Ok(SheetFormat::Ods),
        None => Err(ReadErrorKind::Workbook(
            "a zip archive, but not a workbook: it has no xl/workbook.xml, xl/workbook.bin or \
             content.xml"
                .to_string(),
        )),
    }
}

fn too_large(what: &str, size: u64, limit: u64, scope: &str) -> ReadErrorKind {
    ReadErrorKind::Workbook(format!(
        "zip part {what} declares {} uncompressed, over the {} limit {scope} (a zip bomb?)",
        mib(size),
        mib(limit)
    ))
}

fn mib(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{bytes} bytes")
    }
}
