//! Accepting connections and running each session on its own task.

use crate::browser::{self, Advertised};
use crate::cert::self_signed_tls_config;
use crate::config::{ServerConfig, ServerEncrypt};
use crate::engine::Catalog;
use crate::session::run_session;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// State shared by every session of one server.
pub(crate) struct Shared {
    pub config: ServerConfig,
    pub catalog: Catalog,
    pub tls: Option<Arc<rustls::ServerConfig>>,
    pub cert_pem: Option<String>,
    pub next_spid: AtomicU16,
    pub logins: AtomicU64,
    /// Bulk-load counters across the server, for the fault knobs and tests.
    pub bulk_batches: AtomicU64,
    pub bulk_rows: AtomicU64,
    pub bulk_bytes: AtomicU64,
    /// Fault knobs that have fired (each fires once per server), by [`Fault`] bit.
    pub faults_fired: AtomicU8,
}

/// The fault knobs that fire once, as bits of [`Shared::faults_fired`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fault {
    DropAfterRows = 1,
    DropAfterBytes = 2,
    FailBatch = 4,
    DropAfterCommit = 8,
}

impl Shared {
    /// True the first time `fault` fires on this server, false ever after.
    pub fn fire(&self, fault: Fault) -> bool {
        let bit = fault as u8;
        self.faults_fired.fetch_or(bit, Ordering::Relaxed) & bit == 0
    }
}

/// A running server; dropping it does not stop it, [`ServerHandle::shutdown`] does.
pub struct ServerHandle {
    local_addr: SocketAddr,
    browser_addr: Option<SocketAddr>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    shared: Arc<Shared>,
}

impl ServerHandle {
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// An ADO.NET connection string that logs in to this server with its configured user on
    /// loopback, without TLS (`Encrypt=False`); tests and examples append what they need.
    pub fn connection_string(&self) -> String {
        let c = &self.shared.config;
        format!(
            "Server=127.0.0.1,{};User ID={};Password={};Encrypt=False",
            self.local_addr.port(),
            c.user,
            c.password
        )
    }

    /// The SQL Browser stand-in's UDP address, when the server has a named instance.
    pub fn browser_addr(&self) -> Option<SocketAddr> {
        self.browser_addr
    }

    /// The in-memory databases, for tests that look at what was stored.
    pub fn catalog(&self) -> &Catalog {
        &self.shared.catalog
    }

    /// The server's self-signed certificate in PEM (none with `ServerEncrypt::Off`).
    pub fn certificate_pem(&self) -> Option<&str> {
        self.shared.cert_pem.as_deref()
    }

    /// Successful logins so far.
    pub fn login_count(&self) -> u64 {
        self.shared.logins.load(Ordering::Relaxed)
    }

    /// Bulk-load rows received so far (stored or, with `sink`, validated and dropped).
    pub fn bulk_rows_received(&self) -> u64 {
        self.shared.bulk_rows.load(Ordering::Relaxed)
    }

    /// Stops accepting and closes every session.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Runs until the process is stopped.
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

/// Binds and starts serving on the current Tokio runtime.
pub async fn start(config: ServerConfig) -> std::io::Result<ServerHandle> {
    let listener = TcpListener::bind((config.host.as_str(), config.port)).await?;
    let local_addr = listener.local_addr()?;
    let (tls, cert_pem) = match config.encrypt {
        ServerEncrypt::Off => (None, None),
        mode => {
            let (tls, pem) = self_signed_tls_config(&config.host, mode == ServerEncrypt::Strict)
                .map_err(|e| {
                    std::io::Error::other(format!("could not make a TLS certificate: {e}"))
                })?;
            (Some(tls), Some(pem))
        }
    };
    let shared = Arc::new(Shared {
        config,
        catalog: Catalog::new(),
        tls,
        cert_pem,
        next_spid: AtomicU16::new(51),
        logins: AtomicU64::new(0),
        bulk_batches: AtomicU64::new(0),
        bulk_rows: AtomicU64::new(0),
        bulk_bytes: AtomicU64::new(0),
        faults_fired: AtomicU8::new(0),
    });
    let (stop, mut stopped) = watch::channel(false);
    let browser = match &shared.config.instance {
        Some(instance) => {
            let advertised = Advertised::new(&shared.config.name, instance, local_addr.port());
            let config = &shared.config;
            Some(
                browser::start(
                    &config.host,
                    config.browser_port,
                    advertised,
                    stopped.clone(),
                )
                .await
                .map_err(|e| {
                    std::io::Error::new(
                        e.kind(),
                        format!("SQL Browser on UDP {}: {e}", config.browser_port),
                    )
                })?,
            )
        }
        None => None,
    };
    let browser_addr = browser.as_ref().map(|(addr, _)| *addr);
    let browser_task = browser.map(|(_, task)| task);
    let task_shared = shared.clone();
    let task = tokio::spawn(async move {
        let mut sessions = tokio::task::JoinSet::new();
        let session_stop = stopped.clone();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((socket, _peer)) = accepted else { continue };
                    let _ = socket.set_nodelay(true);
                    let shared = task_shared.clone();
                    let mut stop = session_stop.clone();
                    sessions.spawn(async move {
                        tokio::select! {
                            _ = run_session(socket, shared) => {}
                            _ = stop.wait_for(|s| *s) => {}
                        }
                    });
                }
                _ = stopped.wait_for(|s| *s) => break,
                Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
            }
        }
        sessions.shutdown().await;
        if let Some(t) = browser_task {
            let _ = t.await;
        }
    });
    Ok(ServerHandle {
        local_addr,
        browser_addr,
        stop,
        task,
        shared,
    })
}
