//! Golden TYPE_INFO vectors and decoder robustness.

use super::*;

const CP1: [u8; 5] = [0x09, 0x04, 0xD0, 0x00, 52];

fn enc(ti: TypeInfo) -> Vec<u8> {
    let mut buf = BytesMut::new();
    encode_type_info(&ti, &mut buf);
    buf.to_vec()
}

fn golden(ti: TypeInfo, bytes: &[u8]) {
    assert_eq!(enc(ti), bytes, "encoding {ti:?}");
    let mut r = ByteReader::new(bytes);
    assert_eq!(decode_type_info(&mut r), Ok(ti), "decoding {bytes:02X?}");
    assert!(r.is_empty());
}

fn n(ty: SqlType) -> TypeInfo {
    TypeInfo::nullable(ty)
}

fn f(ty: SqlType) -> TypeInfo {
    TypeInfo { ty, fixed: true }
}

#[test]
fn golden_nullable_forms() {
    let c = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
    golden(n(SqlType::TinyInt), &[0x26, 1]);
    golden(n(SqlType::SmallInt), &[0x26, 2]);
    golden(n(SqlType::Int), &[0x26, 4]);
    golden(n(SqlType::BigInt), &[0x26, 8]);
    golden(n(SqlType::Bit), &[0x68, 1]);
    golden(n(SqlType::Real), &[0x6D, 4]);
    golden(n(SqlType::Float), &[0x6D, 8]);
    golden(n(SqlType::SmallMoney), &[0x6E, 4]);
    golden(n(SqlType::Money), &[0x6E, 8]);
    golden(n(SqlType::SmallDateTime), &[0x6F, 4]);
    golden(n(SqlType::DateTime), &[0x6F, 8]);
    golden(n(SqlType::UniqueIdentifier), &[0x24, 16]);
    golden(
        n(SqlType::Decimal {
            precision: 18,
            scale: 4,
        }),
        &[0x6A, 9, 18, 4],
    );
    golden(
        n(SqlType::Decimal {
            precision: 9,
            scale: 0,
        }),
        &[0x6A, 5, 9, 0],
    );
    golden(
        n(SqlType::Numeric {
            precision: 28,
            scale: 2,
        }),
        &[0x6C, 13, 28, 2],
    );
    golden(
        n(SqlType::Numeric {
            precision: 38,
            scale: 38,
        }),
        &[0x6C, 17, 38, 38],
    );
    golden(n(SqlType::Date), &[0x28]);
    golden(n(SqlType::Time { scale: 3 }), &[0x29, 3]);
    golden(n(SqlType::DateTime2 { scale: 7 }), &[0x2A, 7]);
    golden(n(SqlType::DateTimeOffset { scale: 0 }), &[0x2B, 0]);
    let mut v = vec![0xA7, 20, 0];
    v.extend_from_slice(&CP1);
    golden(
        n(SqlType::VarChar {
            len: VarLen::Len(20),
            collation: c,
        }),
        &v,
    );
    let mut v = vec![0xA7, 0xFF, 0xFF];
    v.extend_from_slice(&CP1);
    golden(
        n(SqlType::VarChar {
            len: VarLen::Max,
            collation: c,
        }),
        &v,
    );
    let mut v = vec![0xAF, 0x40, 0x1F];
    v.extend_from_slice(&CP1);
    golden(
        n(SqlType::Char {
            len: 8000,
            collation: c,
        }),
        &v,
    );
    let mut v = vec![0xE7, 100, 0];
    v.extend_from_slice(&CP1);
    golden(
        n(SqlType::NVarChar {
            len: VarLen::Len(50),
            collation: c,
        }),
        &v,
    );
    let mut v = vec![0xE7, 0xFF, 0xFF];
    v.extend_from_slice(&CP1);
    golden(
        n(SqlType::NVarChar {
            len: VarLen::Max,
            collation: c,
        }),
        &v,
    );
    let mut v = vec![0xEF, 0x40, 0x1F];
    v.extend_from_slice(&CP1);
    golden(
        n(SqlType::NChar {
            len: 4000,
            collation: c,
        }),
        &v,
    );
    golden(n(SqlType::Binary { len: 16 }), &[0xAD, 16, 0]);
    golden(
        n(SqlType::VarBinary {
            len: VarLen::Len(8000),
        }),
        &[0xA5, 0x40, 0x1F],
    );
    golden(
        n(SqlType::VarBinary { len: VarLen::Max }),
        &[0xA5, 0xFF, 0xFF],
    );
}

