//! SQL Server Resolution Protocol (SSRP, [MC-SQLR]): how a client learns the TCP port of a named
//! instance (`Server=host\SQLEXPRESS`) from the SQL Server Browser service on UDP 1434.
//!
//! The client sends one datagram, CLNT_UCAST_INST (0x04 and the instance name, MC-SQLR 2.2.3);
//! the Browser answers with SVR_RESP (0x05, a 16-bit length, then a `;`-separated text record,
//! MC-SQLR 2.2.5) such as `ServerName;HOST;InstanceName;SQLEXPRESS;IsClustered;No;
//! Version;16.0.1000.6;tcp;50123;;`. This module only builds and parses those datagrams; the UDP
//! exchange (timeout, retry) is the client's, the responder the test server's.

use crate::error::{DecodeError, DecodeResult};

/// CLNT_BCAST_EX: every instance, broadcast (MC-SQLR 2.2.1).
pub const CLNT_BCAST_EX: u8 = 0x02;
/// CLNT_UCAST_EX: every instance of one host (MC-SQLR 2.2.2).
pub const CLNT_UCAST_EX: u8 = 0x03;
/// CLNT_UCAST_INST: one named instance (MC-SQLR 2.2.3).
pub const CLNT_UCAST_INST: u8 = 0x04;
/// SVR_RESP: the Browser's answer (MC-SQLR 2.2.5).
pub const SVR_RESP: u8 = 0x05;
/// CLNT_UCAST_DAC: the dedicated admin connection's port (MC-SQLR 2.2.4).
pub const CLNT_UCAST_DAC: u8 = 0x0F;
/// The Browser's well-known UDP port.
pub const BROWSER_PORT: u16 = 1434;
/// INSTANCENAME in a request is at most 32 bytes before its terminating NUL (MC-SQLR 2.2.3).
pub const MAX_INSTANCE_NAME: usize = 32;
/// RESP_DATA answering CLNT_UCAST_INST is at most 1,024 bytes (MC-SQLR 2.2.5).
pub const MAX_INSTANCE_RESPONSE: usize = 1024;

/// Why an instance name cannot be put in a request, or a record in a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SsrpEncodeError {
    #[error("instance name {name:?} {reason}")]
    InstanceName { name: String, reason: &'static str },
    #[error("SQL Browser field {field} {reason}")]
    Field {
        field: &'static str,
        reason: &'static str,
    },
    #[error("SQL Browser response of {len} bytes is over the 65,535-byte limit")]
    TooLong { len: usize },
}

/// Appends CLNT_UCAST_INST for `instance`. The name travels in the client's multi-byte code page
/// (MBCS); Sluice sends UTF-8, which is the same bytes for the ASCII names instances have in practice.
pub fn encode_instance_request(instance: &str, out: &mut Vec<u8>) -> Result<(), SsrpEncodeError> {
    let bad = |reason| SsrpEncodeError::InstanceName {
        name: instance.to_owned(),
        reason,
    };
    if instance.is_empty() {
        return Err(bad("is empty"));
    }
    if instance.len() > MAX_INSTANCE_NAME {
        return Err(bad("is longer than 32 bytes (MC-SQLR 2.2.3)"));
    }
    if instance.bytes().any(|b| b == 0 || b == b';') {
        return Err(bad("contains NUL or ';'"));
    }
    out.push(CLNT_UCAST_INST);
    out.extend_from_slice(instance.as_bytes());
    out.push(0);
    Ok(())
}

/// A request as the Browser receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserRequest {
    /// CLNT_BCAST_EX or CLNT_UCAST_EX: list every instance.
    AllInstances,
    /// CLNT_UCAST_INST: one instance by name.
    Instance(String),
    /// CLNT_UCAST_DAC: the admin port of one instance.
    AdminConnection(String),
}

