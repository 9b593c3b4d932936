use super::*;
use bytes::BytesMut;

fn decode_all(buf: &[u8]) -> Vec<Token> {
    let mut d = TokenDecoder::new();
    let mut at = 0;
    let mut out = vec![];
    while at < buf.len() {
        let (t, n) = d.decode(&buf[at..]).expect("decodes");
        at += n;
        out.push(t);
    }
    out
}

#[test]
fn golden_done_with_count() {
    let mut b = BytesMut::new();
    encode_done(
        &Done {
            kind: DoneKind::Done,
            status: done_status::COUNT,
            cur_cmd: 0xC1,
            row_count: 3,
        },
        &mut b,
    );
    assert_eq!(
        &b[..],
        &[0xFD, 0x10, 0x00, 0xC1, 0x00, 3, 0, 0, 0, 0, 0, 0, 0]
    );
    match &decode_all(&b)[0] {
        Token::Done(d) => assert_eq!(d.count(), Some(3)),
        t => panic!("{t:?}"),
    }
}

#[test]
fn golden_error_18456() {
    let m = ServerMessage {
        number: 18456,
        state: 1,
        class: 14,
        message: "Login failed for user 'sa'.".into(),
        server: "srv".into(),
        procedure: "".into(),
        line: 1,
    };
    let mut b = BytesMut::new();
    encode_message(&m, true, &mut b);
    assert_eq!(b[0], 0xAA);
    assert_eq!(u16::from_le_bytes([b[1], b[2]]) as usize, b.len() - 3);
    assert_eq!(&b[3..9], &[0x18, 0x48, 0, 0, 1, 14]);
    assert_eq!(decode_all(&b), vec![Token::Error(m)]);
}

#[test]
fn envchanges_round_trip() {
    let all = vec![
        EnvChange::Database {
            new: "sales".into(),
            old: "master".into(),
        },
        EnvChange::PacketSize {
            new: 8000,
            old: 4096,
        },
        EnvChange::Collation {
            new: Some(crate::collation::Collation::SQL_LATIN1_GENERAL_CP1_CI_AS),
        },
        EnvChange::BeginTransaction {
            descriptor: 0x0102_0304_0506_0708,
        },
        EnvChange::CommitTransaction { descriptor: 7 },
        EnvChange::RollbackTransaction {
            descriptor: 0x0102_0304_0506_0708,
        },
        EnvChange::Routing {
            host: "replica.example.net".into(),
            port: 11000,
        },
    ];
    let mut b = BytesMut::new();
    for e in &all {
        encode_envchange(e, &mut b);
    }
    let got: Vec<EnvChange> = decode_all(&b)
        .into_iter()
        .map(|t| match t {
            Token::EnvChange(e) => e,
            t => panic!("{t:?}"),
        })
        .collect();
    assert_eq!(got, all);
}

#[test]
fn golden_packet_size_envchange() {
    let mut b = BytesMut::new();
    encode_envchange(
        &EnvChange::PacketSize {
            new: 8000,
            old: 4096,
        },
        &mut b,
    );
    #[rustfmt::skip]
    let expect: &[u8] = &[0xE3, 0x13, 0x00, 0x04,
        0x04, b'8', 0, b'0', 0, b'0', 0, b'0', 0,
        0x04, b'4', 0, b'0', 0, b'9', 0, b'6', 0];
    assert_eq!(&b[..], expect);
}

#[test]
fn loginack_and_featureextack_round_trip() {
    let a = LoginAck {
        interface: 1,
        tds_version: 0x7400_0004,
        prog_name: "Microsoft SQL Server".into(),
        prog_version: [16, 0, 0x03, 0xE8],
    };
    let mut b = BytesMut::new();
    encode_loginack(&a, &mut b);
    assert_eq!(&b[4..8], &[0x74, 0, 0, 4]);
    encode_feature_ext_ack(
        &[FeatureAck {
            id: 0x02,
            data: vec![],
        }],
        &mut b,
    );
    assert_eq!(
        decode_all(&b),
        vec![
            Token::LoginAck(a),
            Token::FeatureExtAck(vec![FeatureAck {
                id: 2,
                data: vec![]
            }])
        ]
    );
}

#[test]
fn every_prefix_of_a_stream_is_incomplete_never_a_panic() {
    let mut b = BytesMut::new();
    encode_envchange(
        &EnvChange::Database {
            new: "db".into(),
            old: "master".into(),
        },
        &mut b,
    );
    encode_done(
        &Done {
            kind: DoneKind::Done,
            status: 0,
            cur_cmd: 0,
            row_count: 0,
        },
        &mut b,
    );
    let first_len = {
        let mut d = TokenDecoder::new();
        d.decode(&b).unwrap().1
    };
    for n in 0..first_len {
        let mut d = TokenDecoder::new();
        assert_eq!(
            d.decode(&b[..n]).unwrap_err(),
            DecodeError::Incomplete,
            "prefix {n}"
        );
    }
}

