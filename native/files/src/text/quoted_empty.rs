//! Which empty fields were written as `""`. csv-core hands out `""` and nothing alike, but
//! exports use the difference to tell an empty string from NULL (PostgreSQL's `COPY … CSV`,
//! for one), so the reader reports `""` as empty text and nothing as an empty field.

use super::options::{Dialect, EscapeStyle};

/// Appends to `found` the indices of the fields of `raw` (one record, as parsed) that start
/// with the quote character and are empty once unquoted (`is_empty(i)`). Only called for a
/// record that holds quotes and an empty field, so the common record pays nothing.
pub(crate) fn find_quoted_empty(
    raw: &[u8],
    dialect: &Dialect,
    is_empty: impl Fn(usize) -> bool,
    found: &mut Vec<usize>,
) {
    found.clear();
    let Some(quote) = dialect.quote else {
        return;
    };
    let backslash = dialect.escape == EscapeStyle::Backslash;
    let mut i = 0;
    let mut field = 0;
    loop {
        if raw.get(i) == Some(&quote) {
            if is_empty(field) {
                found.push(field);
            }
            // To the closing quote (csv-core: a doubled quote or, with backslash escaping, any
            // escaped byte stays inside).
            i += 1;
            while let Some(&b) = raw.get(i) {
                if backslash && b == b'\\' {
                    i += 2;
                } else if b == quote {
                    if raw.get(i + 1) == Some(&quote) {
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        }
        // After the quoted part (or in an unquoted field) quotes are data up to the delimiter.
        match raw
            .get(i..)
            .and_then(|rest| memchr::memchr(dialect.delimiter, rest))
        {
            Some(at) => {
                i += at + 1;
                field += 1;
            }
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(raw: &[u8], empties: &[usize]) -> Vec<usize> {
        let mut found = Vec::new();
        find_quoted_empty(
            raw,
            &Dialect::default(),
            |i| empties.contains(&i),
            &mut found,
        );
        found
    }

    #[test]
    fn doubled_quote_empty_fields_are_found_and_bare_empty_ones_are_not() {
        assert_eq!(find(b"a,\"\",,\"\"", &[1, 2, 3]), vec![1, 3]);
    }

    #[test]
    fn quoted_delimiters_and_doubled_quotes_do_not_shift_the_field_count() {
        assert_eq!(find(b"\"x,\"\"y\"\"\",\"\"", &[1]), vec![1]);
        assert_eq!(find(b"\"\"\"\",\"\"", &[1]), vec![1]);
    }
}
