//! Round trips for every type, robustness of the decoder on truncated and random input, and
//! the conversions and refusals of `encode_value`.

use super::encode_value;
use crate::error::DecodeError;
use crate::reader::ByteReader;
use crate::types::{SqlType, TypeInfo, VarLen};
use crate::value::decode::decode_value;
use crate::value::decode::tests::{date, dec, dec_all, enc, f, n, CP1, UTF8};
use crate::value::{Date, Decimal, Time, Value};
use bytes::BytesMut;

/// Column types with values at their edges; every one must survive encode → decode.
fn round_trip_cases() -> Vec<(SqlType, Vec<Value>)> {
    let t = |units, scale| Time { units, scale };
    let max38 = 10i128.pow(38) - 1;
    vec![
        (SqlType::Bit, vec![Value::Bit(true), Value::Bit(false)]),
        (
            SqlType::TinyInt,
            vec![Value::TinyInt(0), Value::TinyInt(255)],
        ),
        (
            SqlType::SmallInt,
            vec![Value::SmallInt(i16::MIN), Value::SmallInt(i16::MAX)],
        ),
        (
            SqlType::Int,
            vec![Value::Int(i32::MIN), Value::Int(i32::MAX), Value::Int(0)],
        ),
        (
            SqlType::BigInt,
            vec![Value::BigInt(i64::MIN), Value::BigInt(i64::MAX)],
        ),
        (
            SqlType::Real,
            vec![
                Value::Real(f32::MAX),
                Value::Real(-f32::MIN_POSITIVE),
                Value::Real(0.1),
            ],
        ),
        (
            SqlType::Float,
            vec![
                Value::Float(f64::MAX),
                Value::Float(-5e-324),
                Value::Float(0.1),
            ],
        ),
        (
            SqlType::Money,
            vec![
                Value::Money(i64::MIN),
                Value::Money(i64::MAX),
                Value::Money(-22_709_954),
            ],
        ),
        (
            SqlType::SmallMoney,
            vec![
                Value::Money(i64::from(i32::MIN)),
                Value::Money(i64::from(i32::MAX)),
            ],
        ),
        (
            SqlType::Decimal {
                precision: 38,
                scale: 0,
            },
            vec![dec(max38, 0), dec(-max38, 0), dec(0, 0)],
        ),
        (
            SqlType::Decimal {
                precision: 38,
                scale: 38,
            },
            vec![dec(max38, 38), dec(-1, 38)],
        ),
        (
            SqlType::Numeric {
                precision: 9,
                scale: 2,
            },
            vec![dec(999_999_999, 2), dec(-999_999_999, 2)],
        ),
        (
            SqlType::Numeric {
                precision: 19,
                scale: 4,
            },
            vec![dec(9_999_999_999_999_999_999, 4), dec(-1, 4)],
        ),
        (
            SqlType::Decimal {
                precision: 28,
                scale: 10,
            },
            vec![dec(10i128.pow(28) - 1, 10), dec(-123, 10)],
        ),
        (
            SqlType::Date,
            vec![Value::Date(Date(0)), Value::Date(date(9999, 12, 31))],
        ),
        (
            SqlType::Time { scale: 0 },
            vec![Value::Time(t(0, 0)), Value::Time(t(86_399, 0))],
        ),
        (
            SqlType::Time { scale: 4 },
            vec![Value::Time(t(863_999_999, 4))],
        ),
        (
            SqlType::Time { scale: 7 },
            vec![Value::Time(t(863_999_999_999, 7))],
        ),
        (
            SqlType::DateTime2 { scale: 7 },
            vec![
                Value::DateTime2 {
                    date: Date(0),
                    time: t(0, 7),
                },
                Value::DateTime2 {
                    date: date(9999, 12, 31),
                    time: t(863_999_999_999, 7),
                },
            ],
        ),
        (
            SqlType::DateTime2 { scale: 1 },
            vec![Value::DateTime2 {
                date: date(2000, 2, 29),
                time: t(863_999, 1),
            }],
        ),
        (
            SqlType::DateTimeOffset { scale: 7 },
            vec![
                Value::DateTimeOffset {
                    date: Date(0),
                    time: t(0, 7),
                    offset_minutes: 840,
                },
                Value::DateTimeOffset {
                    date: date(9999, 12, 31),
                    time: t(863_999_999_999, 7),
                    offset_minutes: -840,
                },
                Value::DateTimeOffset {
                    date: date(2024, 6, 1),
                    time: t(1, 7),
                    offset_minutes: -330,
                },
            ],
        ),
        (
            SqlType::DateTime,
            vec![
                Value::DateTime {
                    days: -53_690,
                    ticks: 0,
                },
                Value::DateTime {
                    days: 2_958_463,
                    ticks: 25_919_999,
                },
            ],
        ),
        (
            SqlType::SmallDateTime,
            vec![
                Value::SmallDateTime {
                    days: 0,
                    minutes: 0,
                },
                Value::SmallDateTime {
                    days: 65_535,
                    minutes: 1439,
                },
            ],
        ),
        (
            SqlType::UniqueIdentifier,
            vec![
                Value::Guid([0xAB; 16]),
                Value::Guid(core::array::from_fn(|i| i as u8)),
            ],
        ),
        (
            SqlType::Char {
                len: 3,
                collation: CP1,
            },
            vec![Value::String("abc".into())],
        ),
        (
            SqlType::VarChar {
                len: VarLen::Len(8000),
                collation: CP1,
            },
            vec![Value::String("x".repeat(8000))],
        ),
        (
            SqlType::VarChar {
                len: VarLen::Max,
                collation: UTF8,
            },
            vec![Value::String("日本".repeat(5000))],
        ),
        (
            SqlType::NChar {
                len: 2,
                collation: CP1,
            },
            vec![Value::String("😀".into())],
        ),
        (
            SqlType::NVarChar {
                len: VarLen::Len(4000),
                collation: CP1,
            },
            vec![Value::String("ж".repeat(4000))],
        ),
        (
            SqlType::NVarChar {
                len: VarLen::Max,
                collation: CP1,
            },
            vec![Value::String("ж".repeat(10_000))],
        ),
        (
            SqlType::Binary { len: 8000 },
            vec![Value::Binary(vec![0; 8000])],
        ),
        (
            SqlType::VarBinary {
                len: VarLen::Len(1),
            },
            vec![Value::Binary(vec![]), Value::Binary(vec![0xFF])],
        ),
        (
            SqlType::VarBinary { len: VarLen::Max },
            vec![Value::Binary((0..=255).collect()), Value::Binary(vec![])],
        ),
    ]
}

