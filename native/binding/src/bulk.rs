//! `bulkCopy` underneath: the JS face of `sluice_client::bulk::BulkSession`, which the JS
//! wrapper (`native/sluice.js`) feeds with rows. The session (runner, channel, progress ticker,
//! cancel) is the client crate's; this file converts. Rows are encoded on the JS thread,
//! straight from napi values into the packet buffer (JS values can only be read there).
//! Progress comes back through a thread-safe function at most ten times a second.

use crate::js_columns::Columns;
use crate::js_error::{bulk_failure_error, cell_error_js, stopped_error, to_js_error};
use crate::js_row::{encode_js_values, push_row_arrays, Scratch};
use crate::push_values::{self, Lane};
use bytes::BytesMut;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use sluice_client::bulk::{
    self, BulkControl, BulkCopyOptions, BulkEncoder, BulkFailure, BulkPlan, BulkSummary,
    ColumnMapping, ProgressCallback, ProgressSnapshot, SessionOptions,
};
use sluice_client::Connection;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;
use tds::bulk::{BulkOptions, CellError, OrderColumn};
use tokio::sync::{oneshot, Mutex, OwnedMutexGuard};

/// Chunks of sealed packets waiting for the socket: bounded, so memory stays flat.
const CHANNEL_CHUNKS: usize = 16;
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

#[napi(object)]
pub struct NativeColumnMapping {
    pub source: u32,
    pub destination: String,
}

/// Options as the JS wrapper passes them (it normalises `columnMappings` and `order`).
#[napi(object)]
pub struct NativeBulkOptions {
    pub batch_size: Option<u32>,
    pub table_lock: Option<bool>,
    pub check_constraints: Option<bool>,
    pub fire_triggers: Option<bool>,
    pub keep_nulls: Option<bool>,
    pub keep_identity: Option<bool>,
    pub rows_per_batch: Option<u32>,
    /// Column names, each optionally followed by ` ASC` or ` DESC`.
    pub order: Option<Vec<String>>,
    pub column_mappings: Option<Vec<NativeColumnMapping>>,
}

#[napi(object)]
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct BulkProgressInfo {
    pub rows_sent: i64,
    pub rows_committed: i64,
    pub bytes_sent: i64,
    pub batch: i64,
}

#[napi(object)]
pub struct BulkCopySummary {
    pub rows_copied: i64,
    pub batch_count: i64,
    pub elapsed_ms: f64,
}

pub type ProgressFn = ThreadsafeFunction<BulkProgressInfo, (), BulkProgressInfo, Status, false>;

fn to_info(s: ProgressSnapshot) -> BulkProgressInfo {
    BulkProgressInfo {
        rows_sent: s.rows_sent as i64,
        rows_committed: s.rows_committed as i64,
        bytes_sent: s.bytes_sent as i64,
        batch: s.batch as i64,
    }
}

fn to_options(o: NativeBulkOptions) -> Result<BulkCopyOptions> {
    let order = o
        .order
        .unwrap_or_default()
        .into_iter()
        .map(|s| {
            let t = s.trim();
            let upper = t.to_ascii_uppercase();
            if let Some(name) = upper.strip_suffix(" DESC").map(|_| &t[..t.len() - 5]) {
                OrderColumn {
                    name: name.trim().to_string(),
                    descending: true,
                }
            } else if let Some(name) = upper.strip_suffix(" ASC").map(|_| &t[..t.len() - 4]) {
                OrderColumn {
                    name: name.trim().to_string(),
                    descending: false,
                }
            } else {
                OrderColumn {
                    name: t.to_string(),
                    descending: false,
                }
            }
        })
        .collect();
    Ok(BulkCopyOptions {
        batch_size: o.batch_size.unwrap_or(0) as u64,
        hints: BulkOptions {
            table_lock: o.table_lock.unwrap_or(false),
            check_constraints: o.check_constraints.unwrap_or(false),
            fire_triggers: o.fire_triggers.unwrap_or(false),
            keep_nulls: o.keep_nulls.unwrap_or(false),
            keep_identity: o.keep_identity.unwrap_or(false),
            rows_per_batch: o.rows_per_batch.map(u64::from),
            kilobytes_per_batch: None,
            order,
        },
        column_mappings: o
            .column_mappings
            .unwrap_or_default()
            .into_iter()
            .map(|m| ColumnMapping {
                source: m.source as usize,
                destination: m.destination,
            })
            .collect(),
    })
}

