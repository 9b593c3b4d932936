//! Opening a connection: TCP, PRELOGIN, TLS, LOGIN7, and one Azure gateway redirect.

use crate::connection::{Connection, ServerInfo};
use crate::error::{Error, Result};
use crate::packet_io::PacketStream;
use crate::prelogin_tls::{PreloginTls, NOT_TDS8_MESSAGE};
use crate::response::ResponseReader;
use crate::tls_config::{client_config, TlsOptions};
use crate::transport::{ClientTransport, MaybeTls};
use bytes::BytesMut;
use rustls::pki_types::ServerName;
use tds::conn_string::{Authentication, ConnStringError, ConnectionParams, Encrypt};
use tds::login7::{FeatureExt, FieldTooLong, Login7, Login7Field};
use tds::packet::{frame_message, packet_type, DEFAULT_PACKET_SIZE};
use tds::prelogin::{EncryptionLevel, PreLogin};
use tds::token::{EnvChange, Token};
use tokio::net::TcpStream;

/// The version Sluice reports in PRELOGIN (major, minor, build; subbuild).
const CLIENT_VERSION: [u8; 6] = [0, 1, 0, 0, 0, 0];
/// How long a TLS-first (Strict) client waits for the server's first TLS bytes before saying the
/// server likely does not speak TDS 8.0 (the Connect Timeout still bounds the whole login).
const STRICT_HELLO_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// PRELOGIN responses are tiny; anything bigger is not a SQL Server.
const PRELOGIN_LIMIT: usize = 64 * 1024;

enum Outcome {
    Ready(Box<Connection>),
    Routed { host: String, port: u16 },
}

/// How the session is protected, from what both sides said in PRELOGIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protection {
    None,
    LoginOnly,
    Full,
}

pub async fn connect(p: &ConnectionParams) -> Result<Connection> {
    check_supported(p)?;
    // Refuse an over-long field before dialing; the encoder checks again after routing.
    build_login7(p, &p.host, false)
        .check_lengths()
        .map_err(field_too_long)?;
    let work = async {
        let (mut host, mut port) = (p.host.clone(), p.port);
        // `host\instance` without a port: the SQL Browser says where the instance listens.
        // (An explicit port wins and leaves `instance` unset: conn_string's rule, SqlClient's.)
        if let Some(instance) = &p.instance {
            port = crate::browser::instance_port(&host, p.browser_port, instance).await?;
        }
        // Azure SQL's gateway may answer a login with a redirect; follow it once.
        for hop in 0..2 {
            match login_once(p, &host, port).await? {
                Outcome::Ready(c) => return Ok(*c),
                Outcome::Routed { host: h, port: pt } if hop == 0 => {
                    host = h;
                    port = pt;
                }
                Outcome::Routed { host: h, port: pt } => {
                    return Err(Error::Protocol(format!("the server redirected a second time (to {h}:{pt}); only one redirect is followed")))
                }
            }
        }
        Err(Error::Protocol("routing loop".into()))
    };
    if p.connect_timeout.is_zero() {
        work.await
    } else {
        tokio::time::timeout(p.connect_timeout, work)
            .await
            .map_err(|_| Error::Timeout {
                what: "connecting and logging in",
                after: p.connect_timeout,
            })?
    }
}

fn check_supported(p: &ConnectionParams) -> Result<()> {
    match p.authentication {
        Authentication::SqlPassword => {
            if p.access_token.is_some() {
                return Ok(());
            }
            if p.user.is_none() {
                return Err(Error::Unsupported("SQL authentication needs a User ID (and a Password)".into()));
            }
            Ok(())
        }
        Authentication::AccessToken => {
            if p.access_token.is_none() {
                return Err(Error::Unsupported("Authentication=AccessToken needs an access token".into()));
            }
            Ok(())
        }
        other if p.access_token.is_some() => {
            let _ = other;
            Ok(())
        }
        other => Err(Error::Unsupported(format!(
            "Authentication={other:?} needs Microsoft's identity libraries, which Sluice does not embed; get an Entra ID \
             access token for https://database.windows.net/ (for example `az account get-access-token --resource \
             https://database.windows.net/ --query accessToken -o tsv`) and pass it as AccessToken"
        ))),
    }
}

