//! xml and sql_variant cells in bulk rows (golden bytes after MS-TDS 2.2.5.5.3 and 2.2.5.5.4),
//! and the column types a bulk load refuses by name.

use super::tests::{col, enc};
use super::*;
use crate::collation::Collation;
use crate::reader::ByteReader;
use crate::types::UdtKind;
use crate::value::decode::decode_value;
use crate::value::Value;

#[test]
fn xml_cells_travel_as_plp_utf16() {
    // "<a/>" = 4 UTF-16 units = 8 bytes: total length 8, one chunk of 8, terminator.
    let mut want = vec![8, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0];
    want.extend("<a/>".encode_utf16().flat_map(u16::to_le_bytes));
    want.extend([0, 0, 0, 0]);
    assert_eq!(enc(SqlType::Xml, Cell::Text("<a/>")), want);
    let units: Vec<u16> = "<a/>".encode_utf16().collect();
    assert_eq!(enc(SqlType::Xml, Cell::Utf16(&units)), want);
    assert_eq!(enc(SqlType::Xml, Cell::Null), u64::MAX.to_le_bytes());
    // The bulk COLMETADATA announces XMLTYPE without a schema collection.
    let mut meta = BytesMut::new();
    encode_bulk_colmetadata(&[col(SqlType::Xml)], &mut meta);
    assert_eq!(&meta[9..11], &[0xF1, 0]);
}

#[test]
fn sql_variant_cells_carry_their_base_type() {
    // An integer: int (INT4 0x38), no properties, 4 bytes; bigint (INT8 0x7F) beyond.
    assert_eq!(
        enc(SqlType::Variant, Cell::Int(7)),
        vec![6, 0, 0, 0, 0x38, 0, 7, 0, 0, 0]
    );
    assert_eq!(
        enc(SqlType::Variant, Cell::Int(1 << 40)),
        [
            vec![10, 0, 0, 0, 0x7F, 0],
            (1i64 << 40).to_le_bytes().to_vec()
        ]
        .concat()
    );
    // A boolean: bit (0x32).
    assert_eq!(
        enc(SqlType::Variant, Cell::Bool(true)),
        vec![3, 0, 0, 0, 0x32, 0, 1]
    );
    // Text: nvarchar (0xE7) with a collation and maximum length (bytes) as properties.
    let cp1 = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS.to_bytes();
    assert_eq!(
        enc(SqlType::Variant, Cell::Text("hi")),
        [
            vec![13, 0, 0, 0, 0xE7, 7],
            cp1.to_vec(),
            vec![4, 0, b'h', 0, b'i', 0]
        ]
        .concat()
    );
    assert_eq!(enc(SqlType::Variant, Cell::Null), vec![0, 0, 0, 0]);
    // Every kind reads back as the value it was.
    let ti = crate::types::TypeInfo::nullable(SqlType::Variant);
    for (cell, want) in [
        (Cell::Float(0.5), Value::Float(0.5)),
        (Cell::Bytes(&[1, 2]), Value::Binary(vec![1, 2])),
        (
            Cell::Int128(12345678901234567890123),
            Value::Decimal(crate::value::Decimal {
                mantissa: 12345678901234567890123,
                scale: 0,
            }),
        ),
    ] {
        let b = enc(SqlType::Variant, cell);
        assert_eq!(
            decode_value(&ti, &mut ByteReader::new(&b)).unwrap(),
            want,
            "{cell:?}"
        );
    }
}

#[test]
fn sql_variant_refuses_more_than_8000_bytes() {
    let big = "x".repeat(4001);
    let mut buf = BytesMut::new();
    let e = encode_cell(&col(SqlType::Variant), Cell::Text(&big), &mut buf).unwrap_err();
    assert!(e.reason.contains("8000"), "{}", e.reason);
    assert!(buf.is_empty());
}

#[test]
fn text_ntext_image_and_clr_columns_are_refused_by_name() {
    let cp1 = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
    for ty in [
        SqlType::Text { collation: cp1 },
        SqlType::NText { collation: cp1 },
        SqlType::Image,
        SqlType::Udt {
            kind: UdtKind::Geography,
        },
    ] {
        let c = BulkColumn {
            name: "legacy".into(),
            ..col(ty)
        };
        let why = c.unsupported_reason().expect("refused");
        assert!(
            why.contains("\"legacy\"") && why.contains(&ty.sql_name()),
            "{why}"
        );
    }
    for ty in [SqlType::Xml, SqlType::Variant, SqlType::Int] {
        assert_eq!(col(ty).unsupported_reason(), None);
    }
}