/// Reads the name after a request's type byte: bytes up to the NUL (or the datagram's end, for
/// clients that omit it), at most 32 of them.
fn request_name(rest: &[u8]) -> DecodeResult<String> {
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let name = rest.get(..end).unwrap_or_default();
    if name.is_empty() || name.len() > MAX_INSTANCE_NAME {
        return Err(DecodeError::malformed(
            "SSRP request",
            format!("instance name of {} bytes (1 to 32 expected)", name.len()),
        ));
    }
    Ok(String::from_utf8_lossy(name).into_owned())
}

/// Parses a datagram a client sent to the Browser.
pub fn decode_request(datagram: &[u8]) -> DecodeResult<BrowserRequest> {
    let Some((&kind, rest)) = datagram.split_first() else {
        return Err(DecodeError::malformed("SSRP request", "empty datagram"));
    };
    match kind {
        CLNT_BCAST_EX | CLNT_UCAST_EX => Ok(BrowserRequest::AllInstances),
        CLNT_UCAST_INST => request_name(rest).map(BrowserRequest::Instance),
        CLNT_UCAST_DAC => match rest.split_first() {
            // PROTOCOLVERSION must be 0x01 (MC-SQLR 2.2.4).
            Some((&1, name)) => request_name(name).map(BrowserRequest::AdminConnection),
            _ => Err(DecodeError::malformed(
                "SSRP request",
                "CLNT_UCAST_DAC without protocol version 1",
            )),
        },
        other => Err(DecodeError::malformed(
            "SSRP request",
            format!("unknown request type 0x{other:02X}"),
        )),
    }
}

/// One instance as a Browser response describes it. Transports other than TCP and named pipes
/// (VIA, RPC, SPX, AppleTalk, Banyan VINES) are skipped: nothing Sluice can dial.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceInfo {
    pub server_name: String,
    pub instance_name: String,
    pub is_clustered: bool,
    /// Empty when the record has none.
    pub version: String,
    /// `tcp;PORT`: absent when TCP/IP is disabled for the instance.
    pub tcp_port: Option<u16>,
    /// `np;\\HOST\pipe\…`.
    pub named_pipe: Option<String>,
}

/// How many values follow each transport keyword (MC-SQLR 2.2.5's ABNF): Banyan VINES (`bv`)
/// carries five, the others one.
fn values_after(key: &str) -> usize {
    if key.eq_ignore_ascii_case("bv") {
        5
    } else {
        1
    }
}

/// Parses SVR_RESP: the instances it lists, in order. A truncated or malformed datagram is an
/// error naming the byte offset or field; unknown keys are skipped.
pub fn decode_response(datagram: &[u8]) -> DecodeResult<Vec<InstanceInfo>> {
    const WHAT: &str = "SQL Browser response";
    let (kind, size, data) = match datagram {
        [kind, lo, hi, data @ ..] => (*kind, usize::from(u16::from_le_bytes([*lo, *hi])), data),
        _ => {
            return Err(DecodeError::malformed(
                WHAT,
                format!("{} bytes, shorter than its 3-byte header", datagram.len()),
            ))
        }
    };
    if kind != SVR_RESP {
        return Err(DecodeError::malformed(
            WHAT,
            format!("type byte 0x{kind:02X}, expected SVR_RESP 0x05"),
        ));
    }
    let data = data.get(..size).ok_or_else(|| {
        DecodeError::malformed(
            WHAT,
            format!(
                "RESP_SIZE says {size} bytes but {} follow the header",
                data.len()
            ),
        )
    })?;
    // Some Browsers pad the string with NULs.
    let end = data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let text = String::from_utf8_lossy(data.get(..end).unwrap_or_default());
    let mut tokens = text.split(';').peekable();
    let mut out = Vec::new();
    // The text ends with the last record's `;;`, which leaves one empty token.
    while tokens.peek().is_some_and(|t| !t.is_empty()) {
        out.push(decode_record(&mut tokens, out.len())?);
    }
    if tokens.next().is_none() {
        return Err(DecodeError::malformed(
            WHAT,
            "the last instance record is not closed with ';;'",
        ));
    }
    if let Some(extra) = tokens.next() {
        return Err(DecodeError::malformed(
            WHAT,
            format!("text {extra:?} after the closing ';;'"),
        ));
    }
    Ok(out)
}