async fn login_once(p: &ConnectionParams, host: &str, port: u16) -> Result<Outcome> {
    let tcp = TcpStream::connect((host, port))
        .await
        .map_err(|source| Error::Connect {
            host: host.to_string(),
            port,
            source,
        })?;
    tcp.set_nodelay(true)?;
    let tls_opts = TlsOptions {
        trust_server_certificate: p.trust_server_certificate,
        host_name_in_certificate: p.host_name_in_certificate.clone(),
        server_certificate: p.server_certificate.clone(),
        strict: p.encrypt == Encrypt::Strict,
    };
    let server_name = ServerName::try_from(host.to_string())
        .map_err(|_| Error::Tls(format!("{host:?} is not a valid host name for TLS")))?;
    let uses_token = p.access_token.is_some();

    // TDS 8.0: TLS first, then everything inside it.
    let (mut stream, protection, fedauth_echo) = if p.encrypt == Encrypt::Strict {
        let connector = tokio_rustls::TlsConnector::from(client_config(&tls_opts)?);
        let handshake = connector.connect(server_name.clone(), PreloginTls::tls_first_client(tcp));
        // A pre-2022 server reads the ClientHello as the start of a PRELOGIN packet and waits for
        // the rest, silently (SqlClient then reports a bare timeout, dotnet/SqlClient#1905). A
        // TDS 8.0 server answers within a round trip, so silence this long names the likely cause.
        let wait = if p.connect_timeout.is_zero() {
            STRICT_HELLO_WAIT
        } else {
            STRICT_HELLO_WAIT.min(p.connect_timeout)
        };
        let tls = tokio::time::timeout(wait, handshake)
            .await
            .map_err(|_| {
                Error::Tls(format!(
                    "no TLS answer from {host}:{port} within {} s: {NOT_TDS8_MESSAGE}",
                    wait.as_secs()
                ))
            })?
            .map_err(|e| tls_error(e, &tls_opts))?;
        let mut stream = PacketStream::new(MaybeTls::Tls(Box::new(tls)));
        let (_, echo) = prelogin(&mut stream, p, EncryptionLevel::On, uses_token).await?;
        (stream, Protection::Full, echo)
    } else {
        let mut stream: PacketStream<ClientTransport> = PacketStream::new(MaybeTls::Plain(tcp));
        let asked = if p.encrypt == Encrypt::On {
            EncryptionLevel::On
        } else {
            EncryptionLevel::Off
        };
        let (answer, echo) = prelogin(&mut stream, p, asked, uses_token).await?;
        let protection = match (asked, answer) {
            (EncryptionLevel::On, EncryptionLevel::NotSupported | EncryptionLevel::Off) => {
                return Err(Error::EncryptionRefused(
                    if answer == EncryptionLevel::Off {
                        "ENCRYPT_OFF"
                    } else {
                        "ENCRYPT_NOT_SUP"
                    },
                ))
            }
            (_, EncryptionLevel::NotSupported) => Protection::None,
            (EncryptionLevel::Off, EncryptionLevel::Off) => Protection::LoginOnly,
            _ => Protection::Full,
        };
        // Protection::None is what Microsoft's drivers also do with Encrypt=Optional against a
        // server without TLS: allowed, but the password crosses the network merely obfuscated.
        if protection != Protection::None {
            let MaybeTls::Plain(tcp) = stream.into_inner() else {
                return Err(Error::Protocol("TLS started twice".into()));
            };
            // Login-only encryption (Encrypt=False/Optional) doesn't validate the certificate,
            // as in Microsoft's drivers: the client never asked for a protected session.
            let opts = if protection == Protection::LoginOnly {
                TlsOptions {
                    trust_server_certificate: true,
                    ..tls_opts
                }
            } else {
                tls_opts
            };
            let connector = tokio_rustls::TlsConnector::from(client_config(&opts)?);
            let mut tls = connector
                .connect(server_name, PreloginTls::new(tcp, true))
                .await
                .map_err(|e| tls_error(e, &opts))?;
            tls.get_mut().0.handshake_done();
            stream = PacketStream::new(MaybeTls::Tls(Box::new(tls)));
        }
        (stream, protection, echo)
    };

    let login = build_login7(p, host, fedauth_echo);
    let mut payload = BytesMut::new();
    login.encode(&mut payload).map_err(field_too_long)?;
    stream
        .write_packets(&frame_message(
            packet_type::LOGIN7,
            DEFAULT_PACKET_SIZE,
            &payload,
        ))
        .await?;
    drop(payload);

    if protection == Protection::LoginOnly {
        // ENCRYPT_OFF on both sides: TLS protected LOGIN7 only; the rest travels in the clear.
        let MaybeTls::Tls(tls) = stream.into_inner() else {
            return Err(Error::Protocol("expected TLS for the login".into()));
        };
        let (wrapper, _session) = (*tls).into_inner();
        stream = PacketStream::new(MaybeTls::Plain(wrapper.into_inner()));
    }

    let mut reader = ResponseReader::new();
    reader.begin();
    let mut info = ServerInfo::default();
    let mut packet_size = DEFAULT_PACKET_SIZE;
    let mut database = p.database.clone().unwrap_or_default();
    let mut acked = false;
    let mut first_error = None;
    let mut routed = None;
    while let Some(token) = reader.next(&mut stream).await? {
        match token {
            Token::LoginAck(a) => {
                acked = true;
                info.tds_version = a.tds_version;
                info.program = a.prog_name;
                info.version = a.prog_version;
            }
            Token::EnvChange(EnvChange::PacketSize { new, .. }) => {
                packet_size = (new as usize).clamp(512, 32767)
            }
            Token::EnvChange(EnvChange::Database { new, .. }) => database = new,
            Token::EnvChange(EnvChange::Routing { host, port }) => routed = Some((host, port)),
            Token::Error(m) => {
                first_error.get_or_insert(m);
            }
            _ => {}
        }
    }
    if let Some(m) = first_error {
        return Err(Error::Login(m));
    }
    if let Some((host, port)) = routed {
        return Ok(Outcome::Routed { host, port });
    }
    if !acked {
        return Err(Error::Protocol(
            "the server ended the login without LOGINACK or an error".into(),
        ));
    }
    Ok(Outcome::Ready(Box::new(Connection::new(
        stream,
        reader,
        packet_size,
        database,
        info,
        p.command_timeout,
    ))))
}

