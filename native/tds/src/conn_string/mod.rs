//! ADO.NET-style connection strings (`Server=…;Database=…;User ID=…`), as people paste them from
//! the Azure portal, the SQL Server docs and ODBC DSNs, parsed into [`ConnectionParams`].
//!
//! The grammar follows SqlClient's `DbConnectionStringBuilder`: `key=value` pairs separated by
//! `;`, keys case-insensitive with synonyms, the last occurrence of a key wins, an empty value
//! means "the default". Values may be quoted with `"…"` or `'…'` (the quote doubled inside) or
//! with ODBC braces `{…}` (`}}` inside), so a password may contain `;`.
//!
//! Secrets never leave this module as text: [`Password`] prints `***`, and no [`ConnStringError`]
//! carries a password or access-token value (nor a key that may be a fragment of one).

use std::fmt;
use std::time::Duration;

mod keys;
mod pairs;
mod server;
#[cfg(test)]
mod tests;

use keys::{nearest_key, Key};
use pairs::{PairReader, RawPair};
use server::parse_server;

/// How TLS protects the connection (PRELOGIN `ENCRYPTION`, MS-TDS 2.2.6.5; `Strict` is TDS 8.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encrypt {
    /// `False`/`No`/`Optional`/`Off`: only the LOGIN7 packet is encrypted.
    Off,
    /// `True`/`Yes`/`Mandatory`: TLS negotiated inside PRELOGIN, for the whole session.
    On,
    /// `Strict`: TLS first, then TDS 8.0; the certificate is always validated (against the
    /// system's roots or a `ServerCertificate` pin): TrustServerCertificate is ignored.
    Strict,
}

/// How the client proves its identity (LOGIN7 or FEDAUTH, MS-TDS 2.2.6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authentication {
    /// SQL login: `User ID` and `Password` in LOGIN7.
    SqlPassword,
    /// An Entra ID access token supplied by the caller (`AccessToken` key or the API).
    AccessToken,
    ActiveDirectoryPassword,
    ActiveDirectoryServicePrincipal,
    ActiveDirectoryDefault,
    ActiveDirectoryInteractive,
    ActiveDirectoryManagedIdentity,
    ActiveDirectoryIntegrated,
    ActiveDirectoryMsi,
}

/// Everything a connection string says, with SqlClient's defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionParams {
    /// Host name or IP address (IPv6 without brackets); `(local)` and `.` become `localhost`.
    pub host: String,
    /// TCP port; 1433 unless given. Meaningless while `instance` is set.
    pub port: u16,
    /// Named instance (`Server=host\INST`), to be resolved through SQL Browser (UDP 1434). An
    /// explicit port wins over the instance, as in SqlClient, so then this is `None`.
    pub instance: Option<String>,
    /// The SQL Browser's UDP port asked for `instance`'s TCP port: 1434 (MC-SQLR), unless the
    /// connection string says `Browser Port=…` (Sluice's own key, for tests and port forwards).
    pub browser_port: u16,
    pub database: Option<String>,
    pub user: Option<String>,
    pub password: Option<Password>,
    pub access_token: Option<Password>,
    /// Defaults to [`Encrypt::On`], like Microsoft.Data.SqlClient 4+ and ODBC Driver 18.
    pub encrypt: Encrypt,
    pub trust_server_certificate: bool,
    pub host_name_in_certificate: Option<String>,
    /// `ServerCertificate=path` (SqlClient 5.1+, ODBC 18.1+): a PEM or DER file holding the
    /// exact certificate the server must present; it replaces chain and host-name validation.
    pub server_certificate: Option<String>,
    /// Login timeout; [`Duration::ZERO`] means no limit. Defaults to 15 s.
    pub connect_timeout: Duration,
    /// Per-command timeout; `None` means no limit.
    pub command_timeout: Option<Duration>,
    /// Defaults to `Sluice`.
    pub application_name: String,
    pub workstation_id: Option<String>,
    pub language: Option<String>,
    /// Requested TDS packet size, 512..=32767; defaults to 8000.
    pub packet_size: u32,
    pub authentication: Authentication,
    pub application_intent_read_only: bool,
    pub multi_subnet_failover: bool,
}

