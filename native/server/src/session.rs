//! One client session: PRELOGIN, TLS, LOGIN7, then requests until the client leaves.

use crate::bulk_receive::{self, BulkEnd};
use crate::config::ServerEncrypt;
use crate::driver_batches;
use crate::engine::{self, Session};
use crate::listener::Shared;
use crate::respond::{self, Responder};
use crate::transaction_manager;
use bytes::BytesMut;
use sluice_io::packet_io::PacketStream;
use sluice_io::prelogin_tls::PreloginTls;
use sluice_io::transport::{MaybeTls, ServerTransport};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tds::login7::{FeatureExt, Login7};
use tds::packet::{frame_message, packet_type, status, DEFAULT_PACKET_SIZE};
use tds::prelogin::{EncryptionLevel, PreLogin};
use tds::sql_batch::decode_sql_batch;
use tds::token::{EnvChange, ServerMessage};
use tokio::net::TcpStream;

/// LOGIN7 and PRELOGIN are small; SQL batches can be large but not unbounded.
const LOGIN_LIMIT: usize = 128 * 1024;
const BATCH_LIMIT: usize = 64 * 1024 * 1024;

type Stream = PacketStream<ServerTransport>;

#[derive(Debug)]
pub(crate) enum SessionEnd {
    Io(std::io::Error),
    Protocol(String),
}

impl std::fmt::Display for SessionEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionEnd::Io(e) => write!(f, "network: {e}"),
            SessionEnd::Protocol(m) => write!(f, "protocol: {m}"),
        }
    }
}

impl From<std::io::Error> for SessionEnd {
    fn from(e: std::io::Error) -> Self {
        SessionEnd::Io(e)
    }
}

pub(crate) async fn run_session(tcp: TcpStream, shared: Arc<Shared>) {
    // A session ends when the client leaves or breaks the protocol; either way only this
    // connection is affected, and the server goes on. SLUICE_SERVER_LOG=1 shows why.
    if let Err(e) = session(tcp, &shared).await {
        if std::env::var_os("SLUICE_SERVER_LOG").is_some() {
            eprintln!("sluice serve: session ended: {e}");
        }
    }
}

async fn session(tcp: TcpStream, shared: &Shared) -> Result<(), SessionEnd> {
    let Some((mut stream, login_only)) = negotiate(tcp, shared).await? else {
        return Ok(());
    };
    let Some((header, payload)) = stream.read_message(LOGIN_LIMIT).await? else {
        return Ok(());
    };
    if header.ty != packet_type::LOGIN7 {
        return Err(SessionEnd::Protocol(format!(
            "expected LOGIN7, got packet type 0x{:02X}",
            header.ty
        )));
    }
    let login = Login7::decode(&payload).map_err(|e| SessionEnd::Protocol(e.to_string()))?;
    if login_only {
        // Both sides said ENCRYPT_OFF: TLS covered LOGIN7 only (MS-TDS 2.2.6.5).
        let MaybeTls::Tls(tls) = stream.into_inner() else {
            return Err(SessionEnd::Protocol("login-only TLS without TLS".into()));
        };
        let (wrapper, _) = (*tls).into_inner();
        stream = PacketStream::new(MaybeTls::Plain(wrapper.into_inner()));
    }
    let Some((mut session, packet_size)) = accept_login(&mut stream, shared, &login).await? else {
        return Ok(());
    };
    let result = serve(&mut stream, shared, &mut session, packet_size).await;
    // A connection that goes away inside a transaction rolls it back, as SQL Server does.
    engine::rollback_open(&shared.catalog, &mut session);
    result
}

