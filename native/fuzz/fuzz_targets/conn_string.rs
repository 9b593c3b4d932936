//! Connection strings as users paste them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tds::conn_string::parse_bytes(data);
});
