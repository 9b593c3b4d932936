//! Column names: a valid, unique SQL Server identifier proposed beside each header name.
//!
//! The proposal is a regular identifier (SQL Server "Database Identifiers": a letter or `_`
//! first, then letters, digits, `_`, `@`, `$`, `#`), so it can be typed without brackets:
//! - surrounding spaces are dropped, runs of other characters become one `_`, leading and
//!   trailing `_` produced that way are dropped;
//! - a name that starts with a digit gets a `_` in front (`2024_sales` → `_2024_sales`); `@`
//!   and `#` are never first (they mean variables and temporary tables);
//! - a blank name becomes `columnN` (N the 1-based position);
//! - names are cut to 128 UTF-16 code units (`sysname`), leaving room for a suffix;
//! - duplicates, compared case-insensitively as a default collation does, get `_2`, `_3` …
//!
//! Letters include non-ASCII letters (`Straße`, `名前`), which SQL Server accepts. Reserved
//! words (`order`, `select`) are not changed: Sluice always writes names in brackets.

/// SQL Server's limit on identifier length, in UTF-16 code units.
pub const MAX_IDENTIFIER_UNITS: usize = 128;

/// One proposed identifier per header name (in order).
pub fn propose_names<S: AsRef<str>>(headers: &[S]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::with_capacity(headers.len());
    let mut out = Vec::with_capacity(headers.len());
    for (i, header) in headers.iter().enumerate() {
        let base = identifier_from(header.as_ref()).unwrap_or_else(|| format!("column{}", i + 1));
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name.to_lowercase()) {
            n += 1;
            let suffix = format!("_{n}");
            name = format!(
                "{}{suffix}",
                cut_units(&base, MAX_IDENTIFIER_UNITS - suffix.len())
            );
        }
        taken.push(name.to_lowercase());
        out.push(name);
    }
    out
}

/// Names for a file without a header: `column1`, `column2` …
pub fn default_names(count: usize) -> Vec<String> {
    (1..=count).map(|i| format!("column{i}")).collect()
}

fn identifier_from(header: &str) -> Option<String> {
    let mut out = String::with_capacity(header.len());
    let mut pending_underscore = false;
    for c in header.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '@' | '$' | '#') {
            if pending_underscore && !out.is_empty() {
                out.push('_');
            }
            pending_underscore = false;
            out.push(c);
        } else {
            pending_underscore = true;
        }
    }
    let trimmed = out.trim_start_matches(['@', '#', '$']);
    let first = trimmed.chars().next()?;
    let name = if first.is_numeric() {
        format!("_{trimmed}")
    } else {
        trimmed.to_string()
    };
    Some(cut_units(&name, MAX_IDENTIFIER_UNITS).to_string())
}

/// The longest prefix of `s` of at most `units` UTF-16 code units.
fn cut_units(s: &str, units: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > units {
            return s.get(..i).unwrap_or_default();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_kept_and_others_made_valid() {
        let names = propose_names(&[
            "id",
            "  Customer Name  ",
            "unit-price ($)",
            "2024 sales",
            "@var",
            "Straße",
            "名前",
        ]);
        assert_eq!(
            names,
            [
                "id",
                "Customer_Name",
                "unit_price_$",
                "_2024_sales",
                "var",
                "Straße",
                "名前"
            ]
        );
    }

    #[test]
    fn blank_and_symbol_only_names_get_their_position() {
        assert_eq!(
            propose_names(&["a", "", "  ", "%%"]),
            ["a", "column2", "column3", "column4"]
        );
    }

    #[test]
    fn duplicates_get_numbered_case_insensitively() {
        assert_eq!(
            propose_names(&["Name", "name", "NAME", "name_2"]),
            ["Name", "name_2", "NAME_3", "name_2_2"]
        );
    }

    #[test]
    fn long_names_are_cut_to_128_units_even_with_a_suffix() {
        let long = "x".repeat(300);
        let names = propose_names(&[long.as_str(), long.as_str()]);
        assert_eq!(names[0].len(), 128);
        assert_eq!(names[1].len(), 128);
        assert!(names[1].ends_with("_2"));
        // U+1D49C is a letter that takes two UTF-16 units: 100 of them are cut to 64.
        let wide = "\u{1D49C}".repeat(100);
        let names = propose_names(&[wide.as_str()]);
        assert_eq!(names[0].encode_utf16().count(), 128);
    }

    #[test]
    fn files_without_a_header_get_column_numbers() {
        assert_eq!(default_names(3), ["column1", "column2", "column3"]);
    }
}