/// Requests until the client leaves, the protocol breaks or a fault knob closes the connection.
async fn serve(
    stream: &mut Stream,
    shared: &Shared,
    session: &mut Session,
    packet_size: usize,
) -> Result<(), SessionEnd> {
    let mut responder = Responder::new(packet_size, shared.config.name.clone());
    // The INSERT BULK that announced the next bulk-load message, if the last batch was one.
    let mut pending_bulk: Option<engine::InsertBulk> = None;
    // The `drop_after_commit` fault fired on a batch loaded inside a transaction: the
    // connection closes when that transaction commits, before the COMMIT is answered.
    let mut drop_at_commit = false;
    loop {
        let Some(first) = stream.read_packet().await? else {
            return Ok(());
        };
        let ty = first.header.ty;
        if first.header.status & (status::RESET_CONNECTION | status::RESET_CONNECTION_SKIP_TRAN)
            != 0
        {
            // sp_reset_connection rolls back an open transaction, unless the client asked
            // to keep it (RESET_CONNECTION_SKIP_TRAN, MS-TDS 2.2.3.1.1).
            let keep_tran = first.header.status & status::RESET_CONNECTION == 0;
            if !keep_tran {
                engine::rollback_open(&shared.catalog, session);
            }
            let mut fresh = Session::new(&session.database);
            fresh.single_database = session.single_database;
            let old = std::mem::replace(session, fresh);
            if keep_tran {
                session.adopt_transaction(old);
            } else {
                for e in old.into_transaction_changes() {
                    responder.pending_env(e);
                }
            }
            responder.pending_env(EnvChange::ResetConnectionAck);
        }
        if ty == packet_type::ATTENTION {
            // Nothing is running: acknowledge right away.
            pending_bulk = None;
            responder.attention_ack(stream).await?;
            continue;
        }
        if ty == packet_type::BULK_LOAD {
            let Some(stmt) = pending_bulk.take() else {
                let err = engine::Outcome::Error(engine::SqlError {
                    number: 4804,
                    state: 1,
                    class: 16,
                    message:
                        "A bulk-load message arrived without a preceding INSERT BULK statement."
                            .into(),
                    line: 1,
                });
                let (_, _) = stream.read_rest_of_message(first, BATCH_LIMIT).await?;
                responder.send(stream, &[err]).await?;
                continue;
            };
            match bulk_receive::receive(stream, first, &stmt, shared, session).await? {
                BulkEnd::Reply(outcomes) => {
                    let delay = (shared.config.faults.bulk_reply_delay)
                        .unwrap_or(shared.config.reply_delay);
                    if !delay.is_zero() && wait_or_attention(stream, delay, shared).await? {
                        // The batch was stored (or refused) before the cancel came: as SQL
                        // Server does, its own DONE goes first, then the acknowledgement, so
                        // the client knows it committed (MS-TDS 2.2.1.7, 3.2.5.1).
                        responder.send(stream, &outcomes).await?;
                        responder.attention_ack(stream).await?;
                        continue;
                    }
                    responder.send(stream, &outcomes).await?
                }
                BulkEnd::Ignored => responder.send(stream, &[]).await?,
                BulkEnd::Attention => responder.attention_ack(stream).await?,
                BulkEnd::Drop => return Ok(()),
                BulkEnd::StoredThenDrop(outcomes) => {
                    if session.trancount == 0 {
                        // Stored and committed: the answer is what gets lost.
                        return Ok(());
                    }
                    drop_at_commit = true;
                    responder.send(stream, &outcomes).await?
                }
            }
            continue;
        }
        pending_bulk = None;
        let (_, payload) = stream.read_rest_of_message(first, BATCH_LIMIT).await?;
        if !shared.config.reply_delay.is_zero()
            && wait_or_attention(stream, shared.config.reply_delay, shared).await?
        {
            responder.attention_ack(stream).await?;
            continue;
        }
        match ty {
            packet_type::SQL_BATCH => {
                let sql = match decode_sql_batch(&payload) {
                    Ok(s) => s,
                    Err(e) => return Err(SessionEnd::Protocol(e.to_string())),
                };
                if let Some(delay) = parse_waitfor_delay(&sql) {
                    if wait_or_attention(stream, delay, shared).await? {
                        responder.attention_ack(stream).await?;
                    } else {
                        responder
                            .send(
                                stream,
                                &[engine::Outcome::Done {
                                    rows_affected: None,
                                }],
                            )
                            .await?;
                    }
                    continue;
                }
                let sql = driver_batches::sqlbulkcopy_metadata(&sql).unwrap_or(sql);
                let outcomes = engine::execute_batch(&shared.catalog, session, &sql);
                pending_bulk = bulk_receive::announced(&sql, &outcomes);
                if transaction_changes(session, &mut responder, &mut drop_at_commit) {
                    return Ok(());
                }
                responder.send(stream, &outcomes).await?;
            }
            packet_type::TRANSACTION_MANAGER => {
                if std::env::var_os("SLUICE_SERVER_LOG").is_some() {
                    eprintln!(
                        "sluice serve: transaction manager request {:02X?}",
                        &payload[..]
                    );
                }
                let outcomes = transaction_manager::handle(&shared.catalog, session, &payload);
                if transaction_changes(session, &mut responder, &mut drop_at_commit) {
                    return Ok(());
                }
                responder.send(stream, &outcomes).await?;
            }
            other => {
                let what = match other {
                    packet_type::RPC => "RPC requests (sp_executesql, prepared statements)",
                    _ => "this request type",
                };
                let err = engine::Outcome::Error(engine::SqlError {
                    number: 40517,
                    state: 1,
                    class: 16,
                    message: format!("The Sluice test server does not support {what} (packet type 0x{other:02X}); send SQL batches."),
                    line: 1,
                });
                responder.send(stream, &[err]).await?;
            }
        }
    }
}

