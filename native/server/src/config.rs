//! What a test server instance does: where it listens, whom it lets in, how it encrypts.

use std::time::Duration;

/// The server's encryption setting, as `sluice serve --encrypt` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServerEncrypt {
    /// No TLS at all: PRELOGIN answers ENCRYPT_NOT_SUP.
    Off,
    /// TLS available; a client that asks for it gets it, one that doesn't gets login-only TLS.
    #[default]
    Optional,
    /// "Force encryption": every session is encrypted (PRELOGIN answers ENCRYPT_REQ/ON).
    Mandatory,
    /// TDS 8.0: TLS (ALPN `tds/8.0`) before any TDS byte.
    Strict,
}

impl std::str::FromStr for ServerEncrypt {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "off" => Ok(ServerEncrypt::Off),
            "optional" => Ok(ServerEncrypt::Optional),
            "mandatory" => Ok(ServerEncrypt::Mandatory),
            "strict" => Ok(ServerEncrypt::Strict),
            _ => Err(format!(
                "unknown encryption mode {s:?}: use off, optional, mandatory or strict"
            )),
        }
    }
}

#[derive(Clone)]
pub struct ServerConfig {
    pub host: String,
    /// 0 picks a free port; the bound address is in [`crate::ServerHandle::local_addr`].
    pub port: u16,
    pub user: String,
    pub password: String,
    /// An Entra ID access token the server accepts through FEDAUTH; `None` refuses token logins.
    pub access_token: Option<String>,
    pub encrypt: ServerEncrypt,
    /// Frame bulk-loaded rows by their length prefixes, count them and discard them (for
    /// benchmarks: the values are not decoded, so the server costs the machine little).
    pub sink: bool,
    /// Answer every login with an ENVCHANGE routing the client to this host and port, as
    /// Azure SQL's gateway does.
    pub route_to: Option<(String, u16)>,
    /// The name `@@SERVERNAME` and ERROR tokens report (and the SQL Browser's ServerName).
    pub name: String,
    /// A named instance (`Server=host\INSTANCE`) the SQL Browser stand-in advertises on
    /// `browser_port`; with `None` no Browser runs.
    pub instance: Option<String>,
    /// The Browser's UDP port: 1434 is SQL Server's, 0 picks a free one (tests); see
    /// [`crate::ServerHandle::browser_addr`].
    pub browser_port: u16,
    /// Azure SQL Database's rule for names: catalog views of another database (even
    /// `tempdb.sys.columns`) are error 40515.
    pub single_database: bool,
    /// Wait this long before each response (for timeout tests).
    pub reply_delay: Duration,
    /// Failures to inject, for reliability tests.
    pub faults: Faults,
    /// Write each bulk-load message's payload (packet headers removed) to
    /// `DIR/bulk-<batch>.bin`, so tests can compare what different clients sent byte for byte.
    pub capture_bulk: Option<std::path::PathBuf>,
}

/// Failures the server injects on purpose, so tests can prove what a client does about them.
/// Counters run across the whole server (all connections), starting at 1. Each of
/// `drop_after_rows`, `drop_after_bytes`, `fail_batch` and `drop_after_commit` fires once per
/// server: the same server, holding what was committed, then takes the retry or the resume.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Close the connection once this many bulk-load rows have arrived (the row after is lost).
    pub drop_after_rows: Option<u64>,
    /// Close the connection once this many bytes of bulk-load data have arrived.
    pub drop_after_bytes: Option<u64>,
    /// Refuse the Nth bulk-load batch with error 4891 (nothing of it is stored).
    pub fail_batch: Option<u64>,
    /// Commit the Nth bulk-load batch, then close the connection before answering: the
    /// client cannot know the batch committed (the in-doubt case). A batch loaded inside a
    /// transaction commits with the transaction's COMMIT, and the connection closes before
    /// that request's answer.
    pub drop_after_commit: Option<u64>,
    /// Never acknowledge an ATTENTION that arrives while a reply is delayed (`reply_delay`):
    /// a hung server, for proving what a client reports when a cancel gets no answer.
    pub ignore_attention: bool,
    /// Answer bulk-load messages after this delay instead of `reply_delay` (the batch is
    /// stored on arrival, before the delay), so that only a batch's answer is slow.
    pub bulk_reply_delay: Option<std::time::Duration>,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &"***")
            .field("encrypt", &self.encrypt)
            .field("sink", &self.sink)
            .field("route_to", &self.route_to)
            .field("instance", &self.instance)
            .field("browser_port", &self.browser_port)
            .finish_non_exhaustive()
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            host: "127.0.0.1".into(),
            port: 1433,
            user: "sa".into(),
            password: "Sluice_Test_1".into(),
            access_token: None,
            encrypt: ServerEncrypt::Optional,
            sink: false,
            route_to: None,
            name: "SLUICE-TEST".into(),
            instance: None,
            browser_port: tds::ssrp::BROWSER_PORT,
            single_database: false,
            reply_delay: Duration::ZERO,
            faults: Faults::default(),
            capture_bulk: None,
        }
    }
}
