//! A bulk-load message as the test server receives it: COLMETADATA, then ROW tokens decoded
//! against it, then DONE — split at a fuzzer-chosen point, as packets split it, and decoded
//! incrementally exactly as the server does (Incomplete → wait for more bytes).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::token::{Token, TokenDecoder};
use tds::DecodeError;

fuzz_target!(|data: &[u8]| {
    let Some((&split, data)) = data.split_first() else { return };
    let split = (split as usize * data.len()) / 256;
    let mut d = TokenDecoder::new();
    let mut buf: Vec<u8> = data[..split].to_vec();
    let mut rest = &data[split..];
    let mut rows = 0usize;
    loop {
        match d.decode(&buf) {
            Ok((tok, n)) => {
                assert!(n > 0 && n <= buf.len());
                if let Token::Row(values) = &tok {
                    let cols = d.columns().map(|c| c.len()).unwrap_or(0);
                    assert_eq!(values.len(), cols);
                    rows += 1;
                }
                buf.drain(..n);
            }
            Err(DecodeError::Incomplete) if !rest.is_empty() => {
                buf.extend_from_slice(rest);
                rest = &[];
            }
            Err(_) => break,
        }
        if rows > 100_000 {
            break;
        }
    }
});
