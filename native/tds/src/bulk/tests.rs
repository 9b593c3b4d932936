//! Golden bytes of the bulk stream (MS-TDS 2.2.7.4, 2.2.7.19, 2.2.5.5), decode round trips
//! through the crate's own row decoder, the INSERT BULK statement and table names.

use super::*;
use crate::collation::Collation;
use crate::reader::ByteReader;
use crate::types::VarLen;
use crate::value::decode::decode_value;
use crate::value::text::temporal::days_from_civil;
use crate::value::{Date, Decimal, Time, Value};

pub(super) const CP1252: Collation = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
pub(super) const UTF8: Collation = Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8;
/// Japanese_CI_AS: a Windows collation with LCID 0x0411, code page 932 (Shift_JIS).
pub(super) const CP932: Collation = Collation {
    info: 0x00D0_0411,
    sort_id: 0,
};

pub(super) fn col(ty: SqlType) -> BulkColumn {
    BulkColumn {
        name: "c".into(),
        ty,
        nullable: true,
        null_takes_default: false,
        identity: false,
        computed: false,
        collation_name: None,
    }
}

pub(super) fn enc(ty: SqlType, cell: Cell<'_>) -> Vec<u8> {
    let mut buf = BytesMut::new();
    encode_cell(&col(ty), cell, &mut buf).unwrap_or_else(|e| panic!("{ty:?} {cell:?}: {e}"));
    buf.to_vec()
}

/// Milliseconds since 1970-01-01 of a UTC date and time.
pub(super) fn js_ms(y: i32, m: u32, d: u32, h: i64, min: i64, s: i64, ms: i64) -> f64 {
    let days = i64::from(days_from_civil(y, m, d).unwrap()) - 719_162;
    (((days * 24 + h) * 60 + min) * 60 + s) as f64 * 1000.0 + ms as f64
}

fn nvarchar(n: u16) -> SqlType {
    SqlType::NVarChar {
        len: VarLen::Len(n),
        collation: CP1252,
    }
}
fn varchar(n: u16, collation: Collation) -> SqlType {
    SqlType::VarChar {
        len: VarLen::Len(n),
        collation,
    }
}
const NVARCHAR_MAX: SqlType = SqlType::NVarChar {
    len: VarLen::Max,
    collation: CP1252,
};
const DEC18_4: SqlType = SqlType::Decimal {
    precision: 18,
    scale: 4,
};
const GUID_TEXT: &str = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
const GUID_DISPLAY: [u8; 16] = [
    0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF,
];
const GUID_WIRE: [u8; 17] = [
    16, 0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64,
    0xFF,
];

