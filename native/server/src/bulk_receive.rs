//! The server side of bulk load (MS-TDS 2.2.6.1): after an `INSERT BULK` statement, a message of
//! packet type 0x07 carries COLMETADATA, ROW tokens and (usually) a DONE. Rows are decoded
//! packet by packet as they arrive — a batch is never held as bytes — then stored all-or-
//! nothing, or, with `--sink`, validated and dropped.

use crate::engine::{self, InsertBulk, Outcome, Session, SqlError};
use crate::listener::{Fault, Shared};
use crate::session::SessionEnd;
use bytes::{Buf, BytesMut};
use sluice_io::packet_io::{Packet, PacketStream};
use sluice_io::transport::ServerTransport;
use std::sync::atomic::Ordering;
use tds::packet::{packet_type, status};
use tds::token::{Token, TokenDecoder};
use tds::value::Value;
use tds::DecodeError;

type Stream = PacketStream<ServerTransport>;

/// How a bulk-load message ended.
pub(crate) enum BulkEnd {
    /// Answer with these outcomes.
    Reply(Vec<Outcome>),
    /// The client abandoned the message (EOM|IGNORE): answered with a plain DONE
    /// (MS-TDS 2.2.1.7); nothing of it is stored.
    Ignored,
    /// The client sent ATTENTION in place of the rest of the message.
    Attention,
    /// A fault knob says: drop the connection now.
    Drop,
    /// The batch was stored; the `drop_after_commit` fault asks to close the connection
    /// without answering once it is committed (now, or at its transaction's COMMIT).
    StoredThenDrop(Vec<Outcome>),
}

/// Counts one more bulk row on the server; true when `--drop-after-rows` fires on it.
fn drops_after_this_row(shared: &Shared) -> bool {
    let cfg = &shared.config;
    let seen = shared.bulk_rows.fetch_add(1, Ordering::Relaxed) + 1;
    cfg.faults.drop_after_rows.is_some_and(|n| seen > n) && shared.fire(Fault::DropAfterRows)
}

/// The answer to a bulk-load stream that does not decode.
fn unreadable(e: &DecodeError) -> Outcome {
    error(
        4804,
        16,
        format!("The bulk-load stream could not be read: {e}"),
    )
}

fn error(number: u32, class: u8, message: String) -> Outcome {
    Outcome::Error(SqlError {
        number,
        state: 1,
        class,
        message,
        line: 1,
    })
}

