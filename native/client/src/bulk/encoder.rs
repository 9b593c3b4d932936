//! The synchronous half of a bulk load: rows in, sealed packets out.
//!
//! The encoder owns the packet being filled. A row is written in place (ROW token, then each
//! cell by `tds::bulk::encode_cell`); a row that fails is cut off again before anything of it
//! leaves, so a bad value never reaches the server. Sealed packets queue up and move into the
//! runner's bounded channel; when the channel is full the caller waits (`flush`) or, on the JS
//! thread, gets `false` from `try_flush` and yields — memory stays flat however many rows come.

use super::journal::SourcePosition;
use super::plan::BulkPlan;
use bytes::BytesMut;
use std::collections::VecDeque;
use std::sync::Arc;
use tds::bulk::{
    begin_row, encode_bulk_colmetadata, encode_bulk_done, encode_cell, Cell, CellError,
};
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
    /// The last packets of the batch's message (the last one carries EOM): once they are on the
    /// wire the batch is complete and outstanding until the server answers. `batch_rows` rows
    /// are in the whole batch.
    LastPackets {
        bytes: BytesMut,
        rows: u64,
        batch_rows: u64,
        /// Where the batch ends in the source, if the caller said
        /// ([`BulkEncoder::set_source_position`]): the journal records it.
        position: Option<SourcePosition>,
    },
    /// The source finished: every row was handed over. Without it, a closed channel means the
    /// source failed, and the batch it was filling does not commit.
    End,
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
    finished: bool,
    position: Option<SourcePosition>,
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
            finished: false,
            position: None,
        }
    }

    /// Says where the source is *after* the row about to be pushed (the next record's number
    /// and byte offset). Call it before each push: a batch that the push completes carries
    /// this position to the journal, which is where a resume goes on.
    pub fn set_source_position(&mut self, position: SourcePosition) {
        self.position = Some(position);
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
        if self.finished {
            return Err(CellError {
                column: String::new(),
                value: String::new(),
                reason: "the load was finished; no more rows are taken".into(),
            });
        }
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

    /// Encodes one row of cells, given in source order: destination column `i` takes
    /// `cells[plan.sources[i]]`. The typed lane for Rust sources (files, generated data).
    pub fn push_cells(&mut self, cells: &[Cell<'_>]) -> Result<(), CellError> {
        self.encode_row(|plan, buf| {
            for (col, &src) in plan.columns.iter().zip(&plan.sources) {
                let Some(&cell) = cells.get(src) else {
                    return Err(CellError {
                        column: col.name.clone(),
                        value: String::new(),
                        reason: format!(
                            "the row has {} fields; column {:?} is fed by field {}",
                            cells.len(),
                            col.name,
                            src + 1
                        ),
                    });
                };
                encode_cell(col, cell, buf)?;
            }
            Ok(())
        })
    }

    fn end_batch(&mut self) {
        let Some(mut w) = self.writer.take() else {
            return;
        };
        encode_bulk_done(w.buf_mut());
        w.seal_full();
        self.queue.push_back(Chunk::LastPackets {
            bytes: w.finish(),
            rows: std::mem::take(&mut self.rows_unsent),
            batch_rows: std::mem::take(&mut self.rows_in_batch),
            position: self.position,
        });
    }

    /// The source has finished: closes the last batch (if it has rows) and queues the end
    /// marker. Call `flush` afterwards. Encoding more rows after this is refused.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        if self.rows_in_batch > 0 {
            self.end_batch();
        }
        self.queue.push_back(Chunk::End);
        self.finished = true;
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
