//! The `Server` value: `host`, `host,port`, `tcp:host,port`, `host\instance`, `[::1],1433`,
//! `(local)`, `.`; other transports are refused with a reason.

use super::{parse_digits, ConnStringError, Entry};

/// Strips an ASCII prefix regardless of case.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    match s.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => s.get(prefix.len()..),
        _ => None,
    }
}

/// `host`, `host,port`, `tcp:host,port`, `host\instance`, `[::1],1433`, `(local)`, `.`.
pub(super) fn parse_server(e: &Entry) -> Result<(String, u16, Option<String>), ConnStringError> {
    let raw = e.value.trim();
    if strip_prefix_ci(raw, "np:").is_some() || raw.starts_with(r"\\") {
        return Err(e.unsupported("named pipes are not supported; use TCP (Server=tcp:host,port)"));
    }
    if strip_prefix_ci(raw, "lpc:").is_some() {
        return Err(
            e.unsupported("shared memory (lpc:) is not supported; use TCP (Server=tcp:host,port)")
        );
    }
    if strip_prefix_ci(raw, "admin:").is_some() {
        return Err(e.unsupported("the dedicated admin connection (admin:) is not supported"));
    }
    if strip_prefix_ci(raw, "(localdb)").is_some() {
        return Err(e.unsupported("LocalDB is not supported; connect to SQL Server over TCP"));
    }
    let rest = strip_prefix_ci(raw, "tcp:").unwrap_or(raw);
    let (host_part, port) = match rest.split_once(',') {
        Some((host, port)) => {
            let port = parse_digits(port)
                .and_then(|p| u16::try_from(p).ok())
                .filter(|&p| p > 0)
                .ok_or_else(|| e.invalid("host,port with a port from 1 to 65535"))?;
            (host.trim(), Some(port))
        }
        None => (rest, None),
    };
    let (host, instance) = match host_part.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((host, "")) => (host, None),
            Some((host, after)) => match after.strip_prefix('\\') {
                Some(instance) => (host, Some(instance)),
                None => return Err(e.invalid("[IPv6 address],port")),
            },
            None => return Err(e.invalid("a closing ']' after an IPv6 address")),
        },
        None => match host_part.split_once('\\') {
            Some((host, instance)) => (host, Some(instance)),
            None => (host_part, None),
        },
    };
    let host = match host.trim() {
        "." => "localhost",
        h if h.eq_ignore_ascii_case("(local)") => "localhost",
        h => h,
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | '%'));
    if !host_ok {
        return Err(e.invalid("a host name or IP address"));
    }
    let instance = match instance.map(str::trim) {
        Some(i)
            if i.is_empty()
                || i.chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '\\') =>
        {
            return Err(e.invalid(r"host\instance with a non-empty instance name"));
        }
        // An explicit port wins; SqlClient then skips the SQL Browser lookup.
        Some(_) if port.is_some() => None,
        other => other.map(str::to_owned),
    };
    Ok((host.to_owned(), port.unwrap_or(1433), instance))
}

#[cfg(test)]
mod tests {
    use super::super::{parse, ConnStringError, ConnectionParams};

    fn ok(s: &str) -> ConnectionParams {
        parse(s).unwrap_or_else(|e| panic!("{s:?} should parse, got {e}"))
    }

    fn err(s: &str) -> ConnStringError {
        match parse(s) {
            Ok(p) => panic!("{s:?} should fail, parsed {p:?}"),
            Err(e) => e,
        }
    }

    fn unsupported_reason(e: &ConnStringError) -> &'static str {
        match e {
            ConnStringError::Unsupported { reason, .. } => reason,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn server_forms() {
        let server = |s: &str| {
            let p = ok(&format!("Server={s}"));
            (p.host, p.port, p.instance)
        };
        let h =
            |host: &str, port, inst: Option<&str>| (host.to_owned(), port, inst.map(str::to_owned));
        assert_eq!(server("db"), h("db", 1433, None));
        assert_eq!(server("db,1500"), h("db", 1500, None));
        assert_eq!(server(" tcp: db , 1500 "), h("db", 1500, None));
        assert_eq!(server("TCP:db"), h("db", 1433, None));
        assert_eq!(server(r"db\SQLEXPRESS"), h("db", 1433, Some("SQLEXPRESS")));
        assert_eq!(server(r"db\SQLEXPRESS,1500"), h("db", 1500, None));
        assert_eq!(server("(local)"), h("localhost", 1433, None));
        assert_eq!(
            server(r".\SQLEXPRESS"),
            h("localhost", 1433, Some("SQLEXPRESS"))
        );
        assert_eq!(server("localhost,65535"), h("localhost", 65535, None));
        assert_eq!(server("[::1],1433"), h("::1", 1433, None));
        assert_eq!(
            server(r"[fe80::1%eth0]\INST"),
            h("fe80::1%eth0", 1433, Some("INST"))
        );
        assert_eq!(server("::1"), h("::1", 1433, None));
        assert_eq!(server("10.0.0.5,1"), h("10.0.0.5", 1, None));
    }

    #[test]
    fn bad_server_values_are_rejected() {
        for s in [
            "db,0", "db,65536", "db,abc", "db,", "db,-1", ",1433", r"db\", r"db\a b", "[::1",
            "[::1]x", "a b", "db;x=1",
        ] {
            let e = err(&format!("Server={s}"));
            assert!(
                matches!(
                    e,
                    ConnStringError::InvalidValue { .. } | ConnStringError::UnknownKey { .. }
                ),
                "{s}: {e:?}"
            );
        }
        for s in [
            r"np:\\.\pipe\sql\query",
            r"\\host\pipe\sql\query",
            "NP:host",
        ] {
            assert!(unsupported_reason(&err(&format!("Server={s}")))
                .contains("named pipes are not supported"));
        }
        for s in ["lpc:host", "admin:host", r"(localdb)\MSSQLLocalDB"] {
            unsupported_reason(&err(&format!("Server={s}")));
        }
        assert_eq!(err("Database=d;User ID=u"), ConnStringError::MissingServer);
        assert_eq!(err("Server=;Database=d"), ConnStringError::MissingServer);
        assert_eq!(err(""), ConnStringError::MissingServer);
    }
}
