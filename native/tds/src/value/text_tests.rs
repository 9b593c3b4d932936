//! Tests of `parse_text` and `Value::to_text`.

use super::temporal::days_from_civil;
use super::*;
use crate::collation::Collation;
use crate::value::{Date, Decimal, Time};

const CP1: Collation = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;

fn p(ty: SqlType, text: &str) -> Value {
    parse_text(&ty, text).unwrap_or_else(|e| panic!("{text:?} as {ty:?}: {e}"))
}

fn refused(ty: SqlType, text: &str, reason: &str) {
    match parse_text(&ty, text) {
        Ok(v) => panic!("{text:?} as {ty:?} gave {v:?}"),
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains(reason) && msg.contains(&ty.sql_name()),
                "{text:?}: {msg}"
            );
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date(days_from_civil(y, m, d).unwrap())
}

fn dec(mantissa: i128, scale: u8) -> Value {
    Value::Decimal(Decimal { mantissa, scale })
}

#[test]
fn integers_with_sign_spaces_and_range_checks() {
    assert_eq!(p(SqlType::Int, " +42 "), Value::Int(42));
    assert_eq!(p(SqlType::Int, "-2147483648"), Value::Int(i32::MIN));
    assert_eq!(
        p(SqlType::BigInt, "-9223372036854775808"),
        Value::BigInt(i64::MIN)
    );
    assert_eq!(
        p(SqlType::BigInt, "0009223372036854775807"),
        Value::BigInt(i64::MAX)
    );
    assert_eq!(p(SqlType::TinyInt, "255"), Value::TinyInt(255));
    assert_eq!(p(SqlType::SmallInt, "-32768"), Value::SmallInt(i16::MIN));
    refused(SqlType::TinyInt, "256", "overflow");
    refused(SqlType::TinyInt, "-1", "overflow");
    refused(SqlType::Int, "2147483648", "overflow");
    refused(SqlType::BigInt, "9223372036854775808", "overflow");
    refused(SqlType::BigInt, "99999999999999999999999", "overflow");
    for bad in ["", " ", "1.0", "1e3", "0x10", "+", "- 1", "1 2", "٣"] {
        refused(SqlType::Int, bad, "not an integer");
    }
}

#[test]
fn bit_words() {
    for (text, b) in [
        ("1", true),
        ("0", false),
        ("TRUE", true),
        (" false ", false),
        ("True", true),
    ] {
        assert_eq!(p(SqlType::Bit, text), Value::Bit(b));
    }
    refused(SqlType::Bit, "yes", "bit must be");
    refused(SqlType::Bit, "2", "bit must be");
}

#[test]
fn floats_with_exponents() {
    assert_eq!(p(SqlType::Float, "1.5E+300"), Value::Float(1.5e300));
    assert_eq!(p(SqlType::Float, "-.5"), Value::Float(-0.5));
    assert_eq!(p(SqlType::Float, "2."), Value::Float(2.0));
    assert_eq!(p(SqlType::Real, "0.1"), Value::Real(0.1));
    assert_eq!(p(SqlType::Real, " 3e-2 "), Value::Real(0.03));
    refused(SqlType::Real, "1e39", "overflow");
    refused(SqlType::Float, "1e309", "overflow");
    for bad in ["inf", "NaN", "infinity", "1e", "e5", ".", "0x1p3", "1,5"] {
        refused(SqlType::Float, bad, "not a number");
    }
}

#[test]
fn decimals_are_exact_and_rounded_to_the_column_scale() {
    let d18_4 = SqlType::Decimal {
        precision: 18,
        scale: 4,
    };
    assert_eq!(p(d18_4, "12.3456"), dec(123_456, 4));
    assert_eq!(p(d18_4, "12.34565"), dec(123_457, 4));
    assert_eq!(p(d18_4, "-12.34565"), dec(-123_457, 4));
    assert_eq!(p(d18_4, "7"), dec(70_000, 4));
    let n38 = SqlType::Numeric {
        precision: 38,
        scale: 0,
    };
    assert_eq!(p(n38, &"9".repeat(38)), dec(10i128.pow(38) - 1, 0));
    refused(n38, &"9".repeat(39), "Arithmetic overflow");
    refused(
        SqlType::Decimal {
            precision: 5,
            scale: 2,
        },
        "1000",
        "overflow",
    );
    refused(
        SqlType::Decimal {
            precision: 5,
            scale: 2,
        },
        "999.995",
        "overflow",
    );
    assert_eq!(
        p(
            SqlType::Decimal {
                precision: 5,
                scale: 2
            },
            "999.994"
        ),
        dec(99_999, 2)
    );
    refused(d18_4, "1e5", "not a decimal");
    refused(d18_4, "", "not a decimal");
}