/// A secret (password or access token) that never prints itself: `Debug` and `Display` show `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(secret: impl Into<String>) -> Self {
        Password(secret.into())
    }

    /// The secret itself, for the LOGIN7/FEDAUTH encoder and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Password {
    fn from(secret: String) -> Self {
        Password(secret)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Why a connection string was rejected. No variant ever holds a secret value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnStringError {
    #[error("unknown connection string key '{key}'{}", did_you_mean(.suggestion))]
    UnknownKey {
        key: String,
        suggestion: Option<&'static str>,
    },
    /// An unknown key right after an unquoted secret: it may be the rest of a secret that
    /// contains `;`, so it is not shown.
    #[error(
        "unknown connection string key after {secret_key} (not shown: it may be part of the \
         {secret_key} value; quote a value that contains ';', e.g. {secret_key}={{…}})"
    )]
    UnknownKeyAfterSecret { secret_key: &'static str },
    /// `value` is `***` for the password and access-token keys.
    #[error("invalid value '{value}' for '{key}': expected {expected}")]
    InvalidValue {
        key: String,
        value: String,
        expected: &'static str,
    },
    #[error("malformed connection string at byte {position}: {reason}")]
    Malformed {
        position: usize,
        reason: &'static str,
    },
    #[error("the connection string has no Server (or Data Source)")]
    MissingServer,
    #[error("'{a}' cannot be combined with '{b}'")]
    Conflicting { a: String, b: String },
    /// A setting SqlClient understands but Sluice deliberately does not implement.
    #[error("{reason}")]
    Unsupported { key: String, reason: &'static str },
}

fn did_you_mean(suggestion: &Option<&'static str>) -> String {
    suggestion
        .map(|s| format!("; did you mean '{s}'?"))
        .unwrap_or_default()
}

/// One recognised pair, kept in input order so that the last occurrence wins.
struct Entry {
    key: Key,
    /// The key as the user wrote it, for error messages.
    written: String,
    value: String,
}

impl Entry {
    fn invalid(&self, expected: &'static str) -> ConnStringError {
        let value = match self.key.secret_name() {
            Some(_) => "***".to_owned(),
            None => shorten(&self.value),
        };
        ConnStringError::InvalidValue {
            key: self.written.clone(),
            value,
            expected,
        }
    }

    fn unsupported(&self, reason: &'static str) -> ConnStringError {
        ConnStringError::Unsupported {
            key: self.written.clone(),
            reason,
        }
    }

    fn bool(&self) -> Result<bool, ConnStringError> {
        parse_bool(&self.value).ok_or_else(|| self.invalid("true, false, yes or no"))
    }

    fn seconds(&self) -> Result<u64, ConnStringError> {
        parse_digits(&self.value)
            .and_then(|n| u32::try_from(n).ok())
            .map(u64::from)
            .ok_or_else(|| self.invalid("a whole number of seconds (0 = no limit)"))
    }
}

/// Error messages quote user input; a fuzzer's megabyte should not be quoted whole.
fn shorten(s: &str) -> String {
    const MAX: usize = 64;
    if s.chars().count() <= MAX {
        return s.to_owned();
    }
    let mut short: String = s.chars().take(MAX).collect();
    short.push('…');
    short
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" => Some(true),
        "false" | "no" => Some(false),
        _ => None,
    }
}

