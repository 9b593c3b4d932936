//! SQL Browser (SSRP) datagrams, as the client and the test server receive them: decoding never
//! panics, and a response that decodes re-encodes to one that decodes to the same instances.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::ssrp::{decode_request, decode_response, encode_response, SsrpEncodeError};

fuzz_target!(|data: &[u8]| {
    let _ = decode_request(data);
    if let Ok(instances) = decode_response(data) {
        let mut again = Vec::new();
        // Decoded fields never hold ';' and the required ones are never empty, so the only
        // refusal left is a list that re-encodes past 65,535 bytes (IsClustered is always written).
        match encode_response(&instances, &mut again) {
            Ok(()) => {}
            Err(SsrpEncodeError::TooLong { .. }) => return,
            Err(e) => panic!("a decoded response does not re-encode: {e}"),
        }
        assert_eq!(decode_response(&again).expect("re-decodes"), instances);
    }
});