/// A JS value handed over as is, for reading with raw napi calls.
pub struct RawValue(sys::napi_value);

impl TypeName for RawValue {
    fn type_name() -> &'static str {
        "unknown[][]"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl FromNapiValue for RawValue {
    unsafe fn from_napi_value(_env: sys::napi_env, v: sys::napi_value) -> Result<Self> {
        Ok(RawValue(v))
    }
}

impl ValidateNapiValue for RawValue {}

/// A JS value made with raw napi calls, handed back as is.
pub struct RawOut(sys::napi_value);

impl ToNapiValue for RawOut {
    unsafe fn to_napi_value(_env: sys::napi_env, v: Self) -> Result<sys::napi_value> {
        Ok(v.0)
    }
}

/// The JS-thread half of a load: the encoder and its scratch space. Shared (behind a mutex that
/// only the JS thread ever takes) by the session's methods and its `pushValues` function.
pub struct Feed {
    encoder: Option<BulkEncoder>,
    scratch: Scratch,
    width: usize,
    /// Rows the caller skipped after a refusal (`skipRow`): they keep their numbers.
    skipped: u64,
}

impl Feed {
    /// Encodes `rows` rows, row `r` written by `fill(r, plan, scratch, buf)`, then hands the
    /// sealed packets on. A row that does not fit stops there with its 1-based number.
    fn encode_rows(
        &mut self,
        rows: usize,
        mut fill: impl FnMut(
            usize,
            &BulkPlan,
            &mut Scratch,
            &mut BytesMut,
        ) -> std::result::Result<(), CellError>,
    ) -> Result<bool> {
        let Feed {
            encoder,
            scratch,
            skipped,
            ..
        } = self;
        let enc = encoder
            .as_mut()
            .ok_or_else(|| to_js_error(sluice_client::Error::Closed))?;
        for r in 0..rows {
            enc.encode_row(|plan, buf| fill(r, plan, scratch, buf))
                .map_err(|e| cell_error_js(enc.rows_encoded() + *skipped + 1, &e))?;
        }
        enc.try_flush().map_err(|_| stopped_error())
    }

    /// How many values of each row the load reads.
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// The 1-based number of the next row.
    pub(crate) fn next_row(&self) -> u64 {
        self.encoder.as_ref().map_or(0, |e| e.rows_encoded()) + self.skipped + 1
    }

    /// `rows` rows laid side by side in `values`, `width` values each (see push_values.rs).
    ///
    /// # Safety
    /// `env` and every handle in `values` must be live napi handles of the current call.
    pub unsafe fn push_flat(
        &mut self,
        env: sys::napi_env,
        rows: usize,
        values: &[sys::napi_value],
    ) -> Result<bool> {
        let width = self.width;
        if rows.checked_mul(width) != Some(values.len()) {
            return Err(Error::new(
                Status::InvalidArg,
                format!(
                    "pushValues: {} values are not {rows} rows of {width}",
                    values.len()
                ),
            ));
        }
        self.encode_rows(rows, |r, plan, scratch, buf| unsafe {
            let row = &values[r * width..(r + 1) * width];
            encode_js_values(env, row, &plan.columns, &plan.sources, scratch, buf)
        })
    }

