//! `Server=host\INSTANCE` end to end: the client asks the test server's SQL Browser stand-in
//! (SSRP over UDP) for the instance's TCP port, then logs in there.

use sluice_client::Connection;
use sluice_server::{start, ServerConfig, ServerEncrypt, ServerHandle};
use std::time::{Duration, Instant};
use tds::value::Value;

async fn named_server(instance: &str) -> ServerHandle {
    start(ServerConfig {
        port: 0,
        encrypt: ServerEncrypt::Optional,
        instance: Some(instance.into()),
        browser_port: 0,
        ..Default::default()
    })
    .await
    .expect("server starts")
}

fn browser_port(h: &ServerHandle) -> u16 {
    h.browser_addr().expect("the instance has a Browser").port()
}

/// A UDP port nobody listens on (bound, then released).
fn closed_udp_port() -> u16 {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    s.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_named_instance_is_reached_through_the_sql_browser_port_lookup() {
    let h = named_server("SQLEXPRESS").await;
    let s = format!(
        r"Server=127.0.0.1\sqlexpress;Browser Port={};User ID=sa;Password=Sluice_Test_1;Encrypt=False",
        browser_port(&h)
    );
    let mut c = Connection::connect_str(&s)
        .await
        .expect("logs in on the port the Browser gave");
    let r = c.execute("SELECT 1").await.unwrap();
    assert_eq!(r.result_sets[0].rows[0][0], Value::Int(1));
    assert_eq!(h.login_count(), 1);
}

#[tokio::test]
async fn an_explicit_port_wins_over_the_instance_and_skips_the_browser() {
    let h = named_server("SQLEXPRESS").await;
    // The Browser port named here is closed: a lookup would fail, so success proves none ran.
    let s = format!(
        r"Server=127.0.0.1\ANYTHING,{};Browser Port={};User ID=sa;Password=Sluice_Test_1;Encrypt=False",
        h.local_addr().port(),
        closed_udp_port()
    );
    Connection::connect_str(&s)
        .await
        .expect("the port is used as given");
}

#[tokio::test]
async fn an_instance_the_browser_does_not_know_fails_naming_it() {
    let h = named_server("SQLEXPRESS").await;
    let t0 = Instant::now();
    let s = format!(
        r"Server=127.0.0.1\OTHER;Browser Port={};User ID=sa;Password=x;Encrypt=False;Connect Timeout=30",
        browser_port(&h)
    );
    let e = Connection::connect_str(&s).await.err().expect("must fail");
    assert_eq!(e.code(), "ECONNECT", "{e}");
    let text = e.to_string();
    assert!(
        text.contains("\"OTHER\"") && text.contains("SQL Browser"),
        "{text}"
    );
    // The real Browser ignores unknown instances too; three 1 s tries, not the Connect Timeout.
    assert!(t0.elapsed() < Duration::from_secs(10), "{:?}", t0.elapsed());
}

#[tokio::test]
async fn no_browser_listening_fails_with_a_connect_error_naming_the_browser_port() {
    let port = closed_udp_port();
    let s = format!(
        r"Server=127.0.0.1\SQLEXPRESS;Browser Port={port};User ID=sa;Password=x;Encrypt=False;Connect Timeout=30"
    );
    let e = Connection::connect_str(&s).await.err().expect("must fail");
    assert_eq!(e.code(), "ECONNECT", "{e}");
    assert!(e.to_string().contains(&format!("UDP {port}")), "{e}");
}

#[tokio::test]
async fn a_lost_browser_datagram_is_sent_again() {
    // A Browser that drops the first request, as a lossy network would, and answers the second.
    let target = start(ServerConfig {
        port: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let tcp_port = target.local_addr().port();
    let browser = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let udp_port = browser.local_addr().unwrap().port();
    let lossy = tokio::spawn(async move {
        let mut buf = [0u8; 64];
        let (_, _) = browser.recv_from(&mut buf).await.unwrap(); // dropped
        let (n, peer) = browser.recv_from(&mut buf).await.unwrap();
        assert_eq!(buf[..n], *b"\x04SQLEXPRESS\0", "CLNT_UCAST_INST again");
        let info = tds::ssrp::InstanceInfo {
            server_name: "H".into(),
            instance_name: "SQLEXPRESS".into(),
            tcp_port: Some(tcp_port),
            ..Default::default()
        };
        let mut reply = Vec::new();
        tds::ssrp::encode_response(&[info], &mut reply).unwrap();
        browser.send_to(&reply, peer).await.unwrap();
    });
    let s = format!(
        r"Server=127.0.0.1\SQLEXPRESS;Browser Port={udp_port};User ID=sa;Password=Sluice_Test_1;Encrypt=False"
    );
    Connection::connect_str(&s)
        .await
        .expect("the second try is answered");
    lossy.await.unwrap();
}