fn parse_digits(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || value.len() > 10 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

struct Settings(Vec<Entry>);

impl Settings {
    /// The last occurrence of `key`, unless its value is empty: that resets the key to its default.
    fn get(&self, key: Key) -> Option<&Entry> {
        self.0
            .iter()
            .rev()
            .find(|e| e.key == key)
            .filter(|e| !e.value.is_empty())
    }

    fn string(&self, key: Key) -> Option<String> {
        self.get(key).map(|e| e.value.clone())
    }

    fn bool(&self, key: Key) -> Result<bool, ConnStringError> {
        self.get(key).map_or(Ok(false), Entry::bool)
    }
}

/// Parses a connection string such as the ones the Azure portal shows.
pub fn parse(s: &str) -> Result<ConnectionParams, ConnStringError> {
    let settings = read_settings(s)?;
    reject_unsupported(&settings)?;

    let server = settings
        .get(Key::Server)
        .ok_or(ConnStringError::MissingServer)?;
    let (host, port, instance) = parse_server(server)?;
    let encrypt = settings
        .get(Key::Encrypt)
        .map_or(Ok(Encrypt::On), parse_encrypt)?;
    let trust_server_certificate = settings.bool(Key::TrustServerCertificate)?;
    let connect_timeout = match settings.get(Key::ConnectTimeout) {
        Some(e) => Duration::from_secs(e.seconds()?),
        None => Duration::from_secs(15),
    };
    let command_timeout = match settings.get(Key::CommandTimeout) {
        Some(e) => Some(e.seconds()?)
            .filter(|&s| s > 0)
            .map(Duration::from_secs),
        None => None,
    };
    let packet_size = match settings.get(Key::PacketSize) {
        Some(e) => parse_digits(&e.value)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| (512..=32767).contains(n))
            .ok_or_else(|| e.invalid("a packet size in bytes from 512 to 32767"))?,
        None => 8000,
    };
    let application_intent_read_only = match settings.get(Key::ApplicationIntent) {
        Some(e) => match e.value.trim().to_ascii_lowercase().as_str() {
            "readonly" => true,
            "readwrite" => false,
            _ => return Err(e.invalid("ReadOnly or ReadWrite")),
        },
        None => false,
    };
    let browser_port = match settings.get(Key::BrowserPort) {
        Some(e) => parse_digits(&e.value)
            .and_then(|n| u16::try_from(n).ok())
            .filter(|&n| n > 0)
            .ok_or_else(|| e.invalid("a UDP port from 1 to 65535"))?,
        None => crate::ssrp::BROWSER_PORT,
    };
    let explicit_auth = settings
        .get(Key::Authentication)
        .map(parse_authentication)
        .transpose()?;

    let params = ConnectionParams {
        host,
        port,
        instance,
        browser_port,
        database: settings.string(Key::Database),
        user: settings.string(Key::User),
        password: settings.string(Key::Password).map(Password),
        access_token: settings.string(Key::AccessToken).map(Password),
        encrypt,
        trust_server_certificate,
        host_name_in_certificate: settings.string(Key::HostNameInCertificate),
        server_certificate: settings.string(Key::ServerCertificate),
        connect_timeout,
        command_timeout,
        application_name: settings
            .string(Key::ApplicationName)
            .unwrap_or_else(|| "Sluice".to_owned()),
        workstation_id: settings.string(Key::WorkstationId),
        language: settings.string(Key::Language),
        packet_size,
        authentication: Authentication::SqlPassword,
        application_intent_read_only,
        multi_subnet_failover: settings.bool(Key::MultiSubnetFailover)?,
    };
    resolve_authentication(params, explicit_auth)
}

/// [`parse`] for raw bytes, as the fuzz target feeds them; non-UTF-8 is `Malformed`.
pub fn parse_bytes(b: &[u8]) -> Result<ConnectionParams, ConnStringError> {
    match std::str::from_utf8(b) {
        Ok(s) => parse(s),
        Err(e) => Err(ConnStringError::Malformed {
            position: e.valid_up_to(),
            reason: "not valid UTF-8",
        }),
    }
}

fn read_settings(s: &str) -> Result<Settings, ConnStringError> {
    let mut entries = Vec::new();
    let mut reader = PairReader::new(s);
    // Set while the previous pair was an unquoted secret: an unknown key right after it may be
    // the tail of a password that contains ';', and must not be echoed.
    let mut after_unquoted_secret = None;
    while let Some(RawPair {
        key: written,
        value,
        quoted,
    }) = reader.next_pair()?
    {
        let Some(key) = Key::lookup(&written) else {
            return Err(match after_unquoted_secret {
                Some(secret_key) => ConnStringError::UnknownKeyAfterSecret { secret_key },
                None => ConnStringError::UnknownKey {
                    suggestion: nearest_key(&written),
                    key: shorten(&written),
                },
            });
        };
        after_unquoted_secret = key.secret_name().filter(|_| !quoted && !value.is_empty());
        entries.push(Entry {
            key,
            written: shorten(&written),
            value,
        });
    }
    Ok(Settings(entries))
}