#[test]
fn money_has_four_decimals_and_its_range() {
    assert_eq!(p(SqlType::Money, "-2270.9954"), Value::Money(-22_709_954));
    assert_eq!(
        p(SqlType::Money, "922337203685477.5807"),
        Value::Money(i64::MAX)
    );
    assert_eq!(p(SqlType::Money, "1.00005"), Value::Money(10_001));
    assert_eq!(
        p(SqlType::SmallMoney, "-214748.3648"),
        Value::Money(i64::from(i32::MIN))
    );
    refused(SqlType::SmallMoney, "214748.3648", "overflow");
    refused(SqlType::Money, "922337203685477.5808", "overflow");
}

#[test]
fn dates_and_times() {
    assert_eq!(
        p(SqlType::Date, "2024-02-29"),
        Value::Date(date(2024, 2, 29))
    );
    assert_eq!(p(SqlType::Date, "20240229"), Value::Date(date(2024, 2, 29)));
    assert_eq!(p(SqlType::Date, "0001-01-01"), Value::Date(Date(0)));
    assert_eq!(
        p(SqlType::Date, "2024-02-29 13:00"),
        Value::Date(date(2024, 2, 29))
    );
    refused(SqlType::Date, "2023-02-29", "no such date");
    assert_eq!(
        p(SqlType::Time { scale: 7 }, "13:45"),
        Value::Time(Time {
            units: 495_000_000_000,
            scale: 7
        })
    );
    assert_eq!(
        p(SqlType::Time { scale: 3 }, "00:00:01.2345"),
        Value::Time(Time {
            units: 1_235,
            scale: 3
        })
    );
    assert_eq!(
        p(SqlType::Time { scale: 0 }, "23:59:59.4"),
        Value::Time(Time {
            units: 86_399,
            scale: 0
        })
    );
    refused(SqlType::Time { scale: 0 }, "23:59:59.5", "24:00:00");
    refused(SqlType::Time { scale: 7 }, "25:00", "out of range");
    let dt2 = SqlType::DateTime2 { scale: 7 };
    assert_eq!(
        p(dt2, "9999-12-31T23:59:59.9999999"),
        Value::DateTime2 {
            date: date(9999, 12, 31),
            time: Time {
                units: 863_999_999_999,
                scale: 7
            }
        }
    );
    assert_eq!(
        p(SqlType::DateTime2 { scale: 0 }, "2020-01-01 23:59:59.5"),
        Value::DateTime2 {
            date: date(2020, 1, 2),
            time: Time { units: 0, scale: 0 }
        }
    );
    refused(
        SqlType::DateTime2 { scale: 0 },
        "9999-12-31 23:59:59.5",
        "out of range",
    );
    assert_eq!(p(dt2, "2020-01-01T00:00:00Z"), p(dt2, "2020-01-01 00:00"));
    refused(dt2, "2020-01-01 10:00 +01:00", "datetimeoffset");
    refused(dt2, "10:00", "a date is required");
}

#[test]
fn datetime_rounds_to_ticks_and_checks_its_range() {
    assert_eq!(
        p(SqlType::DateTime, "1900-01-01 00:00:00.003"),
        Value::DateTime { days: 0, ticks: 1 }
    );
    assert_eq!(
        p(SqlType::DateTime, "1900-01-01 00:00:00.002"),
        Value::DateTime { days: 0, ticks: 1 }
    );
    assert_eq!(
        p(SqlType::DateTime, "1899-12-31"),
        Value::DateTime { days: -1, ticks: 0 }
    );
    assert_eq!(
        p(SqlType::DateTime, "1753-01-01"),
        Value::DateTime {
            days: -53_690,
            ticks: 0
        }
    );
    assert_eq!(
        p(SqlType::DateTime, "1998-01-01 23:59:59.999"),
        p(SqlType::DateTime, "1998-01-02")
    );
    refused(SqlType::DateTime, "1752-12-31", "out of range");
    refused(SqlType::DateTime, "9999-12-31 23:59:59.999", "out of range");
    assert_eq!(
        p(SqlType::SmallDateTime, "1900-01-01 00:00:29.998"),
        Value::SmallDateTime {
            days: 0,
            minutes: 0
        }
    );
    assert_eq!(
        p(SqlType::SmallDateTime, "1900-01-01 00:00:29.999"),
        Value::SmallDateTime {
            days: 0,
            minutes: 1
        }
    );
    assert_eq!(
        p(SqlType::SmallDateTime, "2079-06-06 23:59"),
        Value::SmallDateTime {
            days: 65_535,
            minutes: 1439
        }
    );
    refused(SqlType::SmallDateTime, "1899-12-31 23:59", "out of range");
    refused(
        SqlType::SmallDateTime,
        "2079-06-06 23:59:30",
        "out of range",
    );
}

