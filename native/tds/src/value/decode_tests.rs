//! Golden byte vectors for row values: each is encoded and decoded, so they pin both
//! directions. Helpers here are shared with the encoder's tests.

use crate::collation::Collation;
use crate::error::DecodeError;
use crate::reader::ByteReader;
use crate::types::{SqlType, TypeInfo, VarLen};
use crate::value::decode::decode_value;
use crate::value::encode::encode_value;
use crate::value::{Date, Decimal, Time, Value};
use bytes::BytesMut;

pub(crate) const CP1: Collation = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
pub(crate) const UTF8: Collation = Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8;

pub(crate) fn n(ty: SqlType) -> TypeInfo {
    TypeInfo::nullable(ty)
}

pub(crate) fn f(ty: SqlType) -> TypeInfo {
    TypeInfo { ty, fixed: true }
}

pub(crate) fn dec(mantissa: i128, scale: u8) -> Value {
    Value::Decimal(Decimal { mantissa, scale })
}

pub(crate) fn enc(ti: TypeInfo, v: &Value) -> Vec<u8> {
    let mut buf = BytesMut::new();
    encode_value(&ti, v, &mut buf).unwrap_or_else(|e| panic!("{ti:?} {v:?}: {e}"));
    buf.to_vec()
}

pub(crate) fn dec_all(ti: TypeInfo, bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut r = ByteReader::new(bytes);
    let v = decode_value(&ti, &mut r)?;
    assert!(r.is_empty(), "{ti:?} left {} bytes", r.remaining());
    Ok(v)
}

