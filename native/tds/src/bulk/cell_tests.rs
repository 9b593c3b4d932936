//! The refusals of `encode_cell`: each rule with the reason a user reads, and the buffer left
//! as it was.

use super::tests::{col, enc, js_ms, CP1252, CP932};
use super::*;
use crate::types::VarLen;

/// Encodes into a buffer that already holds a byte, checks the error left it untouched.
fn err_of(c: &BulkColumn, cell: Cell<'_>) -> CellError {
    let mut buf = BytesMut::from(&[0xAA][..]);
    let e = encode_cell(c, cell, &mut buf).expect_err(&format!("{:?} {cell:?} must fail", c.ty));
    assert_eq!(
        buf.as_ref(),
        [0xAA],
        "{:?} {cell:?}: buffer not restored",
        c.ty
    );
    e
}

fn reason(ty: SqlType, cell: Cell<'_>) -> String {
    err_of(&col(ty), cell).reason
}

fn assert_reason(ty: SqlType, cell: Cell<'_>, needle: &str) {
    let r = reason(ty, cell);
    assert!(
        r.contains(needle),
        "{ty:?} {cell:?}: {r:?} lacks {needle:?}"
    );
}

const DEC10_4: SqlType = SqlType::Decimal {
    precision: 10,
    scale: 4,
};
const DEC10_2: SqlType = SqlType::Decimal {
    precision: 10,
    scale: 2,
};

#[test]
fn null_into_a_not_null_column() {
    let c = BulkColumn {
        nullable: false,
        name: "qty".into(),
        ..col(SqlType::Int)
    };
    let e = err_of(&c, Cell::Null);
    assert_eq!(
        e,
        CellError {
            column: "qty".into(),
            value: "NULL".into(),
            reason: "NULL into a NOT NULL column".into()
        }
    );
    assert_eq!(e.to_string(), "column qty: NULL into a NOT NULL column");
    // Identity columns follow their own nullability like any other.
    let id = BulkColumn {
        identity: true,
        nullable: false,
        ..col(SqlType::BigInt)
    };
    err_of(&id, Cell::Null);
    // A NOT NULL column whose default a NULL takes (KEEP_NULLS off) accepts NULL.
    let defaulted = BulkColumn {
        null_takes_default: true,
        ..c
    };
    let mut buf = BytesMut::new();
    encode_cell(&defaulted, Cell::Null, &mut buf).expect("NULL takes the default");
    assert_eq!(buf.as_ref(), [0], "NULL in the nullable INTN form");
}

#[test]
fn integers_out_of_range_overflow() {
    assert_reason(SqlType::TinyInt, Cell::Int(256), "tinyint");
    assert_reason(SqlType::TinyInt, Cell::Int(-1), "Arithmetic overflow");
    assert_reason(SqlType::SmallInt, Cell::Int(32_768), "Arithmetic overflow");
    assert_reason(SqlType::Int, Cell::Int(1 << 31), "Arithmetic overflow");
    assert_reason(
        SqlType::BigInt,
        Cell::Int128(1 << 63),
        "Arithmetic overflow",
    );
    assert_reason(
        SqlType::Int,
        Cell::Text("99999999999"),
        "Arithmetic overflow",
    );
    assert_reason(SqlType::BigInt, Cell::Float(1e19), "Arithmetic overflow");
    assert_reason(SqlType::Real, Cell::Float(1e39), "Arithmetic overflow");
    assert_reason(
        SqlType::SmallMoney,
        Cell::Int(214_749),
        "Arithmetic overflow",
    );
    assert_reason(SqlType::Int, Cell::Text("abc"), "not an integer");
}

#[test]
fn decimal_precision_exceeded_overflows() {
    let d = SqlType::Decimal {
        precision: 5,
        scale: 1,
    };
    assert_reason(d, Cell::Int(10_000), "Arithmetic overflow");
    assert_reason(d, Cell::Text("12345.6"), "Arithmetic overflow");
    assert_reason(d, Cell::Float(1e300), "Arithmetic overflow");
    assert_reason(d, Cell::Int128(i128::MAX), "Arithmetic overflow");
    assert_reason(d, Cell::Text("1e5"), "not a decimal number");
    assert_eq!(
        enc(d, Cell::Text("9999.9")),
        vec![5, 1, 0x9F, 0x86, 0x01, 0]
    );
}

