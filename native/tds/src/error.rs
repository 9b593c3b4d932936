//! Errors raised while decoding bytes that came from the network.

/// Why a decoder could not produce a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The buffer ends before the item does; call again with more bytes.
    #[error("incomplete: more bytes are needed")]
    Incomplete,
    /// The bytes cannot be what the protocol allows here.
    #[error("malformed {what}: {detail}")]
    Malformed { what: &'static str, detail: String },
}

impl DecodeError {
    pub fn malformed(what: &'static str, detail: impl Into<String>) -> Self {
        DecodeError::Malformed {
            what,
            detail: detail.into(),
        }
    }
}

pub type DecodeResult<T> = Result<T, DecodeError>;
