//! Which delimiter and quote escaping a file uses, decided the way DuckDB's sniffer does it:
//! every candidate splits the sampled records, and the one that splits them most consistently
//! into more than one field wins. The figures behind the choice are kept as evidence.

use std::io::Cursor;
use std::path::Path;

use encoding_rs::UTF_8;
use serde::Serialize;

use super::options::{byte_as_text, Dialect, EscapeStyle, InvalidUtf8, TextOptions};
use super::reader::{Settings, TextReader};
use crate::RowSource;

/// Delimiters tried when the caller sets none, in order of preference on a tie.
pub const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How one candidate dialect splits the sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateStats {
    #[serde(serialize_with = "byte_as_text")]
    pub delimiter: u8,
    pub escape: EscapeStyle,
    /// Records in the sample (a record cut off by the end of the sample is not counted).
    pub records: usize,
    /// The most common number of fields per record.
    pub modal_fields: usize,
    /// Records that have exactly `modal_fields` fields.
    pub modal_records: usize,
    pub min_fields: usize,
    pub max_fields: usize,
}

/// The dialect chosen, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DialectChoice {
    pub dialect: Dialect,
    pub delimiter_evidence: String,
    pub escape_evidence: String,
    pub candidates: Vec<CandidateStats>,
}

/// How a delimiter is named in evidence.
pub fn delimiter_name(b: u8) -> String {
    match b {
        b'\t' => "tab".to_string(),
        b' ' => "space".to_string(),
        _ => format!("`{}`", char::from(b).escape_default()),
    }
}

/// Decides the dialect from `text`, the sample as UTF-8 or an ASCII-compatible code page.
/// `truncated`: the sample is not the whole file, so its last record may be cut.
pub fn detect_dialect(text: &[u8], truncated: bool, options: &TextOptions) -> DialectChoice {
    let quote = options.quoting.then(|| options.quote.unwrap_or(b'"'));
    let delimiters: Vec<u8> = match options.delimiter {
        Some(d) => vec![d],
        None => CANDIDATE_DELIMITERS.to_vec(),
    };
    let backslash_quote = quote.is_some_and(|q| text.windows(2).any(|w| w == [b'\\', q]));
    let escapes: Vec<EscapeStyle> = match options.escape {
        Some(e) => vec![e],
        None if backslash_quote => vec![EscapeStyle::Doubled, EscapeStyle::Backslash],
        None => vec![EscapeStyle::Doubled],
    };
    let mut candidates = Vec::new();
    for &delimiter in &delimiters {
        for &escape in &escapes {
            let dialect = Dialect {
                delimiter,
                quote,
                escape,
                comment: options.comment,
            };
            candidates.push(split_sample(text, truncated, dialect, options));
        }
    }
    // Best: splits into more than one field, then the most records of one width, then the
    // widest, then the earlier candidate (`,` before `;`, doubled before backslash).
    let best = (0..candidates.len())
        .max_by_key(|&i| {
            let c = &candidates[i];
            (
                c.modal_fields > 1,
                c.modal_records,
                c.modal_fields,
                std::cmp::Reverse(i),
            )
        })
        .map_or_else(CandidateStats::empty, |i| candidates[i].clone());
    let dialect = Dialect {
        delimiter: best.delimiter,
        quote,
        escape: best.escape,
        comment: options.comment,
    };
    let delimiter_evidence = if options.delimiter.is_some() {
        format!(
            "{} set by the caller; {}",
            delimiter_name(best.delimiter),
            best.describe()
        )
    } else if best.modal_fields <= 1 {
        format!(
            "no candidate splits the sampled records; read as one column with {}",
            delimiter_name(best.delimiter)
        )
    } else {
        let others: Vec<String> = candidates
            .iter()
            .filter(|c| c.delimiter != best.delimiter && c.escape == best.escape)
            .map(|c| {
                let range = if c.min_fields == c.max_fields {
                    c.min_fields.to_string()
                } else {
                    format!("{} to {}", c.min_fields, c.max_fields)
                };
                format!("{} gives {range}", delimiter_name(c.delimiter))
            })
            .collect();
        let mut s = best.describe();
        if !others.is_empty() {
            s.push_str("; ");
            s.push_str(&others.join(", "));
        }
        s
    };
    let escape_evidence = match (options.escape, quote) {
        (_, None) => "quoting off: quote characters are data".to_string(),
        (Some(_), _) => "escape style set by the caller".to_string(),
        (None, Some(_)) if !backslash_quote => {
            "no backslash before a quote in the sample: quotes are escaped by doubling (RFC 4180)"
                .to_string()
        }
        (None, Some(_)) => {
            let of = |e: EscapeStyle| {
                candidates
                    .iter()
                    .find(|c| c.delimiter == best.delimiter && c.escape == e)
                    .map_or(0, |c| c.modal_records)
            };
            format!(
                "backslash-quote occurs in the sample; with {} backslash escaping gives {} records of {} fields, doubling gives {}",
                delimiter_name(best.delimiter),
                of(EscapeStyle::Backslash),
                best.modal_fields,
                of(EscapeStyle::Doubled)
            )
        }
    };
    DialectChoice {
        dialect,
        delimiter_evidence,
        escape_evidence,
        candidates,
    }
}

