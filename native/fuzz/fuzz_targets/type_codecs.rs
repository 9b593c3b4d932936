//! TYPE_INFO and row values: whatever decodes must re-encode to bytes that decode to the same
//! value (the server's storage and the client's results both rely on this round trip).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::reader::ByteReader;
use tds::type_info::{decode_type_info, encode_type_info};
use tds::value::decode::decode_value;
use tds::value::encode::encode_value;

fuzz_target!(|data: &[u8]| {
    let mut r = ByteReader::new(data);
    let Ok(ti) = decode_type_info(&mut r) else { return };
    let mut b = bytes::BytesMut::new();
    encode_type_info(&ti, &mut b);
    let again = decode_type_info(&mut ByteReader::new(&b)).expect("own TYPE_INFO decodes");
    assert_eq!(again.ty, ti.ty);
    let Ok(v) = decode_value(&ti, &mut r) else { return };
    let mut out = bytes::BytesMut::new();
    if encode_value(&ti, &v, &mut out).is_ok() {
        let back = decode_value(&ti, &mut ByteReader::new(&out)).expect("own value decodes");
        // NaN never equals itself; compare the bytes of a second encoding instead.
        let mut out2 = bytes::BytesMut::new();
        encode_value(&ti, &back, &mut out2).expect("re-encodes");
        assert_eq!(out, out2);
    }
});