/// Reads `key;value;` pairs up to the empty key that closes a record.
fn decode_record<'a>(
    tokens: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
    index: usize,
) -> DecodeResult<InstanceInfo> {
    const WHAT: &str = "SQL Browser response";
    let mut info = InstanceInfo::default();
    let mut closed = false;
    while let Some(key) = tokens.next() {
        if key.is_empty() {
            closed = true;
            break;
        }
        let missing = || {
            DecodeError::malformed(
                WHAT,
                format!("instance record {index}: key {key:?} has no value"),
            )
        };
        let value = tokens.next().ok_or_else(missing)?;
        let required = |field: &str| {
            if value.is_empty() {
                Err(DecodeError::malformed(
                    WHAT,
                    format!("instance record {index}: {field} is empty"),
                ))
            } else {
                Ok(value.to_owned())
            }
        };
        match key.to_ascii_lowercase().as_str() {
            "servername" => info.server_name = required("ServerName")?,
            "instancename" => info.instance_name = required("InstanceName")?,
            "version" => info.version = required("Version")?,
            "isclustered" => {
                info.is_clustered = match value.to_ascii_lowercase().as_str() {
                    "yes" => true,
                    "no" => false,
                    _ => {
                        return Err(DecodeError::malformed(
                            WHAT,
                            format!(
                            "instance record {index}: IsClustered {value:?}, expected Yes or No"
                        ),
                        ))
                    }
                }
            }
            "tcp" => {
                let port = value
                    .parse::<u16>()
                    .ok()
                    .filter(|&p| p > 0)
                    .ok_or_else(|| {
                        DecodeError::malformed(
                            WHAT,
                            format!(
                                "instance record {index}: tcp port {value:?} is not 1 to 65535"
                            ),
                        )
                    })?;
                info.tcp_port = Some(port);
            }
            "np" => info.named_pipe = Some(required("np")?),
            other => {
                for _ in 1..values_after(other) {
                    tokens.next().ok_or_else(missing)?;
                }
            }
        }
    }
    if !closed {
        return Err(DecodeError::malformed(
            WHAT,
            format!("instance record {index} is not closed with ';;'"),
        ));
    }
    if info.server_name.is_empty() || info.instance_name.is_empty() {
        return Err(DecodeError::malformed(
            WHAT,
            format!("instance record {index} lacks ServerName or InstanceName"),
        ));
    }
    Ok(info)
}

/// Appends SVR_RESP listing `instances`, as the Browser answers (the test server's responder).
pub fn encode_response(
    instances: &[InstanceInfo],
    out: &mut Vec<u8>,
) -> Result<(), SsrpEncodeError> {
    let mut text = String::new();
    for i in instances {
        push_field(&mut text, "ServerName", &i.server_name, true)?;
        push_field(&mut text, "InstanceName", &i.instance_name, true)?;
        text.push_str(if i.is_clustered {
            "IsClustered;Yes;"
        } else {
            "IsClustered;No;"
        });
        push_field(&mut text, "Version", &i.version, false)?;
        if let Some(port) = i.tcp_port {
            text.push_str(&format!("tcp;{port};"));
        }
        if let Some(pipe) = &i.named_pipe {
            push_field(&mut text, "np", pipe, true)?;
        }
        text.push(';');
    }
    let len =
        u16::try_from(text.len()).map_err(|_| SsrpEncodeError::TooLong { len: text.len() })?;
    out.push(SVR_RESP);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

fn push_field(
    text: &mut String,
    field: &'static str,
    value: &str,
    required: bool,
) -> Result<(), SsrpEncodeError> {
    if value.is_empty() {
        return if required {
            Err(SsrpEncodeError::Field {
                field,
                reason: "is empty",
            })
        } else {
            Ok(())
        };
    }
    if value.contains(';') {
        return Err(SsrpEncodeError::Field {
            field,
            reason: "contains ';'",
        });
    }
    text.push_str(field);
    text.push(';');
    text.push_str(value);
    text.push(';');
    Ok(())
}

#[cfg(test)]
#[path = "ssrp_tests.rs"]
mod tests;
