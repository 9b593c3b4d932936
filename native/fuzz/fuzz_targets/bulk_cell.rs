//! The bulk encoder's hot path on hostile input: arbitrary text, numbers and bytes into every
//! column type. Nothing may panic; whatever encodes must decode as that column's value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tds::bulk::{encode_cell, BulkColumn, Cell};
use tds::collation::Collation;
use tds::reader::ByteReader;
use tds::types::{SqlType, TypeInfo, VarLen};
use tds::value::decode::decode_value;

fn column(sel: u8, p: u8) -> SqlType {
    let c = if p & 1 == 0 { Collation::SQL_LATIN1_GENERAL_CP1_CI_AS } else { Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8 };
    let len = 1 + (p as u16 % 40);
    let scale = p % 8;
    match sel % 24 {
        0 => SqlType::Bit,
        1 => SqlType::TinyInt,
        2 => SqlType::SmallInt,
        3 => SqlType::Int,
        4 => SqlType::BigInt,
        5 => SqlType::Real,
        6 => SqlType::Float,
        7 => SqlType::Decimal { precision: 1 + p % 38, scale: (p % 38).min(1 + p % 38) / 2 },
        8 => SqlType::Money,
        9 => SqlType::SmallMoney,
        10 => SqlType::Date,
        11 => SqlType::Time { scale },
        12 => SqlType::DateTime,
        13 => SqlType::SmallDateTime,
        14 => SqlType::DateTime2 { scale },
        15 => SqlType::DateTimeOffset { scale },
        16 => SqlType::UniqueIdentifier,
        17 => SqlType::Char { len, collation: c },
        18 => SqlType::VarChar { len: if p > 200 { VarLen::Max } else { VarLen::Len(len) }, collation: c },
        19 => SqlType::NChar { len, collation: c },
        20 => SqlType::NVarChar { len: if p > 200 { VarLen::Max } else { VarLen::Len(len) }, collation: c },
        21 => SqlType::Binary { len },
        22 => SqlType::VarBinary { len: if p > 200 { VarLen::Max } else { VarLen::Len(len) } },
        _ => SqlType::Numeric { precision: 38, scale: 38 },
    }
}

fuzz_target!(|data: &[u8]| {
    let [sel, p, kind, rest @ ..] = data else { return };
    let ty = column(*sel, *p);
    let col = BulkColumn { name: "c".into(), ty, nullable: kind & 0x80 != 0, null_takes_default: kind & 0x40 != 0, identity: false, computed: false, collation_name: None };
    let num = |b: &[u8]| {
        let mut a = [0u8; 8];
        let n = b.len().min(8);
        a[..n].copy_from_slice(&b[..n]);
        a
    };
    let utf16: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    let text = String::from_utf8_lossy(rest);
    let page = [encoding_rs::WINDOWS_1252, encoding_rs::WINDOWS_1253, encoding_rs::SHIFT_JIS][usize::from(*p % 3)];
    let cell = match kind % 10 {
        0 => Cell::Null,
        1 => Cell::Bool(rest.first().is_some_and(|b| b & 1 == 1)),
        2 => Cell::Int(i64::from_le_bytes(num(rest))),
        3 => Cell::Float(f64::from_le_bytes(num(rest))),
        4 => Cell::Text(&text),
        5 => Cell::Utf16(&utf16),
        6 => Cell::Bytes(rest),
        7 => Cell::DateMs(f64::from_le_bytes(num(rest))),
        8 => Cell::CodePage { bytes: rest, encoding: page },
        _ => Cell::Int128(i64::from_le_bytes(num(rest)) as i128 * 1_000_000_007),
    };
    let mut buf = bytes::BytesMut::new();
    let encoded = encode_cell(&col, cell, &mut buf);
    if let Cell::CodePage { bytes, encoding } = cell {
        // Code-page bytes encode exactly as their decoded text does, and are refused when
        // they are no text of the page.
        let got = encoded.as_ref().map(|_| buf.to_vec()).map_err(|e| e.reason.clone());
        match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => {
                let mut as_text = bytes::BytesMut::new();
                let want = encode_cell(&col, Cell::Text(&text), &mut as_text)
                    .map(|_| as_text.to_vec())
                    .map_err(|e| e.reason);
                assert_eq!(got, want);
            }
            None => assert!(got.is_err(), "bytes that are no text of the page are refused"),
        }
    }
    if encoded.is_ok() {
        let ti = TypeInfo::nullable(ty);
        let mut r = ByteReader::new(&buf);
        decode_value(&ti, &mut r).expect("what the encoder writes decodes");
        assert!(r.is_empty(), "the encoder wrote exactly one value");
    } else {
        assert!(buf.is_empty(), "a refused cell writes nothing");
    }
});