/// (column type, cell, bytes of the value, the value the row decoder reads back).
#[rustfmt::skip]
fn golden_cases() -> Vec<(SqlType, Cell<'static>, Vec<u8>, Value)> {
    let epoch_days = 719_162u32; // 0x0AF93A
    let t7 = |units| Time { units, scale: 7 };
    let d = |mantissa, scale| Value::Decimal(Decimal { mantissa, scale });
    let s = |text: &str| Value::String(text.into());
    let varchar_max = SqlType::VarChar { len: VarLen::Max, collation: CP1252 };
    let varbinary = |len| SqlType::VarBinary { len };
    let money_minus = vec![8, 0xFF, 0xFF, 0xFF, 0xFF, 0x3E, 0x79, 0xA5, 0xFE];
    vec![
        // INTN: length byte + little-endian integer (MS-TDS 2.2.5.5.1.1).
        (SqlType::Int, Cell::Int(1), vec![4, 1, 0, 0, 0], Value::Int(1)),
        (SqlType::TinyInt, Cell::Int(255), vec![1, 255], Value::TinyInt(255)),
        (SqlType::SmallInt, Cell::Int(-2), vec![2, 0xFE, 0xFF], Value::SmallInt(-2)),
        (SqlType::BigInt, Cell::Int128(-1), vec![8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Value::BigInt(-1)),
        (SqlType::Int, Cell::Float(2.0), vec![4, 2, 0, 0, 0], Value::Int(2)),
        (SqlType::Int, Cell::Text(" 2.0 "), vec![4, 2, 0, 0, 0], Value::Int(2)),
        (SqlType::Int, Cell::Text("-7"), vec![4, 0xF9, 0xFF, 0xFF, 0xFF], Value::Int(-7)),
        // BITN.
        (SqlType::Bit, Cell::Bool(true), vec![1, 1], Value::Bit(true)),
        (SqlType::Bit, Cell::Int(0), vec![1, 0], Value::Bit(false)),
        (SqlType::Bit, Cell::Text("true"), vec![1, 1], Value::Bit(true)),
        // FLTN: IEEE-754 little-endian.
        (SqlType::Float, Cell::Float(1.0), vec![8, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F], Value::Float(1.0)),
        (SqlType::Real, Cell::Float(1.0), vec![4, 0, 0, 0x80, 0x3F], Value::Real(1.0)),
        (SqlType::Float, Cell::Int(-2), vec![8, 0, 0, 0, 0, 0, 0, 0, 0xC0], Value::Float(-2.0)),
        // DECIMALN: sign (1 = +) then value x 10^scale, 123456 = 0x01E240 (2.2.5.5.1.6).
        (DEC18_4, Cell::Text("12.3456"), vec![9, 1, 0x40, 0xE2, 0x01, 0, 0, 0, 0, 0], d(123_456, 4)),
        (DEC18_4, Cell::Float(12.3456), vec![9, 1, 0x40, 0xE2, 0x01, 0, 0, 0, 0, 0], d(123_456, 4)),
        (DEC18_4, Cell::Int(-3), vec![9, 0, 0x30, 0x75, 0, 0, 0, 0, 0, 0], d(-30_000, 4)),
        (SqlType::Numeric { precision: 5, scale: 2 }, Cell::Float(-1.5), vec![5, 0, 150, 0, 0, 0], d(-150, 2)),
        (SqlType::Decimal { precision: 38, scale: 0 }, Cell::Int128(1 << 64),
            vec![17, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], d(1 << 64, 0)),
        // MONEYN: value x 10^4 as int64, high 4 bytes first (2.2.5.5.1.4); 10000 = 0x2710.
        (SqlType::Money, Cell::Float(1.0), vec![8, 0, 0, 0, 0, 0x10, 0x27, 0, 0], Value::Money(10_000)),
        (SqlType::Money, Cell::Text("-2270.9954"), money_minus.clone(), Value::Money(-22_709_954)),
        (SqlType::Money, Cell::Float(-2270.9954), money_minus, Value::Money(-22_709_954)),
        (SqlType::SmallMoney, Cell::Int(1), vec![4, 0x10, 0x27, 0, 0], Value::Money(10_000)),
        // DATETIMN: days since 1900-01-01 (1970-01-01 is day 25567 = 0x63DF), then 1/300 s.
        (SqlType::DateTime, Cell::DateMs(0.0), vec![8, 0xDF, 0x63, 0, 0, 0, 0, 0, 0], Value::DateTime { days: 25_567, ticks: 0 }),
        (SqlType::DateTime, Cell::DateMs(2.0), vec![8, 0xDF, 0x63, 0, 0, 1, 0, 0, 0], Value::DateTime { days: 25_567, ticks: 1 }),
        (SqlType::DateTime, Cell::DateMs(5.0), vec![8, 0xDF, 0x63, 0, 0, 2, 0, 0, 0], Value::DateTime { days: 25_567, ticks: 2 }),
        (SqlType::DateTime, Cell::Text("1970-01-01 00:00:01"), vec![8, 0xDF, 0x63, 0, 0, 0x2C, 1, 0, 0],
            Value::DateTime { days: 25_567, ticks: 300 }),
        (SqlType::SmallDateTime, Cell::DateMs(90_000.0), vec![4, 0xDF, 0x63, 2, 0], Value::SmallDateTime { days: 25_567, minutes: 2 }),
        // DATEN: 3 bytes of days since 0001-01-01; TIMEN/DATETIME2N/DATETIMEOFFSETN.
        (SqlType::Date, Cell::DateMs(0.0), vec![3, 0x3A, 0xF9, 0x0A], Value::Date(Date(epoch_days))),
        (SqlType::DateTime2 { scale: 3 }, Cell::DateMs(1.0), vec![7, 1, 0, 0, 0, 0x3A, 0xF9, 0x0A],
            Value::DateTime2 { date: Date(epoch_days), time: Time { units: 1, scale: 3 } }),
        (SqlType::DateTime2 { scale: 7 }, Cell::DateMs(-0.5), vec![8, 0x78, 0xAC, 0x69, 0x2A, 0xC9, 0x39, 0xF9, 0x0A],
            Value::DateTime2 { date: Date(epoch_days - 1), time: t7(863_999_995_000) }),
        (SqlType::DateTimeOffset { scale: 0 }, Cell::DateMs(0.0), vec![8, 0, 0, 0, 0x3A, 0xF9, 0x0A, 0, 0],
            Value::DateTimeOffset { date: Date(epoch_days), time: Time { units: 0, scale: 0 }, offset_minutes: 0 }),
        (SqlType::Time { scale: 0 }, Cell::Text("01:00:00"), vec![3, 0x10, 0x0E, 0], Value::Time(Time { units: 3600, scale: 0 })),
        // GUID: first three groups little-endian (2.2.5.5.1.3).
        (SqlType::UniqueIdentifier, Cell::Text(GUID_TEXT), GUID_WIRE.to_vec(), Value::Guid(GUID_DISPLAY)),
        (SqlType::UniqueIdentifier, Cell::Text("{6f9619ff-8b86-d011-b42d-00c04fc964ff}"), GUID_WIRE.to_vec(), Value::Guid(GUID_DISPLAY)),
        (SqlType::UniqueIdentifier, Cell::Bytes(&GUID_DISPLAY), GUID_WIRE.to_vec(), Value::Guid(GUID_DISPLAY)),
        // NVARCHAR: 2-byte byte length + UTF-16LE; PLP for (max).
        (nvarchar(10), Cell::Text("hi"), vec![4, 0, b'h', 0, b'i', 0], s("hi")),
        (nvarchar(10), Cell::Utf16(&[0x68, 0x69]), vec![4, 0, b'h', 0, b'i', 0], s("hi")),
        (nvarchar(2), Cell::Text("😀"), vec![4, 0, 0x3D, 0xD8, 0x00, 0xDE], s("😀")),
        (NVARCHAR_MAX, Cell::Text("ab"), vec![4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, b'a', 0, b'b', 0, 0, 0, 0, 0], s("ab")),
        (NVARCHAR_MAX, Cell::Text(""), vec![0; 12], s("")),
        (SqlType::NChar { len: 3, collation: CP1252 }, Cell::Int(42), vec![4, 0, b'4', 0, b'2', 0], s("42")),
        (nvarchar(30), Cell::DateMs(0.0), [vec![48, 0], utf16le("1970-01-01T00:00:00.000Z")].concat(), s("1970-01-01T00:00:00.000Z")),
        (nvarchar(5), Cell::Bool(true), [vec![8, 0], utf16le("true")].concat(), s("true")),
        (nvarchar(5), Cell::Float(0.5), [vec![6, 0], utf16le("0.5")].concat(), s("0.5")),
        // BIGVARCHR / BIGCHAR: bytes in the collation's code page.
        (varchar(10, CP1252), Cell::Text("café"), vec![4, 0, b'c', b'a', b'f', 0xE9], s("café")),
        (varchar(10, CP1252), Cell::Utf16(&[0x63, 0xE9]), vec![2, 0, b'c', 0xE9], s("cé")),
        (varchar(10, UTF8), Cell::Text("café"), vec![5, 0, b'c', b'a', b'f', 0xC3, 0xA9], s("café")),
        (varchar(10, UTF8), Cell::Utf16(&[0x63, 0xE9]), vec![3, 0, b'c', 0xC3, 0xA9], s("cé")),
        (SqlType::Char { len: 4, collation: CP932 }, Cell::Text("日本"), vec![4, 0, 0x93, 0xFA, 0x96, 0x7B], s("日本")),
        (varchar_max, Cell::Text("ab"), vec![2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, b'a', b'b', 0, 0, 0, 0], s("ab")),
        (varchar_max, Cell::Text("é"), vec![1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0xE9, 0, 0, 0, 0], s("é")),
        // BIGVARBIN / BIGBINARY.
        (varbinary(VarLen::Len(4)), Cell::Bytes(&[1, 2]), vec![2, 0, 1, 2], Value::Binary(vec![1, 2])),
        (SqlType::Binary { len: 2 }, Cell::Text("0x0102"), vec![2, 0, 1, 2], Value::Binary(vec![1, 2])),
        (varbinary(VarLen::Max), Cell::Bytes(&[1, 2]), vec![2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 2, 0, 0, 0, 0],
            Value::Binary(vec![1, 2])),
        // NULL: a zero length for BYTELEN types, 0xFFFF for USHORTLEN, PLP NULL for (max).
        (SqlType::Int, Cell::Null, vec![0], Value::Null),
        (DEC18_4, Cell::Null, vec![0], Value::Null),
        (SqlType::DateTime2 { scale: 7 }, Cell::Null, vec![0], Value::Null),
        (SqlType::UniqueIdentifier, Cell::Null, vec![0], Value::Null),
        (nvarchar(10), Cell::Null, vec![0xFF, 0xFF], Value::Null),
        (varbinary(VarLen::Len(4)), Cell::Null, vec![0xFF, 0xFF], Value::Null),
        (NVARCHAR_MAX, Cell::Null, vec![0xFF; 8], Value::Null),
    ]
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn every_type_encodes_to_golden_bytes() {
    for (ty, cell, bytes, _) in golden_cases() {
        assert_eq!(enc(ty, cell), bytes, "{ty:?} {cell:?}");
    }
}

#[test]
fn what_encode_cell_writes_decodes_to_the_expected_value() {
    for (ty, cell, _, expected) in golden_cases() {
        let bytes = enc(ty, cell);
        let mut r = ByteReader::new(&bytes);
        let v = decode_value(&TypeInfo::nullable(ty), &mut r).unwrap();
        assert_eq!(v, expected, "{ty:?} {cell:?}");
        assert!(r.is_empty(), "{ty:?} {cell:?}: trailing bytes");
    }
}

#[test]
fn js_dates_round_trip_through_datetime2_and_datetimeoffset() {
    let ms = js_ms(2024, 2, 29, 13, 45, 30, 123);
    let ty = SqlType::DateTimeOffset { scale: 7 };
    let bytes = enc(ty, Cell::DateMs(ms));
    let v = decode_value(&TypeInfo::nullable(ty), &mut ByteReader::new(&bytes)).unwrap();
    assert_eq!(v.to_text().unwrap(), "2024-02-29 13:45:30.1230000 +00:00");
    let first = js_ms(1, 1, 1, 0, 0, 0, 0);
    let bytes = enc(SqlType::Date, Cell::DateMs(first));
    assert_eq!(bytes, vec![3, 0, 0, 0]);
    // 23:59:59.999 rounds to the next 1/300 s tick, which is the next day.
    let bytes = enc(
        SqlType::DateTime,
        Cell::DateMs(js_ms(2000, 1, 1, 23, 59, 59, 999)),
    );
    let v = decode_value(
        &TypeInfo::nullable(SqlType::DateTime),
        &mut ByteReader::new(&bytes),
    );
    assert_eq!(v.unwrap().to_text().unwrap(), "2000-01-02 00:00:00.000");
}

#[test]
fn a_row_is_the_row_token_then_its_cells() {
    let cols = [col(SqlType::Int), col(nvarchar(5)), col(SqlType::Bit)];
    let mut buf = BytesMut::new();
    begin_row(&mut buf);
    encode_cell(&cols[0], Cell::Int(7), &mut buf).unwrap();
    encode_cell(&cols[1], Cell::Null, &mut buf).unwrap();
    encode_cell(&cols[2], Cell::Bool(false), &mut buf).unwrap();
    assert_eq!(buf.as_ref(), [0xD1, 4, 7, 0, 0, 0, 0xFF, 0xFF, 1, 0]);
}

fn table() -> Vec<BulkColumn> {
    let named = |name: &str, ty, nullable| BulkColumn {
        name: name.into(),
        nullable,
        ..col(ty)
    };
    vec![
        BulkColumn {
            identity: true,
            ..named("id", SqlType::Int, false)
        },
        named("a", SqlType::Int, false),
        BulkColumn {
            collation_name: Some("Latin1_General_CI_AS".into()),
            ..named("b", nvarchar(50), true)
        },
        BulkColumn {
            // A collation name on a non-character column is ignored.
            collation_name: Some("Latin1_General_CI_AS".into()),
            ..named("c", DEC18_4, true)
        },
        BulkColumn {
            computed: true,
            ..named("total", SqlType::Int, true)
        },
        BulkColumn {
            collation_name: Some("x; DROP TABLE t".into()),
            ..named("w]eird", varchar(3, CP1252), true)
        },
    ]
}

#[test]
fn insert_bulk_statement_with_every_option() {
    let opts = BulkOptions {
        table_lock: true,
        check_constraints: true,
        fire_triggers: true,
        keep_nulls: true,
        keep_identity: false,
        rows_per_batch: Some(1000),
        kilobytes_per_batch: Some(512),
        order: vec![
            OrderColumn {
                name: "a".into(),
                descending: false,
            },
            OrderColumn {
                name: "b".into(),
                descending: true,
            },
        ],
    };
    let name = vec!["dbo".to_string(), "t".to_string()];
    assert_eq!(
        insert_bulk_statement(&name, &table(), &opts),
        "INSERT BULK [dbo].[t] ([a] int, [b] nvarchar(50) COLLATE Latin1_General_CI_AS, \
         [c] decimal(18,4), [w]]eird] varchar(3)) WITH (CHECK_CONSTRAINTS, FIRE_TRIGGERS, \
         KEEP_NULLS, TABLOCK, ROWS_PER_BATCH = 1000, KILOBYTES_PER_BATCH = 512, \
         ORDER ([a] ASC, [b] DESC))"
    );
}

#[test]
fn insert_bulk_statement_lists_identity_columns_only_to_keep_their_values() {
    let opts = BulkOptions {
        keep_identity: true,
        rows_per_batch: Some(0),
        ..BulkOptions::default()
    };
    let sql = insert_bulk_statement(&["#tmp".to_string()], &table()[..2], &opts);
    assert_eq!(sql, "INSERT BULK [#tmp] ([id] int, [a] int)");
    let names: Vec<String> = loaded_columns(&table(), &opts)
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["id", "a", "b", "c", "w]eird"]);
    let names: Vec<String> = loaded_columns(&table(), &BulkOptions::default())
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["a", "b", "c", "w]eird"]);
}

