//! The large and self-describing types in COLMETADATA and rows, from golden bytes written by
//! hand after MS-TDS 2.2.5.4.2-2.2.5.5.5 and 2.2.7.19, and a value that cannot be represented
//! inside a well-framed row.

use super::*;
use crate::collation::Collation;
use crate::types::{SqlType, UdtKind};
use crate::value::{Date, Time};
use bytes::BytesMut;

const CP1: [u8; 5] = [0x09, 0x04, 0xD0, 0x00, 0x34];

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn b_varchar(s: &str) -> Vec<u8> {
    let mut v = vec![s.encode_utf16().count() as u8];
    v.extend(utf16(s));
    v
}

fn us_varchar(s: &str) -> Vec<u8> {
    let mut v = (s.encode_utf16().count() as u16).to_le_bytes().to_vec();
    v.extend(utf16(s));
    v
}

/// A COLMETADATA token as SQL Server sends it for
/// `(x xml(CONTENT dbo.s), t text, n ntext, i image, v sql_variant, h hierarchyid)`, all nullable.
fn golden_colmetadata() -> Vec<u8> {
    let mut b = vec![0x81, 6, 0];
    let col = |b: &mut Vec<u8>, type_info: Vec<u8>, name: &str| {
        b.extend([0, 0, 0, 0, 0x09, 0x00]); // UserType, Flags: nullable | updateable
        b.extend(type_info);
        b.extend(b_varchar(name));
    };
    let table = [vec![2u8], us_varchar("dbo"), us_varchar("docs")].concat();
    // xml with a schema collection: SCHEMA_PRESENT, database, owning schema, collection.
    col(
        &mut b,
        [
            vec![0xF1, 1],
            b_varchar("db"),
            b_varchar("dbo"),
            us_varchar("s"),
        ]
        .concat(),
        "x",
    );
    col(
        &mut b,
        [
            vec![0x23, 0xFF, 0xFF, 0xFF, 0x7F],
            CP1.to_vec(),
            table.clone(),
        ]
        .concat(),
        "t",
    );
    col(
        &mut b,
        [
            vec![0x63, 0xFE, 0xFF, 0xFF, 0x7F],
            CP1.to_vec(),
            table.clone(),
        ]
        .concat(),
        "n",
    );
    col(
        &mut b,
        [vec![0x22, 0xFF, 0xFF, 0xFF, 0x7F], table].concat(),
        "i",
    );
    col(&mut b, vec![0x62, 0x49, 0x1F, 0, 0], "v");
    col(
        &mut b,
        [
            vec![0xF0, 0x7C, 0x03],
            b_varchar("db"),
            b_varchar("sys"),
            b_varchar("hierarchyid"),
            us_varchar("Microsoft.SqlServer.Types.SqlHierarchyId, Microsoft.SqlServer.Types"),
        ]
        .concat(),
        "h",
    );
    b
}

fn text_value(data: &[u8]) -> Vec<u8> {
    let mut v = vec![16];
    v.extend([0xAA; 16]); // TextPtr
    v.extend([0xBB; 8]); // Timestamp
    v.extend((data.len() as u32).to_le_bytes());
    v.extend(data);
    v
}

fn plp(data: &[u8]) -> Vec<u8> {
    let mut v = (data.len() as u64).to_le_bytes().to_vec();
    v.extend((data.len() as u32).to_le_bytes());
    v.extend(data);
    v.extend([0, 0, 0, 0]);
    v
}

#[test]
fn decodes_the_metadata_of_xml_text_ntext_image_sql_variant_and_udt_columns() {
    let b = golden_colmetadata();
    let mut d = TokenDecoder::new();
    let (t, n) = d.decode(&b).unwrap();
    assert_eq!(n, b.len());
    let Token::ColMetadata(cols) = t else {
        panic!("{t:?}")
    };
    let cp1 = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
    let types: Vec<_> = cols.iter().map(|c| c.type_info.ty).collect();
    assert_eq!(
        types,
        [
            SqlType::Xml,
            SqlType::Text { collation: cp1 },
            SqlType::NText { collation: cp1 },
            SqlType::Image,
            SqlType::Variant,
            SqlType::Udt {
                kind: UdtKind::HierarchyId
            },
        ]
    );
    let names: Vec<_> = cols.iter().map(|c| c.type_info.ty.sql_name()).collect();
    assert_eq!(
        names,
        [
            "xml",
            "text",
            "ntext",
            "image",
            "sql_variant",
            "hierarchyid"
        ]
    );
}