#[test]
fn golden_fixed_forms() {
    golden(f(SqlType::TinyInt), &[0x30]);
    golden(f(SqlType::Bit), &[0x32]);
    golden(f(SqlType::SmallInt), &[0x34]);
    golden(f(SqlType::Int), &[0x38]);
    golden(f(SqlType::SmallDateTime), &[0x3A]);
    golden(f(SqlType::Real), &[0x3B]);
    golden(f(SqlType::Money), &[0x3C]);
    golden(f(SqlType::DateTime), &[0x3D]);
    golden(f(SqlType::Float), &[0x3E]);
    golden(f(SqlType::SmallMoney), &[0x7A]);
    golden(f(SqlType::BigInt), &[0x7F]);
}

#[test]
fn fixed_flag_is_ignored_for_types_without_a_fixed_form() {
    assert_eq!(enc(f(SqlType::Date)), [0x28]);
    assert_eq!(
        enc(f(SqlType::Decimal {
            precision: 5,
            scale: 2
        })),
        [0x6A, 5, 5, 2]
    );
}

#[test]
fn legacy_decimal_bytes_decode_as_decimal() {
    let mut r = ByteReader::new(&[0x37, 9, 18, 2]);
    assert_eq!(
        decode_type_info(&mut r),
        Ok(n(SqlType::Decimal {
            precision: 18,
            scale: 2
        }))
    );
    let mut r = ByteReader::new(&[0x3F, 5, 9, 0]);
    assert_eq!(
        decode_type_info(&mut r),
        Ok(n(SqlType::Numeric {
            precision: 9,
            scale: 0
        }))
    );
}

#[test]
fn unsupported_types_are_named() {
    // text, ntext, image, xml, sql_variant and CLR types are read (token/large_tests.rs).
    for (code, name) in [
        (0x27u8, "legacy varchar"),
        (0x2F, "legacy char"),
        (0xF3, "table-valued parameter"),
    ] {
        let err = decode_type_info(&mut ByteReader::new(&[code, 0, 0, 0, 0])).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("0x{code:02X}")) && msg.contains(name),
            "{msg}"
        );
    }
}

#[test]
fn invalid_parameters_are_malformed() {
    let bad: &[&[u8]] = &[
        &[0x26, 3],
        &[0x68, 2],
        &[0x6D, 2],
        &[0x6E, 2],
        &[0x6F, 2],
        &[0x24, 15],
        &[0x6A, 17, 39, 0],
        &[0x6A, 17, 10, 11],
        &[0x6A, 0, 10, 1],
        &[0x29, 8],
        &[0xAF, 0xFF, 0xFF, 0, 0, 0, 0, 0],
        &[0xEF, 3, 0, 0, 0, 0, 0, 0],
        &[0xA5, 0x41, 0x1F],
    ];
    for b in bad {
        assert!(
            matches!(
                decode_type_info(&mut ByteReader::new(b)),
                Err(DecodeError::Malformed { .. })
            ),
            "{b:02X?}"
        );
    }
}

#[test]
fn truncated_type_info_is_incomplete() {
    let mut full = vec![0xE7, 100, 0];
    full.extend_from_slice(&CP1);
    for cut in 0..full.len() {
        assert_eq!(
            decode_type_info(&mut ByteReader::new(&full[..cut])),
            Err(DecodeError::Incomplete)
        );
    }
}

#[test]
fn decoding_arbitrary_bytes_never_panics() {
    let mut seed = 0x1234_5678_u32;
    for _ in 0..20_000 {
        let mut bytes = [0u8; 9];
        for b in &mut bytes {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (seed >> 16) as u8;
        }
        let _ = decode_type_info(&mut ByteReader::new(&bytes));
    }
    for code in 0..=255u8 {
        for len in [0u8, 1, 2, 4, 8, 16, 0xFF] {
            let _ = decode_type_info(&mut ByteReader::new(&[code, len, len, len, 0, 0, 0, 0]));
        }
    }
}