#[test]
fn bulk_colmetadata_golden_bytes_for_three_columns() {
    let cols = &table()[1..4];
    let mut buf = BytesMut::new();
    encode_bulk_colmetadata(cols, &mut buf);
    #[rustfmt::skip]
    let expected = [
        0x81, 3, 0,
        // [a] int NOT NULL: UserType 0, flags 0x0008, INTN 4, name "a".
        0, 0, 0, 0, 0x08, 0x00, 0x26, 4, 1, b'a', 0,
        // [b] nvarchar(50) NULL: flags 0x0009, NVARCHAR max 100 bytes, collation
        // SQL_Latin1_General_CP1_CI_AS (LCID 0x0409, flags 0xD0, SortId 52).
        0, 0, 0, 0, 0x09, 0x00, 0xE7, 100, 0, 0x09, 0x04, 0xD0, 0x00, 52, 1, b'b', 0,
        // [c] decimal(18,4) NULL: DECIMALN, length 9, precision 18, scale 4.
        0, 0, 0, 0, 0x09, 0x00, 0x6A, 9, 18, 4, 1, b'c', 0,
    ];
    assert_eq!(buf.as_ref(), expected);
    let mut buf = BytesMut::new();
    encode_bulk_colmetadata(&table()[..1], &mut buf);
    assert_eq!(
        buf.as_ref(),
        [0x81, 1, 0, 0, 0, 0, 0, 0x18, 0, 0x26, 4, 2, b'i', 0, b'd', 0]
    );
}

