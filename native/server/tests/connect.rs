//! The client against the test server over real sockets: every encryption mode, login
//! outcomes, packet sizes, routing, queries, timeouts and cancellation.

use sluice_client::{Connection, Error};
use sluice_server::{start, ServerConfig, ServerEncrypt, ServerHandle};
use std::time::{Duration, Instant};
use tds::value::Value;

async fn server(encrypt: ServerEncrypt) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        encrypt,
        ..Default::default()
    })
    .await
    .expect("server starts")
}

fn conn_str(h: &ServerHandle, extra: &str) -> String {
    format!(
        "Server=127.0.0.1,{};User ID=sa;Password=Sluice_Test_1;{extra}",
        h.local_addr().port()
    )
}

async fn connect(h: &ServerHandle, extra: &str) -> Result<Connection, Error> {
    Connection::connect_str(&conn_str(h, extra)).await
}

async fn select_one(c: &mut Connection) -> Value {
    let r = c.execute("SELECT 1").await.expect("SELECT 1 runs");
    r.result_sets[0].rows[0][0].clone()
}

#[tokio::test]
async fn every_encryption_mode_logs_in_and_queries() {
    let cases = [
        (ServerEncrypt::Off, "Encrypt=Optional", false),
        (
            ServerEncrypt::Optional,
            "Encrypt=False;TrustServerCertificate=True",
            false,
        ),
        (
            ServerEncrypt::Optional,
            "Encrypt=True;TrustServerCertificate=True",
            true,
        ),
        (
            ServerEncrypt::Mandatory,
            "Encrypt=False;TrustServerCertificate=True",
            true,
        ),
        (
            ServerEncrypt::Mandatory,
            "Encrypt=Mandatory;TrustServerCertificate=True",
            true,
        ),
        (
            ServerEncrypt::Strict,
            "Encrypt=Strict;ServerCertificate={pem}",
            true,
        ),
    ];
    for (mode, extra, encrypted) in cases {
        let h = server(mode).await;
        let extra = &extra.replace("{pem}", &pem_file(&h).display().to_string());
        let mut c = connect(&h, extra)
            .await
            .unwrap_or_else(|e| panic!("{mode:?} / {extra}: {e}"));
        assert_eq!(c.is_encrypted(), encrypted, "{mode:?} / {extra}");
        assert_eq!(
            select_one(&mut c).await,
            Value::Int(1),
            "{mode:?} / {extra}"
        );
        c.close().await.unwrap();
        h.shutdown().await;
    }
}

#[tokio::test]
async fn asking_for_encryption_from_a_server_without_tls_is_refused() {
    let h = server(ServerEncrypt::Off).await;
    let e = connect(&h, "Encrypt=True;TrustServerCertificate=True")
        .await
        .err()
        .expect("must fail");
    assert_eq!(e.code(), "EENCRYPT", "{e}");
}

#[tokio::test]
async fn certificates_are_validated_by_default() {
    let h = server(ServerEncrypt::Mandatory).await;
    let e = connect(&h, "Encrypt=True")
        .await
        .err()
        .expect("a self-signed certificate must not be trusted");
    assert_eq!(e.code(), "ETLS", "{e}");
    let h2 = server(ServerEncrypt::Strict).await;
    let e = connect(&h2, "Encrypt=Strict")
        .await
        .err()
        .expect("strict validates too");
    assert_eq!(e.code(), "ETLS", "{e}");
}

/// Writes the server's certificate where `ServerCertificate=` can pin it.
fn pem_file(h: &ServerHandle) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sluice-pin-{}", h.local_addr().port()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = dir.join("server.pem");
    if let Some(cert) = h.certificate_pem() {
        std::fs::write(&pem, cert).unwrap();
    }
    pem
}

#[tokio::test]
async fn strict_validates_the_certificate_even_with_trust_server_certificate() {
    let h = server(ServerEncrypt::Strict).await;
    let e = connect(&h, "Encrypt=Strict;TrustServerCertificate=True")
        .await
        .err()
        .expect("a self-signed certificate is refused under Strict whatever the trust setting");
    assert_eq!(e.code(), "ETLS", "{e}");
    assert!(
        e.to_string().contains("ignored under Encrypt=Strict")
            && e.to_string().contains("ServerCertificate="),
        "the message says why and what to do: {e}"
    );
    // Mandatory (TDS 7.x) still honours the trust setting, as Microsoft's drivers do.
    let m = server(ServerEncrypt::Mandatory).await;
    connect(&m, "Encrypt=Mandatory;TrustServerCertificate=True")
        .await
        .expect("TrustServerCertificate works outside Strict");
}

