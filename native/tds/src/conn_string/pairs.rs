//! Splits a connection string into `key=value` pairs, undoing the quoting.
//!
//! Quoting as SqlClient's `DbConnectionStringBuilder` reads it (`"…"` and `'…'`, the quote doubled
//! inside) plus ODBC braces (`{…}`, `}}` inside), because people paste ODBC strings too.
//! Positions in errors are byte offsets; no error quotes the input, which may hold a password.

use std::iter::Peekable;
use std::str::CharIndices;

use super::ConnStringError;

pub(super) struct RawPair {
    /// Trimmed, case preserved.
    pub key: String,
    /// Unquoted and unescaped; trimmed when it was not quoted.
    pub value: String,
    pub quoted: bool,
}

pub(super) struct PairReader<'a> {
    chars: Peekable<CharIndices<'a>>,
}

fn malformed(position: usize, reason: &'static str) -> ConnStringError {
    ConnStringError::Malformed { position, reason }
}

impl<'a> PairReader<'a> {
    pub fn new(s: &'a str) -> Self {
        PairReader {
            chars: s.char_indices().peekable(),
        }
    }

    /// The next pair, or `None` once only separators and whitespace remain.
    pub fn next_pair(&mut self) -> Result<Option<RawPair>, ConnStringError> {
        self.skip_while(|c| c == ';' || c.is_whitespace());
        let Some(&(start, _)) = self.chars.peek() else {
            return Ok(None);
        };
        let mut key = String::new();
        let equals_at = loop {
            match self.chars.next() {
                Some((at, '=')) => break at,
                Some((_, ';')) | None => return Err(malformed(start, "missing '=' after key")),
                Some((_, c)) => key.push(c),
            }
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(malformed(equals_at, "empty key before '='"));
        }
        let key = key.to_owned();

        self.skip_while(char::is_whitespace);
        let (value, quoted) = match self.chars.peek().copied() {
            Some((open_at, quote @ ('"' | '\''))) => (self.quoted(open_at, quote, quote)?, true),
            Some((open_at, '{')) => (self.quoted(open_at, '{', '}')?, true),
            _ => {
                let mut value = String::new();
                while let Some((_, c)) = self.chars.next_if(|&(_, c)| c != ';') {
                    value.push(c);
                }
                (value.trim_end().to_owned(), false)
            }
        };
        Ok(Some(RawPair { key, value, quoted }))
    }

    /// Reads `open … close` where a doubled `close` stands for itself, then expects `;` or the end.
    fn quoted(
        &mut self,
        open_at: usize,
        open: char,
        close: char,
    ) -> Result<String, ConnStringError> {
        let _ = self.chars.next_if(|&(_, c)| c == open);
        let mut value = String::new();
        loop {
            match self.chars.next() {
                None => return Err(malformed(open_at, "unterminated quoted value")),
                Some((_, c)) if c == close => {
                    if self.chars.next_if(|&(_, c)| c == close).is_none() {
                        break;
                    }
                    value.push(close);
                }
                Some((_, c)) => value.push(c),
            }
        }
        self.skip_while(char::is_whitespace);
        match self.chars.next() {
            None | Some((_, ';')) => Ok(value),
            Some((at, _)) => Err(malformed(
                at,
                "unexpected text after a quoted value; expected ';'",
            )),
        }
    }

    fn skip_while(&mut self, skip: impl Fn(char) -> bool) {
        while self.chars.next_if(|&(_, c)| skip(c)).is_some() {}
    }
}
