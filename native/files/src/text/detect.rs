//! Detection at open: the encoding from the first bytes, then the dialect from the sample
//! decoded in that encoding. Each result carries its evidence and yields to the caller's
//! options.

use serde::Serialize;

use super::dialect_detect::{delimiter_name, detect_dialect, CandidateStats};
use super::encoding_detect::{detect_encoding, EncodingChoice};
use super::options::{Dialect, TextOptions};
use super::reader::Settings;
use super::record_decode::RecordDecode;
use crate::ReadErrorKind;

/// What the reader runs with and why: the encoding and the dialect, each with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detection {
    pub encoding: EncodingChoice,
    pub dialect: Dialect,
    pub delimiter_evidence: String,
    pub escape_evidence: String,
    /// Why this quote character, or quoting off.
    pub quote_evidence: String,
    /// How each candidate dialect split the sample.
    pub candidates: Vec<CandidateStats>,
    /// Bytes of the file the detection looked at.
    pub sample_bytes: usize,
    /// The file's size at open (the reader reads no further).
    pub file_bytes: u64,
}

impl Detection {
    /// For readers used inside detection itself.
    pub(crate) fn placeholder() -> Self {
        Detection {
            encoding: EncodingChoice {
                name: "UTF-8",
                bom_len: 0,
                evidence: String::new(),
                encoding: encoding_rs::UTF_8,
            },
            dialect: Dialect::default(),
            delimiter_evidence: String::new(),
            escape_evidence: String::new(),
            quote_evidence: String::new(),
            candidates: Vec::new(),
            sample_bytes: 0,
            file_bytes: 0,
        }
    }
}

/// Detects everything `options` leaves open from `sample`, the first bytes of a file of
/// `file_len` bytes.
pub(crate) fn detect(
    sample: &[u8],
    file_len: u64,
    options: &TextOptions,
) -> Result<(Settings, Detection), ReadErrorKind> {
    if let Some(q) = options
        .quote
        .filter(|&q| options.quoting && options.delimiter == Some(q))
    {
        return Err(ReadErrorKind::Invalid(format!(
            "the quote and the delimiter are both {}: give two different characters",
            delimiter_name(q)
        )));
    }
    let encoding = detect_encoding(sample, file_len, options.encoding.as_deref())?;
    let body = sample.get(encoding.bom_len..).unwrap_or_default();
    let truncated = (sample.len() as u64) < file_len;
    let decoded;
    let text: &[u8] = if RecordDecode::needs_transcoding(encoding.encoding) {
        decoded = encoding.encoding.decode_without_bom_handling(body).0;
        decoded.as_bytes()
    } else {
        body
    };
    let hint = excel_separator_hint(text);
    let mut choice =
        match hint {
            Some((delimiter, line_len)) if options.delimiter.is_none() => {
                let hinted = TextOptions {
                    delimiter: Some(delimiter),
                    ..options.clone()
                };
                let mut choice =
                    detect_dialect(text.get(line_len..).unwrap_or_default(), truncated, &hinted);
                choice.delimiter_evidence =
                    format!(
                "{} named by the `sep=` line that opens the file (Excel's delimiter hint); {}",
                delimiter_name(delimiter),
                choice.delimiter_evidence.split_once("; ").map_or("", |(_, rest)| rest)
            );
                choice
            }
            Some((_, line_len)) => {
                detect_dialect(text.get(line_len..).unwrap_or_default(), truncated, options)
            }
            None => detect_dialect(text, truncated, options),
        };
    choice.delimiter_evidence = choice.delimiter_evidence.trim_end_matches("; ").to_string();
    let settings = Settings {
        encoding: encoding.encoding,
        bom_len: encoding.bom_len,
        dialect: choice.dialect,
        invalid_utf8: options.invalid_utf8,
        max_record_bytes: options.max_record_bytes,
        max_fields: options.max_fields,
        skip_hint_line: hint.is_some(),
    };
    let detection = Detection {
        encoding,
        dialect: choice.dialect,
        delimiter_evidence: choice.delimiter_evidence,
        escape_evidence: choice.escape_evidence,
        quote_evidence: choice.quote_evidence,
        candidates: choice.candidates,
        sample_bytes: sample.len(),
        file_bytes: file_len,
    };
    Ok((settings, detection))
}

/// Excel's `sep=X` first line: the delimiter, and the line's length with its terminator.
fn excel_separator_hint(text: &[u8]) -> Option<(u8, usize)> {
    text.get(..4).filter(|p| p.eq_ignore_ascii_case(b"sep="))?;
    let &delimiter = text.get(4)?;
    let terminator = match text.get(5..7) {
        Some(b"\r\n") => 2,
        _ => match text.get(5) {
            Some(b'\n' | b'\r') => 1,
            None => 0,
            Some(_) => return None,
        },
    };
    (!matches!(delimiter, b'\r' | b'\n' | b'"')).then_some((delimiter, 5 + terminator))
}