/// Encoding `v` gives `bytes`, and decoding `bytes` gives `v` back.
pub(crate) fn golden(ti: TypeInfo, v: Value, bytes: &[u8]) {
    assert_eq!(enc(ti, &v), bytes, "encoding {v:?} as {ti:?}");
    assert_eq!(dec_all(ti, bytes), Ok(v), "decoding {bytes:02X?} as {ti:?}");
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> Date {
    Date(crate::value::text::temporal::days_from_civil(y, m, d).unwrap())
}

#[test]
fn golden_integers_and_bit() {
    golden(n(SqlType::Int), Value::Int(1), &[0x04, 1, 0, 0, 0]);
    golden(f(SqlType::Int), Value::Int(1), &[1, 0, 0, 0]);
    golden(n(SqlType::TinyInt), Value::TinyInt(255), &[1, 0xFF]);
    golden(f(SqlType::TinyInt), Value::TinyInt(7), &[7]);
    golden(n(SqlType::SmallInt), Value::SmallInt(-2), &[2, 0xFE, 0xFF]);
    golden(
        n(SqlType::BigInt),
        Value::BigInt(i64::MIN),
        &[8, 0, 0, 0, 0, 0, 0, 0, 0x80],
    );
    golden(f(SqlType::BigInt), Value::BigInt(-1), &[0xFF; 8]);
    golden(n(SqlType::Bit), Value::Bit(true), &[1, 1]);
    golden(f(SqlType::Bit), Value::Bit(false), &[0]);
    golden(n(SqlType::Int), Value::Null, &[0]);
    golden(n(SqlType::Bit), Value::Null, &[0]);
}

#[test]
fn golden_floats_and_money() {
    golden(n(SqlType::Real), Value::Real(1.5), &[4, 0, 0, 0xC0, 0x3F]);
    golden(f(SqlType::Real), Value::Real(1.5), &[0, 0, 0xC0, 0x3F]);
    golden(
        n(SqlType::Float),
        Value::Float(1.0),
        &[8, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F],
    );
    // money: 1.0 is 10000 = 0x2710 as int64, high 4 bytes first, then the low 4.
    golden(
        n(SqlType::Money),
        Value::Money(10_000),
        &[8, 0, 0, 0, 0, 0x10, 0x27, 0, 0],
    );
    golden(
        f(SqlType::Money),
        Value::Money(-10_000),
        &[0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0xD8, 0xFF, 0xFF],
    );
    golden(
        n(SqlType::Money),
        Value::Money(0x1_0000_0002),
        &[8, 1, 0, 0, 0, 2, 0, 0, 0],
    );
    golden(
        n(SqlType::SmallMoney),
        Value::Money(10_000),
        &[4, 0x10, 0x27, 0, 0],
    );
    golden(f(SqlType::SmallMoney), Value::Money(-1), &[0xFF; 4]);
    golden(n(SqlType::Money), Value::Null, &[0]);
}

#[test]
fn golden_decimals() {
    let d18_4 = n(SqlType::Decimal {
        precision: 18,
        scale: 4,
    });
    golden(
        d18_4,
        dec(123_456, 4),
        &[0x09, 0x01, 0x40, 0xE2, 0x01, 0, 0, 0, 0, 0],
    );
    golden(
        n(SqlType::Numeric {
            precision: 5,
            scale: 2,
        }),
        dec(-150, 2),
        &[5, 0, 150, 0, 0, 0],
    );
    let max = 10i128.pow(38) - 1;
    let mut bytes = vec![17, 1];
    bytes.extend_from_slice(&max.to_le_bytes()[..16]);
    assert_eq!(
        &bytes[2..],
        [
            0xFF, 0xFF, 0xFF, 0xFF, 0x3F, 0x22, 0x8A, 0x09, 0x7A, 0xC4, 0x86, 0x5A, 0xA8, 0x4C,
            0x3B, 0x4B
        ]
    );
    golden(
        n(SqlType::Decimal {
            precision: 38,
            scale: 0,
        }),
        dec(max, 0),
        &bytes,
    );
    bytes[1] = 0;
    golden(
        n(SqlType::Decimal {
            precision: 38,
            scale: 0,
        }),
        dec(-max, 0),
        &bytes,
    );
    golden(d18_4, Value::Null, &[0]);
}

#[test]
fn golden_dates_and_times() {
    golden(n(SqlType::Date), Value::Date(Date(0)), &[3, 0, 0, 0]);
    golden(
        n(SqlType::Date),
        Value::Date(date(2024, 1, 1)),
        &[3, 0x45, 0x46, 0x0B],
    );
    golden(
        n(SqlType::Time { scale: 7 }),
        Value::Time(Time {
            units: 10_000_000,
            scale: 7,
        }),
        &[5, 0x80, 0x96, 0x98, 0, 0],
    );
    golden(
        n(SqlType::Time { scale: 0 }),
        Value::Time(Time {
            units: 86_399,
            scale: 0,
        }),
        &[3, 0x7F, 0x51, 0x01],
    );
    golden(
        n(SqlType::Time { scale: 3 }),
        Value::Time(Time { units: 1, scale: 3 }),
        &[4, 1, 0, 0, 0],
    );
    let last = Value::DateTime2 {
        date: date(9999, 12, 31),
        time: Time {
            units: 863_999_999_999,
            scale: 7,
        },
    };
    golden(
        n(SqlType::DateTime2 { scale: 7 }),
        last,
        &[8, 0xFF, 0xBF, 0x69, 0x2A, 0xC9, 0xDA, 0xB9, 0x37],
    );
    // 2024-01-01 01:00:00 +02:00 is stored as UTC 2023-12-31 23:00:00 and offset 120.
    let dto = Value::DateTimeOffset {
        date: date(2023, 12, 31),
        time: Time {
            units: 82_800,
            scale: 0,
        },
        offset_minutes: 120,
    };
    golden(
        n(SqlType::DateTimeOffset { scale: 0 }),
        dto,
        &[8, 0x70, 0x43, 0x01, 0x44, 0x46, 0x0B, 0x78, 0x00],
    );
    // datetime 1900-01-01 00:00:00.003: day 0, tick 1.
    golden(
        n(SqlType::DateTime),
        Value::DateTime { days: 0, ticks: 1 },
        &[8, 0, 0, 0, 0, 1, 0, 0, 0],
    );
    golden(
        f(SqlType::DateTime),
        Value::DateTime { days: -1, ticks: 0 },
        &[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0],
    );
    golden(
        n(SqlType::SmallDateTime),
        Value::SmallDateTime {
            days: 1,
            minutes: 1,
        },
        &[4, 1, 0, 1, 0],
    );
    golden(
        f(SqlType::SmallDateTime),
        Value::SmallDateTime {
            days: 65_535,
            minutes: 0,
        },
        &[0xFF, 0xFF, 0, 0],
    );
    golden(n(SqlType::DateTime2 { scale: 3 }), Value::Null, &[0]);
}

#[test]
fn golden_guid_strings_and_binary() {
    let guid = [
        0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64,
        0xFF,
    ];
    let wire = [
        16, 0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9,
        0x64, 0xFF,
    ];
    golden(n(SqlType::UniqueIdentifier), Value::Guid(guid), &wire);
    golden(n(SqlType::UniqueIdentifier), Value::Null, &[0]);

    let nv = n(SqlType::NVarChar {
        len: VarLen::Len(10),
        collation: CP1,
    });
    golden(nv, Value::String("hi".into()), &[4, 0, b'h', 0, b'i', 0]);
    golden(nv, Value::Null, &[0xFF, 0xFF]);
    golden(
        n(SqlType::NChar {
            len: 2,
            collation: CP1,
        }),
        Value::String("é".into()),
        &[2, 0, 0xE9, 0],
    );
    let vc = n(SqlType::VarChar {
        len: VarLen::Len(10),
        collation: CP1,
    });
    golden(
        vc,
        Value::String("café".into()),
        &[4, 0, b'c', b'a', b'f', 0xE9],
    );
    golden(vc, Value::String(String::new()), &[0, 0]);
    golden(vc, Value::Null, &[0xFF, 0xFF]);
    let utf8 = n(SqlType::Char {
        len: 2,
        collation: UTF8,
    });
    golden(utf8, Value::String("é".into()), &[2, 0, 0xC3, 0xA9]);
    let greek = Collation {
        info: 0x0408,
        sort_id: 0,
    };
    golden(
        n(SqlType::VarChar {
            len: VarLen::Len(2),
            collation: greek,
        }),
        Value::String("Ωμ".into()),
        &[2, 0, 0xD9, 0xEC],
    );
    golden(
        n(SqlType::VarBinary {
            len: VarLen::Len(4),
        }),
        Value::Binary(vec![1, 2]),
        &[2, 0, 1, 2],
    );
    golden(n(SqlType::Binary { len: 2 }), Value::Null, &[0xFF, 0xFF]);
}

#[test]
fn golden_plp() {
    let vmax = n(SqlType::VarChar {
        len: VarLen::Max,
        collation: CP1,
    });
    golden(
        vmax,
        Value::String("ab".into()),
        &[2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, b'a', b'b', 0, 0, 0, 0],
    );
    let nmax = n(SqlType::NVarChar {
        len: VarLen::Max,
        collation: CP1,
    });
    golden(
        nmax,
        Value::String(String::new()),
        &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    golden(
        nmax,
        Value::String("h".into()),
        &[2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, b'h', 0, 0, 0, 0, 0],
    );
    let bmax = n(SqlType::VarBinary { len: VarLen::Max });
    golden(bmax, Value::Null, &[0xFF; 8]);
    golden(
        bmax,
        Value::Binary(vec![9]),
        &[1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 0],
    );
}

#[test]
fn plp_decodes_several_chunks_and_unknown_length() {
    let nmax = n(SqlType::NVarChar {
        len: VarLen::Max,
        collation: CP1,
    });
    // A UTF-16 code unit split across chunks still decodes.
    let mut b = vec![0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    b.extend_from_slice(&[1, 0, 0, 0, b'h', 3, 0, 0, 0, 0, b'i', 0, 0, 0, 0, 0]);
    assert_eq!(dec_all(nmax, &b), Ok(Value::String("hi".into())));
    let mut wrong_total = vec![5, 0, 0, 0, 0, 0, 0, 0];
    wrong_total.extend_from_slice(&[2, 0, 0, 0, b'h', 0, 0, 0, 0, 0]);
    assert!(matches!(
        dec_all(nmax, &wrong_total),
        Err(DecodeError::Malformed { .. })
    ));
    // A huge announced length is not an allocation request.
    let huge = [0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0];
    assert!(matches!(
        dec_all(nmax, &huge),
        Err(DecodeError::Malformed { .. })
    ));
}

#[test]
fn out_of_range_wire_values_are_malformed() {
    let bad: &[(TypeInfo, &[u8])] = &[
        (n(SqlType::Int), &[2, 0, 0]),
        (n(SqlType::Bit), &[1, 2]),
        (n(SqlType::Date), &[3, 0xDB, 0xB9, 0x37]),
        (n(SqlType::Time { scale: 0 }), &[3, 0x80, 0x51, 0x01]),
        (n(SqlType::Time { scale: 7 }), &[3, 0, 0, 0]),
        (
            n(SqlType::DateTimeOffset { scale: 0 }),
            &[8, 0, 0, 0, 0, 0, 0, 0x49, 0x03],
        ),
        (
            n(SqlType::Decimal {
                precision: 2,
                scale: 0,
            }),
            &[5, 1, 100, 0, 0, 0],
        ),
        (
            n(SqlType::Decimal {
                precision: 2,
                scale: 0,
            }),
            &[5, 2, 1, 0, 0, 0],
        ),
        (
            n(SqlType::Decimal {
                precision: 38,
                scale: 0,
            }),
            &[1, 1],
        ),
        (
            n(SqlType::Decimal {
                precision: 38,
                scale: 0,
            }),
            &[18, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ),
        (n(SqlType::DateTime), &[8, 0, 0, 0, 0, 0, 0x84, 0x8B, 0x01]),
        (f(SqlType::SmallDateTime), &[0, 0, 0xA0, 0x05]),
        (
            n(SqlType::UniqueIdentifier),
            &[15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ),
        (
            n(SqlType::NVarChar {
                len: VarLen::Len(4),
                collation: CP1,
            }),
            &[3, 0, b'a', 0, b'b'],
        ),
    ];
    for (ti, bytes) in bad {
        assert!(
            matches!(dec_all(*ti, bytes), Err(DecodeError::Malformed { .. })),
            "{ti:?} {bytes:02X?}"
        );
    }
}