/// Queues the request's transaction ENVCHANGEs for its answer. True when the connection must
/// close instead of answering: the transaction holding the `drop_after_commit` batch committed.
fn transaction_changes(
    session: &mut Session,
    responder: &mut Responder,
    drop_at_commit: &mut bool,
) -> bool {
    for e in session.take_transaction_changes() {
        match e {
            EnvChange::CommitTransaction { .. } if *drop_at_commit => return true,
            EnvChange::RollbackTransaction { .. } => *drop_at_commit = false,
            _ => {}
        }
        responder.pending_env(e);
    }
    false
}

/// PRELOGIN and, where agreed, the TLS handshake. Returns the stream and whether TLS covers the
/// login only; `None` when the client must be turned away.
async fn negotiate(tcp: TcpStream, shared: &Shared) -> Result<Option<(Stream, bool)>, SessionEnd> {
    let mode = shared.config.encrypt;
    let tls = shared.tls.clone();
    if mode == ServerEncrypt::Strict {
        let Some(tls) = tls else {
            return Err(SessionEnd::Protocol("strict mode without TLS".into()));
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(tls);
        let tls = acceptor.accept(PreloginTls::new(tcp, false)).await?;
        let mut stream: Stream = PacketStream::new(MaybeTls::Tls(Box::new(tls)));
        let Some(req) = read_prelogin(&mut stream).await? else {
            return Ok(None);
        };
        write_prelogin(&mut stream, EncryptionLevel::On, &req).await?;
        return Ok(Some((stream, false)));
    }
    let mut stream: Stream = PacketStream::new(MaybeTls::Plain(tcp));
    let Some(req) = read_prelogin(&mut stream).await? else {
        return Ok(None);
    };
    let client = req.encryption.unwrap_or(EncryptionLevel::NotSupported);
    use EncryptionLevel::*;
    // MS-TDS 2.2.6.5's table: what the server answers, given its setting and the client's.
    let (answer, tls_mode) = match (mode, client) {
        (ServerEncrypt::Off, _) => (NotSupported, None),
        (ServerEncrypt::Optional, Off) => (Off, Some(true)),
        (ServerEncrypt::Optional, NotSupported) => (NotSupported, None),
        (ServerEncrypt::Optional, On | Required) => (On, Some(false)),
        (ServerEncrypt::Mandatory, NotSupported) => {
            write_prelogin(&mut stream, Required, &req).await?;
            return Ok(None);
        }
        (ServerEncrypt::Mandatory, Off) => (Required, Some(false)),
        (ServerEncrypt::Mandatory, On | Required) => (On, Some(false)),
        (ServerEncrypt::Strict, _) => return Ok(None),
    };
    write_prelogin(&mut stream, answer, &req).await?;
    let Some(login_only) = tls_mode else {
        return Ok(Some((stream, false)));
    };
    if client == On && answer == NotSupported {
        return Ok(None);
    }
    let Some(tls) = tls else {
        return Ok(Some((stream, false)));
    };
    let MaybeTls::Plain(tcp) = stream.into_inner() else {
        return Err(SessionEnd::Protocol("TLS started twice".into()));
    };
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let mut tls = acceptor.accept(PreloginTls::new(tcp, true)).await?;
    tls.get_mut().0.handshake_done();
    Ok(Some((
        PacketStream::new(MaybeTls::Tls(Box::new(tls))),
        login_only,
    )))
}

async fn read_prelogin(stream: &mut Stream) -> Result<Option<PreLogin>, SessionEnd> {
    let Some((header, payload)) = stream.read_message(LOGIN_LIMIT).await? else {
        return Ok(None);
    };
    if header.ty != packet_type::PRELOGIN {
        return Err(SessionEnd::Protocol(format!(
            "expected PRELOGIN, got packet type 0x{:02X}",
            header.ty
        )));
    }
    PreLogin::decode(&payload)
        .map(Some)
        .map_err(|e| SessionEnd::Protocol(e.to_string()))
}

async fn write_prelogin(
    stream: &mut Stream,
    encryption: EncryptionLevel,
    req: &PreLogin,
) -> Result<(), SessionEnd> {
    let resp = PreLogin {
        // SQL Server 2022 RTM: 16.0.1000.
        version: Some([16, 0, 0x03, 0xE8, 0, 0]),
        encryption: Some(encryption),
        instance: Some(vec![]),
        thread_id: None,
        mars: Some(false),
        fed_auth_required: req.fed_auth_required.map(|_| true),
        ..Default::default()
    };
    let mut payload = BytesMut::new();
    resp.encode(&mut payload);
    stream
        .write_packets(&frame_message(
            packet_type::TABULAR_RESULT,
            DEFAULT_PACKET_SIZE,
            &payload,
        ))
        .await?;
    Ok(())
}

/// Checks the credentials and answers LOGIN7. `None` when the login was refused.
async fn accept_login(
    stream: &mut Stream,
    shared: &Shared,
    login: &Login7,
) -> Result<Option<(Session, usize)>, SessionEnd> {
    let cfg = &shared.config;
    let token = login.features.iter().find_map(|f| match f {
        FeatureExt::FedAuthToken { token, .. } => Some(token.as_str()),
        _ => None,
    });
    let (ok, who) = match token {
        Some(t) => (
            cfg.access_token.as_deref() == Some(t),
            "<token-identified principal>".to_string(),
        ),
        None => (
            login.username.eq_ignore_ascii_case(&cfg.user) && login.password == cfg.password,
            login.username.clone(),
        ),
    };
    let mut responder = Responder::new(DEFAULT_PACKET_SIZE, cfg.name.clone());
    let message = |number: u32, class: u8, message: String| ServerMessage {
        number,
        state: 1,
        class,
        message,
        server: cfg.name.clone(),
        procedure: String::new(),
        line: 1,
    };
    let login_failed = message(18456, 14, format!("Login failed for user '{who}'."));
    if !ok {
        responder.login_failed(stream, &[login_failed]).await?;
        return Ok(None);
    }
    let database = if login.database.is_empty() {
        "master".to_string()
    } else {
        login.database.clone()
    };
    if !shared.catalog.database_exists(&database) {
        let msgs = [
            message(
                4060,
                11,
                format!(
                    "Cannot open database \"{database}\" requested by the login. The login failed."
                ),
            ),
            login_failed,
        ];
        responder.login_failed(stream, &msgs).await?;
        return Ok(None);
    }
    let packet_size = match login.packet_size {
        0 => DEFAULT_PACKET_SIZE,
        n => (n as usize).clamp(512, 32767),
    };
    shared.logins.fetch_add(1, Ordering::Relaxed);
    let spid = shared.next_spid.fetch_add(1, Ordering::Relaxed);
    respond::login_ack(stream, shared, login, &database, packet_size).await?;
    if shared.config.route_to.is_some() {
        return Ok(None);
    }
    let mut session = Session::new(&database);
    session.spid = spid;
    session.server_name = cfg.name.clone();
    session.single_database = cfg.single_database;
    Ok(Some((session, packet_size)))
}

/// Sleeps for `delay` unless the client sends ATTENTION first (true when it did). With the
/// `ignore_attention` fault the ATTENTION is swallowed and the full delay runs, as a hung
/// server would: the client never gets its acknowledgement.
async fn wait_or_attention(
    stream: &mut Stream,
    delay: Duration,
    shared: &Shared,
) -> Result<bool, SessionEnd> {
    let until = tokio::time::Instant::now() + delay;
    tokio::select! {
        _ = tokio::time::sleep_until(until) => Ok(false),
        p = stream.read_packet() => match p? {
            Some(p) if p.header.ty == packet_type::ATTENTION => {
                if shared.config.faults.ignore_attention {
                    tokio::time::sleep_until(until).await;
                    return Ok(false);
                }
                Ok(true)
            }
            Some(p) => Err(SessionEnd::Protocol(format!("packet type 0x{:02X} arrived while a request was running", p.header.ty))),
            None => Err(SessionEnd::Protocol("the client left".into())),
        },
    }
}

/// `WAITFOR DELAY 'hh:mm:ss[.fff]'` as a whole batch: the test server's way to run a slow query.
fn parse_waitfor_delay(sql: &str) -> Option<Duration> {
    let s = sql.trim().trim_end_matches(';').trim();
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("waitfor")?
        .trim_start()
        .strip_prefix("delay")?
        .trim();
    let inner = rest.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut parts = inner.split(':');
    let h: u64 = parts.next()?.trim().parse().ok()?;
    let m: u64 = parts.next()?.trim().parse().ok()?;
    let sec: f64 = parts.next().unwrap_or("0").trim().parse().ok()?;
    if parts.next().is_some() || h > 1 || m > 59 || !(0.0..60.0).contains(&sec) {
        return None;
    }
    Some(Duration::from_secs(h * 3600 + m * 60) + Duration::from_secs_f64(sec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waitfor_delay_is_parsed() {
        assert_eq!(
            parse_waitfor_delay("WAITFOR DELAY '00:00:02'"),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse_waitfor_delay("waitfor delay '00:00:00.5';"),
            Some(Duration::from_millis(500))
        );
        assert_eq!(parse_waitfor_delay("WAITFOR DELAY '99:00:00'"), None);
        assert_eq!(parse_waitfor_delay("SELECT 1"), None);
    }
}
