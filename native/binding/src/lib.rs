//! Node.js binding over the Sluice core. It converts between JS and the core's types and does
//! nothing else: every socket read, TLS record and token decode runs on the Tokio runtime that
//! napi-rs owns, never on the JS thread.

mod bulk;
mod connection_string;
mod drift;
pub mod files;
mod js_cell;
mod js_columns;
mod js_error;
mod js_row;
mod load;
mod push_values;

use js_cell::{cell_from_value, JsCell};
use js_error::to_js_error;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use sluice_client::{BatchResult, Connection};
use std::sync::Arc;
use tokio::sync::Mutex;

/// One column of a result set.
#[napi(object, object_from_js = false)]
pub struct ColumnInfo {
    pub name: String,
    /// The SQL type as declared: `int`, `decimal(18,4)`, `nvarchar(max)`, `datetime2(7)`…
    #[napi(js_name = "type")]
    pub type_name: String,
    pub nullable: bool,
}

#[napi(object, object_from_js = false)]
pub struct ResultSet {
    pub columns: Vec<ColumnInfo>,
    /// One array per row. bit → boolean; tinyint/smallint/int/real/float → number; bigint → bigint;
    /// decimal/numeric/money → exact string; date/time/datetime* → ISO-like string as SQL Server
    /// prints it; uniqueidentifier → uppercase string; binary → Buffer; NULL → null.
    #[napi(ts_type = "unknown[][]")]
    pub rows: Vec<Vec<JsCell>>,
}

/// What the native `query` resolves to; sluice.js adds `columns` and `rows` (the first result
/// set's, the same arrays as `resultSets[0]`).
#[napi(object, object_from_js = false)]
pub struct NativeQueryResult {
    /// Every result set of the batch, in order, each with its own rows.
    pub result_sets: Vec<ResultSet>,
    /// Rows counted by the server (inserted, deleted, selected), when it reported any.
    pub rows_affected: Option<i64>,
    /// Informational messages (PRINT, "Changed database context…").
    pub messages: Vec<String>,
    /// `maxRows` was reached: the rows after it were not read and the rest of the batch was
    /// cancelled (ATTENTION), so later statements of the batch may not have run.
    pub truncated: bool,
}

/// Options of `query`.
#[napi(object)]
pub struct QueryOptions {
    /// Keep at most this many rows over all result sets; at the next row the rest of the batch
    /// is cancelled and the result says `truncated`. Memory stays bounded however many rows the
    /// query would return. A whole number ≥ 0; no limit when left out.
    pub max_rows: Option<f64>,
}

fn convert_result(r: BatchResult) -> NativeQueryResult {
    let result_sets = r
        .result_sets
        .into_iter()
        .map(|rs| ResultSet {
            columns: rs
                .columns
                .iter()
                .map(|c| ColumnInfo {
                    name: c.name.clone(),
                    type_name: c.type_info.ty.sql_name(),
                    nullable: c.is_nullable(),
                })
                .collect(),
            rows: rs
                .rows
                .into_iter()
                .map(|row| row.into_iter().map(cell_from_value).collect())
                .collect(),
        })
        .collect();
    NativeQueryResult {
        result_sets,
        rows_affected: r.rows_affected.map(|n| n.min(i64::MAX as u64) as i64),
        messages: r.messages.into_iter().map(|m| m.message).collect(),
        truncated: r.truncated,
    }
}

/// `maxRows` as a count: a whole number ≥ 0 (Infinity means no limit).
fn max_rows(options: Option<&QueryOptions>) -> Result<Option<u64>> {
    match options.and_then(|o| o.max_rows) {
        None => Ok(None),
        Some(n) if n == f64::INFINITY => Ok(None),
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 2f64.powi(53) => Ok(Some(n as u64)),
        Some(n) => Err(Error::new(
            Status::InvalidArg,
            format!("maxRows must be a whole number ≥ 0, got {n}"),
        )),
    }
}

/// An open connection to SQL Server, Azure SQL or the test server.
#[napi]
pub struct Client {
    conn: Arc<Mutex<Option<Connection>>>,
}

/// Connects and logs in with an ADO.NET connection string.
#[napi(catch_unwind)]
pub async fn connect(connection_string: String) -> Result<Client> {
    let conn = Connection::connect_str(&connection_string)
        .await
        .map_err(to_js_error)?;
    Ok(Client {
        conn: Arc::new(Mutex::new(Some(conn))),
    })
}

#[napi]
impl Client {
    /// Runs a SQL batch. Requests on one client run one at a time, in call order.
    #[napi(catch_unwind)]
    pub async fn query(
        &self,
        sql: String,
        options: Option<QueryOptions>,
    ) -> Result<NativeQueryResult> {
        let limit = max_rows(options.as_ref())?;
        let conn = self.conn.clone();
        let mut guard = conn.lock().await;
        let c = guard
            .as_mut()
            .ok_or_else(|| to_js_error(sluice_client::Error::Closed))?;
        let r = c
            .execute_limited(&sql, limit, std::future::pending())
            .await
            .map_err(to_js_error)?;
        Ok(convert_result(r))
    }

    /// Starts a bulk load into `table` (see `bulkCopy` in sluice.js, which drives the session).
    #[napi(catch_unwind)]
    pub async fn bulk_begin(
        &self,
        table: String,
        options: bulk::NativeBulkOptions,
        on_progress: Option<
            napi::threadsafe_function::ThreadsafeFunction<
                bulk::BulkProgressInfo,
                (),
                bulk::BulkProgressInfo,
                Status,
                false,
            >,
        >,
    ) -> Result<bulk::BulkSession> {
        bulk::begin(self.conn.clone(), table, options, on_progress).await
    }

    /// Closes the connection; later calls fail with code ECLOSED.
    #[napi(catch_unwind)]
    pub async fn close(&self) -> Result<()> {
        let conn = self.conn.clone();
        let taken = conn.lock().await.take();
        if let Some(c) = taken {
            c.close().await.map_err(to_js_error)?;
        }
        Ok(())
    }
}

/// Starts loading files into a table (see `loadFile` in sluice.js, which adds the AbortSignal).
#[napi]
pub async fn load_file_begin(
    options: load::NativeLoadOptions,
    // Spelled out (not the alias) so that the generated index.d.ts names the callback's type.
    on_progress: Option<
        napi::threadsafe_function::ThreadsafeFunction<
            load::LoadProgressInfo,
            (),
            load::LoadProgressInfo,
            Status,
            false,
        >,
    >,
) -> Result<load::LoadJob> {
    load::begin(options, on_progress).await
}

/// Runs the `sluice` command line (`args` without the program name); resolves to the exit code.
#[napi(catch_unwind)]
pub async fn run_cli(args: Vec<String>) -> i32 {
    sluice_cli::run(args).await
}