#[test]
fn decimal_digits_beyond_the_scale_are_refused_trailing_zeros_are_fine() {
    assert_eq!(
        reason(DEC10_4, Cell::Text("12.34567")),
        "value 12.34567 has more than 4 decimal places for decimal(10,4)"
    );
    assert_eq!(
        reason(DEC10_2, Cell::Float(0.1 + 0.2)),
        "value 0.30000000000000004 has more than 2 decimal places for decimal(10,2)"
    );
    assert_reason(
        SqlType::Money,
        Cell::Float(0.1 + 0.2),
        "more than 4 decimal places for money",
    );
    assert_reason(
        SqlType::Money,
        Cell::Text("1.00001"),
        "more than 4 decimal places",
    );
    assert_reason(
        SqlType::Numeric {
            precision: 3,
            scale: 0,
        },
        Cell::Float(1.5),
        "more than 0 decimal places for numeric(3,0)",
    );
    // Rounding 99.999 would overflow decimal(4,2); the lost digit is what is reported.
    assert_reason(
        SqlType::Decimal {
            precision: 4,
            scale: 2,
        },
        Cell::Text("99.999"),
        "more than 2 decimal places",
    );
    assert_eq!(
        enc(DEC10_2, Cell::Text("1.50000")),
        vec![9, 1, 150, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        enc(DEC10_2, Cell::Float(0.1)),
        vec![9, 1, 10, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        enc(DEC10_2, Cell::Float(-0.0)),
        vec![9, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn fractions_into_integer_columns_are_refused_whole_floats_are_fine() {
    assert_eq!(
        reason(SqlType::Int, Cell::Float(1.5)),
        "value 1.5 is not a whole number for int"
    );
    assert_eq!(
        reason(SqlType::Int, Cell::Text("1.5")),
        "value 1.5 is not a whole number for int"
    );
    assert_eq!(enc(SqlType::Int, Cell::Float(2.0)), vec![4, 2, 0, 0, 0]);
    assert_eq!(enc(SqlType::Int, Cell::Text("2.")), vec![4, 2, 0, 0, 0]);
    assert_eq!(
        enc(SqlType::SmallInt, Cell::Text("-3.000")),
        vec![2, 0xFD, 0xFF]
    );
    assert_reason(SqlType::Int, Cell::Text(".5"), "not an integer");
}

#[test]
fn nan_and_infinity_are_refused_everywhere() {
    let nvarchar = SqlType::NVarChar {
        len: VarLen::Len(10),
        collation: CP1252,
    };
    for ty in [
        SqlType::Float,
        SqlType::Real,
        DEC10_2,
        SqlType::Int,
        nvarchar,
    ] {
        assert_eq!(
            reason(ty, Cell::Float(f64::NAN)),
            "NaN cannot be stored in SQL Server"
        );
        assert_eq!(
            reason(ty, Cell::Float(f64::NEG_INFINITY)),
            "-Infinity cannot be stored in SQL Server"
        );
    }
    assert_reason(SqlType::Float, Cell::Text("NaN"), "not a number");
    assert_reason(
        SqlType::DateTime,
        Cell::DateMs(f64::NAN),
        "NaN is not a valid date",
    );
}

#[test]
fn text_longer_than_the_column_is_refused_in_the_column_units() {
    let varchar = |n| SqlType::VarChar {
        len: VarLen::Len(n),
        collation: CP1252,
    };
    let nvarchar = |n| SqlType::NVarChar {
        len: VarLen::Len(n),
        collation: CP1252,
    };
    assert_eq!(
        reason(varchar(3), Cell::Text("abcd")),
        "string or binary data would be truncated: 4 bytes, the column holds 3"
    );
    // 4 characters, 4 bytes in code page 1252; 2 characters, 4 bytes in Shift_JIS.
    assert_eq!(enc(varchar(4), Cell::Text("café")).len(), 6);
    assert_reason(varchar(3), Cell::Text("café"), "4 bytes");
    let char3 = SqlType::Char {
        len: 3,
        collation: CP932,
    };
    assert_reason(char3, Cell::Text("日本"), "4 bytes, the column holds 3");
    assert_reason(nvarchar(2), Cell::Text("abc"), "3 UTF-16 code units");
    assert_reason(nvarchar(2), Cell::Text("😀a"), "3 UTF-16 code units");
    assert_reason(nvarchar(2), Cell::Utf16(&[1, 2, 3]), "3 UTF-16 code units");
    assert_reason(nvarchar(1), Cell::Int(42), "2 UTF-16 code units");
    assert_reason(SqlType::Binary { len: 1 }, Cell::Bytes(&[1, 2]), "2 bytes");
    let long = "x".repeat(10_000);
    let max = SqlType::NVarChar {
        len: VarLen::Max,
        collation: CP1252,
    };
    assert_eq!(enc(max, Cell::Text(&long)).len(), 8 + 4 + 20_000 + 4);
}

#[test]
fn characters_missing_from_the_code_page_are_refused() {
    let varchar = SqlType::VarChar {
        len: VarLen::Len(10),
        collation: CP1252,
    };
    assert_eq!(
        reason(varchar, Cell::Text("aЖ")),
        "character 'Ж' cannot be represented in code page 1252"
    );
    assert_reason(varchar, Cell::Utf16(&[0x416]), "'Ж' cannot be represented");
    let unsupported = SqlType::VarChar {
        len: VarLen::Len(10),
        collation: crate::collation::Collation {
            info: 0x0409,
            sort_id: 42,
        },
    };
    assert_eq!(enc(unsupported, Cell::Text("ok")), vec![2, 0, b'o', b'k']);
    assert_reason(
        unsupported,
        Cell::Text("é"),
        "not supported for non-ASCII text",
    );
}

#[test]
fn bad_dates_and_dates_out_of_range_are_refused() {
    assert_reason(SqlType::Date, Cell::Text("2024-02-30"), "no such date");
    assert_reason(
        SqlType::DateTime2 { scale: 7 },
        Cell::Text("yesterday"),
        "date must be",
    );
    let before_1753 = js_ms(1752, 12, 31, 0, 0, 0, 0);
    assert_reason(SqlType::DateTime, Cell::DateMs(before_1753), "1753-01-01");
    let sdt = SqlType::SmallDateTime;
    assert_reason(
        sdt,
        Cell::DateMs(js_ms(1899, 12, 31, 23, 59, 0, 0)),
        "1900-01-01..2079-06-06",
    );
    assert_reason(
        sdt,
        Cell::DateMs(js_ms(2079, 6, 7, 0, 0, 0, 0)),
        "1900-01-01..2079-06-06",
    );
    assert_eq!(
        enc(sdt, Cell::DateMs(js_ms(2079, 6, 6, 0, 0, 0, 0))),
        vec![4, 0xFF, 0xFF, 0, 0]
    );
    assert_reason(
        SqlType::Date,
        Cell::DateMs(js_ms(2024, 1, 1, 0, 0, 0, 1)),
        "time of day",
    );
    assert_reason(
        SqlType::Date,
        Cell::DateMs(-8.64e15),
        "0001-01-01..9999-12-31",
    );
    assert_reason(SqlType::Date, Cell::DateMs(9e15), "not a valid date");
    assert_reason(SqlType::Time { scale: 7 }, Cell::DateMs(0.0), "time");
    assert_reason(SqlType::DateTime, Cell::Int(0), "not a date or time");
}

#[test]
fn bit_guid_and_binary_refusals() {
    assert_reason(SqlType::Bit, Cell::Int(2), "bit takes 0 or 1");
    assert_reason(
        SqlType::Bit,
        Cell::Text("yes"),
        "bit must be 1, 0, true or false",
    );
    assert_eq!(enc(SqlType::Bit, Cell::Text("FALSE")), vec![1, 0]);
    assert_eq!(
        reason(SqlType::UniqueIdentifier, Cell::Bytes(&[0; 15])),
        "uniqueidentifier takes 16 bytes, got 15"
    );
    assert_reason(
        SqlType::UniqueIdentifier,
        Cell::Text("not-a-guid"),
        "uniqueidentifier must be",
    );
    assert_reason(SqlType::UniqueIdentifier, Cell::Int(1), "does not fit");
    assert_eq!(
        reason(SqlType::Int, Cell::Bytes(&[1])),
        "binary data cannot be loaded into a column of type int"
    );
    assert_reason(
        SqlType::VarBinary {
            len: VarLen::Len(4),
        },
        Cell::Text("zz"),
        "0x",
    );
    assert_reason(SqlType::Int, Cell::Utf16(&[0xD800]), "unpaired surrogate");
}

#[test]
fn the_error_names_the_value_shortened() {
    let varchar = SqlType::VarChar {
        len: VarLen::Len(3),
        collation: CP1252,
    };
    let long = "é".repeat(500);
    let e = err_of(&col(varchar), Cell::Text(&long));
    assert_eq!(e.value.chars().count(), 101);
    assert!(e.value.ends_with('…'));
    let e = err_of(&col(SqlType::Int), Cell::Bytes(&[0xAB; 80]));
    assert_eq!(e.value, format!("0x{}…", "AB".repeat(50)));
    let e = err_of(&col(SqlType::Time { scale: 0 }), Cell::DateMs(0.0));
    assert_eq!(e.value, "1970-01-01T00:00:00.000Z");
    let e = err_of(&col(SqlType::Int), Cell::Float(1e-300));
    assert_eq!(e.value, "1e-300");
    assert_eq!(e.reason, "value 1e-300 is not a whole number for int");
}

/// Golden bytes of the parsed-value cells a file loader hands over (MS-TDS 2.2.5.5.1): no text
/// in between, the same bytes as the equivalent text or JS value.
#[test]
fn parsed_value_cells_write_golden_bytes() {
    use super::tests::enc;
    let dec18_4 = SqlType::Decimal {
        precision: 18,
        scale: 4,
    };
    // 12.34 at scale 2 rescales to 123400 at scale 4 = 0x01E208.
    assert_eq!(
        enc(
            dec18_4,
            Cell::Decimal {
                mantissa: 1234,
                scale: 2
            }
        ),
        vec![9, 1, 0x08, 0xE2, 0x01, 0, 0, 0, 0, 0]
    );
    // Trailing zeros beyond the column's scale go (decimal(10,2) takes 9 bytes); 1 is money
    // 10000.
    assert_eq!(
        enc(
            DEC10_2,
            Cell::Decimal {
                mantissa: -15_000,
                scale: 4
            }
        ),
        vec![9, 0, 150, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        enc(
            SqlType::Money,
            Cell::Decimal {
                mantissa: 1,
                scale: 0
            }
        ),
        vec![8, 0, 0, 0, 0, 0x10, 0x27, 0, 0]
    );
    assert_eq!(
        enc(
            SqlType::Int,
            Cell::Decimal {
                mantissa: 700,
                scale: 2
            }
        ),
        vec![4, 7, 0, 0, 0]
    );
    // date: 3 bytes of days since 0001-01-01; 1970-01-01 is 719162 = 0x0AF93A.
    assert_eq!(
        enc(SqlType::Date, Cell::Date { days: 0 }),
        vec![3, 0x3A, 0xF9, 0x0A]
    );
    assert_eq!(
        enc(SqlType::Date, Cell::Date { days: -1 }),
        vec![3, 0x39, 0xF9, 0x0A]
    );
    // datetime2(3): 1 ms = 1 unit, then the date.
    assert_eq!(
        enc(
            SqlType::DateTime2 { scale: 3 },
            Cell::DateTime {
                days: 0,
                nanos: 1_000_000
            }
        ),
        vec![7, 1, 0, 0, 0, 0x3A, 0xF9, 0x0A]
    );
    // datetime: 1 s = 300 ticks = 0x012C.
    assert_eq!(
        enc(
            SqlType::DateTime,
            Cell::DateTime {
                days: 0,
                nanos: 1_000_000_000
            }
        ),
        vec![8, 0xDF, 0x63, 0, 0, 0x2C, 1, 0, 0]
    );
    // datetimeoffset(0): 1970-01-01 01:00 +01:00 is 00:00 UTC; offset 60 = 0x003C.
    assert_eq!(
        enc(
            SqlType::DateTimeOffset { scale: 0 },
            Cell::DateTimeOffset {
                days: 0,
                nanos: 3_600_000_000_000,
                offset_minutes: 60
            }
        ),
        vec![8, 0, 0, 0, 0x3A, 0xF9, 0x0A, 0x3C, 0]
    );
    // The UTC moment may fall on the day before the local date: 23:00 = 82800 s = 0x014370.
    assert_eq!(
        enc(
            SqlType::DateTimeOffset { scale: 0 },
            Cell::DateTimeOffset {
                days: 0,
                nanos: 0,
                offset_minutes: 60
            }
        ),
        vec![8, 0x70, 0x43, 0x01, 0x39, 0xF9, 0x0A, 0x3C, 0]
    );
    // time(0): 3600 s = 0x0E10.
    assert_eq!(
        enc(
            SqlType::Time { scale: 0 },
            Cell::Time {
                nanos: 3_600_000_000_000
            }
        ),
        vec![3, 0x10, 0x0E, 0]
    );
    // GUID: display order in, first three groups little-endian on the wire.
    let display = [
        0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64,
        0xFF,
    ];
    assert_eq!(
        enc(SqlType::UniqueIdentifier, Cell::Guid(display)),
        enc(
            SqlType::UniqueIdentifier,
            Cell::Text("6F9619FF-8B86-D011-B42D-00C04FC964FF")
        )
    );
    // Into a character column they are their text.
    let nv = SqlType::NVarChar {
        len: VarLen::Len(20),
        collation: CP1252,
    };
    assert_eq!(
        enc(
            nv,
            Cell::Decimal {
                mantissa: -1205,
                scale: 2
            }
        ),
        enc(nv, Cell::Text("-12.05"))
    );
    assert_eq!(
        enc(nv, Cell::Date { days: 0 }),
        enc(nv, Cell::Text("1970-01-01"))
    );
}

#[test]
fn parsed_value_cells_refuse_what_would_round_or_overflow() {
    assert_reason(
        DEC10_2,
        Cell::Decimal {
            mantissa: 12_345,
            scale: 3,
        },
        "more than 2 decimal places",
    );
    assert_reason(
        SqlType::Int,
        Cell::Decimal {
            mantissa: 25,
            scale: 1,
        },
        "decimal places",
    );
    assert_reason(
        SqlType::Date,
        Cell::DateTime {
            days: 0,
            nanos: 1_000,
        },
        "time of day",
    );
    assert_reason(SqlType::Date, Cell::Date { days: i32::MAX }, "date outside");
    assert_reason(SqlType::Date, Cell::Date { days: -719_163 }, "date outside");
    assert_reason(
        SqlType::Time { scale: 7 },
        Cell::Time {
            nanos: 86_400_000_000_000,
        },
        "under 24 h",
    );
    assert_reason(
        SqlType::DateTimeOffset { scale: 7 },
        Cell::DateTimeOffset {
            days: i32::MIN,
            nanos: 0,
            offset_minutes: 840,
        },
        "date outside",
    );
    assert_reason(
        SqlType::Decimal {
            precision: 38,
            scale: 10,
        },
        Cell::Decimal {
            mantissa: i128::MAX / 10,
            scale: 0,
        },
        "out of range",
    );
}
