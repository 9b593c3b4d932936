//! The synchronous half of a bulk load: rows in, sealed packets out.
//!
//! The encoder owns the packet being filled. A row is written in place (ROW token, then each
//! cell by `tds::bulk::encode_cell`); a row that fails is cut off again before anything of it
//! leaves, so a bad value never reaches the server. Sealed packets queue up and move into the
//! runner's bounded channel; when the channel is full the caller waits (`flush`) or, on the JS
//! thread, gets `false` from `try_flush` and yields — memory stays flat however many rows come.

use super::plan::BulkPlan;
use bytes::BytesMut;
use std::collections::VecDeque;
use std::sync::Arc;
use tds::bulk::{begin_row, encode_bulk_colmetadata, encode_bulk_done, CellError};
use tds::packet::{packet_type, PacketWriter};
use tokio::sync::mpsc;

/// Sealed packets are handed over in pieces of about this size: big enough to make each socket
/// write worthwhile, small enough that encoding and sending overlap.
const HANDOFF_BYTES: usize = 64 * 1024;

/// What the encoder sends the runner.
#[derive(Debug)]
pub enum Chunk {
    /// Whole packets of the current batch's BulkLoad message, and how many rows ended in them.
    Packets { bytes: BytesMut, rows: u64 },
    /// The batch's message is complete (the last `Packets` carried EOM); `rows` rows in it.
    EndBatch { rows: u64 },
}

/// The runner has stopped (it failed or was cancelled); its result says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the bulk load stopped")]
pub struct EncoderClosed;

pub struct BulkEncoder {
    plan: Arc<BulkPlan>,
    packet_size: usize,
    writer: Option<PacketWriter>,
    rows_in_batch: u64,
    rows_unsent: u64,
    rows_total: u64,
    queue: VecDeque<Chunk>,
    tx: mpsc::Sender<Chunk>,
}

impl BulkEncoder {
    pub fn new(plan: Arc<BulkPlan>, packet_size: usize, tx: mpsc::Sender<Chunk>) -> Self {
        BulkEncoder {
            plan,
            packet_size,
            writer: None,
            rows_in_batch: 0,
            rows_unsent: 0,
            rows_total: 0,
            queue: VecDeque::new(),
            tx,
        }
    }

    pub fn plan(&self) -> &BulkPlan {
        &self.plan
    }

    /// Rows encoded so far (the 1-based number of the next row is this + 1).
    pub fn rows_encoded(&self) -> u64 {
        self.rows_total
    }

    /// Encodes one row. `fill` writes every destination column's cell, in plan order, into the
    /// buffer it is given. On error the row is removed again and the error returned (a refused
    /// NULL with the plan's reason added, see [`BulkPlan::explain`]).
    pub fn encode_row<F>(&mut self, fill: F) -> Result<(), CellError>
    where
        F: FnOnce(&BulkPlan, &mut BytesMut) -> Result<(), CellError>,
    {
        let writer = self.writer.get_or_insert_with(|| {
            let mut w = PacketWriter::new(packet_type::BULK_LOAD, self.packet_size);
            encode_bulk_colmetadata(&self.plan.columns, w.buf_mut());
            w.seal_full();
            w
        });
        let buf = writer.buf_mut();
        let start = buf.len();
        begin_row(buf);
        if let Err(e) = fill(&self.plan, buf) {
            buf.truncate(start);
            return Err(self.plan.explain(e));
        }
        writer.seal_full();
        self.rows_in_batch += 1;
        self.rows_unsent += 1;
        self.rows_total += 1;
        if self.plan.batch_size > 0 && self.rows_in_batch >= self.plan.batch_size {
            self.end_batch();
        } else if writer.buf_mut().len() >= HANDOFF_BYTES {
            let bytes = writer.take_sealed();
            self.queue.push_back(Chunk::Packets {
                bytes,
                rows: std::mem::take(&mut self.rows_unsent),
            });
        }
        Ok(())
    }

    fn end_batch(&mut self) {
        let Some(mut w) = self.writer.take() else {
            return;
        };
        encode_bulk_done(w.buf_mut());
        w.seal_full();
        self.queue.push_back(Chunk::Packets {
            bytes: w.finish(),
            rows: std::mem::take(&mut self.rows_unsent),
        });
        self.queue.push_back(Chunk::EndBatch {
            rows: std::mem::take(&mut self.rows_in_batch),
        });
    }

    /// Closes the last batch (if it has rows). Call `flush` afterwards, then drop the encoder.
    pub fn finish(&mut self) {
        if self.rows_in_batch > 0 {
            self.end_batch();
        }
    }

    /// True when chunks are waiting for room in the channel.
    pub fn has_backlog(&self) -> bool {
        !self.queue.is_empty()
    }

    /// Moves queued chunks into the channel without waiting. `Ok(true)`: all handed over;
    /// `Ok(false)`: the runner is behind, call [`BulkEncoder::flush`] (or wait and retry).
    pub fn try_flush(&mut self) -> Result<bool, EncoderClosed> {
        while let Some(chunk) = self.queue.pop_front() {
            match self.tx.try_send(chunk) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(chunk)) => {
                    self.queue.push_front(chunk);
                    return Ok(false);
                }
                Err(mpsc::error::TrySendError::Closed(_)) => return Err(EncoderClosed),
            }
        }
        Ok(true)
    }

    /// Hands every queued chunk to the runner, waiting for room as needed.
    pub async fn flush(&mut self) -> Result<(), EncoderClosed> {
        while let Some(chunk) = self.queue.pop_front() {
            self.tx.send(chunk).await.map_err(|_| EncoderClosed)?;
        }
        Ok(())
    }
}