    /// Rows `start..start + rows` of a columnar batch, borrowed by `cols`; `plain` holds the
    /// cells of its plain-array columns for those rows, column after column (see js_columns.rs).
    ///
    /// # Safety
    /// `env` and every handle in `plain` must be live handles of the current call, and no JS
    /// may have run since `cols` was borrowed.
    pub unsafe fn push_columns(
        &mut self,
        env: sys::napi_env,
        cols: &Columns<'_>,
        start: usize,
        rows: usize,
        plain: &[sys::napi_value],
    ) -> Result<bool> {
        self.encode_rows(rows, |r, plan, scratch, buf| unsafe {
            cols.encode_row(
                env,
                plain,
                start,
                r,
                &plan.columns,
                &plan.sources,
                scratch,
                buf,
            )
        })
    }
}

/// One running bulk load: the binding's face of `sluice_client::bulk::BulkSession`. Every
/// method takes `&self`, so a cancel can come while `ready()` or `result()` is pending (an
/// `&mut self` method there throws napi's borrow error inside the `abort` event).
#[napi]
pub struct BulkSession {
    feed: Arc<StdMutex<Feed>>,
    control: BulkControl,
    result: Arc<Mutex<Option<oneshot::Receiver<BulkOutcomeResult>>>>,
}

type BulkOutcomeResult = std::result::Result<BulkSummary, BulkFailure>;

/// Reads the table's metadata and starts the load; the connection is the session's until it
/// ends, then goes back to the client (or is closed, if the load left it out of step).
pub async fn begin(
    conn: Arc<Mutex<Option<Connection>>>,
    table: String,
    options: NativeBulkOptions,
    on_progress: Option<ProgressFn>,
) -> Result<BulkSession> {
    let opts = to_options(options)?;
    let mut guard: OwnedMutexGuard<Option<Connection>> = conn.lock_owned().await;
    let c = guard
        .take()
        .ok_or_else(|| to_js_error(sluice_client::Error::Closed))?;
    let session_opts = SessionOptions {
        channel_chunks: CHANNEL_CHUNKS,
        on_progress: on_progress.map(|f| -> ProgressCallback {
            Box::new(move |p| {
                f.call(to_info(p), ThreadsafeFunctionCallMode::NonBlocking);
            })
        }),
        progress_every: PROGRESS_EVERY,
    };
    let session = match bulk::begin(c, &table, &opts, session_opts).await {
        Ok(s) => s,
        Err((e, c)) => {
            if c.is_usable() {
                *guard = Some(c);
            }
            return Err(to_js_error(e));
        }
    };
    let bulk::BulkSession {
        encoder,
        control,
        outcome,
    } = session;
    let (result_tx, result_rx) = oneshot::channel();
    // The client's lock is held until the load ends, so its other calls wait their turn.
    tokio::spawn(async move {
        let mut guard = guard;
        let out = outcome.await;
        *guard = out.connection;
        let _ = result_tx.send(out.result);
    });
    let width = encoder.plan().source_width();
    Ok(BulkSession {
        feed: Arc::new(StdMutex::new(Feed {
            encoder: Some(encoder),
            scratch: Scratch::default(),
            width,
            skipped: 0,
        })),
        control,
        result: Arc::new(Mutex::new(Some(result_rx))),
    })
}

#[napi]
impl BulkSession {
    fn feed(&self) -> Result<std::sync::MutexGuard<'_, Feed>> {
        self.feed
            .lock()
            .map_err(|_| Error::new(Status::GenericFailure, "the bulk session is poisoned"))
    }

    /// Encodes rows (an array of row arrays) into the outgoing packets. Returns true when every
    /// sealed packet was handed to the sender task, false when it is behind: then await
    /// `ready()` and call `flush()` until it returns true. Throws (code EVALUE) on a value that
    /// does not fit its column, naming the row, column and value; nothing of that row is sent.
    #[napi(catch_unwind, ts_args_type = "rows: unknown[][]")]
    pub fn push_rows(&self, env: Env, rows: RawValue) -> Result<bool> {
        unsafe {
            push_row_arrays(env.raw(), &self.feed, rows.0).map_err(|e| e.into_napi(env.raw()))
        }
    }

    /// How many values of each row the load reads: the highest mapped source index + 1.
    #[napi(getter, catch_unwind)]
    pub fn width(&self) -> Result<u32> {
        Ok(self.feed()?.width as u32)
    }