#[test]
fn row_before_metadata_and_unknown_tokens_are_malformed() {
    let mut d = TokenDecoder::new();
    assert!(matches!(
        d.decode(&[0xD1, 0, 0]),
        Err(DecodeError::Malformed { .. })
    ));
    assert!(matches!(
        d.decode(&[0x01]),
        Err(DecodeError::Malformed { .. })
    ));
}

#[test]
fn error_body_shorter_than_its_fields_is_malformed() {
    // Length 3 but an ERROR needs at least 4+1+1+2+1+1+4 bytes.
    assert!(matches!(
        TokenDecoder::new().decode(&[0xAA, 3, 0, 1, 2, 3]),
        Err(DecodeError::Malformed { .. })
    ));
}

fn col(name: &str, ty: crate::types::SqlType, nullable: bool) -> crate::types::ColumnMeta {
    crate::types::ColumnMeta {
        name: name.into(),
        user_type: 0,
        flags: if nullable {
            crate::types::column_flags::NULLABLE
        } else {
            0
        },
        type_info: crate::types::TypeInfo::nullable(ty),
    }
}

#[test]
fn golden_colmetadata_and_row() {
    use crate::types::SqlType;
    let cols = vec![col("id", SqlType::Int, false)];
    let mut b = BytesMut::new();
    encode_colmetadata(&cols, &mut b);
    encode_row(&cols, &[Value::Int(7)], &mut b).unwrap();
    #[rustfmt::skip]
    let expect: &[u8] = &[
        0x81, 1, 0,                  // COLMETADATA, 1 column
        0, 0, 0, 0, 0, 0,            // UserType, Flags
        0x26, 4,                     // INTN(4)
        2, b'i', 0, b'd', 0,         // "id"
        0xD1, 4, 7, 0, 0, 0,         // ROW: int 7
    ];
    assert_eq!(&b[..], expect);
}

#[test]
fn rows_and_nbcrows_decode_against_the_last_colmetadata() {
    use crate::collation::Collation;
    use crate::types::{SqlType, VarLen};
    let cols = vec![
        col("a", SqlType::Int, true),
        col(
            "b",
            SqlType::NVarChar {
                len: VarLen::Len(10),
                collation: Collation::SQL_LATIN1_GENERAL_CP1_CI_AS,
            },
            true,
        ),
        col("c", SqlType::BigInt, true),
    ];
    let mut b = BytesMut::new();
    encode_colmetadata(&cols, &mut b);
    encode_row(
        &cols,
        &[Value::Int(1), Value::String("x".into()), Value::Null],
        &mut b,
    )
    .unwrap();
    encode_nbcrow(
        &cols,
        &[Value::Null, Value::String("yz".into()), Value::Null],
        &mut b,
    )
    .unwrap();
    encode_done(
        &Done {
            kind: DoneKind::Done,
            status: done_status::COUNT,
            cur_cmd: 0xC1,
            row_count: 2,
        },
        &mut b,
    );
    let toks = decode_all(&b);
    assert!(matches!(&toks[0], Token::ColMetadata(c) if c.len() == 3));
    assert_eq!(
        toks[1],
        Token::Row(vec![Value::Int(1), Value::String("x".into()), Value::Null])
    );
    assert_eq!(
        toks[2],
        Token::Row(vec![Value::Null, Value::String("yz".into()), Value::Null])
    );
    // NBCROW: bitmap 0b101, then only the nvarchar value.
    let nbc_at = b.iter().position(|&x| x == 0xD2).unwrap();
    assert_eq!(&b[nbc_at..nbc_at + 4], &[0xD2, 0b101, 4, 0]);

    // skip_row frames each row exactly as decode does, other tokens are not rows, and a row
    // cut short is incomplete.
    let mut d = TokenDecoder::new();
    let (_, meta_len) = d.decode(&b).unwrap();
    assert_eq!(d.skip_row(&b), Ok(None), "COLMETADATA is no row");
    let mut at = meta_len;
    for _ in 0..2 {
        let (_, n) = d.clone().decode(&b[at..]).unwrap();
        assert_eq!(d.skip_row(&b[at..]), Ok(Some(n)));
        for cut in 1..n {
            assert_eq!(
                d.skip_row(&b[at..at + cut]),
                Err(crate::error::DecodeError::Incomplete)
            );
        }
        at += n;
    }
    assert_eq!(d.skip_row(&b[at..]), Ok(None), "DONE is no row");
    assert!(TokenDecoder::new().skip_row(&b[meta_len..]).is_err());
}

#[test]
fn returnstatus_and_order_decode() {
    let b = [0x79, 0xFE, 0xFF, 0xFF, 0xFF, 0xA9, 4, 0, 2, 0, 1, 0];
    assert_eq!(
        decode_all(&b),
        vec![Token::ReturnStatus(-2), Token::Order(vec![2, 1])]
    );
}
