//! An open connection: SQL batches, their results, and cancellation with ATTENTION.

use crate::error::{Error, Result};
use crate::packet_io::PacketStream;
use crate::response::ResponseReader;
use crate::result::{BatchResult, Collector, Step};
use crate::transport::ClientTransport;
use std::future::Future;
use std::time::Duration;
use tds::conn_string::ConnectionParams;
use tds::packet::{frame_message, packet_type, PacketWriter};
use tds::sql_batch::encode_sql_batch;
use tds::token::{EnvChange, Token};
use tokio::io::AsyncWriteExt;

/// How long to wait for the server to acknowledge an ATTENTION before giving the connection up.
/// A cancel waits this long at most for a server that never answers; then the connection is
/// closed and whatever was outstanding is in doubt.
const ATTENTION_GRACE: Duration = Duration::from_secs(10);

/// What the server said about a request before it acknowledged an ATTENTION (MS-TDS 2.2.1.7,
/// 3.2.5.1): a request that had already finished sends its own DONE first, and what it did
/// stands although the cancel "succeeded".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// The request's final DONE came first, with a row count and no error: it completed.
    Completed { rows: u64 },
    /// The request reported an error before the acknowledgement: it did not complete.
    Failed,
    /// The acknowledgement came without a final DONE of the request: it was stopped.
    Stopped,
}

/// A request cut off by a cancel or the command timeout.
#[derive(Debug)]
pub struct Interrupted {
    /// `Cancelled` or `Timeout`; or, when the acknowledgement never came, what went wrong then.
    pub error: Error,
    /// What the request came to; `None` when the server never acknowledged the cancel (the
    /// connection is then closed and the request's fate is unknown).
    pub completion: Option<Completion>,
}

/// The DONE tokens of the response being read, kept in the connection (not in the reading
/// future) so that a read cut off by a cancel loses none of them.
#[derive(Debug, Default, Clone, Copy)]
struct DoneSeen {
    rows: u64,
    /// A DONE that ends the response (no MORE bit) arrived.
    finished: bool,
    counted: bool,
    error: bool,
}

impl DoneSeen {
    fn note(&mut self, token: &Token) {
        match token {
            Token::Done(d) if !d.is_attention_ack() => {
                if let Some(n) = d.count() {
                    self.rows += n;
                    self.counted = true;
                }
                self.error |= d.is_error();
                if !d.has_more() && matches!(d.kind, tds::token::DoneKind::Done) {
                    self.finished = true;
                }
            }
            Token::Error(m) if m.class > 10 => self.error = true,
            _ => {}
        }
    }

