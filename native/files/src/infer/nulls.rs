//! Which values mean NULL.

/// The NULL policy of a column: the tokens that mean NULL, and whether an empty field is NULL or
/// an empty string.
///
/// Tokens match exactly (case and all): `NA` is NULL but `na` or `Na` (sodium) is not, so no
/// value is turned into NULL that the user did not list. The defaults are `NULL`, `NA`, `N/A`
/// and `\N` (MySQL's and PostgreSQL's dump marker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NullPolicy {
    tokens: Vec<String>,
    /// Bit `n` set when some token is `n` bytes long: most values are rejected by one test.
    token_lengths: u64,
    /// An empty field is NULL (the default); when false it is an empty string, which only a
    /// character column can hold.
    pub empty_is_null: bool,
}

/// The default NULL tokens.
pub const DEFAULT_NULL_TOKENS: [&str; 4] = ["NULL", "NA", "N/A", "\\N"];

impl Default for NullPolicy {
    fn default() -> Self {
        NullPolicy::new(DEFAULT_NULL_TOKENS.iter().map(|t| t.to_string()), true)
    }
}

impl NullPolicy {
    /// A policy with these tokens (an empty token is ignored: emptiness is `empty_is_null`).
    pub fn new(tokens: impl IntoIterator<Item = String>, empty_is_null: bool) -> Self {
        let tokens: Vec<String> = tokens.into_iter().filter(|t| !t.is_empty()).collect();
        let token_lengths = tokens
            .iter()
            .filter(|t| t.len() < 64)
            .fold(0u64, |mask, t| mask | (1 << t.len()));
        NullPolicy {
            tokens,
            token_lengths,
            empty_is_null,
        }
    }

    /// The tokens that mean NULL.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// True when the non-empty text `s` is a NULL token.
    #[inline]
    pub fn is_token(&self, s: &str) -> bool {
        let len = s.len();
        if len < 64 && self.token_lengths & (1 << len) == 0 {
            return false;
        }
        self.tokens.iter().any(|t| t == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_tokens_match_exactly() {
        let p = NullPolicy::default();
        for s in ["NULL", "NA", "N/A", "\\N"] {
            assert!(p.is_token(s), "{s}");
        }
        for s in ["null", "na", "Na", "N/A ", "NONE", "0", ""] {
            assert!(!p.is_token(s), "{s}");
        }
        assert!(p.empty_is_null);
    }

    #[test]
    fn custom_tokens_replace_the_defaults_and_long_tokens_work() {
        let long = "x".repeat(80);
        let p = NullPolicy::new(["-".to_string(), long.clone(), String::new()], false);
        assert!(p.is_token("-"));
        assert!(p.is_token(&long));
        assert!(!p.is_token("NULL"));
        assert_eq!(p.tokens().len(), 2);
        assert!(!p.empty_is_null);
    }
}