fn tls_error(e: std::io::Error, opts: &TlsOptions) -> Error {
    let certificate_refused = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|r| matches!(r, rustls::Error::InvalidCertificate(_)));
    match opts.validation_hint() {
        Some(hint) if certificate_refused => Error::Tls(format!("{e}. {hint}")),
        _ => Error::Tls(e.to_string()),
    }
}

/// Names the connection-string key behind an over-long LOGIN7 field (`ECONFIG`). The value is
/// not shown (it may be a password, and it is long); its length is.
fn field_too_long(e: FieldTooLong) -> Error {
    let key = match e.field {
        Login7Field::HostName => "Workstation ID",
        Login7Field::UserName => "User ID",
        Login7Field::Password => "Password",
        Login7Field::AppName => "Application Name",
        Login7Field::ServerName => "Server",
        Login7Field::LibraryName => "(client library name)",
        Login7Field::Language => "Current Language",
        Login7Field::Database => "Initial Catalog",
    };
    Error::Config(ConnStringError::InvalidValue {
        key: key.into(),
        value: format!("{} characters", e.chars),
        expected: "at most 128 characters (SQL Server's limit for LOGIN7 fields, MS-TDS 2.2.6.4)",
    })
}

/// Sends PRELOGIN; returns the encryption level the server answered and whether it said
/// FEDAUTHREQUIRED (which LOGIN7's FEDAUTH feature must echo, MS-TDS 2.2.6.4).
async fn prelogin(
    stream: &mut PacketStream<ClientTransport>,
    p: &ConnectionParams,
    encryption: EncryptionLevel,
    uses_token: bool,
) -> Result<(EncryptionLevel, bool)> {
    let req = PreLogin {
        version: Some(CLIENT_VERSION),
        encryption: Some(encryption),
        instance: Some(p.instance.clone().unwrap_or_default().into_bytes()),
        thread_id: Some(std::process::id()),
        mars: Some(false),
        fed_auth_required: uses_token.then_some(true),
        ..Default::default()
    };
    let mut payload = BytesMut::new();
    req.encode(&mut payload);
    stream
        .write_packets(&frame_message(
            packet_type::PRELOGIN,
            DEFAULT_PACKET_SIZE,
            &payload,
        ))
        .await?;
    let (_, answer) = stream.read_message(PRELOGIN_LIMIT).await?.ok_or_else(|| {
        Error::Protocol(
            "the server closed the connection during PRELOGIN (is it a SQL Server?)".into(),
        )
    })?;
    let answer = PreLogin::decode(&answer)
        .map_err(|e| Error::Protocol(format!("bad PRELOGIN response: {e}")))?;
    Ok((
        answer.encryption.unwrap_or(EncryptionLevel::NotSupported),
        answer.fed_auth_required.unwrap_or(false),
    ))
}

fn build_login7(p: &ConnectionParams, host: &str, fedauth_echo: bool) -> Login7 {
    let mut l = Login7 {
        packet_size: p.packet_size,
        client_pid: std::process::id(),
        hostname: p.workstation_id.clone().unwrap_or_else(local_host_name),
        app_name: p.application_name.clone(),
        server_name: match &p.instance {
            Some(i) => format!("{host}\\{i}"),
            None => host.to_string(),
        },
        library_name: "Sluice".into(),
        language: p.language.clone().unwrap_or_default(),
        database: p.database.clone().unwrap_or_default(),
        ..Default::default()
    };
    if p.application_intent_read_only {
        l.type_flags |= 0x20; // fReadOnlyIntent
    }
    match &p.access_token {
        Some(token) => l.features.push(FeatureExt::FedAuthToken {
            echo: fedauth_echo,
            token: token.expose().to_string(),
        }),
        None => {
            l.username = p.user.clone().unwrap_or_default();
            l.password = p
                .password
                .as_ref()
                .map(|pw| pw.expose().to_string())
                .unwrap_or_default();
        }
    }
    l
}

fn local_host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "sluice".into())
}
