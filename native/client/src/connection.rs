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
const ATTENTION_GRACE: Duration = Duration::from_secs(30);

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
        if self.broken {
            return Err(Error::Closed);
        }
        // The statement is encoded straight into the packet buffer, then split into packets.
        let mut w = PacketWriter::new(packet_type::SQL_BATCH, self.packet_size);
        encode_sql_batch(sql, self.transaction, w.buf_mut());
        w.seal_full();
        self.send_raw(&w.finish()).await?;
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
    /// timeout passes) sends ATTENTION and returns `Cancelled`/`Timeout` once acknowledged.
    pub(crate) async fn await_response(
        &mut self,
        cancel: impl Future<Output = ()>,
    ) -> Result<BatchResult> {
        self.await_limited(cancel, None).await
    }

    async fn await_limited(
        &mut self,
        cancel: impl Future<Output = ()>,
        max_rows: Option<u64>,
    ) -> Result<BatchResult> {
        self.reader.begin();
        let timeout = self.command_timeout;
        let outcome = {
            let collect =
                collect_response(&mut self.stream, &mut self.reader, Collector::new(max_rows));
            tokio::pin!(collect);
            tokio::pin!(cancel);
            let sleep = async {
                match timeout {
                    Some(t) => tokio::time::sleep(t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                r = &mut collect => Ok(r),
                _ = &mut cancel => Err(Error::Cancelled),
                _ = sleep => Err(Error::Timeout { what: "the query", after: timeout.unwrap_or_default() }),
            }
        };
        match outcome {
            Ok(r) => {
                let (mut collector, limited) = match r {
                    Ok(r) => r,
                    Err(e) => {
                        self.broken = true;
                        return Err(e);
                    }
                };
                if limited {
                    collector = self.stop_reading(collector).await?;
                }
                let (result, env) = collector.finish();
                self.apply_env(env);
                result
            }
            Err(interrupted) => {
                self.attention().await?;
                Err(interrupted)
            }
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

    /// Abandons a message whose packets were partly sent: a last packet with EOM and IGNORE
    /// tells the server to discard it (MS-TDS 2.2.3.1.2), then ATTENTION ends the request.
    /// Returns the rows the server reported done before the acknowledgement (normally none).
    pub(crate) async fn abandon_message(&mut self, ty: u8) -> Result<u64> {
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

    /// Sends ATTENTION (MS-TDS 2.2.1.7) and reads, discarding, until the DONE that carries the
    /// ATTN bit. Tokens of the interrupted response may still arrive first; returns the sum of
    /// the row counts their DONEs reported (what completed before the cancel took effect).
    pub async fn attention(&mut self) -> Result<u64> {
        self.stream
            .write_packets(&frame_message(
                packet_type::ATTENTION,
                self.packet_size,
                &[],
            ))
            .await?;
        let drain = async {
            let mut done_rows = 0u64;
            loop {
                if self.reader.is_done() {
                    // The interrupted response ended; the acknowledgement is a response of its own.
                    self.reader.begin();
                }
                match self.reader.next(&mut self.stream).await? {
                    Some(Token::Done(d)) if d.is_attention_ack() => {
                        // Finish the message the acknowledgement came in.
                        while self.reader.next(&mut self.stream).await?.is_some() {}
                        return Ok(done_rows);
                    }
                    Some(Token::Done(d)) => done_rows += d.count().unwrap_or(0),
                    Some(_) | None => {}
                }
            }
        };
        match tokio::time::timeout(ATTENTION_GRACE, drain).await {
            Ok(Ok(rows)) => Ok(rows),
            Ok(Err(e)) => {
                self.broken = true;
                Err(e)
            }
            Err(_) => {
                self.broken = true;
                Err(Error::Timeout {
                    what: "waiting for the server to acknowledge the cancel",
                    after: ATTENTION_GRACE,
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
    mut collector: Collector,
) -> Result<(Collector, bool)> {
    while let Some(token) = reader.next(stream).await? {
        if collector.push(token)? == Step::LimitReached {
            return Ok((collector, true));
        }
    }
    Ok((collector, false))
}