#[test]
fn datetimeoffset_keeps_utc_and_the_offset() {
    let ty = SqlType::DateTimeOffset { scale: 7 };
    let v = p(ty, "2024-01-01 01:00:00 +02:00");
    let utc = Value::DateTimeOffset {
        date: date(2023, 12, 31),
        time: Time {
            units: 23 * 36_000_000_000,
            scale: 7,
        },
        offset_minutes: 120,
    };
    assert_eq!(v, utc);
    assert_eq!(
        v.to_text().as_deref(),
        Some("2024-01-01 01:00:00.0000000 +02:00")
    );
    let z = p(ty, "2024-01-01T01:00:00Z");
    assert_eq!(
        z.to_text().as_deref(),
        Some("2024-01-01 01:00:00.0000000 +00:00")
    );
    assert_eq!(p(ty, "2024-01-01 01:00:00"), z);
    let neg = p(
        SqlType::DateTimeOffset { scale: 0 },
        "2024-12-31 22:30:00-05:30",
    );
    assert_eq!(neg.to_text().as_deref(), Some("2024-12-31 22:30:00 -05:30"));
    refused(ty, "0001-01-01 00:00:00 +01:00", "out of range");
    refused(ty, "2024-01-01 00:00:00 +14:01", "offset");
}

#[test]
fn guids_binary_and_strings() {
    let guid = [
        0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64,
        0xFF,
    ];
    assert_eq!(
        p(
            SqlType::UniqueIdentifier,
            "6F9619FF-8B86-D011-B42D-00C04FC964FF"
        ),
        Value::Guid(guid)
    );
    assert_eq!(
        p(
            SqlType::UniqueIdentifier,
            " {6f9619ff-8b86-d011-b42d-00c04fc964ff} "
        ),
        Value::Guid(guid)
    );
    for bad in [
        "6F9619FF8B86D011B42D00C04FC964FF",
        "6F9619FF-8B86-D011-B42D-00C04FC964F",
        "{6F9619FF-8B86-D011-B42D-00C04FC964FF",
    ] {
        refused(SqlType::UniqueIdentifier, bad, "uniqueidentifier must be");
    }
    refused(
        SqlType::UniqueIdentifier,
        "6F9619FF-8B86-D011-B42D-00C04FC964FG",
        "uniqueidentifier must be",
    );
    let vb = SqlType::VarBinary {
        len: crate::types::VarLen::Len(2),
    };
    assert_eq!(p(vb, "0x0aFf"), Value::Binary(vec![0x0A, 0xFF]));
    assert_eq!(p(vb, "0x"), Value::Binary(vec![]));
    refused(vb, "0x010203", "truncated");
    refused(vb, "0x1", "hex digits");
    refused(vb, "0A", "hex digits");
    refused(vb, "0xZZ", "hex digits");
    let vc = SqlType::VarChar {
        len: crate::types::VarLen::Len(4),
        collation: CP1,
    };
    assert_eq!(p(vc, " é "), Value::String(" é ".into()));
    refused(vc, "abcde", "truncated");
    refused(vc, "Ж", "code page");
    let nc = SqlType::NChar {
        len: 1,
        collation: CP1,
    };
    assert_eq!(p(nc, "Ж"), Value::String("Ж".into()));
    refused(nc, "😀", "truncated");
}