pub(crate) async fn receive(
    stream: &mut Stream,
    first: Packet,
    stmt: &InsertBulk,
    shared: &Shared,
    session: &Session,
) -> Result<BulkEnd, SessionEnd> {
    let cfg = &shared.config;
    let batch = shared.bulk_batches.fetch_add(1, Ordering::Relaxed) + 1;
    let mut buf = BytesMut::new();
    let mut decoder = TokenDecoder::new();
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut count = 0u64;
    let mut problem: Option<Outcome> = None;
    let mut capture = match &cfg.capture_bulk {
        Some(dir) => Some(std::fs::File::create(
            dir.join(format!("bulk-{batch}.bin")),
        )?),
        None => None,
    };
    let mut packet = first;
    loop {
        if packet.header.ty == packet_type::ATTENTION {
            return Ok(BulkEnd::Attention);
        }
        if packet.header.ty != packet_type::BULK_LOAD {
            return Err(SessionEnd::Protocol(format!(
                "packet type 0x{:02X} inside a bulk-load message",
                packet.header.ty
            )));
        }
        if packet.header.status & status::IGNORE != 0 {
            return Ok(BulkEnd::Ignored);
        }
        let total = shared
            .bulk_bytes
            .fetch_add(packet.payload.len() as u64, Ordering::Relaxed)
            + packet.payload.len() as u64;
        if cfg.faults.drop_after_bytes.is_some_and(|n| total >= n)
            && shared.fire(Fault::DropAfterBytes)
        {
            return Ok(BulkEnd::Drop);
        }
        let eom = packet.header.is_eom();
        if let Some(f) = capture.as_mut() {
            std::io::Write::write_all(f, &packet.payload)?;
        }
        buf.extend_from_slice(&packet.payload);
        while problem.is_none() && !buf.is_empty() {
            // A sink only counts rows: each is framed by its length prefixes, not decoded.
            if cfg.sink {
                match decoder.skip_row(&buf) {
                    Ok(Some(n)) => {
                        buf.advance(n);
                        count += 1;
                        if drops_after_this_row(shared) {
                            return Ok(BulkEnd::Drop);
                        }
                        continue;
                    }
                    Ok(None) => {}
                    Err(DecodeError::Incomplete) => break,
                    Err(e) => {
                        problem = Some(unreadable(&e));
                        continue;
                    }
                }
            }
            match decoder.decode(&buf) {
                Ok((token, n)) => {
                    buf.advance(n);
                    match token {
                        Token::ColMetadata(cols) if cols.len() != stmt.columns.len() => {
                            problem = Some(error(
                                4804,
                                16,
                                format!(
                                    "While reading current row from host, a premature end-of-message was encountered--an incoming data \
                                     stream was interrupted when the server expected to see more data. The host program may have \
                                     terminated. Ensure that you are using a supported client application programming interface (API). \
                                     (COLMETADATA has {} columns, INSERT BULK named {})",
                                    cols.len(),
                                    stmt.columns.len()
                                ),
                            ));
                        }
                        Token::ColMetadata(_) | Token::Done(_) => {}
                        Token::Row(values) => {
                            count += 1;
                            if drops_after_this_row(shared) {
                                return Ok(BulkEnd::Drop);
                            }
                            if !cfg.sink {
                                rows.push(values);
                            }
                        }
                        other => {
                            problem = Some(error(
                                4804,
                                16,
                                format!("Unexpected token in a bulk-load stream: {other:?}"),
                            ));
                        }
                    }
                }
                Err(DecodeError::Incomplete) => break,
                Err(e) => problem = Some(unreadable(&e)),
            }
        }
        if eom {
            break;
        }
        packet = stream.read_packet().await?.ok_or_else(|| {
            SessionEnd::Protocol("the client left in the middle of a bulk load".into())
        })?;
    }
    // Some clients (mssql-python's bulk copy) end the stream with the 9-byte DONE of TDS 7.1
    // (4-byte row count). SQL Server ignores the bulk stream's DONE anyway; so does this server.
    if problem.is_none() && buf.len() == 9 && buf[0] == tds::token::token_type::DONE {
        buf.clear();
    }
    if problem.is_none() && !buf.is_empty() {
        problem = Some(error(
            4804,
            16,
            format!(
                "The bulk-load message ended inside a token ({} bytes left over).",
                buf.len()
            ),
        ));
    }
    if let Some(p) = problem {
        return Ok(BulkEnd::Reply(vec![p]));
    }
    if cfg.faults.fail_batch == Some(batch) && shared.fire(Fault::FailBatch) {
        return Ok(BulkEnd::Reply(vec![error(
            4891,
            16,
            format!("Insert bulk failed due to a schema change of the target table (fault injected into batch {batch})."),
        )]));
    }
    if cfg.sink {
        // What storing would check cheaply: the declared columns exist (INSERT BULK already
        // did) and every row is framed by its COLMETADATA (its values are not decoded).
        return Ok(BulkEnd::Reply(vec![Outcome::Done {
            rows_affected: Some(count),
        }]));
    }
    let outcomes = match shared.catalog.bulk_insert(session, stmt, rows) {
        Ok(n) => vec![Outcome::Done {
            rows_affected: Some(n),
        }],
        Err(e) => return Ok(BulkEnd::Reply(vec![Outcome::Error(e)])),
    };
    if cfg.faults.drop_after_commit == Some(batch) && shared.fire(Fault::DropAfterCommit) {
        return Ok(BulkEnd::StoredThenDrop(outcomes));
    }
    Ok(BulkEnd::Reply(outcomes))
}

/// `INSERT BULK …` announcing the next message, if `sql` is one that just succeeded.
pub(crate) fn announced(sql: &str, outcomes: &[Outcome]) -> Option<InsertBulk> {
    if outcomes.iter().any(|o| matches!(o, Outcome::Error(_))) {
        return None;
    }
    engine::parse_insert_bulk(sql).and_then(|r| r.ok())
}