#[test]
fn decodes_their_values_and_nulls_in_rows() {
    let mut b = golden_colmetadata();
    b.push(0xD1);
    // xml as PLP UTF-16 with a byte-order mark.
    b.extend(plp(&[vec![0xFF, 0xFE], utf16("<a>é</a>")].concat()));
    b.extend(text_value(b"caf\xE9")); // cp1252
    b.extend(text_value(&utf16("Zoë")));
    b.extend(text_value(&[1, 2, 3]));
    // sql_variant holding int 42: length, base type INT4, no properties, 4 bytes.
    b.extend([6, 0, 0, 0, 0x38, 0, 42, 0, 0, 0]);
    b.extend(plp(&[0x58]));
    // A second row of NULLs: PLP NULL, TextPtr length 0 (×3), variant length 0, PLP NULL.
    b.push(0xD1);
    b.extend(u64::MAX.to_le_bytes());
    b.extend([0, 0, 0]);
    b.extend([0, 0, 0, 0]);
    b.extend(u64::MAX.to_le_bytes());
    let mut d = TokenDecoder::new();
    let mut at = 0;
    let mut rows = vec![];
    while at < b.len() {
        let (t, n) = d.decode(&b[at..]).unwrap();
        at += n;
        if let Token::Row(r) = t {
            rows.push(r);
        }
    }
    assert_eq!(
        rows[0],
        vec![
            Value::String("<a>é</a>".into()),
            Value::String("café".into()),
            Value::String("Zoë".into()),
            Value::Binary(vec![1, 2, 3]),
            Value::Int(42),
            Value::Binary(vec![0x58]),
        ]
    );
    assert_eq!(rows[1], vec![Value::Null; 6]);
}

#[test]
fn sql_variant_reads_each_base_type_with_its_properties() {
    let cases: Vec<(Vec<u8>, Value)> = vec![
        // numeric(5,2) 123.45: NUMERICN, precision 5, scale 2, sign, 4-byte magnitude.
        (
            vec![0x6C, 2, 5, 2, 1, 0x39, 0x30, 0, 0],
            Value::Decimal(crate::value::Decimal {
                mantissa: 12345,
                scale: 2,
            }),
        ),
        // nvarchar 'hi': collation and maximum length as properties.
        (
            [vec![0xE7, 7], CP1.to_vec(), vec![8, 0], utf16("hi")].concat(),
            Value::String("hi".into()),
        ),
        // varchar 'é' in cp1252.
        (
            [vec![0xA7, 7], CP1.to_vec(), vec![8, 0], vec![0xE9]].concat(),
            Value::String("é".into()),
        ),
        // date 0001-01-02, time(0) 00:00:01.
        (vec![0x28, 0, 1, 0, 0], Value::Date(Date(1))),
        (
            vec![0x29, 1, 0, 1, 0, 0],
            Value::Time(Time { units: 1, scale: 0 }),
        ),
        (vec![0x32, 0, 1], Value::Bit(true)),
        (
            vec![0xA5, 2, 8, 0, 0xDE, 0xAD],
            Value::Binary(vec![0xDE, 0xAD]),
        ),
    ];
    for (body, want) in cases {
        let mut b = (body.len() as u32).to_le_bytes().to_vec();
        b.extend(&body);
        let mut r = ByteReader::new(&b);
        assert_eq!(
            crate::value::variant::decode_variant(&mut r).unwrap(),
            want,
            "{body:02X?}"
        );
        assert!(r.is_empty());
        // And back: the encoder picks a base type from the value that reads the same.
        let mut out = BytesMut::new();
        crate::value::variant::write_variant(
            &want,
            Collation::SQL_LATIN1_GENERAL_CP1_CI_AS,
            &mut out,
        )
        .unwrap();
        let mut r = ByteReader::new(&out);
        assert_eq!(crate::value::variant::decode_variant(&mut r).unwrap(), want);
    }
}