fn reject_unsupported(settings: &Settings) -> Result<(), ConnStringError> {
    if let Some(e) = settings.get(Key::MultipleActiveResultSets) {
        if e.bool()? {
            return Err(e.unsupported(
                "MultipleActiveResultSets (MARS) is not supported; remove it or set it to False",
            ));
        }
    }
    if let Some(e) = settings.get(Key::IntegratedSecurity) {
        let on = e.value.trim().eq_ignore_ascii_case("sspi") || e.bool()?;
        if on {
            return Err(e.unsupported(
                "Integrated Security (Windows authentication) is not supported; use SQL or Entra ID authentication",
            ));
        }
    }
    if let Some(e) = settings.get(Key::NetworkLibrary) {
        if !e.value.trim().eq_ignore_ascii_case("dbmssocn") {
            return Err(e.unsupported("only TCP (Network Library=DBMSSOCN) is supported"));
        }
    }
    Ok(())
}

fn parse_encrypt(e: &Entry) -> Result<Encrypt, ConnStringError> {
    match e.value.trim().to_ascii_lowercase().as_str() {
        "false" | "no" | "optional" | "off" => Ok(Encrypt::Off),
        "true" | "yes" | "mandatory" => Ok(Encrypt::On),
        "strict" => Ok(Encrypt::Strict),
        _ => Err(e.invalid("True, False, Yes, No, Mandatory, Optional or Strict")),
    }
}

/// SqlClient's name for an authentication mode (what `Authentication=` takes, and what
/// `redacted()` writes); every one of them parses back.
pub fn authentication_name(a: Authentication) -> &'static str {
    match a {
        Authentication::SqlPassword => "SqlPassword",
        Authentication::AccessToken => "AccessToken",
        Authentication::ActiveDirectoryPassword => "Active Directory Password",
        Authentication::ActiveDirectoryServicePrincipal => "Active Directory Service Principal",
        Authentication::ActiveDirectoryDefault => "Active Directory Default",
        Authentication::ActiveDirectoryInteractive => "Active Directory Interactive",
        Authentication::ActiveDirectoryManagedIdentity => "Active Directory Managed Identity",
        Authentication::ActiveDirectoryIntegrated => "Active Directory Integrated",
        Authentication::ActiveDirectoryMsi => "Active Directory MSI",
    }
}

const AUTHENTICATIONS: [Authentication; 9] = [
    Authentication::SqlPassword,
    Authentication::AccessToken,
    Authentication::ActiveDirectoryPassword,
    Authentication::ActiveDirectoryServicePrincipal,
    Authentication::ActiveDirectoryDefault,
    Authentication::ActiveDirectoryInteractive,
    Authentication::ActiveDirectoryManagedIdentity,
    Authentication::ActiveDirectoryIntegrated,
    Authentication::ActiveDirectoryMsi,
];

/// SqlClient's names, case-insensitive, with or without the spaces.
fn parse_authentication(e: &Entry) -> Result<Authentication, ConnStringError> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let wanted = squeeze(&e.value);
    AUTHENTICATIONS
        .into_iter()
        .find(|&a| squeeze(authentication_name(a)).eq_ignore_ascii_case(&wanted))
        .ok_or_else(|| {
            e.invalid(
                "SqlPassword, AccessToken or Active Directory Password, Service Principal, Default, \
                 Interactive, Managed Identity, Integrated or MSI",
            )
        })
}

