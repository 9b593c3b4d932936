//! The element reader over a borrowed byte slice: every element type, and reads past the end.

use super::{Elem, Typed};
use tds::bulk::Cell;

fn typed(elem: Elem, bytes: &[u8]) -> Typed<'_> {
    Typed { elem, bytes }
}

fn show(c: Option<Cell<'_>>) -> String {
    format!("{c:?}")
}

#[test]
fn each_element_type_reads_its_native_endian_value() {
    let cases: [(Elem, Vec<u8>, &str); 10] = [
        (Elem::I8, vec![0, 0xfe], "Some(Int(-2))"),
        (Elem::U8, vec![0, 0xfe], "Some(Int(254))"),
        (
            Elem::I16,
            [0i16, -300].iter().flat_map(|v| v.to_ne_bytes()).collect(),
            "Some(Int(-300))",
        ),
        (
            Elem::U16,
            [0u16, 65000].iter().flat_map(|v| v.to_ne_bytes()).collect(),
            "Some(Int(65000))",
        ),
        (
            Elem::I32,
            [0i32, -7].iter().flat_map(|v| v.to_ne_bytes()).collect(),
            "Some(Int(-7))",
        ),
        (
            Elem::U32,
            [0u32, 4_000_000_000]
                .iter()
                .flat_map(|v| v.to_ne_bytes())
                .collect(),
            "Some(Int(4000000000))",
        ),
        (
            Elem::F32,
            [0f32, 0.5].iter().flat_map(|v| v.to_ne_bytes()).collect(),
            "Some(Float(0.5))",
        ),
        (
            Elem::F64,
            [0f64, -1.25].iter().flat_map(|v| v.to_ne_bytes()).collect(),
            "Some(Float(-1.25))",
        ),
        (
            Elem::I64,
            [0i64, i64::MIN]
                .iter()
                .flat_map(|v| v.to_ne_bytes())
                .collect(),
            "Some(Int(-9223372036854775808))",
        ),
        (
            Elem::U64,
            [0u64, u64::MAX]
                .iter()
                .flat_map(|v| v.to_ne_bytes())
                .collect(),
            "Some(Int128(18446744073709551615))",
        ),
    ];
    for (elem, bytes, want) in cases {
        let t = typed(elem, &bytes);
        assert_eq!(t.len(), 2, "{elem:?}");
        assert_eq!(show(t.cell(1, false)), want, "{elem:?}");
    }
}

#[test]
fn temporal_columns_read_numbers_as_epoch_milliseconds() {
    let bytes: Vec<u8> = [86_400_000i64]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    assert_eq!(
        show(typed(Elem::I64, &bytes).cell(0, true)),
        "Some(DateMs(86400000.0))"
    );
    let bytes = u64::MAX.to_ne_bytes();
    assert_eq!(
        show(typed(Elem::U64, &bytes).cell(0, true)),
        "Some(DateMs(1.8446744073709552e19))"
    );
}

#[test]
fn a_read_past_the_end_is_none_not_a_panic() {
    let bytes = [1u8, 2, 3];
    let t = typed(Elem::I16, &bytes); // one whole element and a stray byte
    assert_eq!(t.len(), 1);
    assert!(t.cell(0, false).is_some());
    assert!(t.cell(1, false).is_none());
    assert!(t.cell(usize::MAX, false).is_none());
    let empty = typed(Elem::F64, &[]);
    assert!(empty.cell(0, false).is_none());
}

#[test]
fn a_null_mask_past_its_end_marks_nothing() {
    let mask = typed(Elem::U8, &[0, 1]);
    assert!(!mask.is_set(0));
    assert!(mask.is_set(1));
    assert!(!mask.is_set(2));
}

#[test]
fn only_a_uint8_array_gives_bytes() {
    assert_eq!(typed(Elem::U8, &[1, 2]).uint8(), Some(&[1u8, 2][..]));
    assert_eq!(typed(Elem::I8, &[1, 2]).uint8(), None);
    assert_eq!(typed(Elem::U16, &[1, 2]).uint8(), None);
}
