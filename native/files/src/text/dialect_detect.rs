//! Which delimiter, quote and quote escaping a file uses, decided the way DuckDB's sniffer does
//! it: every candidate splits the sampled records, and the one that splits them most
//! consistently into more than one field wins (the quote among a delimiter's candidates as
//! `quote_detect` says). The figures behind the choice are kept as evidence.

use std::io::Cursor;
use std::path::Path;

use encoding_rs::UTF_8;
use serde::Serialize;

use super::options::{
    byte_as_text, opt_byte_as_text, Dialect, EscapeStyle, InvalidUtf8, TextOptions,
};
use super::quote_detect::{
    count_enclosures, detecting, opens_a_field, pick_for_delimiter, quote_evidence, split_key,
    try_quoting_off, QuoteCounts, CANDIDATE_QUOTES,
};
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
    /// `None`: quoting off.
    #[serde(serialize_with = "opt_byte_as_text")]
    pub quote: Option<u8>,
    /// Fields the quote encloses: it opens them and closes right before a delimiter or the
    /// record's end (see `quote_detect`).
    pub quoted_fields: usize,
    /// Of those, the ones that need quoting: holding the delimiter, a line break or a quote.
    pub quoted_needed: usize,
    /// Fields that start with the quote but do not close cleanly (an apostrophe, an inch mark,
    /// or a quote never closed).
    pub unclosed_quotes: usize,
    /// The sample was split to its end without an error (an unterminated quote stops it).
    pub read_through: bool,
}

/// The dialect chosen, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DialectChoice {
    pub dialect: Dialect,
    pub delimiter_evidence: String,
    pub escape_evidence: String,
    /// Why this quote character (or none).
    pub quote_evidence: String,
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
    let quotes: Vec<Option<u8>> = if !options.quoting {
        vec![None]
    } else if let Some(q) = options.quote {
        vec![Some(q)]
    } else {
        // `"` always; `'` where it opens a field; never the caller's delimiter.
        let v: Vec<Option<u8>> = CANDIDATE_QUOTES
            .iter()
            .enumerate()
            .filter(|&(i, &q)| i == 0 || opens_a_field(text, q, &CANDIDATE_DELIMITERS))
            .filter(|&(_, &q)| options.delimiter != Some(q))
            .map(|(_, &q)| Some(q))
            .collect();
        if v.is_empty() {
            vec![None]
        } else {
            v
        }
    };
    // A quote is never a delimiter.
    let delimiters: Vec<u8> = match options.delimiter {
        Some(d) => vec![d],
        None => CANDIDATE_DELIMITERS
            .into_iter()
            .filter(|d| !quotes.contains(&Some(*d)))
            .collect(),
    };
    let escapes_for = |quote: Option<u8>| -> Vec<EscapeStyle> {
        let backslash = quote.is_some_and(|q| text.windows(2).any(|w| w == [b'\\', q]));
        match options.escape {
            Some(e) => vec![e],
            None if backslash => vec![EscapeStyle::Doubled, EscapeStyle::Backslash],
            None => vec![EscapeStyle::Doubled],
        }
    };
    let mut candidates = Vec::new();
    let mut winners = Vec::new();
    for &delimiter in &delimiters {
        let from = candidates.len();
        let dialect = |quote, escape| Dialect {
            delimiter,
            quote,
            escape,
            comment: options.comment,
        };
        for &quote in &quotes {
            for escape in escapes_for(quote) {
                candidates.push(split_sample(
                    text,
                    truncated,
                    dialect(quote, escape),
                    options,
                ));
            }
        }
        // Quoting off is tried only where `"` looks like data (see `quote_detect`).
        let double = candidates[from..]
            .iter()
            .enumerate()
            .filter(|(_, c)| c.quote == Some(CANDIDATE_QUOTES[0]))
            .max_by_key(|(i, c)| split_key(c, *i))
            .map(|(_, c)| c);
        if detecting(options) && double.is_some_and(try_quoting_off) {
            let escape = options.escape.unwrap_or(EscapeStyle::Doubled);
            candidates.push(split_sample(
                text,
                truncated,
                dialect(None, escape),
                options,
            ));
        }
        let group: Vec<(usize, &CandidateStats)> =
            candidates.iter().enumerate().skip(from).collect();
        winners.extend(pick_for_delimiter(&group));
    }
    let best_index = winners
        .iter()
        .copied()
        .filter_map(|i| candidates.get(i).map(|c| (i, c)))
        .max_by_key(|(i, c)| split_key(c, *i))
        .map(|(i, _)| i);
    let best = best_index
        .and_then(|i| candidates.get(i))
        .cloned()
        .unwrap_or_else(CandidateStats::empty);
    let quote = best.quote;
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
        // Each other delimiter as read with the chosen quote and escape, else as it read best.
        let others: Vec<String> = delimiters
            .iter()
            .filter(|&&d| d != best.delimiter)
            .filter_map(|&d| {
                candidates
                    .iter()
                    .find(|c| c.delimiter == d && c.quote == quote && c.escape == best.escape)
                    .or_else(|| {
                        winners
                            .iter()
                            .filter_map(|&i| candidates.get(i))
                            .find(|c| c.delimiter == d)
                    })
            })
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
    let backslash_quote = quote.is_some_and(|q| text.windows(2).any(|w| w == [b'\\', q]));
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
                    .find(|c| c.delimiter == best.delimiter && c.quote == quote && c.escape == e)
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
    // The other quotes of the chosen delimiter, each with its best escape.
    let mut rivals: Vec<&CandidateStats> = Vec::new();
    for c in candidates
        .iter()
        .filter(|c| c.delimiter == best.delimiter && c.quote != quote)
    {
        match rivals.iter_mut().find(|r| r.quote == c.quote) {
            Some(r) if r.modal_records < c.modal_records => *r = c,
            Some(_) => {}
            None => rivals.push(c),
        }
    }
    let quote_evidence = quote_evidence(&best, &rivals, options);
    DialectChoice {
        dialect,
        delimiter_evidence,
        escape_evidence,
        quote_evidence,
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
            quote: Some(b'"'),
            quoted_fields: 0,
            quoted_needed: 0,
            unclosed_quotes: 0,
            read_through: true,
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
    // The last record's enclosures join the total once the record is known to count.
    let (mut quotes, mut last) = (QuoteCounts::default(), QuoteCounts::default());
    let mut complete = true;
    while counts.len() <= options.sample_records {
        match reader.advance() {
            Ok(true) => {
                counts.push(reader.len());
                quotes.add(last);
                last = reader
                    .raw_record()
                    .map_or_else(QuoteCounts::default, |raw| count_enclosures(raw, &dialect));
            }
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
    } else {
        quotes.add(last);
    }
    let mut stats = summarise(&counts, dialect);
    stats.quoted_fields = quotes.quoted;
    stats.quoted_needed = quotes.needed;
    stats.unclosed_quotes = quotes.unclosed;
    stats.read_through = complete;
    stats
}

fn summarise(counts: &[usize], dialect: Dialect) -> CandidateStats {
    let mut stats = CandidateStats {
        delimiter: dialect.delimiter,
        escape: dialect.escape,
        quote: dialect.quote,
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
