//! Which encoding a text file is in, decided from its first bytes, with the reason in words.
//!
//! Order: a BOM settles it (UTF-8, UTF-16 LE/BE); then NUL bytes mean UTF-16 without a BOM when
//! they sit in every other byte, and a binary file otherwise; a sample that is valid UTF-8 (or
//! mostly so) is UTF-8; anything else goes to Mozilla's `chardetng`, which is made for telling
//! the legacy code pages apart.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use serde::Serialize;

use crate::ReadErrorKind;

/// Bytes given to `chardetng`: it converges on far less, and its cost grows with the input.
const CHARDET_SAMPLE: usize = 64 << 10;
/// Share of control bytes (other than tab, CR, LF, FF, ESC, SUB) above which a sample is binary.
const MAX_CONTROL_PERCENT: usize = 5;

/// The encoding chosen, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncodingChoice {
    /// The WHATWG name (`UTF-8`, `windows-1252`, `UTF-16LE`…).
    pub name: &'static str,
    /// Length of the byte-order mark skipped at the start of the file (0 when none).
    pub bom_len: usize,
    pub evidence: String,
    #[serde(skip)]
    pub(crate) encoding: &'static Encoding,
}

impl EncodingChoice {
    fn new(encoding: &'static Encoding, bom_len: usize, evidence: String) -> Self {
        EncodingChoice {
            name: encoding.name(),
            bom_len,
            evidence,
            encoding,
        }
    }

    /// The encoding itself.
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }
}

/// Decides the encoding from `sample`, the file's first bytes (the whole file when
/// `sample.len() as u64 == file_len`). `forced` is the caller's label, if any.
pub fn detect_encoding(
    sample: &[u8],
    file_len: u64,
    forced: Option<&str>,
) -> Result<EncodingChoice, ReadErrorKind> {
    if file_len == 0 {
        return Err(ReadErrorKind::Empty);
    }
    let bom = Encoding::for_bom(sample);
    if let Some(label) = forced {
        let Some(enc) = Encoding::for_label(label.trim().as_bytes()) else {
            return Err(ReadErrorKind::Invalid(format!(
                "unknown encoding `{label}`"
            )));
        };
        let bom_len = match bom {
            Some((b, len)) if b == enc => len,
            _ => 0,
        };
        return Ok(EncodingChoice::new(
            enc,
            bom_len,
            format!("set by the caller ({label})"),
        ));
    }
    if let Some((enc, len)) = bom {
        if sample.len() == len && file_len == len as u64 {
            return Err(ReadErrorKind::Empty);
        }
        return Ok(EncodingChoice::new(
            enc,
            len,
            format!("{} byte-order mark", enc.name()),
        ));
    }
    if let Some(nul) = memchr::memchr(0, sample) {
        if let Some(choice) = utf16_without_bom(sample) {
            return Ok(choice);
        }
        return Err(ReadErrorKind::Binary(format!(
            "NUL byte at offset {nul} (a text file has none; UTF-16 needs a byte-order mark)"
        )));
    }
    let controls = sample.iter().filter(|&&b| is_binary_control(b)).count();
    if controls * 100 > sample.len() * MAX_CONTROL_PERCENT {
        return Err(ReadErrorKind::Binary(format!(
            "{controls} of the first {} bytes are control characters",
            sample.len()
        )));
    }
    let truncated = (sample.len() as u64) < file_len;
    let scan = scan_utf8(sample, truncated);
    let size = describe_size(sample.len());
    if scan.invalid == 0 {
        let what = if scan.multibyte == 0 {
            "all ASCII".to_string()
        } else {
            format!("{} multi-byte characters", scan.multibyte)
        };
        return Ok(EncodingChoice::new(
            UTF_8,
            0,
            format!("no BOM; the {size} sample is valid UTF-8 ({what})"),
        ));
    }
    if scan.multibyte > scan.invalid {
        // Real UTF-8 text with a few damaged bytes: legacy code pages almost never form valid
        // multi-byte UTF-8 sequences, so many of them outvote the invalid ones.
        return Ok(EncodingChoice::new(
            UTF_8,
            0,
            format!(
                "no BOM; the {size} sample holds {} valid multi-byte UTF-8 characters and {} invalid sequences (first at byte {})",
                scan.multibyte, scan.invalid, scan.first_invalid
            ),
        ));
    }
    let head = &sample[..sample.len().min(CHARDET_SAMPLE)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(head, head.len() as u64 == file_len);
    let (enc, confident) = detector.guess_assess(None, false);
    Ok(EncodingChoice::new(
        enc,
        0,
        format!(
            "no BOM; not UTF-8 (invalid byte at offset {}); chardetng: {} over {} sample{}",
            scan.first_invalid,
            enc.name(),
            describe_size(head.len()),
            if confident { "" } else { " (low confidence)" }
        ),
    ))
}

/// UTF-16 written without a BOM: ASCII-range text puts a NUL in every other byte.
fn utf16_without_bom(sample: &[u8]) -> Option<EncodingChoice> {
    let head = &sample[..sample.len().min(4096) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let (enc, zeros, other) = if odd > even {
        (UTF_16LE, odd, even)
    } else {
        (UTF_16BE, even, odd)
    };
    if zeros * 10 >= pairs * 6 && other * 50 <= pairs {
        let evidence = format!(
            "no BOM; {zeros} of the first {pairs} 16-bit units have a zero {} byte",
            if enc == UTF_16LE {
                "high (second)"
            } else {
                "high (first)"
            }
        );
        return Some(EncodingChoice::new(enc, 0, evidence));
    }
    None
}

fn is_binary_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A | 0x1B)
}

struct Utf8Scan {
    multibyte: usize,
    invalid: usize,
    first_invalid: usize,
}

/// Counts valid multi-byte characters and invalid sequences. A sequence cut by the end of a
/// sample that is not the whole file is not counted as invalid.
fn scan_utf8(sample: &[u8], truncated: bool) -> Utf8Scan {
    let mut scan = Utf8Scan {
        multibyte: 0,
        invalid: 0,
        first_invalid: 0,
    };
    let mut offset = 0;
    for chunk in sample.utf8_chunks() {
        let valid = chunk.valid();
        scan.multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
        offset += valid.len();
        let bad = chunk.invalid();
        if !bad.is_empty() {
            let at_end = offset + bad.len() == sample.len();
            if !(truncated && at_end && bad.len() < 4) {
                if scan.invalid == 0 {
                    scan.first_invalid = offset;
                }
                scan.invalid += 1;
            }
            offset += bad.len();
        }
    }
    scan
}

fn describe_size(n: usize) -> String {
    if n >= 1 << 20 && n.trailing_zeros() >= 20 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n}-byte")
    }
}

#[cfg(test)]
#[path = "encoding_detect_tests.rs"]
mod tests;
