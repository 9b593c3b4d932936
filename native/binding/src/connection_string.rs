//! `parseConnectionString`: the core's ADO.NET connection-string parser
//! (`tds::conn_string::parse`, the one `connect` uses) for the app's connection form, so the form
//! and a connection never read a string differently. The secrets come back only because the form
//! has a password box to fill; nothing here prints them, and `redacted` is the string to log.

// napi registers the export below only outside `cfg(test)`; the unit-test build sees it unused.
#![cfg_attr(test, allow(dead_code))]

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::json;
use tds::conn_string::{self, authentication_name, ConnectionParams, Encrypt};

use crate::js_error::MARKER;

/// What a connection string says, in the form's terms, with SqlClient's defaults filled in.
#[napi(object, object_from_js = false)]
pub struct ParsedConnectionString {
    /// `host`, `host,port` (when the port is not 1433) or `host\instance`, as the form shows it.
    pub server: String,
    pub host: String,
    pub port: u32,
    pub instance: Option<String>,
    pub database: Option<String>,
    pub user: Option<String>,
    /// The secret as written; never logged (`redacted` shows `***`).
    pub password: Option<String>,
    pub access_token: Option<String>,
    /// `SqlPassword`, `AccessToken`, `Active Directory Password`, … (SqlClient's spelling).
    pub authentication: String,
    /// `Mandatory` (the default), `Strict` or `Optional`.
    pub encrypt: String,
    pub trust_server_certificate: bool,
    pub server_certificate: Option<String>,
    pub host_name_in_certificate: Option<String>,
    /// The other settings that differ from the defaults, as `[key, value]` pairs a connection
    /// string may carry (`Connect Timeout`, `Application Name`, `Packet Size`, …).
    pub extra: Vec<Vec<String>>,
    /// The whole string with `Password=***` and `AccessToken=***`: what may be logged.
    pub redacted: String,
}

/// The settings the form has no box for, where they differ from the defaults of a string that
/// names only a server.
fn extra(p: &ConnectionParams, defaults: &ConnectionParams) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut push = |key: &str, value: String| out.push(vec![key.to_string(), value]);
    if p.browser_port != defaults.browser_port {
        push("Browser Port", p.browser_port.to_string());
    }
    if p.connect_timeout != defaults.connect_timeout {
        push("Connect Timeout", p.connect_timeout.as_secs().to_string());
    }
    if let Some(t) = p.command_timeout {
        push("Command Timeout", t.as_secs().to_string());
    }
    if p.application_name != defaults.application_name {
        push("Application Name", p.application_name.clone());
    }
    if let Some(w) = &p.workstation_id {
        push("Workstation ID", w.clone());
    }
    if let Some(l) = &p.language {
        push("Current Language", l.clone());
    }
    if p.packet_size != defaults.packet_size {
        push("Packet Size", p.packet_size.to_string());
    }
    if p.application_intent_read_only {
        push("ApplicationIntent", "ReadOnly".to_string());
    }
    if p.multi_subnet_failover {
        push("MultiSubnetFailover", "True".to_string());
    }
    out
}

fn to_form(p: &ConnectionParams) -> ParsedConnectionString {
    let host = if p.host.contains(':') {
        format!("[{}]", p.host)
    } else {
        p.host.clone()
    };
    let server = match (&p.instance, p.port) {
        (Some(i), _) => format!(r"{host}\{i}"),
        (None, 1433) => host,
        (None, port) => format!("{host},{port}"),
    };
    let defaults = conn_string::parse("Server=x").ok();
    ParsedConnectionString {
        server,
        host: p.host.clone(),
        port: u32::from(p.port),
        instance: p.instance.clone(),
        database: p.database.clone(),
        user: p.user.clone(),
        password: p.password.as_ref().map(|s| s.expose().to_string()),
        access_token: p.access_token.as_ref().map(|s| s.expose().to_string()),
        authentication: authentication_name(p.authentication).to_string(),
        encrypt: match p.encrypt {
            Encrypt::On => "Mandatory",
            Encrypt::Strict => "Strict",
            Encrypt::Off => "Optional",
        }
        .to_string(),
        trust_server_certificate: p.trust_server_certificate,
        server_certificate: p.server_certificate.clone(),
        host_name_in_certificate: p.host_name_in_certificate.clone(),
        extra: defaults.map(|d| extra(p, &d)).unwrap_or_default(),
        redacted: p.redacted(),
    }
}

/// The string in the form's terms, or the parser's words (which never contain a secret).
fn parse_form(text: &str) -> std::result::Result<ParsedConnectionString, String> {
    conn_string::parse(text)
        .map(|p| to_form(&p))
        .map_err(|e| e.to_string())
}

/// Parses an ADO.NET connection string as `connect` would; an error has code ECONFIG.
#[napi]
pub fn parse_connection_string(text: String) -> Result<ParsedConnectionString> {
    parse_form(&text).map_err(|message| {
        let detail = json!({ "code": "ECONFIG", "message": message });
        Error::new(Status::InvalidArg, format!("{MARKER}{detail}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> ParsedConnectionString {
        to_form(&conn_string::parse(text).unwrap())
    }

    #[test]
    fn an_azure_string_fills_the_form_with_synonyms_and_quoting_undone() {
        let f = form(
            "Server=tcp:x.database.windows.net,1433;Initial Catalog=sales;uid=ann;\
             PWD={p;a}}ss};encrypt=strict;TrustServerCertificate=False;Connection Timeout=30;",
        );
        assert_eq!(f.server, "x.database.windows.net");
        assert_eq!((f.host.as_str(), f.port), ("x.database.windows.net", 1433));
        assert_eq!(f.database.as_deref(), Some("sales"));
        assert_eq!(f.user.as_deref(), Some("ann"));
        assert_eq!(f.password.as_deref(), Some("p;a}ss"));
        assert_eq!(f.encrypt, "Strict");
        assert!(!f.trust_server_certificate);
        assert_eq!(f.extra, [["Connect Timeout", "30"]]);
        assert_eq!(f.authentication, "SqlPassword");
    }

    #[test]
    fn the_redacted_string_never_holds_the_secret() {
        let f = form("Server=a,1500;User ID=sa;Password=hunter2;Encrypt=False");
        assert_eq!(f.server, "a,1500");
        assert_eq!(f.encrypt, "Optional");
        assert!(f.redacted.contains("Password=***"), "{}", f.redacted);
        assert!(!f.redacted.contains("hunter2"), "{}", f.redacted);
    }

    #[test]
    fn an_instance_and_an_access_token_are_shown_as_such() {
        let f = form(r"Server=db\SALES;AccessToken=eyJ.x.y");
        assert_eq!(f.server, r"db\SALES");
        assert_eq!(f.instance.as_deref(), Some("SALES"));
        assert_eq!(f.access_token.as_deref(), Some("eyJ.x.y"));
        assert_eq!(f.authentication, "AccessToken");
        assert_eq!(f.encrypt, "Mandatory");
    }

    #[test]
    fn a_bad_string_is_refused_in_words_without_the_password() {
        let e = parse_form("Server=a;Password=s3cret;Encrypt=sometimes")
            .err()
            .unwrap();
        assert!(e.contains("Encrypt"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }
}