    /// A function `pushValues(rowCount, ...values)` that does what `pushRows` does for
    /// `rowCount` rows laid side by side (`width` values each) in its arguments: the fast lane
    /// the JS wrapper uses, as arguments cross into native code without per-element lookups.
    #[napi(
        catch_unwind,
        ts_return_type = "(rowCount: number, ...values: unknown[]) => boolean"
    )]
    pub fn value_pusher(&self, env: Env) -> Result<RawOut> {
        unsafe { push_values::create(env.raw(), self.feed.clone(), Lane::Rows).map(RawOut) }
    }

    /// A function `pushColumns(columns, start, rowCount, ...values)`: rows
    /// `start..start + rowCount` of a columnar batch (`columns`: one typed array, plain array
    /// or `{ values, nulls }` per source column). Typed arrays are read in place; the cells of
    /// plain-array columns for those rows come as `values`, column after column.
    #[napi(
        catch_unwind,
        ts_return_type = "(columns: unknown[], start: number, rowCount: number, ...values: unknown[]) => boolean"
    )]
    pub fn column_pusher(&self, env: Env) -> Result<RawOut> {
        unsafe { push_values::create(env.raw(), self.feed.clone(), Lane::Columns).map(RawOut) }
    }

    /// The row a push just refused (EVALUE) is skipped, not retried: later rows keep their
    /// numbers. The caller then pushes the rows after it again.
    #[napi(catch_unwind)]
    pub fn skip_row(&self) -> Result<()> {
        self.feed()?.skipped += 1;
        Ok(())
    }

    /// Ends the last batch. Follow with `flush()`/`ready()` until `flush()` returns true.
    #[napi(catch_unwind)]
    pub fn end(&self) -> Result<()> {
        if let Some(enc) = self.feed()?.encoder.as_mut() {
            enc.finish();
        }
        Ok(())
    }

    /// Hands queued packets to the sender task without waiting; true when none are left.
    #[napi(catch_unwind)]
    pub fn flush(&self) -> Result<bool> {
        match self.feed()?.encoder.as_mut() {
            Some(enc) => enc.try_flush().map_err(|_| stopped_error()),
            None => Ok(true),
        }
    }

    /// Resolves when the sender task has room for more packets (or has stopped).
    #[napi(catch_unwind)]
    pub async fn ready(&self) -> Result<()> {
        self.control.ready().await;
        Ok(())
    }

    /// No more rows: drops the encoder, which closes the stream. Without `end()` first the
    /// runner takes it as a failed source and abandons the open batch.
    #[napi(catch_unwind)]
    pub fn close(&self) {
        // `try_lock`: called from a callback while a push holds the feed (a getter that
        // closes), the encoder goes when that push returns and the session is collected.
        if let Ok(mut f) = self.feed.try_lock() {
            f.encoder = None;
        }
    }

    /// Cancels the load (ATTENTION for a batch in flight; see `result()` for the account). Safe
    /// at any moment, also while `ready()` or `result()` is pending or from inside a push.
    #[napi(catch_unwind)]
    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// The counters now.
    #[napi(catch_unwind)]
    pub fn progress(&self) -> BulkProgressInfo {
        to_info(self.control.progress())
    }

    /// Resolves with the summary once the sender task is done (call `close()` first), or rejects
    /// with the reason and the account of committed batches (rowsCommitted, batchesCommitted,
    /// failedBatch, inDoubtBatch).
    #[napi(catch_unwind)]
    pub async fn result(&self) -> Result<BulkCopySummary> {
        let rx =
            self.result.lock().await.take().ok_or_else(|| {
                Error::new(Status::GenericFailure, "result() was already awaited")
            })?;
        match rx.await {
            Ok(Ok(s)) => Ok(BulkCopySummary {
                rows_copied: s.rows_copied as i64,
                batch_count: s.batch_count as i64,
                elapsed_ms: s.elapsed.as_secs_f64() * 1000.0,
            }),
            Ok(Err(f)) => Err(bulk_failure_error(&f)),
            Err(_) => Err(to_js_error(sluice_client::Error::Closed)),
        }
    }
}
