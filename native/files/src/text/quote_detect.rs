//! Which quote character a file uses — `"`, `'` or none — decided per delimiter over the same
//! sample and splits as the delimiter, with the evidence in words.
//!
//! A quote only opens a field at its first byte (csv-core reads a quote anywhere else as data),
//! so an apostrophe inside text (`O'Brien`, `it's`) never counts. A quote *encloses* a field when
//! it opens it and closes right before a delimiter or the record's end; a field that opens with
//! it and closes anywhere else (`'90s hits`, `"Best" TV`), or never, is *unclosed*: evidence
//! that the character is data. Enclosures that hold the delimiter, a line break or an escaped
//! quote are the ones quoting is *needed* for.
//!
//! Per delimiter: the split that is most consistent wins; at equal consistency, `'` takes over
//! from `"` only when it encloses more needed fields (then fewer unclosed, then more in all).
//! Quoting goes off only when `"` encloses nothing, opens fields it never closes cleanly, reads
//! the sample through without an unterminated quote, and splitting without it is at least as
//! consistent. A sample without any quote keeps `"` (RFC 4180): it reads the same as no
//! quoting, and a quoted field later in the file still reads right.

use super::dialect_detect::{delimiter_name, CandidateStats};
use super::options::{Dialect, EscapeStyle, TextOptions};

/// Quote characters tried when the caller sets none, in order of preference on a tie.
pub const CANDIDATE_QUOTES: [u8; 2] = [b'"', b'\''];

/// Enclosure counts over some records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct QuoteCounts {
    pub quoted: usize,
    pub needed: usize,
    pub unclosed: usize,
}

impl QuoteCounts {
    pub(crate) fn add(&mut self, other: QuoteCounts) {
        self.quoted = self.quoted.saturating_add(other.quoted);
        self.needed = self.needed.saturating_add(other.needed);
        self.unclosed = self.unclosed.saturating_add(other.unclosed);
    }
}

/// Counts the fields of one raw record (without its terminator) that `dialect`'s quote
/// encloses, mirroring csv-core: a doubled quote (and with backslash escaping, any byte after a
/// backslash) stays inside; after the closing quote, bytes up to the delimiter are data.
pub(crate) fn count_enclosures(raw: &[u8], dialect: &Dialect) -> QuoteCounts {
    let mut counts = QuoteCounts::default();
    let Some(q) = dialect.quote else {
        return counts;
    };
    if memchr::memchr(q, raw).is_none() {
        return counts;
    }
    let delimiter = dialect.delimiter;
    let backslash = dialect.escape == EscapeStyle::Backslash;
    let mut i = 0;
    loop {
        if raw.get(i) == Some(&q) {
            i += 1;
            let mut needed = false;
            let mut clean = false;
            while let Some(&b) = raw.get(i) {
                if backslash && b == b'\\' {
                    needed = true;
                    i += 2;
                } else if b == q {
                    if raw.get(i + 1) == Some(&q) {
                        needed = true;
                        i += 2;
                    } else {
                        i += 1;
                        clean = raw.get(i).is_none_or(|&n| n == delimiter);
                        break;
                    }
                } else {
                    needed |= b == delimiter || b == b'\n' || b == b'\r';
                    i += 1;
                }
            }
            if clean {
                counts.quoted += 1;
                counts.needed += usize::from(needed);
            } else {
                counts.unclosed += 1;
            }
        }
        match raw
            .get(i..)
            .and_then(|rest| memchr::memchr(delimiter, rest))
        {
            Some(k) => i += k + 1,
            None => return counts,
        }
    }
}

/// True when `quote` opens a field somewhere in `text` for some of `delimiters`: at the start,
/// after a line break or right after a delimiter. Only then can it change a split.
pub(crate) fn opens_a_field(text: &[u8], quote: u8, delimiters: &[u8]) -> bool {
    memchr::memchr_iter(quote, text).any(|i| match i.checked_sub(1).and_then(|p| text.get(p)) {
        None => true,
        Some(b) => *b == b'\n' || *b == b'\r' || delimiters.contains(b),
    })
}

/// Whether the caller left the quote to detection.
pub(crate) fn detecting(options: &TextOptions) -> bool {
    options.quoting && options.quote.is_none()
}

/// Whether, for one delimiter, reading with quoting off is worth a split: `"` (`best_double`)
/// encloses nothing, opens fields it does not close cleanly, and read the sample through.
pub(crate) fn try_quoting_off(best_double: &CandidateStats) -> bool {
    best_double.quoted_fields == 0 && best_double.unclosed_quotes > 0 && best_double.read_through
}

/// The base order of candidates: splits into more than one field, the most records of one
/// width, the widest, the earlier candidate (`i`).
pub(crate) fn split_key(
    c: &CandidateStats,
    i: usize,
) -> (bool, usize, usize, std::cmp::Reverse<usize>) {
    (
        c.modal_fields > 1,
        c.modal_records,
        c.modal_fields,
        std::cmp::Reverse(i),
    )
}

