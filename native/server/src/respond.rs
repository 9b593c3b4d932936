//! Turning engine outcomes into token streams, framed into packets as they are encoded.

use crate::engine::{Outcome, SqlError};
use crate::listener::Shared;
use crate::session::SessionEnd;
use sluice_io::packet_io::PacketStream;
use sluice_io::transport::ServerTransport;
use tds::collation::Collation;
use tds::login7::{feature, FeatureExt, Login7};
use tds::packet::{packet_type, PacketWriter, DEFAULT_PACKET_SIZE};
use tds::token::{
    done_status, encode_colmetadata, encode_done, encode_envchange, encode_feature_ext_ack,
    encode_loginack, encode_message, encode_row, Done, DoneKind, EnvChange, FeatureAck, LoginAck,
    ServerMessage,
};

type Stream = PacketStream<ServerTransport>;

/// A DONE token (not DONEPROC/DONEINPROC): what every statement of a batch ends with.
fn done(status: u16, cur_cmd: u16, row_count: u64) -> Done {
    Done {
        kind: DoneKind::Done,
        status,
        cur_cmd,
        row_count,
    }
}

/// Responses are written out whenever this much is sealed, so a large result is never held
/// whole as bytes.
const FLUSH_AT: usize = 256 * 1024;

/// DONE's CurCmd for the statements the engine runs (values SQL Server uses).
const CMD_SELECT: u16 = 0xC1;
const CMD_INSERT: u16 = 0xC3;

pub(crate) struct Responder {
    packet_size: usize,
    server_name: String,
    env: Vec<EnvChange>,
}

impl Responder {
    pub fn new(packet_size: usize, server_name: String) -> Self {
        Responder {
            packet_size,
            server_name,
            env: Vec::new(),
        }
    }

    /// An ENVCHANGE to put at the start of the next response.
    pub fn pending_env(&mut self, e: EnvChange) {
        self.env.push(e);
    }

    fn message(&self, e: &SqlError) -> ServerMessage {
        ServerMessage {
            number: e.number,
            state: e.state,
            class: e.class,
            message: e.message.clone(),
            server: self.server_name.clone(),
            procedure: String::new(),
            line: e.line,
        }
    }

    pub async fn send(
        &mut self,
        stream: &mut Stream,
        outcomes: &[Outcome],
    ) -> Result<(), SessionEnd> {
        let mut w = PacketWriter::new(packet_type::TABULAR_RESULT, self.packet_size);
        for e in self.env.drain(..) {
            encode_envchange(&e, w.buf_mut());
        }
        let last = outcomes.len().saturating_sub(1);
        let mut skip = false;
        for (i, o) in outcomes.iter().enumerate() {
            if std::mem::take(&mut skip) {
                continue;
            }
            let more = if i < last {
                done_status::MORE
            } else {
                done_status::FINAL
            };
            match o {
                Outcome::Rows { columns, rows } => {
                    encode_colmetadata(columns, w.buf_mut());
                    w.seal_full();
                    let mut sent = 0u64;
                    let mut failed = None;
                    for row in rows {
                        if let Err(e) = encode_row(columns, row, w.buf_mut()) {
                            failed = Some(e);
                            break;
                        }
                        sent += 1;
                        w.seal_full();
                        if w.buf_mut().len() >= FLUSH_AT {
                            let sealed = w.take_sealed();
                            stream.write_packets(&sealed).await?;
                        }
                    }
                    if let Some(e) = failed {
                        let m = ServerMessage {
                            number: 8114,
                            state: 1,
                            class: 16,
                            message: format!(
                                "The test server could not encode a stored value: {e}"
                            ),
                            server: self.server_name.clone(),
                            procedure: String::new(),
                            line: 1,
                        };
                        encode_message(&m, true, w.buf_mut());
                        let d = done(more | done_status::ERROR, CMD_SELECT, 0);
                        encode_done(&d, w.buf_mut());
                    } else {
                        let d = done(more | done_status::COUNT, CMD_SELECT, sent);
                        encode_done(&d, w.buf_mut());
                    }
                }
                Outcome::Done { rows_affected } => {
                    let (status, count) = match rows_affected {
                        Some(n) => (more | done_status::COUNT, *n),
                        None => (more, 0),
                    };
                    encode_done(
                        &Done {
                            kind: DoneKind::Done,
                            status,
                            cur_cmd: CMD_INSERT,
                            row_count: count,
                        },
                        w.buf_mut(),
                    );
                }
                Outcome::DatabaseChanged { old, new } => {
                    encode_envchange(
                        &EnvChange::Database {
                            new: new.clone(),
                            old: old.clone(),
                        },
                        w.buf_mut(),
                    );
                    let info = SqlError {
                        number: 5701,
                        state: 1,
                        class: 0,
                        message: format!("Changed database context to '{new}'."),
                        line: 1,
                    };
                    encode_message(&self.message(&info), false, w.buf_mut());
                    encode_done(&done(more, 0, 0), w.buf_mut());
                }
                Outcome::Error(e) => {
                    encode_message(&self.message(e), true, w.buf_mut());
                    // "The statement has been terminated." belongs to the same statement: SQL
                    // Server sends ERROR, INFO, then the statement's DONE.
                    let mut more = more;
                    if let Some(Outcome::Info {
                        number: 3621,
                        message,
                    }) = outcomes.get(i + 1)
                    {
                        let info = SqlError {
                            number: 3621,
                            state: 1,
                            class: 0,
                            message: message.clone(),
                            line: 1,
                        };
                        encode_message(&self.message(&info), false, w.buf_mut());
                        skip = true;
                        more = if i + 1 < last {
                            done_status::MORE
                        } else {
                            done_status::FINAL
                        };
                    }
                    let d = done(more | done_status::ERROR, 0, 0);
                    encode_done(&d, w.buf_mut());
                }
                Outcome::Info { number, message } => {
                    let info = SqlError {
                        number: *number,
                        state: 1,
                        class: 0,
                        message: message.clone(),
                        line: 1,
                    };
                    encode_message(&self.message(&info), false, w.buf_mut());
                    if i == last {
                        encode_done(&done(0, 0, 0), w.buf_mut());
                    }
                }
            }
            w.seal_full();
        }
        if outcomes.is_empty() {
            encode_done(&done(0, 0, 0), w.buf_mut());
        }
        w.seal_full();
        stream.write_packets(&w.finish()).await?;
        Ok(())
    }

