//! A SQL Server Browser stand-in: answers SSRP ([MC-SQLR]) on UDP for the server's one named
//! instance, so `Server=host\INSTANCE` is tested end to end. Like the real Browser it stays silent
//! for an instance it does not know and for datagrams it cannot parse.

use std::net::SocketAddr;
use tds::ssrp::{decode_request, encode_response, BrowserRequest, InstanceInfo};
use tokio::net::UdpSocket;
use tokio::sync::watch;

/// What the Browser says about the instance: its name, the machine's name, the TCP port.
pub(crate) struct Advertised {
    pub info: InstanceInfo,
}

impl Advertised {
    pub fn new(server_name: &str, instance: &str, tcp_port: u16) -> Self {
        Advertised {
            info: InstanceInfo {
                server_name: server_name.to_owned(),
                instance_name: instance.to_owned(),
                is_clustered: false,
                // SQL Server 2022 RTM, as PRELOGIN says.
                version: "16.0.1000.6".into(),
                tcp_port: Some(tcp_port),
                named_pipe: None,
            },
        }
    }

    /// The datagram answering `request`, if the Browser answers it at all.
    pub fn answer(&self, request: &[u8]) -> Option<Vec<u8>> {
        let wanted = match decode_request(request).ok()? {
            BrowserRequest::AllInstances => None,
            BrowserRequest::Instance(name) => Some(name),
            // No dedicated admin connection on the test server.
            BrowserRequest::AdminConnection(_) => return None,
        };
        if wanted.is_some_and(|n| !n.eq_ignore_ascii_case(&self.info.instance_name)) {
            return None;
        }
        let mut out = Vec::new();
        encode_response(std::slice::from_ref(&self.info), &mut out).ok()?;
        Some(out)
    }
}

/// Binds the Browser's UDP socket (port 0 picks one) and answers until `stop` turns true.
pub(crate) async fn start(
    host: &str,
    port: u16,
    advertised: Advertised,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let socket = UdpSocket::bind((host, port)).await?;
    let addr = socket.local_addr()?;
    let task = tokio::spawn(async move {
        let mut buf = [0u8; 1024];
        loop {
            let got = tokio::select! {
                got = socket.recv_from(&mut buf) => got,
                _ = stop.wait_for(|s| *s) => break,
            };
            // A failed receive (an ICMP error from an earlier reply) is not fatal.
            let Ok((n, peer)) = got else { continue };
            if let Some(reply) = buf.get(..n).and_then(|d| advertised.answer(d)) {
                let _ = socket.send_to(&reply, peer).await;
            }
        }
    });
    Ok((addr, task))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tds::ssrp::decode_response;

    #[test]
    fn answers_its_own_instance_in_any_case_and_nothing_else() {
        let a = Advertised::new("SLUICE-TEST", "SQLEXPRESS", 50123);
        let reply = a.answer(b"\x04sqlexpress\0").expect("answers");
        let listed = decode_response(&reply).unwrap();
        assert_eq!(listed[0].tcp_port, Some(50123));
        assert_eq!(listed[0].server_name, "SLUICE-TEST");
        assert!(a.answer(b"\x03").is_some(), "CLNT_UCAST_EX lists it");
        assert_eq!(a.answer(b"\x04OTHER\0"), None);
        assert_eq!(a.answer(b"\x0F\x01SQLEXPRESS\0"), None);
        assert_eq!(a.answer(b"\x99"), None);
    }
}