/// The winner among one delimiter's candidates (`(index, stats)`, in candidate order): for each
/// quote its best escape, then the quote as the module comment says.
pub(crate) fn pick_for_delimiter(cands: &[(usize, &CandidateStats)]) -> Option<usize> {
    let best_with = |quote: Option<u8>| {
        cands
            .iter()
            .filter(|(_, c)| c.quote == quote)
            .max_by_key(|(i, c)| split_key(c, *i))
            .copied()
    };
    let quoted: Vec<(usize, &CandidateStats)> = cands
        .iter()
        .filter_map(|(_, c)| c.quote)
        .fold(Vec::new(), |mut seen: Vec<u8>, q| {
            if !seen.contains(&q) {
                seen.push(q);
            }
            seen
        })
        .into_iter()
        .filter_map(|q| best_with(Some(q)))
        .collect();
    let quote_key = |c: &CandidateStats| {
        (
            c.modal_fields > 1,
            c.modal_records,
            c.quoted_needed,
            std::cmp::Reverse(c.unclosed_quotes),
            c.quoted_fields,
        )
    };
    // The first quote (`"` when detecting) unless another encloses fields and beats it.
    let mut chosen = quoted.first().copied();
    for &(i, c) in quoted.iter().skip(1) {
        if let Some((_, cur)) = chosen {
            if c.quoted_fields > 0 && quote_key(c) > quote_key(cur) {
                chosen = Some((i, c));
            }
        }
    }
    let off = best_with(None);
    match (chosen, off) {
        (None, off) => off.map(|(i, _)| i),
        (Some((i, _)), None) => Some(i),
        (Some((i, c)), Some((j, n))) => {
            // With the caller's quoting off there is no quoted candidate; here `off` competes.
            let at_least_as_consistent =
                (n.modal_fields > 1, n.modal_records) >= (c.modal_fields > 1, c.modal_records);
            Some(if try_quoting_off(c) && at_least_as_consistent {
                j
            } else {
                i
            })
        }
    }
}

/// How a quote is named in evidence.
pub fn quote_name(q: Option<u8>) -> String {
    match q {
        Some(q) => format!("`{}`", char::from(q)),
        None => "no quote".to_string(),
    }
}

/// "1 field", "2 fields".
fn fields(n: usize) -> String {
    if n == 1 {
        "1 field".to_string()
    } else {
        format!("{n} fields")
    }
}

/// "`'` encloses 412 fields, 37 of them holding the delimiter, a line break or a quote".
fn enclosures(c: &CandidateStats) -> String {
    let q = quote_name(c.quote);
    let mut s = match (c.quoted_fields, c.quoted_needed) {
        (0, _) => format!("{q} encloses none"),
        (n, 0) => format!("{q} encloses {}, none holding the delimiter", fields(n)),
        (n, k) => format!(
            "{q} encloses {}, {k} holding the delimiter, a line break or a quote",
            fields(n)
        ),
    };
    if c.unclosed_quotes > 0 {
        s.push_str(&format!(
            "; {q} opens {} it does not close right before a delimiter or the line end",
            fields(c.unclosed_quotes)
        ));
    }
    s
}

/// Why `best`'s quote, given the other candidates of its delimiter and escape (`rivals`, one
/// per other quote).
pub(crate) fn quote_evidence(
    best: &CandidateStats,
    rivals: &[&CandidateStats],
    options: &TextOptions,
) -> String {
    let delimiter = delimiter_name(best.delimiter);
    let split = |c: &CandidateStats| {
        format!(
            "{delimiter} splits {} of the {} records into {}",
            c.modal_records,
            c.records,
            fields(c.modal_fields)
        )
    };
    if !options.quoting {
        return "quoting off, set by the caller: quote characters are data".to_string();
    }
    if options.quote.is_some() {
        return format!(
            "{} set by the caller; {} in the {} sampled records",
            quote_name(best.quote),
            enclosures(best),
            best.records
        );
    }
    let Some(q) = best.quote else {
        let with = rivals.iter().find(|c| c.quote == Some(CANDIDATE_QUOTES[0]));
        let mut s = format!("quoting off: in the {} sampled records ", best.records);
        if let Some(w) = with {
            s.push_str(&format!(
                "{}; read as data, {} (with quoting, {})",
                enclosures(w),
                split(best),
                w.modal_records
            ));
        }
        return s;
    };
    let mut s = if best.quoted_fields == 0 && best.unclosed_quotes == 0 {
        format!(
            "no field of the {} sampled records starts with {}: kept (RFC 4180), it reads them \
             as no quoting would",
            best.records,
            quote_name(Some(q))
        )
    } else {
        format!(
            "{} in the {} sampled records",
            enclosures(best),
            best.records
        )
    };
    for r in rivals {
        s.push_str("; ");
        if r.quote.is_none() {
            s.push_str(&format!("read without quoting, {}", split(r)));
        } else {
            s.push_str(&enclosures(r));
            if (r.modal_records, r.modal_fields) != (best.modal_records, best.modal_fields) {
                s.push_str(&format!(" (with it {})", split(r)));
            }
        }
    }
    s
}

#[cfg(test)]
#[path = "quote_detect_tests.rs"]
mod tests;
