//! Transaction manager requests (packet type 0x0E, MS-TDS 2.2.6.9): how ODBC-based drivers
//! (mssql-python, pyodbc) begin, commit and roll back transactions when autocommit is off, and
//! what they send when a connection closes. Like the engine's BEGIN/COMMIT, transactions are
//! tracked, not isolated: the test server has no rollback.

use crate::engine::{Outcome, SqlError};
use tds::sql_batch::skip_all_headers;
use tds::token::EnvChange;

mod request {
    pub const GET_DTC_ADDRESS: u16 = 0;
    pub const BEGIN_XACT: u16 = 5;
    pub const COMMIT_XACT: u16 = 7;
    pub const ROLLBACK_XACT: u16 = 8;
    pub const SAVE_XACT: u16 = 9;
}

/// The transaction the session has open through the transaction manager, if any.
#[derive(Debug, Default)]
pub(crate) struct TmState {
    descriptor: Option<u64>,
    next: u64,
}

/// What to answer: ENVCHANGEs first, then outcomes.
pub(crate) struct TmReply {
    pub env: Vec<EnvChange>,
    pub outcomes: Vec<Outcome>,
}

fn error(number: u32, message: &str) -> TmReply {
    TmReply {
        env: vec![],
        outcomes: vec![Outcome::Error(SqlError {
            number,
            state: 1,
            class: 16,
            message: message.into(),
            line: 1,
        })],
    }
}

impl TmState {
    fn begin(&mut self, env: &mut Vec<EnvChange>) {
        self.next += 1;
        let d = 0x5100_0000_0000_0000 | self.next;
        self.descriptor = Some(d);
        env.push(EnvChange::BeginTransaction { descriptor: d });
    }

    pub(crate) fn handle(&mut self, payload: &[u8]) -> TmReply {
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
        let mut env = Vec::new();
        let done = vec![Outcome::Done {
            rows_affected: None,
        }];
        match u16::from_le_bytes([*lo, *hi]) {
            request::BEGIN_XACT => {
                if self.descriptor.is_some() {
                    // Nested BEGIN through TM is not something drivers do; refuse clearly.
                    return error(266, "Transaction count after EXECUTE indicates a mismatching number of BEGIN and COMMIT statements.");
                }
                self.begin(&mut env);
            }
            kind @ (request::COMMIT_XACT | request::ROLLBACK_XACT) => {
                // Payload: transaction name (B_VARCHAR), then a flags byte whose 0x01 asks to
                // begin a new transaction right away (fBeginXact).
                let name_len = rest.first().copied().unwrap_or(0) as usize;
                let flags = rest.get(1 + name_len * 2).copied().unwrap_or(0);
                if let Some(descriptor) = self.descriptor.take() {
                    env.push(if kind == request::COMMIT_XACT {
                        EnvChange::CommitTransaction { descriptor }
                    } else {
                        EnvChange::RollbackTransaction { descriptor }
                    });
                } else if kind == request::COMMIT_XACT {
                    return error(3902, "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.");
                }
                if flags & 0x01 != 0 {
                    self.begin(&mut env);
                }
            }
            request::SAVE_XACT => {}
            request::GET_DTC_ADDRESS => return error(8501, "MSDTC is not available on the Sluice test server."),
            other => return error(40517, &format!("Transaction manager request {other} is not supported by the Sluice test server.")),
        }
        TmReply {
            env,
            outcomes: done,
        }
    }
}
