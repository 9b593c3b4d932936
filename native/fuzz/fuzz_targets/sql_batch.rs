//! SQL batch requests (ALL_HEADERS + UTF-16 text) as the test server receives them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tds::sql_batch::decode_sql_batch(data);
});
