//! The client against a scripted server that sends what no real SQL Server query can be made
//! to send: a `datetime2` in year 10000 inside a well-framed row. The query fails with EVALUE
//! naming the column, and the connection answers the next query.

use bytes::BytesMut;
use sluice_client::Connection;
use tds::packet::{frame_message, packet_type, PacketHeader, HEADER_LEN};
use tds::prelogin::{EncryptionLevel, PreLogin};
use tds::token::{done_status, encode_done, encode_loginack, Done, DoneKind, LoginAck};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads one client message (packets up to EOM); returns its packet type.
async fn read_message(s: &mut TcpStream) -> u8 {
    loop {
        let mut h = [0u8; HEADER_LEN];
        s.read_exact(&mut h).await.unwrap();
        let header = PacketHeader::decode(&h).unwrap();
        let mut body = vec![0u8; usize::from(header.length) - HEADER_LEN];
        s.read_exact(&mut body).await.unwrap();
        if header.is_eom() {
            return header.ty;
        }
    }
}

async fn reply(s: &mut TcpStream, payload: &[u8]) {
    s.write_all(&frame_message(packet_type::TABULAR_RESULT, 4096, payload))
        .await
        .unwrap();
}

fn done(b: &mut BytesMut, rows: u64) {
    encode_done(
        &Done {
            kind: DoneKind::Done,
            status: done_status::COUNT,
            cur_cmd: 0xC1,
            row_count: rows,
        },
        b,
    );
}

fn b_varchar(name: &str) -> Vec<u8> {
    let mut v = vec![name.len() as u8];
    v.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
    v
}

async fn serve(listener: TcpListener) {
    let (mut s, _) = listener.accept().await.unwrap();
    assert_eq!(read_message(&mut s).await, packet_type::PRELOGIN);
    let mut b = BytesMut::new();
    PreLogin {
        version: Some([16, 0, 0, 0, 0, 0]),
        encryption: Some(EncryptionLevel::NotSupported),
        ..Default::default()
    }
    .encode(&mut b);
    reply(&mut s, &b).await;
    assert_eq!(read_message(&mut s).await, packet_type::LOGIN7);
    let mut b = BytesMut::new();
    encode_loginack(
        &LoginAck {
            interface: 1,
            tds_version: 0x7400_0004,
            prog_name: "scripted".into(),
            prog_version: [16, 0, 0, 0],
        },
        &mut b,
    );
    done(&mut b, 0);
    reply(&mut s, &b).await;

    // First query: (id int NOT NULL, at datetime2(0) NULL); row 1's date is 10000-01-01.
    assert_eq!(read_message(&mut s).await, packet_type::SQL_BATCH);
    let mut b = vec![0x81, 2, 0, 0, 0, 0, 0, 0, 0, 0x38];
    b.extend(b_varchar("id"));
    b.extend([0, 0, 0, 0, 1, 0, 0x2A, 0]);
    b.extend(b_varchar("at"));
    b.extend([0xD1, 1, 0, 0, 0, 6, 0, 0, 0]);
    b.extend(&3_652_059u32.to_le_bytes()[..3]);
    b.extend([0xD1, 2, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0]);
    let mut b = BytesMut::from(&b[..]);
    done(&mut b, 2);
    reply(&mut s, &b).await;

    // Second query: SELECT 1 AS one.
    assert_eq!(read_message(&mut s).await, packet_type::SQL_BATCH);
    let mut b = vec![0x81, 1, 0, 0, 0, 0, 0, 0, 0, 0x38];
    b.extend(b_varchar("one"));
    b.extend([0xD1, 1, 0, 0, 0]);
    let mut b = BytesMut::from(&b[..]);
    done(&mut b, 1);
    reply(&mut s, &b).await;
}

#[tokio::test]
async fn an_unrepresentable_value_fails_the_query_not_the_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(serve(listener));
    let mut c = Connection::connect_str(&format!(
        "Server=127.0.0.1,{port};User ID=sa;Password=x;Encrypt=Optional;Connect Timeout=10"
    ))
    .await
    .unwrap();
    let e = c
        .execute("SELECT id, at FROM far_future")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "EVALUE", "{e}");
    assert!(e.to_string().contains("'at'"), "{e}");
    assert!(e.to_string().contains("9999-12-31"), "{e}");
    assert!(c.is_usable());
    let r = c.execute("SELECT 1 AS one").await.unwrap();
    assert_eq!(r.result_sets[0].rows, vec![vec![tds::value::Value::Int(1)]]);
    server.await.unwrap();
}