#[test]
fn every_type_round_trips_including_null() {
    for (ty, values) in round_trip_cases() {
        for v in values.iter().chain([&Value::Null]) {
            let bytes = enc(n(ty), v);
            assert_eq!(dec_all(n(ty), &bytes).as_ref(), Ok(v), "{ty:?}");
        }
        if crate::type_info::fixed_code(&ty).is_some() {
            for v in &values {
                let bytes = enc(f(ty), v);
                assert_eq!(dec_all(f(ty), &bytes).as_ref(), Ok(v), "fixed {ty:?}");
            }
        }
    }
}

#[test]
fn truncated_values_are_incomplete_and_garbage_never_panics() {
    let mut seed = 0x9E37_79B9_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    for (ty, values) in round_trip_cases() {
        for ti in [n(ty), f(ty)] {
            for v in &values {
                let bytes = enc(ti, v);
                for cut in 0..bytes.len().min(64) {
                    assert_eq!(
                        dec_all(ti, &bytes[..cut]),
                        Err(DecodeError::Incomplete),
                        "{ti:?} cut at {cut}"
                    );
                }
            }
            for _ in 0..2_000 {
                let len = (next() % 40) as usize;
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let _ = decode_value(&ti, &mut ByteReader::new(&bytes));
            }
        }
    }
}

/// Asserts that encoding fails, names the reason, and leaves the buffer untouched.
fn refused(ti: TypeInfo, v: Value, reason: &str) {
    let mut buf = BytesMut::from(&b"keep"[..]);
    let err = encode_value(&ti, &v, &mut buf).expect_err(&format!("{v:?} into {ti:?}"));
    assert_eq!(&buf[..], b"keep");
    assert!(err.to_string().contains(reason), "{err}");
}

