//! calamine errors as [`ReadErrorKind`]s, and a guard that turns a panic inside calamine into
//! an error.
//!
//! calamine is not panic-free on hostile input (its xlsb cell reader indexes record buffers and
//! the shared-string table directly, for one), while a Sluice reader must never take the process
//! down. Every call into calamine goes through [`guarded`]; a panic there becomes a
//! [`ReadErrorKind::Workbook`] and the reader stops. (The default panic hook still prints the
//! panic message to stderr; changing the hook is global state, left to the application.)

use crate::ReadErrorKind;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f`, turning a panic into an error. The state `f` touched must not be used again
/// after a panic: callers stop reading.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, ReadErrorKind> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        ReadErrorKind::Workbook(format!(
            "the workbook is malformed (the spreadsheet parser failed: {what})"
        ))
    })
}

/// Describes a calamine error; a password-protected workbook gets its own kind.
pub(crate) fn workbook_error<E: Into<calamine::Error>>(e: E) -> ReadErrorKind {
    use calamine::Error as E;
    let e: calamine::Error = e.into();
    match &e {
        E::Xlsx(calamine::XlsxError::Password)
        | E::Xlsb(calamine::XlsbError::Password)
        | E::Xls(calamine::XlsError::Password)
        | E::Ods(calamine::OdsError::Password) => ReadErrorKind::Encrypted,
        E::Io(io) => ReadErrorKind::Io(io.to_string()),
        _ => ReadErrorKind::Workbook(format!("the workbook is truncated or corrupt ({e})")),
    }
}