#[test]
fn sql_variant_refuses_bad_base_types_and_lengths_without_panicking() {
    for body in [
        vec![0x38, 0, 1, 2],       // int with 2 data bytes
        vec![0xF1, 0],             // xml is not a base type
        vec![0x6C, 1, 5],          // numeric with one property byte
        vec![0x29, 1, 9, 0, 0, 0], // time scale 9
        vec![0x38],                // no property count
    ] {
        let mut b = (body.len() as u32).to_le_bytes().to_vec();
        b.extend(&body);
        let e = crate::value::variant::decode_variant(&mut ByteReader::new(&b)).unwrap_err();
        assert!(
            matches!(e, DecodeError::Malformed { .. }),
            "{body:02X?}: {e}"
        );
    }
}

#[test]
fn encoders_write_what_the_decoders_read_for_the_new_types() {
    let cp1 = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
    let cols: Vec<ColumnMeta> = [
        SqlType::Xml,
        SqlType::Text { collation: cp1 },
        SqlType::NText { collation: cp1 },
        SqlType::Image,
        SqlType::Variant,
        SqlType::Udt {
            kind: UdtKind::Geography,
        },
    ]
    .into_iter()
    .enumerate()
    .map(|(i, ty)| ColumnMeta {
        name: format!("c{i}"),
        user_type: 0,
        flags: 1,
        type_info: crate::types::TypeInfo::nullable(ty),
    })
    .collect();
    let row = vec![
        Value::String("<r/>".into()),
        Value::String("abc".into()),
        Value::String("Zoë".into()),
        Value::Binary(vec![9]),
        Value::BigInt(-5),
        Value::Binary(vec![0xE6, 0x10]),
    ];
    let mut b = BytesMut::new();
    encode_colmetadata(&cols, &mut b);
    encode_row(&cols, &row, &mut b).unwrap();
    encode_nbcrow(&cols, &vec![Value::Null; 6], &mut b).unwrap();
    encode_row(&cols, &vec![Value::Null; 6], &mut b).unwrap();
    let mut d = TokenDecoder::new();
    let mut at = 0;
    let mut tokens = vec![];
    while at < b.len() {
        let (t, n) = d.decode(&b[at..]).unwrap();
        at += n;
        tokens.push(t);
    }
    let Token::ColMetadata(got) = &tokens[0] else {
        panic!()
    };
    assert_eq!(**got, cols);
    assert_eq!(tokens[1], Token::Row(row));
    assert_eq!(tokens[2], Token::Row(vec![Value::Null; 6]));
    assert_eq!(tokens[3], Token::Row(vec![Value::Null; 6]));
}

#[test]
fn a_datetime2_in_year_10000_fails_its_row_but_not_the_stream() {
    // COLMETADATA (id int NOT NULL, at datetime2(0) NULL), then a row whose date is one day
    // after 9999-12-31, then a good row: the bad row is consumed whole and named.
    let mut b = vec![0x81, 2, 0];
    b.extend([0, 0, 0, 0, 0, 0, 0x38]);
    b.extend(b_varchar("id"));
    b.extend([0, 0, 0, 0, 1, 0, 0x2A, 0]);
    b.extend(b_varchar("at"));
    let bad_day = 3_652_059u32; // 10000-01-01
    b.extend([0xD1, 1, 0, 0, 0, 6, 0, 0, 0]);
    b.extend(&bad_day.to_le_bytes()[..3]);
    b.extend([0xD1, 2, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0]);
    let mut d = TokenDecoder::new();
    let (_, n1) = d.decode(&b).unwrap();
    let (t, n2) = d.decode(&b[n1..]).unwrap();
    match t {
        Token::UnreadableRow { column, error } => {
            assert_eq!(column, 1);
            assert!(error.to_string().contains("9999-12-31"), "{error}");
        }
        t => panic!("{t:?}"),
    }
    let (t, n3) = d.decode(&b[n1 + n2..]).unwrap();
    assert_eq!(
        t,
        Token::Row(vec![
            Value::Int(2),
            Value::DateTime2 {
                date: Date(0),
                time: Time { units: 0, scale: 0 }
            }
        ])
    );
    assert_eq!(n1 + n2 + n3, b.len());
    // A lie in the framing itself (a length byte past the end) is still an error.
    let mut broken = b[..n1].to_vec();
    broken.extend([0xD1, 1, 0, 0, 0, 0xFF, 0, 0]);
    let mut d = TokenDecoder::new();
    let (_, n) = d.decode(&broken).unwrap();
    assert_eq!(d.decode(&broken[n..]), Err(DecodeError::Incomplete));
}
