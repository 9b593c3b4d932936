//! Transaction manager requests (packet type 0x0E, MS-TDS 2.2.6.9): how ODBC-based drivers
//! (mssql-python, pyodbc) begin, commit and roll back transactions when autocommit is off, and
//! what they send when a connection closes. They drive the engine's transactions (so a
//! ROLLBACK_XACT undoes the changes), and the ENVCHANGEs come from the engine's session.

use crate::engine::{self, Catalog, Outcome, Session, SqlError};
use tds::sql_batch::skip_all_headers;

mod request {
    pub const GET_DTC_ADDRESS: u16 = 0;
    pub const BEGIN_XACT: u16 = 5;
    pub const COMMIT_XACT: u16 = 7;
    pub const ROLLBACK_XACT: u16 = 8;
    pub const SAVE_XACT: u16 = 9;
}

fn error(number: u32, message: &str) -> Vec<Outcome> {
    vec![Outcome::Error(SqlError {
        number,
        state: 1,
        class: 16,
        message: message.into(),
        line: 1,
    })]
}

/// Runs one transaction manager request against the session; the ENVCHANGEs it causes wait
/// in the session ([`Session::take_transaction_changes`]).
pub(crate) fn handle(catalog: &Catalog, session: &mut Session, payload: &[u8]) -> Vec<Outcome> {
    let Ok(body) = skip_all_headers(payload) else {
        return error(
            4002,
            "The incoming tabular data stream (TDS) protocol stream is incorrect.",
        );
    };
    let [lo, hi, rest @ ..] = body else {
        return error(
            4002,
            "The incoming tabular data stream (TDS) protocol stream is incorrect.",
        );
    };
    match u16::from_le_bytes([*lo, *hi]) {
        request::BEGIN_XACT => {
            if session.trancount > 0 {
                // Nested BEGIN through TM is not something drivers do; refuse clearly.
                return error(266, "Transaction count after EXECUTE indicates a mismatching number of BEGIN and COMMIT statements.");
            }
            engine::begin_transaction(session);
        }
        kind @ (request::COMMIT_XACT | request::ROLLBACK_XACT) => {
            // Payload: transaction name (B_VARCHAR), then a flags byte whose 0x01 asks to
            // begin a new transaction right away (fBeginXact).
            let name_len = rest.first().copied().unwrap_or(0) as usize;
            let flags = rest.get(1 + name_len * 2).copied().unwrap_or(0);
            if kind == request::COMMIT_XACT {
                if session.trancount == 0 {
                    return error(
                        3902,
                        "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.",
                    );
                }
                // A TM commit ends the whole transaction, whatever the nesting.
                while session.trancount > 0 {
                    if let Err(e) = engine::commit_transaction(session) {
                        return vec![Outcome::Error(e)];
                    }
                }
            } else {
                engine::rollback_open(catalog, session);
            }
            if flags & 0x01 != 0 {
                engine::begin_transaction(session);
            }
        }
        request::SAVE_XACT => {}
        request::GET_DTC_ADDRESS => {
            return error(8501, "MSDTC is not available on the Sluice test server.")
        }
        other => {
            return error(
                40517,
                &format!(
                "Transaction manager request {other} is not supported by the Sluice test server."
            ),
            )
        }
    }
    vec![Outcome::Done {
        rows_affected: None,
    }]
}
