//! LOGIN7 as the test server receives it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::login7::Login7;

fuzz_target!(|data: &[u8]| {
    let _ = Login7::decode(data);
});