/// Picks the authentication method and rejects combinations SqlClient also rejects.
fn resolve_authentication(
    mut params: ConnectionParams,
    explicit: Option<Authentication>,
) -> Result<ConnectionParams, ConnStringError> {
    let conflict = |a: &str, b: &str| ConnStringError::Conflicting {
        a: a.to_owned(),
        b: b.to_owned(),
    };
    if params.access_token.is_some() {
        if params.password.is_some() {
            return Err(conflict("AccessToken", "Password"));
        }
        if params.user.is_some() {
            return Err(conflict("AccessToken", "User ID"));
        }
        if explicit.is_some_and(|a| a != Authentication::AccessToken) {
            return Err(conflict("AccessToken", "Authentication"));
        }
    }
    let default = match params.access_token {
        Some(_) => Authentication::AccessToken,
        None => Authentication::SqlPassword,
    };
    let authentication = explicit.unwrap_or(default);
    let setting = format!("Authentication={}", authentication_name(authentication));
    // Methods where the identity comes from elsewhere take no password (and Integrated no user).
    match authentication {
        Authentication::AccessToken | Authentication::ActiveDirectoryIntegrated
            if params.user.is_some() =>
        {
            return Err(conflict(&setting, "User ID"));
        }
        Authentication::AccessToken
        | Authentication::ActiveDirectoryIntegrated
        | Authentication::ActiveDirectoryDefault
        | Authentication::ActiveDirectoryInteractive
        | Authentication::ActiveDirectoryManagedIdentity
        | Authentication::ActiveDirectoryMsi
            if params.password.is_some() =>
        {
            return Err(conflict(&setting, "Password"));
        }
        _ => {}
    }
    // Encrypt=Strict with TrustServerCertificate=True parses, but the trust setting has no effect
    // there: as in SqlClient, ODBC 18 and tedious, a Strict session always validates the
    // certificate (against the system's roots, or the ServerCertificate pin).
    params.authentication = authentication;
    Ok(params)
}

impl ConnectionParams {
    /// A connection string equivalent to `self`, with `Password=***` and `AccessToken=***`, for
    /// logs. It parses back to the same parameters apart from the secrets.
    pub fn redacted(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let server = match &self.instance {
            Some(instance) => format!(r"{host}\{instance}"),
            None => format!("tcp:{host},{}", self.port),
        };
        let yes_no = |b: bool| if b { "True" } else { "False" };
        let mut out = String::new();
        push_pair(&mut out, "Server", &server);
        if self.browser_port != crate::ssrp::BROWSER_PORT {
            push_pair(&mut out, "Browser Port", &self.browser_port.to_string());
        }
        let optional = [
            ("Database", &self.database),
            ("User ID", &self.user),
            ("HostNameInCertificate", &self.host_name_in_certificate),
            ("ServerCertificate", &self.server_certificate),
            ("Workstation ID", &self.workstation_id),
            ("Current Language", &self.language),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                push_pair(&mut out, key, value);
            }
        }
        if self.password.is_some() {
            push_pair(&mut out, "Password", "***");
        }
        if self.access_token.is_some() {
            push_pair(&mut out, "AccessToken", "***");
        }
        let encrypt = match self.encrypt {
            Encrypt::Off => "False",
            Encrypt::On => "True",
            Encrypt::Strict => "Strict",
        };
        push_pair(&mut out, "Encrypt", encrypt);
        push_pair(
            &mut out,
            "TrustServerCertificate",
            yes_no(self.trust_server_certificate),
        );
        push_pair(
            &mut out,
            "Connect Timeout",
            &self.connect_timeout.as_secs().to_string(),
        );
        if let Some(timeout) = self.command_timeout {
            push_pair(&mut out, "Command Timeout", &timeout.as_secs().to_string());
        }
        push_pair(&mut out, "Application Name", &self.application_name);
        push_pair(&mut out, "Packet Size", &self.packet_size.to_string());
        push_pair(
            &mut out,
            "Authentication",
            authentication_name(self.authentication),
        );
        let intent = if self.application_intent_read_only {
            "ReadOnly"
        } else {
            "ReadWrite"
        };
        push_pair(&mut out, "ApplicationIntent", intent);
        push_pair(
            &mut out,
            "MultiSubnetFailover",
            yes_no(self.multi_subnet_failover),
        );
        out
    }
}

/// Appends `key=value;`, double-quoting the value when the grammar needs it.
fn push_pair(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push('=');
    let needs_quotes =
        value.contains(';') || value.trim() != value || value.starts_with(['"', '\'', '{']);
    if needs_quotes {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
    out.push(';');
}
