//! The token stream a client receives: decode tokens until the input ends or is rejected.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::token::TokenDecoder;

fuzz_target!(|data: &[u8]| {
    let mut d = TokenDecoder::new();
    let mut at = 0;
    while at < data.len() {
        match d.decode(&data[at..]) {
            Ok((_, n)) => {
                assert!(n > 0, "a token must consume bytes");
                at += n;
            }
            Err(_) => break,
        }
    }
});
