//! Core errors become JS `Error`s with a stable `code` and, for server errors, the server's
//! number, state, class, line and server name.
//!
//! napi-rs rejects promises with an error whose `code` is a napi status, so the details travel
//! as JSON behind a marker in the message, and `native/sluice.js` rebuilds the `Error` with
//! proper properties before any caller sees it.

use napi::{Error, Status};
use serde_json::json;

pub const MARKER: &str = "SLUICE_ERROR:";

pub fn to_js_error(e: sluice_client::Error) -> Error {
    let mut detail = json!({ "code": e.code(), "message": e.to_string() });
    add_server_fields(&mut detail, &e);
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}

/// The server's number, state, class, line, server and procedure names, when the error has them.
fn add_server_fields(detail: &mut serde_json::Value, e: &sluice_client::Error) {
    if let Some(m) = e.server_message() {
        detail["number"] = json!(m.number);
        detail["state"] = json!(m.state);
        detail["class"] = json!(m.class);
        detail["lineNumber"] = json!(m.line);
        detail["serverName"] = json!(m.server);
        detail["procName"] = json!(m.procedure);
    }
}

/// A value that does not fit its column: code EVALUE, with the 1-based row, the column, the
/// value and the reason.
pub fn cell_error_js(row: u64, e: &tds::bulk::CellError) -> Error {
    let message = if e.column.is_empty() {
        format!("row {row}: {}", e.reason)
    } else {
        format!(
            "row {row}, column {:?}, value {}: {}",
            e.column, e.value, e.reason
        )
    };
    let detail = json!({ "code": "EVALUE", "message": message, "row": row, "column": e.column, "value": e.value, "reason": e.reason });
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}

/// A bulk load that stopped: the underlying error's code and details, plus the account of
/// what committed.
pub fn bulk_failure_error(f: &sluice_client::bulk::BulkFailure) -> Error {
    use sluice_client::bulk::BulkFailureKind;
    let e = &f.error;
    let mut detail = json!({
        "code": e.code(),
        "message": f.to_string(),
        "kind": match f.kind {
            BulkFailureKind::Server => "server",
            BulkFailureKind::Cancelled => "cancelled",
            BulkFailureKind::Timeout => "timeout",
            BulkFailureKind::Source => "source",
            BulkFailureKind::Connection => "connection",
        },
        "rowsCommitted": f.rows_committed,
        "batchesCommitted": f.batches_committed,
        "failedBatch": f.failed_batch,
        "inDoubtBatch": f.in_doubt_batch,
    });
    add_server_fields(&mut detail, e);
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}

/// The sender task has stopped; `result()` says why. The JS wrapper looks there instead.
pub fn stopped_error() -> Error {
    let detail =
        json!({ "code": "ESTOPPED", "message": "the bulk load stopped; its result says why" });
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}