    fn completion(&self) -> Completion {
        if self.error {
            Completion::Failed
        } else if self.finished || self.counted {
            Completion::Completed { rows: self.rows }
        } else {
            Completion::Stopped
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ServerInfo {
    pub tds_version: u32,
    pub program: String,
    pub version: [u8; 4],
}

pub struct Connection {
    stream: PacketStream<ClientTransport>,
    reader: ResponseReader,
    packet_size: usize,
    database: String,
    transaction: u64,
    info: ServerInfo,
    command_timeout: Option<Duration>,
    /// Set when a request was interrupted and its response could not be drained.
    broken: bool,
    /// The DONEs of the response being read (see [`DoneSeen`]).
    seen: DoneSeen,
    attention_grace: Duration,
}

impl Connection {
    pub(crate) fn new(
        stream: PacketStream<ClientTransport>,
        reader: ResponseReader,
        packet_size: usize,
        database: String,
        info: ServerInfo,
        command_timeout: Option<Duration>,
    ) -> Self {
        Connection {
            stream,
            reader,
            packet_size,
            database,
            transaction: 0,
            info,
            command_timeout,
            broken: false,
            seen: DoneSeen::default(),
            attention_grace: ATTENTION_GRACE,
        }
    }

    /// Connects and logs in with an ADO.NET connection string.
    pub async fn connect_str(conn: &str) -> Result<Connection> {
        let p = tds::conn_string::parse(conn)?;
        Self::connect(&p).await
    }

    pub async fn connect(p: &ConnectionParams) -> Result<Connection> {
        crate::login::connect(p).await
    }

    pub fn packet_size(&self) -> usize {
        self.packet_size
    }

    pub fn database(&self) -> &str {
        &self.database
    }

    pub fn server_info(&self) -> &ServerInfo {
        &self.info
    }

    /// False once a request was cut off in a way that left the connection out of step.
    pub fn is_usable(&self) -> bool {
        !self.broken
    }

    /// How long a request may wait for its answer before it is cancelled (`None`: no limit);
    /// set from the connection string's `Command Timeout`.
    pub fn set_command_timeout(&mut self, timeout: Option<Duration>) {
        self.command_timeout = timeout;
    }

    /// How long a cancel waits for the server's acknowledgement before the connection is given
    /// up (default 10 s).
    pub fn set_attention_grace(&mut self, grace: Duration) {
        self.attention_grace = grace;
    }

    pub fn is_encrypted(&self) -> bool {
        self.stream.get_ref().is_tls()
    }

    /// Runs a SQL batch and collects every result set.
    pub async fn execute(&mut self, sql: &str) -> Result<BatchResult> {
        self.execute_with_cancel(sql, std::future::pending()).await
    }

    /// Runs a SQL batch; if `cancel` completes first (or the command timeout passes), sends
    /// ATTENTION, waits for the server's acknowledgement and returns `Cancelled`/`Timeout`.
    pub async fn execute_with_cancel(
        &mut self,
        sql: &str,
        cancel: impl Future<Output = ()>,
    ) -> Result<BatchResult> {
        self.execute_limited(sql, None, cancel).await
    }

    /// As [`Connection::execute_with_cancel`], keeping at most `max_rows` rows over all result
    /// sets: at the next row the rest of the batch is cancelled with ATTENTION and the result
    /// says `truncated`. Memory stays bounded however many rows the batch would return.
    pub async fn execute_limited(
        &mut self,
        sql: &str,
        max_rows: Option<u64>,
        cancel: impl Future<Output = ()>,
    ) -> Result<BatchResult> {
        self.run_statement(sql, max_rows, cancel)
            .await
            .map_err(|i| i.error)
    }

    /// As [`Connection::execute_with_cancel`], saying on a cancel whether the batch completed.
    pub(crate) async fn execute_statement(
        &mut self,
        sql: &str,
        cancel: impl Future<Output = ()>,
    ) -> std::result::Result<BatchResult, Interrupted> {
        self.run_statement(sql, None, cancel).await
    }

    async fn run_statement(
        &mut self,
        sql: &str,
        max_rows: Option<u64>,
        cancel: impl Future<Output = ()>,
    ) -> std::result::Result<BatchResult, Interrupted> {
        if self.broken {
            return Err(Interrupted {
                error: Error::Closed,
                completion: None,
            });
        }
        // The statement is encoded straight into the packet buffer, then split into packets.
        let mut w = PacketWriter::new(packet_type::SQL_BATCH, self.packet_size);
        encode_sql_batch(sql, self.transaction, w.buf_mut());
        w.seal_full();
        self.send_raw(&w.finish()).await.map_err(|e| Interrupted {
            error: e,
            completion: None,
        })?;
        self.await_limited(cancel, max_rows).await
    }

    /// Writes already-framed packets (a request the caller built, such as BulkLoad data).
    pub(crate) async fn send_raw(&mut self, bytes: &[u8]) -> Result<()> {
        if let Err(e) = self.stream.write_packets(bytes).await {
            // A partial write leaves the server mid-packet: nothing more can be said on this socket.
            self.broken = true;
            return Err(e.into());
        }
        Ok(())
    }

    /// Reads the response to the request just sent. If `cancel` completes first (or the command
    /// timeout passes) sends ATTENTION and says, once acknowledged, what the request came to.
    pub(crate) async fn await_response(
        &mut self,
        cancel: impl Future<Output = ()>,
    ) -> std::result::Result<BatchResult, Interrupted> {
        self.await_limited(cancel, None).await
    }

    async fn await_limited(
        &mut self,
        cancel: impl Future<Output = ()>,
        max_rows: Option<u64>,
    ) -> std::result::Result<BatchResult, Interrupted> {
        self.reader.begin();
        self.seen = DoneSeen::default();
        let timeout = self.command_timeout;
        let outcome = {
            let collect = collect_response(
                &mut self.stream,
                &mut self.reader,
                &mut self.seen,
                Collector::new(max_rows),
            );
            tokio::pin!(collect);
            tokio::pin!(cancel);
            let sleep = async {
                match timeout {
                    Some(t) => tokio::time::sleep(t).await,
                    None => std::future::pending().await,
                }
            };
            // Biased towards the response: when it is already complete, it wins over a cancel
            // that came at the same moment.
            tokio::select! {
                biased;
                r = &mut collect => Ok(r),
                _ = &mut cancel => Err(Error::Cancelled),
                _ = sleep => Err(Error::Timeout { what: "the query", after: timeout.unwrap_or_default() }),
            }
        };
        let not_interrupted = |error| Interrupted {
            error,
            completion: None,
        };
        match outcome {
            Ok(r) => {
                let (mut collector, limited) = match r {
                    Ok(r) => r,
                    Err(e) => {
                        self.broken = true;
                        return Err(not_interrupted(e));
                    }
                };
                if limited {
                    collector = self
                        .stop_reading(collector)
                        .await
                        .map_err(not_interrupted)?;
                }
                let (result, env) = collector.finish();
                self.apply_env(env);
                result.map_err(not_interrupted)
            }
            Err(interrupted) => match self.attention().await {
                Ok(completion) => Err(Interrupted {
                    error: interrupted,
                    completion: Some(completion),
                }),
                Err(e) => Err(Interrupted {
                    error: e,
                    completion: None,
                }),
            },
        }
    }

    /// Ends a response whose row limit was reached: if the server has sent all of it, the rest
    /// is read (rows dropped, env changes and errors kept); otherwise ATTENTION cancels it.
    async fn stop_reading(&mut self, mut collector: Collector) -> Result<Collector> {
        if self.reader.message_received() {
            let drained = async {
                while let Some(token) = self.reader.next(&mut self.stream).await? {
                    collector.push(token)?;
                }
                Ok::<_, Error>(collector)
            };
            return match drained.await {
                Ok(c) => Ok(c),
                Err(e) => {
                    self.broken = true;
                    Err(e)
                }
            };
        }
        self.attention().await?;
        Ok(collector)
    }

    /// Abandons a message whose packets were partly sent (never one whose last packet went
    /// out): a last packet with EOM and IGNORE tells the server to discard it (MS-TDS
    /// 2.2.3.1.2), then ATTENTION ends the request. Nothing of the message is kept either way.
    pub(crate) async fn abandon_message(&mut self, ty: u8) -> Result<Completion> {
        let header = tds::packet::PacketHeader {
            ty,
            status: tds::packet::status::EOM | tds::packet::status::IGNORE,
            length: tds::packet::HEADER_LEN as u16,
            spid: 0,
            packet_id: 0,
            window: 0,
        };
        self.send_raw(&header.encode()).await?;
        self.reader.begin();
        self.seen = DoneSeen::default();
        self.attention().await
    }

    fn apply_env(&mut self, env: Vec<EnvChange>) {
        for e in env {
            match e {
                EnvChange::Database { new, .. } => self.database = new,
                EnvChange::PacketSize { new, .. } => {
                    self.packet_size = (new as usize).clamp(512, 32767)
                }
                EnvChange::BeginTransaction { descriptor } => self.transaction = descriptor,
                EnvChange::CommitTransaction { .. } | EnvChange::RollbackTransaction { .. } => {
                    self.transaction = 0
                }
                _ => {}
            }
        }
    }

    /// Sends ATTENTION (MS-TDS 2.2.1.7) and reads until the DONE that carries the ATTN bit.
    /// Tokens of the interrupted response may still arrive first (MS-TDS 3.2.5.1): their DONEs
    /// say whether the request completed before the cancel took effect. Send it only while a
    /// request is outstanding. An error means no acknowledgement came: the connection is then
    /// closed and the request's fate unknown.
    pub async fn attention(&mut self) -> Result<Completion> {
        if let Err(e) = self
            .stream
            .write_packets(&frame_message(
                packet_type::ATTENTION,
                self.packet_size,
                &[],
            ))
            .await
        {
            self.broken = true;
            return Err(e.into());
        }
        let drain = async {
            loop {
                if self.reader.is_done() {
                    // The interrupted response ended; the acknowledgement is a response of its own.
                    self.reader.begin();
                }
                let token = self.reader.next(&mut self.stream).await?;
                match token {
                    Some(Token::Done(d)) if d.is_attention_ack() => {
                        // Finish the message the acknowledgement came in.
                        while self.reader.next(&mut self.stream).await?.is_some() {}
                        return Ok(self.seen.completion());
                    }
                    Some(t) => self.seen.note(&t),
                    None => {}
                }
            }
        };
        let grace = self.attention_grace;
        match tokio::time::timeout(grace, drain).await {
            Ok(Ok(c)) => Ok(c),
            Ok(Err(e)) => {
                self.broken = true;
                Err(e)
            }
            Err(_) => {
                self.broken = true;
                Err(Error::Timeout {
                    what: "waiting for the server to acknowledge the cancel",
                    after: grace,
                })
            }
        }
    }

    /// Closes the socket (TLS close_notify first, when encrypted).
    pub async fn close(mut self) -> Result<()> {
        let _ = self.stream.get_mut().shutdown().await;
        Ok(())
    }
}

/// Reads one response until its end, or until `collector` has passed its row limit.
/// Returns the collector and whether the limit stopped it.
async fn collect_response(
    stream: &mut PacketStream<ClientTransport>,
    reader: &mut ResponseReader,
    seen: &mut DoneSeen,
    mut collector: Collector,
) -> Result<(Collector, bool)> {
    while let Some(token) = reader.next(stream).await? {
        seen.note(&token);
        if collector.push(token)? == Step::LimitReached {
            return Ok((collector, true));
        }
    }
    Ok((collector, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tds::token::{done_status, Done, DoneKind, ServerMessage};

    fn done(status: u16, rows: u64) -> Token {
        Token::Done(Done {
            kind: DoneKind::Done,
            status,
            cur_cmd: 0,
            row_count: rows,
        })
    }

    fn completion(tokens: &[Token]) -> Completion {
        let mut seen = DoneSeen::default();
        for t in tokens {
            seen.note(t);
        }
        seen.completion()
    }

    #[test]
    fn a_final_done_with_a_count_before_the_acknowledgement_means_the_request_completed() {
        assert_eq!(
            completion(&[done(done_status::COUNT, 1_024)]),
            Completion::Completed { rows: 1_024 }
        );
    }

    #[test]
    fn an_error_before_the_acknowledgement_means_the_request_failed() {
        let error = Token::Error(ServerMessage {
            number: 4891,
            state: 1,
            class: 16,
            message: "refused".into(),
            server: String::new(),
            procedure: String::new(),
            line: 1,
        });
        assert_eq!(
            completion(&[error, done(done_status::ERROR | done_status::COUNT, 0)]),
            Completion::Failed
        );
    }

    #[test]
    fn only_the_acknowledgement_means_the_request_was_stopped() {
        // The acknowledgement itself is not noted (attention() stops there); an intermediate
        // DONE with MORE and no count does not finish the request either.
        assert_eq!(completion(&[]), Completion::Stopped);
        assert_eq!(
            completion(&[done(done_status::ATTN, 0), done(done_status::MORE, 0)]),
            Completion::Stopped
        );
    }
}
