//! `sluice serve`: the test server in the foreground until interrupted.

use clap::Args;
use sluice_server::{Faults, ServerConfig, ServerEncrypt};
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; the server is for tests).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free one (the chosen port is printed).
    #[arg(long, default_value_t = 1433)]
    port: u16,
    /// The SQL login the server accepts.
    #[arg(long, default_value = "sa")]
    user: String,
    /// The login's password (or set SLUICE_SERVE_PASSWORD).
    #[arg(
        long,
        env = "SLUICE_SERVE_PASSWORD",
        default_value = "Sluice_Test_1",
        hide_env_values = true,
        hide_default_value = true
    )]
    password: String,
    /// off: no TLS; optional: TLS when the client asks, else login-only; mandatory: always TLS;
    /// strict: TDS 8.0 (TLS first, ALPN tds/8.0).
    #[arg(long, default_value = "optional")]
    encrypt: ServerEncrypt,
    /// Frame bulk-loaded rows by their length prefixes, count and discard them (benchmarks).
    #[arg(long)]
    sink: bool,
    /// An Entra ID access token to accept through FEDAUTH (or set SLUICE_SERVE_ACCESS_TOKEN).
    #[arg(long, env = "SLUICE_SERVE_ACCESS_TOKEN", hide_env_values = true)]
    access_token: Option<String>,
    /// Redirect every login to HOST:PORT with an ENVCHANGE routing token, as Azure's gateway does.
    #[arg(long, value_name = "HOST:PORT")]
    route_to: Option<String>,
    /// The server name reported by @@SERVERNAME and in messages.
    #[arg(long, default_value = "SLUICE-TEST")]
    name: String,
    /// Also answer SQL Browser (SSRP, UDP) requests for this named instance, so clients can
    /// connect with Server=HOST\INSTANCE.
    #[arg(long, value_name = "INSTANCE")]
    instance: Option<String>,
    /// The UDP port of the SQL Browser stand-in (with --instance): 1434 is SQL Server's, 0 picks
    /// a free one (printed). Clients reach a non-default port with `Browser Port=N`.
    #[arg(long, default_value_t = 1434)]
    browser_port: u16,
    /// Wait this many milliseconds before answering each request (for timeout tests).
    #[arg(long, default_value_t = 0)]
    reply_delay_ms: u64,
    /// Write the server's self-signed certificate (PEM) to this file, for clients that must
    /// trust it explicitly.
    #[arg(long, value_name = "FILE")]
    cert_out: Option<std::path::PathBuf>,
    /// Write each bulk-load message's payload to DIR/bulk-<batch>.bin (for byte comparisons).
    #[arg(long, value_name = "DIR")]
    capture_bulk: Option<std::path::PathBuf>,
    /// Fault: refuse the Nth bulk-load batch (counted across the server) with error 4891.
    #[arg(long, value_name = "N")]
    fail_batch: Option<u64>,
    /// Fault: close the connection once N bulk-load rows have arrived.
    #[arg(long, value_name = "N")]
    drop_after_rows: Option<u64>,
    /// Fault: close the connection once N bytes of bulk-load data have arrived.
    #[arg(long, value_name = "N")]
    drop_after_bytes: Option<u64>,
    /// Fault: commit the Nth bulk-load batch, then close the connection before answering (the
    /// in-doubt case; inside a transaction, at its COMMIT). Each fault fires once per server.
    #[arg(long, value_name = "N")]
    drop_after_commit: Option<u64>,
    /// Fault: never acknowledge ATTENTION while a reply is delayed (a hung server).
    #[arg(long)]
    ignore_attention: bool,
}

pub async fn run(a: ServeArgs) -> i32 {
    let route_to = match a.route_to.as_deref().map(parse_host_port).transpose() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: --route-to: {e}");
            return 2;
        }
    };
    let cert_out = a.cert_out;
    let config = ServerConfig {
        host: a.host,
        port: a.port,
        user: a.user,
        password: a.password,
        access_token: a.access_token,
        encrypt: a.encrypt,
        sink: a.sink,
        route_to,
        name: a.name,
        single_database: false,
        instance: a.instance,
        browser_port: a.browser_port,
        reply_delay: Duration::from_millis(a.reply_delay_ms),
        capture_bulk: a.capture_bulk,
        faults: Faults {
            drop_after_rows: a.drop_after_rows,
            drop_after_bytes: a.drop_after_bytes,
            fail_batch: a.fail_batch,
            drop_after_commit: a.drop_after_commit,
            ignore_attention: a.ignore_attention,
            bulk_reply_delay: None,
        },
    };
    let handle = match sluice_server::start(config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: could not listen: {e}");
            return 1;
        }
    };
    if let (Some(path), Some(pem)) = (&cert_out, handle.certificate_pem()) {
        if let Err(e) = std::fs::write(path, pem) {
            eprintln!(
                "error: could not write the certificate to {}: {e}",
                path.display()
            );
            return 1;
        }
    }
    // The Browser line comes first: test harnesses read up to "listening on".
    if let Some(addr) = handle.browser_addr() {
        println!("SQL Browser on udp {addr}");
    }
    println!("listening on {}", handle.local_addr());
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    0
}

fn parse_host_port(s: &str) -> Result<(String, u16), String> {
    let (host, port) = s
        .rsplit_once(':')
        .ok_or_else(|| format!("{s:?} is not HOST:PORT"))?;
    let port = port
        .parse::<u16>()
        .map_err(|_| format!("{port:?} is not a port number"))?;
    Ok((
        host.trim_matches(|c| c == '[' || c == ']').to_string(),
        port,
    ))
}