#[tokio::test]
async fn strict_against_a_server_without_tds_8_fails_within_seconds_naming_the_cause() {
    // The test server in a TDS 7.x mode reads the ClientHello as a PRELOGIN packet header and
    // waits for the rest, silent, as SQL Server 2019 does.
    let h = server(ServerEncrypt::Optional).await;
    let t0 = Instant::now();
    let e = connect(&h, "Encrypt=Strict;Connect Timeout=60")
        .await
        .err()
        .expect("must fail");
    assert_eq!(e.code(), "ETLS", "{e}");
    assert!(
        e.to_string().contains(
            "the server does not support Encrypt=Strict (TDS 8.0); use Encrypt=Mandatory"
        ),
        "{e}"
    );
    assert!(
        t0.elapsed() < Duration::from_secs(15),
        "took {:?}",
        t0.elapsed()
    );
}

#[tokio::test]
async fn strict_against_a_server_answering_with_a_tds_packet_fails_at_once() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // A server that answers whatever arrives with a PRELOGIN packet (type 0x12).
    let peer = tokio::spawn(async move {
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 512];
        let _ = s.read(&mut buf).await;
        let packet = [
            0x12, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x01, 0x00, 0xFF, 0x00, 0x00,
        ];
        let _ = s.write_all(&packet).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let t0 = Instant::now();
    let s =
        format!("Server=127.0.0.1,{port};User ID=sa;Password=x;Encrypt=Strict;Connect Timeout=60");
    let e = Connection::connect_str(&s).await.err().expect("must fail");
    assert_eq!(e.code(), "ETLS", "{e}");
    assert!(e.to_string().contains("TDS packet (type 0x12)"), "{e}");
    assert!(e.to_string().contains("use Encrypt=Mandatory"), "{e}");
    assert!(
        t0.elapsed() < Duration::from_secs(3),
        "took {:?}",
        t0.elapsed()
    );
    peer.abort();
}

#[tokio::test]
async fn a_pinned_server_certificate_is_trusted_and_any_other_refused() {
    let h = server(ServerEncrypt::Strict).await;
    let pem = pem_file(&h);
    let mut c = connect(
        &h,
        &format!("Encrypt=Strict;ServerCertificate={}", pem.display()),
    )
    .await
    .expect("pinned certificate");
    assert_eq!(select_one(&mut c).await, Value::Int(1));
    let other = server(ServerEncrypt::Strict).await;
    let e = connect(
        &other,
        &format!("Encrypt=Strict;ServerCertificate={}", pem.display()),
    )
    .await
    .err()
    .expect("another certificate");
    assert_eq!(e.code(), "ETLS", "{e}");
}

#[tokio::test]
async fn a_wrong_password_gets_error_18456() {
    let h = server(ServerEncrypt::Optional).await;
    let s = format!(
        "Server=127.0.0.1,{};User ID=sa;Password=nope;Encrypt=False",
        h.local_addr().port()
    );
    let e = Connection::connect_str(&s).await.err().expect("must fail");
    assert_eq!(e.code(), "ELOGIN");
    let m = e.server_message().expect("server message");
    assert_eq!((m.number, m.class), (18456, 14));
    assert_eq!(m.message, "Login failed for user 'sa'.");
    assert!(!e.to_string().contains("nope"));
}

#[tokio::test]
async fn an_unknown_database_fails_the_login_with_4060() {
    let h = server(ServerEncrypt::Optional).await;
    let e = connect(&h, "Encrypt=False;Database=nowhere")
        .await
        .err()
        .expect("must fail");
    assert_eq!(e.server_message().map(|m| m.number), Some(4060));
}