    /// DONE with the ATTN bit: the acknowledgement ATTENTION waits for (MS-TDS 2.2.1.7).
    pub async fn attention_ack(&mut self, stream: &mut Stream) -> Result<(), SessionEnd> {
        let mut w = PacketWriter::new(packet_type::TABULAR_RESULT, self.packet_size);
        encode_done(&done(done_status::ATTN, 0, 0), w.buf_mut());
        stream.write_packets(&w.finish()).await?;
        Ok(())
    }

    /// ERROR tokens and a DONE with the error bit, as SQL Server answers a refused LOGIN7.
    pub async fn login_failed(
        &mut self,
        stream: &mut Stream,
        msgs: &[ServerMessage],
    ) -> Result<(), SessionEnd> {
        let mut w = PacketWriter::new(packet_type::TABULAR_RESULT, DEFAULT_PACKET_SIZE);
        for m in msgs {
            encode_message(m, true, w.buf_mut());
        }
        encode_done(&done(done_status::ERROR, 0, 0), w.buf_mut());
        w.seal_full();
        stream.write_packets(&w.finish()).await?;
        Ok(())
    }
}

/// The answer to an accepted LOGIN7, in the order SQL Server sends it.
pub(crate) async fn login_ack(
    stream: &mut Stream,
    shared: &Shared,
    login: &Login7,
    database: &str,
    packet_size: usize,
) -> Result<(), SessionEnd> {
    let name = &shared.config.name;
    let info = |number: u32, message: String| ServerMessage {
        number,
        state: 1,
        class: 0,
        message,
        server: name.clone(),
        procedure: String::new(),
        line: 1,
    };
    let mut w = PacketWriter::new(packet_type::TABULAR_RESULT, DEFAULT_PACKET_SIZE);
    let b = w.buf_mut();
    encode_envchange(
        &EnvChange::Database {
            new: database.to_string(),
            old: "master".into(),
        },
        b,
    );
    encode_message(
        &info(5701, format!("Changed database context to '{database}'.")),
        false,
        b,
    );
    encode_envchange(
        &EnvChange::Collation {
            new: Some(Collation::SQL_LATIN1_GENERAL_CP1_CI_AS),
        },
        b,
    );
    encode_envchange(
        &EnvChange::Language {
            new: "us_english".into(),
            old: String::new(),
        },
        b,
    );
    encode_message(
        &info(5703, "Changed language setting to us_english.".into()),
        false,
        b,
    );
    encode_loginack(
        &LoginAck {
            interface: 1,
            tds_version: tds::login7::TDS_VERSION_7_4,
            prog_name: "Microsoft SQL Server".into(),
            prog_version: [16, 0, 0x03, 0xE8],
        },
        b,
    );
    encode_envchange(
        &EnvChange::PacketSize {
            new: packet_size as u32,
            old: DEFAULT_PACKET_SIZE as u32,
        },
        b,
    );
    let acks: Vec<FeatureAck> = login
        .features
        .iter()
        .filter_map(|f| match f {
            FeatureExt::FedAuthToken { .. } => Some(FeatureAck {
                id: feature::FEDAUTH,
                data: vec![],
            }),
            FeatureExt::Utf8Support => Some(FeatureAck {
                id: feature::UTF8_SUPPORT,
                data: vec![1],
            }),
            FeatureExt::Other { .. } => None,
        })
        .collect();
    if !acks.is_empty() {
        encode_feature_ext_ack(&acks, b);
    }
    if let Some((host, port)) = &shared.config.route_to {
        encode_envchange(
            &EnvChange::Routing {
                host: host.clone(),
                port: *port,
            },
            b,
        );
    }
    encode_done(&done(0, 0, 0), b);
    w.seal_full();
    stream.write_packets(&w.finish()).await?;
    Ok(())
}