#[test]
fn values_that_do_not_fit_are_refused_and_nothing_is_written() {
    refused(f(SqlType::Int), Value::Null, "NULL");
    refused(n(SqlType::Int), Value::BigInt(1 << 31), "overflow");
    refused(n(SqlType::TinyInt), Value::Int(-1), "overflow");
    refused(n(SqlType::SmallMoney), Value::Money(1 << 31), "overflow");
    refused(n(SqlType::Int), Value::Float(1.5), "not a whole number");
    refused(
        n(SqlType::Int),
        Value::Decimal(Decimal {
            mantissa: 15,
            scale: 1,
        }),
        "fractional",
    );
    refused(n(SqlType::Bit), Value::Int(2), "0 or 1");
    refused(n(SqlType::Real), Value::Float(1e300), "overflow");
    refused(n(SqlType::Float), Value::Float(f64::INFINITY), "inf");
    refused(
        n(SqlType::Decimal {
            precision: 5,
            scale: 2,
        }),
        dec(100_000, 2),
        "overflow",
    );
    refused(
        n(SqlType::Decimal {
            precision: 5,
            scale: 2,
        }),
        Value::Int(1000),
        "overflow",
    );
    refused(n(SqlType::Date), Value::Int(1), "not a date");
    refused(
        n(SqlType::Date),
        Value::DateTime { days: 0, ticks: 1 },
        "time of day",
    );
    refused(n(SqlType::DateTime), Value::Date(Date(0)), "out of range");
    refused(
        n(SqlType::SmallDateTime),
        Value::Date(date(2079, 6, 7)),
        "out of range",
    );
    refused(
        n(SqlType::UniqueIdentifier),
        Value::String("x".into()),
        "does not fit",
    );
    refused(
        n(SqlType::VarChar {
            len: VarLen::Len(3),
            collation: CP1,
        }),
        Value::String("abcd".into()),
        "truncated",
    );
    refused(
        n(SqlType::VarChar {
            len: VarLen::Len(9),
            collation: CP1,
        }),
        Value::String("Ж".into()),
        "code page 1252",
    );
    refused(
        n(SqlType::Char {
            len: 1,
            collation: UTF8,
        }),
        Value::String("é".into()),
        "truncated",
    );
    refused(
        n(SqlType::NVarChar {
            len: VarLen::Len(1),
            collation: CP1,
        }),
        Value::String("😀".into()),
        "truncated",
    );
    refused(
        n(SqlType::NVarChar {
            len: VarLen::Max,
            collation: CP1,
        }),
        Value::Int(1),
        "does not fit",
    );
    refused(
        n(SqlType::Binary { len: 1 }),
        Value::Binary(vec![1, 2]),
        "truncated",
    );
    refused(
        n(SqlType::VarBinary { len: VarLen::Max }),
        Value::String("ab".into()),
        "does not fit",
    );
    let long = Value::String("y".repeat(10_000));
    let err = encode_value(
        &n(SqlType::VarChar {
            len: VarLen::Len(5),
            collation: CP1,
        }),
        &long,
        &mut BytesMut::new(),
    );
    assert!(
        err.is_err_and(|e| e.to_string().len() < 300),
        "error messages quote a bounded prefix of the value"
    );
}

#[test]
fn values_convert_to_the_column_type() {
    let conv = |ti: TypeInfo, v: Value| dec_all(ti, &enc(ti, &v)).unwrap();
    assert_eq!(conv(n(SqlType::BigInt), Value::Int(5)), Value::BigInt(5));
    assert_eq!(
        conv(n(SqlType::TinyInt), Value::BigInt(200)),
        Value::TinyInt(200)
    );
    assert_eq!(
        conv(
            n(SqlType::Int),
            Value::Decimal(Decimal {
                mantissa: 500,
                scale: 2
            })
        ),
        Value::Int(5)
    );
    assert_eq!(conv(n(SqlType::Bit), Value::Int(1)), Value::Bit(true));
    assert_eq!(conv(n(SqlType::Float), Value::Int(3)), Value::Float(3.0));
    assert_eq!(conv(n(SqlType::Real), dec(15, 1)), Value::Real(1.5));
    let d10_2 = n(SqlType::Decimal {
        precision: 10,
        scale: 2,
    });
    assert_eq!(conv(d10_2, Value::Int(-7)), dec(-700, 2));
    assert_eq!(
        conv(d10_2, dec(1_005, 3)),
        dec(101, 2),
        "half away from zero"
    );
    assert_eq!(conv(d10_2, dec(-1_005, 3)), dec(-101, 2));
    assert_eq!(conv(d10_2, dec(1_004, 3)), dec(100, 2));
    assert_eq!(conv(d10_2, Value::Money(12_345)), dec(123, 2));
    assert_eq!(conv(d10_2, Value::Float(0.125)), dec(13, 2));
    assert_eq!(
        conv(n(SqlType::Money), Value::Float(-2270.9954)),
        Value::Money(-22_709_954)
    );
    assert_eq!(
        conv(n(SqlType::SmallMoney), dec(1, 0)),
        Value::Money(10_000)
    );
    assert_eq!(
        conv(n(SqlType::DateTime2 { scale: 7 }), Value::Date(Date(5))),
        Value::DateTime2 {
            date: Date(5),
            time: Time { units: 0, scale: 7 }
        }
    );
    assert_eq!(
        conv(
            n(SqlType::DateTime2 { scale: 7 }),
            Value::DateTime { days: 0, ticks: 1 }
        ),
        Value::DateTime2 {
            date: date(1900, 1, 1),
            time: Time {
                units: 33_333,
                scale: 7
            }
        }
    );
    assert_eq!(
        conv(
            n(SqlType::DateTime),
            Value::DateTime2 {
                date: date(1900, 1, 1),
                time: Time {
                    units: 20_000,
                    scale: 7
                }
            }
        ),
        Value::DateTime { days: 0, ticks: 1 }
    );
    assert_eq!(
        conv(
            n(SqlType::Time { scale: 2 }),
            Value::Time(Time {
                units: 12_345,
                scale: 4
            })
        ),
        Value::Time(Time {
            units: 123,
            scale: 2
        })
    );
    assert_eq!(
        conv(
            n(SqlType::DateTimeOffset { scale: 0 }),
            Value::DateTimeOffset {
                date: Date(1),
                time: Time { units: 5, scale: 1 },
                offset_minutes: -60
            }
        ),
        Value::DateTimeOffset {
            date: Date(1),
            time: Time { units: 1, scale: 0 },
            offset_minutes: -60
        }
    );
}
