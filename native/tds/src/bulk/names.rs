//! Identifiers in the `INSERT BULK` statement: quoting, and reading a user's table name such as
//! `dbo.sales` or `[my.db].[dbo].[t]` into its parts.

/// The longest identifier SQL Server accepts (`sysname` is nvarchar(128)).
const MAX_IDENTIFIER_CHARS: usize = 128;

/// `name` as a delimited identifier: always bracketed, a `]` doubled (`a]b` → `[a]]b]`).
pub fn quote_identifier(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('[');
    for c in name.chars() {
        if c == ']' {
            out.push(']');
        }
        out.push(c);
    }
    out.push(']');
    out
}

/// The parts of a multipart name joined with dots, each bracketed; an empty middle part stays
/// empty (`["db", "", "t"]` → `[db]..[t]`).
pub fn quote_multipart(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| {
            if p.is_empty() {
                String::new()
            } else {
                quote_identifier(p)
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Reads `[[[server.]database.]schema.]table` into its 1 to 4 parts, unquoted.
///
/// A part is a regular identifier (`sales`, `#tmp`), or delimited by brackets (`[my.db]`, with
/// `]]` for `]`) or double quotes (`"x"`, with `""` for `"`). Spaces around parts are ignored. A
/// middle part may be empty, as in `db..t` (default schema); the first and last may not.
pub fn parse_multipart_name(s: &str) -> Result<Vec<String>, String> {
    if s.trim().is_empty() {
        return Err("the table name is empty".into());
    }
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        let (part, after) = read_part(rest, s)?;
        parts.push(part);
        let after = after.trim_start();
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => break,
            None => {
                return Err(format!(
                    "unexpected {:?} in table name {s:?}; expected '.' between parts",
                    after.chars().next().unwrap_or(' ')
                ))
            }
        }
        if parts.len() == 4 {
            return Err(format!(
                "table name {s:?} has more than 4 parts (server.database.schema.table)"
            ));
        }
    }
    if parts.first().is_some_and(String::is_empty) {
        return Err(format!("table name {s:?} starts with '.'"));
    }
    if parts.last().is_some_and(String::is_empty) {
        return Err(format!("table name {s:?} has no table after the last '.'"));
    }
    Ok(parts)
}

/// One part at the start of `rest`, and what follows it.
fn read_part<'a>(rest: &'a str, whole: &str) -> Result<(String, &'a str), String> {
    let (part, after) = match rest.chars().next() {
        Some('[') => read_delimited(&rest[1..], ']', whole)?,
        Some('"') => read_delimited(&rest[1..], '"', whole)?,
        _ => {
            let end = rest.find('.').unwrap_or(rest.len());
            let (raw, after) = rest.split_at(end);
            let part = raw.trim_end();
            if let Some(c) = part
                .chars()
                .find(|c| c.is_whitespace() || matches!(c, '[' | ']' | '"'))
            {
                let hint = if c.is_whitespace() {
                    format!("; put it in brackets: {}", quote_identifier(part))
                } else {
                    String::new()
                };
                return Err(format!(
                    "table name {whole:?}: the part {part:?} contains {c:?}{hint}"
                ));
            }
            return check_len(part.to_string(), whole).map(|p| (p, after));
        }
    };
    if part.is_empty() {
        return Err(format!(
            "table name {whole:?} has an empty delimited identifier"
        ));
    }
    check_len(part, whole).map(|p| (p, after))
}

/// A delimited identifier whose opening delimiter was just read: up to the closing one, which
/// is doubled inside.
fn read_delimited<'a>(s: &'a str, close: char, whole: &str) -> Result<(String, &'a str), String> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != close {
            out.push(c);
            continue;
        }
        let after = &s[i + c.len_utf8()..];
        if after.starts_with(close) {
            out.push(close);
            chars.next();
        } else {
            return Ok((out, after));
        }
    }
    Err(format!("table name {whole:?} has no closing {close:?}"))
}

fn check_len(part: String, whole: &str) -> Result<String, String> {
    if part.chars().count() > MAX_IDENTIFIER_CHARS {
        return Err(format!(
            "table name {whole:?}: a part is longer than {MAX_IDENTIFIER_CHARS} characters"
        ));
    }
    Ok(part)
}
