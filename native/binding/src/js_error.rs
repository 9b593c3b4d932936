//! Core errors become JS `Error`s with a stable `code` and, for server errors, the server's
//! number, state, class, line and server name.
//!
//! napi-rs rejects promises with an error whose `code` is a napi status, so the details travel
//! as JSON behind a marker in the message, and `native/sluice.js` rebuilds the `Error` with
//! proper properties before any caller sees it.

use napi::{sys, Error, JsError, Status};
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

/// How a push call (`pushValues`, `pushColumns`, `pushRows`) fails on the JS thread.
pub enum PushError {
    /// JS code the call ran (a getter, a Proxy trap) threw: that exception is pending and
    /// propagates unchanged, whatever was thrown (an `Error`, `undefined`, a Symbol…).
    Thrown,
    /// The call's arguments are not what the lane takes (not an array, a detached or shared
    /// buffer, too few values): a `TypeError`. Not a bad value, so never skipped as a row.
    Type(String),
    /// Anything else: EVALUE, ECLOSED, ESTOPPED… as built by this module.
    Napi(Error),
}

impl From<Error> for PushError {
    fn from(e: Error) -> Self {
        PushError::Napi(e)
    }
}

impl PushError {
    /// Throws the error into `env`; a pending exception is left as it is.
    ///
    /// # Safety
    /// `env` must be the live env of the current call on the JS thread.
    pub unsafe fn throw(self, env: sys::napi_env) {
        match self {
            PushError::Thrown => {}
            PushError::Type(message) => {
                let mut text = std::ptr::null_mut();
                let mut error = std::ptr::null_mut();
                if sys::napi_create_string_utf8(
                    env,
                    message.as_ptr().cast(),
                    message.len() as isize,
                    &mut text,
                ) == sys::Status::napi_ok
                    && sys::napi_create_type_error(env, std::ptr::null_mut(), text, &mut error)
                        == sys::Status::napi_ok
                {
                    sys::napi_throw(env, error);
                } else {
                    JsError::from(Error::new(Status::InvalidArg, message)).throw_into(env);
                }
            }
            PushError::Napi(e) => JsError::from(e).throw_into(env),
        }
    }

    /// For `#[napi]` methods: throws now and returns the marker napi-rs leaves alone (it does
    /// not throw over a pending exception).
    ///
    /// # Safety
    /// `env` must be the live env of the current call on the JS thread.
    pub unsafe fn into_napi(self, env: sys::napi_env) -> Error {
        self.throw(env);
        Error::new(Status::PendingException, "a JS exception is pending")
    }
}

/// Checks the status of a napi call that may run JS (a getter, a Proxy trap): a failure with
/// an exception pending becomes [`PushError::Thrown`], any other a `TypeError` naming `what`.
///
/// # Safety
/// `env` must be the live env of the current call on the JS thread.
pub unsafe fn check_js(
    env: sys::napi_env,
    status: sys::napi_status,
    what: &str,
) -> std::result::Result<(), PushError> {
    if status == sys::Status::napi_ok {
        return Ok(());
    }
    let mut pending = false;
    sys::napi_is_exception_pending(env, &mut pending);
    if pending || status == sys::Status::napi_pending_exception {
        Err(PushError::Thrown)
    } else {
        Err(PushError::Type(format!("{what} could not be read")))
    }
}
