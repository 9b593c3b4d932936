//! Finding a named instance's TCP port (`Server=host\SQLEXPRESS`) by asking the SQL Server
//! Browser over UDP, as Microsoft's drivers do (SSRP, [MC-SQLR] 3.1: one CLNT_UCAST_INST, one
//! SVR_RESP). The datagrams are `tds::ssrp`'s; this module owns the socket, timeout and retry.

use crate::error::{Error, Result};
use std::net::SocketAddr;
use std::time::Duration;
use tds::ssrp::{decode_response, encode_instance_request, MAX_INSTANCE_RESPONSE};
use tokio::net::UdpSocket;

/// How long one attempt waits for the Browser's answer. UDP may drop a datagram, so the request
/// is sent again; the whole lookup also sits inside the connection's Connect Timeout.
const ATTEMPT_WAIT: Duration = Duration::from_millis(1000);
const ATTEMPTS: u32 = 3;

/// Asks the Browser at `host:browser_port` for `instance`'s TCP port.
pub(crate) async fn instance_port(host: &str, browser_port: u16, instance: &str) -> Result<u16> {
    let fail = |reason: String| Error::InstanceLookup {
        host: host.to_owned(),
        browser_port,
        instance: instance.to_owned(),
        reason,
    };
    let mut request = Vec::new();
    encode_instance_request(instance, &mut request).map_err(|e| fail(e.to_string()))?;
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, browser_port))
        .await
        .map_err(|e| fail(format!("the host name did not resolve: {e}")))?
        .collect();
    let Some(&addr) = addrs.first() else {
        return Err(fail("the host name resolved to no address".into()));
    };
    let local: SocketAddr = if addr.is_ipv6() {
        "[::]:0"
            .parse()
            .map_err(|_| fail("no IPv6 wildcard".into()))?
    } else {
        "0.0.0.0:0"
            .parse()
            .map_err(|_| fail("no IPv4 wildcard".into()))?
    };
    let socket = UdpSocket::bind(local)
        .await
        .map_err(|e| fail(format!("could not open a UDP socket: {e}")))?;
    // `connect` filters out datagrams from anyone but the Browser we asked.
    socket
        .connect(addr)
        .await
        .map_err(|e| fail(format!("UDP connect: {e}")))?;
    // SVR_RESP for one instance is at most 3 + 1,024 bytes; room for a chatty Browser too.
    let mut buf = vec![0u8; 3 + MAX_INSTANCE_RESPONSE * 4];
    let mut last_error = None;
    for _ in 0..ATTEMPTS {
        socket
            .send(&request)
            .await
            .map_err(|e| fail(format!("sending the request: {e}")))?;
        match tokio::time::timeout(ATTEMPT_WAIT, socket.recv(&mut buf)).await {
            Err(_) => continue,
            // ICMP port unreachable shows up as a refused receive: nobody listens, and
            // retrying will not change that.
            Ok(Err(e)) => {
                last_error = Some(format!("{e} (is the SQL Server Browser service running?)"));
                break;
            }
            Ok(Ok(n)) => {
                let datagram = buf.get(..n).unwrap_or_default();
                let instances = decode_response(datagram).map_err(|e| fail(e.to_string()))?;
                let found = instances
                    .iter()
                    .find(|i| i.instance_name.eq_ignore_ascii_case(instance))
                    .ok_or_else(|| {
                        fail(format!(
                            "the Browser does not know this instance (it listed: {})",
                            list(instances.iter().map(|i| i.instance_name.as_str()))
                        ))
                    })?;
                return found.tcp_port.ok_or_else(|| {
                    fail("the instance does not listen on TCP (enable TCP/IP for it in SQL Server Configuration Manager)".into())
                });
            }
        }
    }
    Err(fail(last_error.unwrap_or_else(|| {
        format!(
            "no answer after {ATTEMPTS} tries of {} ms (is the SQL Server Browser service running and UDP {browser_port} open? \
             Or give the port: Server=host,PORT)",
            ATTEMPT_WAIT.as_millis()
        )
    })))
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = names.collect();
    if all.is_empty() {
        "none".into()
    } else {
        all.join(", ")
    }
}