#[tokio::test]
async fn access_tokens_log_in_through_fedauth() {
    let h = start(ServerConfig {
        port: 0,
        access_token: Some("eyJ-test-token".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let port = h.local_addr().port();
    let ok = format!("Server=127.0.0.1,{port};AccessToken=eyJ-test-token;Encrypt=True;TrustServerCertificate=True");
    let mut c = Connection::connect_str(&ok).await.expect("token login");
    assert_eq!(select_one(&mut c).await, Value::Int(1));
    let bad = format!(
        "Server=127.0.0.1,{port};AccessToken=wrong;Encrypt=True;TrustServerCertificate=True"
    );
    assert_eq!(
        Connection::connect_str(&bad).await.err().unwrap().code(),
        "ELOGIN"
    );
}

#[tokio::test]
async fn packet_size_is_negotiated_and_large_results_span_packets() {
    let h = server(ServerEncrypt::Optional).await;
    let mut c = connect(
        &h,
        "Encrypt=True;TrustServerCertificate=True;Packet Size=512",
    )
    .await
    .unwrap();
    assert_eq!(c.packet_size(), 512);
    c.execute("CREATE TABLE t (id int NOT NULL, s nvarchar(200) NULL)")
        .await
        .unwrap();
    let long = "x".repeat(150);
    let values: Vec<String> = (0..50).map(|i| format!("({i}, N'{long}{i}')")).collect();
    let ins = c
        .execute(&format!(
            "INSERT INTO t (id, s) VALUES {}",
            values.join(", ")
        ))
        .await
        .unwrap();
    assert_eq!(ins.rows_affected, Some(50));
    let r = c.execute("SELECT * FROM t").await.unwrap();
    let rows = &r.result_sets[0].rows;
    assert_eq!(rows.len(), 50);
    assert_eq!(
        rows[49],
        vec![Value::Int(49), Value::String(format!("{long}49"))]
    );
}

#[tokio::test]
async fn a_gateway_redirect_is_followed_once() {
    let target = server(ServerEncrypt::Optional).await;
    let gateway = start(ServerConfig {
        port: 0,
        route_to: Some(("127.0.0.1".into(), target.local_addr().port())),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut c = connect(&gateway, "Encrypt=True;TrustServerCertificate=True")
        .await
        .expect("routed login");
    assert_eq!(select_one(&mut c).await, Value::Int(1));
    assert_eq!(gateway.login_count(), 1);
    assert_eq!(target.login_count(), 1);
}

#[tokio::test]
async fn server_errors_carry_number_state_class_and_line() {
    let h = server(ServerEncrypt::Optional).await;
    let mut c = connect(&h, "Encrypt=False").await.unwrap();
    let e = c
        .execute("SELECT * FROM missing_table")
        .await
        .expect_err("must fail");
    assert_eq!(e.code(), "EREQUEST");
    let m = e.server_message().unwrap();
    assert_eq!((m.number, m.class), (208, 16));
    assert_eq!(m.message, "Invalid object name 'missing_table'.");
    // The connection stays usable after a server error.
    assert_eq!(select_one(&mut c).await, Value::Int(1));
    let e = c.execute("SELEC 1").await.expect_err("syntax error");
    assert_eq!(e.server_message().unwrap().number, 102);
}

#[tokio::test]
async fn a_command_timeout_sends_attention_and_keeps_the_connection() {
    let h = server(ServerEncrypt::Optional).await;
    let mut c = connect(&h, "Encrypt=False;Command Timeout=1")
        .await
        .unwrap();
    let t0 = Instant::now();
    let e = c
        .execute("WAITFOR DELAY '00:00:10'")
        .await
        .expect_err("times out");
    assert_eq!(e.code(), "ETIMEOUT");
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t0.elapsed()
    );
    assert_eq!(select_one(&mut c).await, Value::Int(1));
}

#[tokio::test]
async fn cancel_sends_attention_and_awaits_the_acknowledgement() {
    let h = server(ServerEncrypt::Optional).await;
    let mut c = connect(&h, "Encrypt=True;TrustServerCertificate=True")
        .await
        .unwrap();
    let t0 = Instant::now();
    let e = c
        .execute_with_cancel(
            "WAITFOR DELAY '00:00:10'",
            tokio::time::sleep(Duration::from_millis(200)),
        )
        .await
        .expect_err("cancelled");
    assert_eq!(e.code(), "ECANCEL");
    assert!(t0.elapsed() < Duration::from_secs(5));
    assert_eq!(select_one(&mut c).await, Value::Int(1));
}

#[tokio::test]
async fn connect_timeout_applies_to_a_silent_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hold = tokio::spawn(async move {
        let (s, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
        drop(s);
    });
    let t0 = Instant::now();
    let s =
        format!("Server=127.0.0.1,{port};User ID=sa;Password=x;Encrypt=False;Connect Timeout=1");
    let e = Connection::connect_str(&s).await.err().expect("times out");
    assert_eq!(e.code(), "ETIMEOUT");
    assert!(t0.elapsed() < Duration::from_secs(4));
    hold.abort();
}

#[tokio::test]
async fn connection_refused_names_host_and_port() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let e = Connection::connect_str(&format!(
        "Server=127.0.0.1,{port};User ID=sa;Password=x;Encrypt=False"
    ))
    .await
    .err()
    .unwrap();
    assert_eq!(e.code(), "ECONNECT");
    assert!(e.to_string().contains(&format!("127.0.0.1:{port}")), "{e}");
}