#[test]
fn to_text_matches_management_studio() {
    let t = |v: Value| v.to_text().unwrap();
    assert_eq!(Value::Null.to_text(), None);
    assert_eq!(t(Value::Bit(true)), "1");
    assert_eq!(t(Value::Int(-5)), "-5");
    assert_eq!(t(Value::Float(0.1)), "0.1");
    assert_eq!(t(Value::Float(1e300)), "1E+300");
    assert_eq!(t(Value::Float(-1.5e-7)), "-1.5E-07");
    assert_eq!(t(Value::Real(0.1)), "0.1");
    assert_eq!(t(dec(123_456, 4)), "12.3456");
    assert_eq!(t(dec(-5, 3)), "-0.005");
    assert_eq!(t(Value::Money(10_000)), "1.0000");
    assert_eq!(t(Value::Money(-1)), "-0.0001");
    assert_eq!(t(Value::Date(Date(0))), "0001-01-01");
    assert_eq!(t(Value::Time(Time { units: 0, scale: 0 })), "00:00:00");
    assert_eq!(t(Value::Time(Time { units: 1, scale: 3 })), "00:00:00.001");
    assert_eq!(
        t(Value::DateTime { days: 0, ticks: 2 }),
        "1900-01-01 00:00:00.007"
    );
    assert_eq!(
        t(Value::SmallDateTime {
            days: 1,
            minutes: 61
        }),
        "1900-01-02 01:01:00"
    );
    let last = Value::DateTime2 {
        date: date(9999, 12, 31),
        time: Time {
            units: 863_999_999_999,
            scale: 7,
        },
    };
    assert_eq!(t(last), "9999-12-31 23:59:59.9999999");
    let guid = [
        0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64,
        0xFF,
    ];
    assert_eq!(t(Value::Guid(guid)), "6F9619FF-8B86-D011-B42D-00C04FC964FF");
    assert_eq!(t(Value::Binary(vec![0xAB, 1])), "0xAB01");
    assert_eq!(t(Value::String("x".into())), "x");
}

#[test]
fn to_text_reads_back_as_the_same_value() {
    let vc = SqlType::VarChar {
        len: crate::types::VarLen::Max,
        collation: CP1,
    };
    let cases = [
        (SqlType::Bit, Value::Bit(false)),
        (SqlType::BigInt, Value::BigInt(i64::MIN)),
        (SqlType::Float, Value::Float(1e300)),
        (SqlType::Float, Value::Float(-2270.9954)),
        (SqlType::Float, Value::Float(5e-324)),
        (SqlType::Real, Value::Real(f32::MAX)),
        (
            SqlType::Decimal {
                precision: 38,
                scale: 38,
            },
            dec(-(10i128.pow(38) - 1), 38),
        ),
        (SqlType::Money, Value::Money(i64::MIN)),
        (SqlType::Date, Value::Date(date(9999, 12, 31))),
        (
            SqlType::Time { scale: 5 },
            Value::Time(Time {
                units: 8_639_999_999,
                scale: 5,
            }),
        ),
        (
            SqlType::DateTime,
            Value::DateTime {
                days: -53_690,
                ticks: 25_919_999,
            },
        ),
        (
            SqlType::DateTime,
            Value::DateTime {
                days: 5,
                ticks: 299,
            },
        ),
        (
            SqlType::SmallDateTime,
            Value::SmallDateTime {
                days: 65_535,
                minutes: 1439,
            },
        ),
        (
            SqlType::DateTime2 { scale: 2 },
            Value::DateTime2 {
                date: Date(0),
                time: Time { units: 1, scale: 2 },
            },
        ),
        (
            SqlType::DateTimeOffset { scale: 7 },
            Value::DateTimeOffset {
                date: Date(0),
                time: Time { units: 0, scale: 7 },
                offset_minutes: 840,
            },
        ),
        (
            SqlType::DateTimeOffset { scale: 3 },
            Value::DateTimeOffset {
                date: date(9999, 12, 31),
                time: Time {
                    units: 86_399_999,
                    scale: 3,
                },
                offset_minutes: -840,
            },
        ),
        (SqlType::UniqueIdentifier, Value::Guid([0xA5; 16])),
        (
            SqlType::VarBinary {
                len: crate::types::VarLen::Max,
            },
            Value::Binary(vec![0, 0xFF]),
        ),
        (vc, Value::String(" padded ".into())),
    ];
    for (ty, v) in cases {
        let text = v.to_text().unwrap();
        assert_eq!(parse_text(&ty, &text), Ok(v), "{text}");
    }
}

#[test]
fn errors_name_the_value_and_the_type() {
    let e = parse_text(&SqlType::Int, "abc").unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot convert \"abc\" to int: not an integer"
    );
    let long = "9".repeat(500);
    let e = parse_text(&SqlType::Int, &long).unwrap_err();
    assert!(e.to_string().len() < 200);
}
