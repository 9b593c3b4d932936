//! PRELOGIN, as either side receives it: decoding never panics, and what decodes re-encodes to
//! something that decodes to the same message.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::prelogin::PreLogin;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = PreLogin::decode(data) {
        let mut b = bytes::BytesMut::new();
        p.encode(&mut b);
        assert_eq!(PreLogin::decode(&b).expect("re-decodes"), p);
    }
});
