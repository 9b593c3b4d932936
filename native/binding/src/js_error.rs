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
    if let Some(m) = e.server_message() {
        detail["number"] = json!(m.number);
        detail["state"] = json!(m.state);
        detail["class"] = json!(m.class);
        detail["lineNumber"] = json!(m.line);
        detail["serverName"] = json!(m.server);
        detail["procName"] = json!(m.procedure);
    }
    Error::new(Status::GenericFailure, format!("{MARKER}{detail}"))
}