impl CandidateStats {
    fn empty() -> Self {
        CandidateStats {
            delimiter: b',',
            escape: EscapeStyle::Doubled,
            records: 0,
            modal_fields: 0,
            modal_records: 0,
            min_fields: 0,
            max_fields: 0,
        }
    }

    fn describe(&self) -> String {
        let name = delimiter_name(self.delimiter);
        if self.records == 0 {
            return format!("{name}: the sample holds no complete record");
        }
        if self.modal_records == self.records {
            format!(
                "{name} splits every one of the {} sampled records into {} fields",
                self.records, self.modal_fields
            )
        } else {
            format!(
                "{name} splits {} of the {} sampled records into {} fields ({} to {} overall)",
                self.modal_records,
                self.records,
                self.modal_fields,
                self.min_fields,
                self.max_fields
            )
        }
    }
}

/// Splits the sample with one dialect and summarises the field counts.
fn split_sample(
    text: &[u8],
    truncated: bool,
    dialect: Dialect,
    options: &TextOptions,
) -> CandidateStats {
    let settings = Settings {
        encoding: UTF_8,
        bom_len: 0,
        dialect,
        invalid_utf8: InvalidUtf8::Replace,
        max_record_bytes: text.len().saturating_add(1),
        max_fields: options.max_fields,
        skip_hint_line: false,
    };
    let mut reader = TextReader::with_settings(
        Path::new("sample"),
        Cursor::new(text),
        text.len() as u64,
        settings,
        super::detect::Detection::placeholder(),
    );
    let mut counts: Vec<usize> = Vec::new();
    let mut complete = true;
    while counts.len() <= options.sample_records {
        match reader.advance() {
            Ok(true) => counts.push(reader.len()),
            Ok(false) => break,
            Err(_) => {
                // A quote left open by the cut, or a record past the limits: the sample ends here.
                complete = false;
                break;
            }
        }
    }
    if counts.len() > options.sample_records {
        counts.truncate(options.sample_records);
    } else if truncated && complete {
        // The last record may be cut by the end of the sample.
        counts.pop();
    }
    summarise(&counts, dialect)
}

fn summarise(counts: &[usize], dialect: Dialect) -> CandidateStats {
    let mut stats = CandidateStats {
        delimiter: dialect.delimiter,
        escape: dialect.escape,
        ..CandidateStats::empty()
    };
    if counts.is_empty() {
        return stats;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    stats.records = counts.len();
    stats.min_fields = sorted[0];
    stats.max_fields = sorted[sorted.len() - 1];
    for run in sorted.chunk_by(|a, b| a == b) {
        if run.len() >= stats.modal_records {
            stats.modal_records = run.len();
            stats.modal_fields = run[0];
        }
    }
    stats
}

#[cfg(test)]
#[path = "dialect_detect_tests.rs"]
mod tests;