#[test]
fn bulk_column_from_server_metadata() {
    let meta = |flags, user_type| ColumnMeta {
        name: "x".into(),
        user_type,
        flags,
        type_info: TypeInfo {
            ty: SqlType::Int,
            fixed: true,
        },
    };
    let c = BulkColumn::from_meta(&meta(0x0011, 0), Some("Latin1_General_CI_AS".into()));
    assert!(c.nullable && c.identity && !c.computed);
    assert_eq!((c.name.as_str(), c.ty), ("x", SqlType::Int));
    assert_eq!(c.collation_name.as_deref(), Some("Latin1_General_CI_AS"));
    assert!(BulkColumn::from_meta(&meta(0x0020, 0), None).computed);
    // timestamp/rowversion (UserType 80) is filled in by the server.
    assert!(BulkColumn::from_meta(&meta(0, 0x50), None).computed);
}

#[test]
fn bulk_done_is_status_0_count_0() {
    let mut buf = BytesMut::new();
    encode_bulk_done(&mut buf);
    assert_eq!(buf.as_ref(), [0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn identifiers_are_bracketed_with_closing_brackets_doubled() {
    assert_eq!(quote_identifier("a]b"), "[a]]b]");
    assert_eq!(quote_identifier("my table"), "[my table]");
    let parts: Vec<String> = ["db", "", "t"].map(String::from).to_vec();
    assert_eq!(quote_multipart(&parts), "[db]..[t]");
}

#[test]
fn multipart_names_parse_into_their_parts() {
    let ok = |s: &str, want: &[&str]| {
        assert_eq!(parse_multipart_name(s).unwrap(), want, "{s:?}");
    };
    ok("sales", &["sales"]);
    ok("dbo.sales", &["dbo", "sales"]);
    ok(" dbo . sales ", &["dbo", "sales"]);
    ok("[my.db].[dbo].[t]", &["my.db", "dbo", "t"]);
    ok("\"quoted\".x", &["quoted", "x"]);
    ok("\"a\"\"b\"", &["a\"b"]);
    ok("[a]]b]", &["a]b"]);
    ok("#tmp", &["#tmp"]);
    ok("##global", &["##global"]);
    ok("db..t", &["db", "", "t"]);
    ok("srv.db.dbo.t", &["srv", "db", "dbo", "t"]);
    ok("srv...t", &["srv", "", "", "t"]);
    ok("[日本].表", &["日本", "表"]);
}

#[test]
fn bad_multipart_names_are_refused_with_a_reason() {
    let err = |s: &str, needle: &str| {
        let e = parse_multipart_name(s).unwrap_err();
        assert!(e.contains(needle), "{s:?}: {e}");
    };
    err("", "empty");
    err("   ", "empty");
    err(".t", "starts with '.'");
    err("t.", "no table after");
    err("a.b.c.d.e", "more than 4 parts");
    err("[unclosed", "no closing");
    err("\"open", "no closing");
    err("my table", "put it in brackets: [my table]");
    err("[a]x", "expected '.'");
    err("a.[]", "empty delimited identifier");
    err("a]b", "contains ']'");
    err(&"x".repeat(129), "longer than 128");
}
