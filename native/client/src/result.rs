//! What a SQL batch returns, and the collector that builds it from the response's tokens.

use crate::error::{Error, Result};
use std::sync::Arc;
use tds::token::{EnvChange, ServerMessage, Token};
use tds::types::ColumnMeta;
use tds::value::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct ResultSet {
    pub columns: Arc<Vec<ColumnMeta>>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchResult {
    /// Every result set, in order (a statement with COLMETADATA but no rows still counts).
    pub result_sets: Vec<ResultSet>,
    /// The sum of the row counts the server reported (INSERT, UPDATE, DELETE, SELECT…), if any.
    pub rows_affected: Option<u64>,
    /// INFO messages (PRINT, warnings, "Changed database context…").
    pub messages: Vec<ServerMessage>,
    /// The row limit was reached: rows after it were not kept, and the rest of the batch was
    /// cancelled with ATTENTION (or discarded, when it had already arrived).
    pub truncated: bool,
}

/// What the reader should do after a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    More,
    /// The row limit was passed: stop reading the server's rows.
    LimitReached,
}

/// Gathers one response's tokens into a [`BatchResult`]: result sets, counts, messages, env
/// changes. Errors raised by the server, and values this client cannot represent, are kept and
/// reported once the response has been read to its end, so the connection stays in step.
#[derive(Debug, Default)]
pub struct Collector {
    out: BatchResult,
    errors: Vec<ServerMessage>,
    /// The first value that could not be read (its row was framed, so reading went on).
    bad_value: Option<Error>,
    env: Vec<EnvChange>,
    current: Option<ResultSet>,
    max_rows: Option<u64>,
    rows: u64,
}

impl Collector {
    /// `max_rows` bounds the rows kept over all result sets together (`None`: no limit).
    pub fn new(max_rows: Option<u64>) -> Self {
        Collector {
            max_rows,
            ..Default::default()
        }
    }

    pub fn push(&mut self, token: Token) -> Result<Step> {
        match token {
            Token::ColMetadata(columns) => {
                self.close_set();
                if !columns.is_empty() {
                    self.current = Some(ResultSet {
                        columns,
                        rows: Vec::new(),
                    });
                }
            }
            Token::Row(values) => {
                if self.current.is_none() {
                    return Err(Error::Protocol("a row arrived outside a result set".into()));
                }
                if self.out.truncated {
                    return Ok(Step::LimitReached);
                }
                if self.max_rows.is_some_and(|max| self.rows >= max) {
                    self.out.truncated = true;
                    return Ok(Step::LimitReached);
                }
                self.rows += 1;
                if let Some(rs) = self.current.as_mut() {
                    rs.rows.push(values);
                }
            }
            Token::UnreadableRow { column, error } => {
                let name = self
                    .current
                    .as_ref()
                    .and_then(|rs| rs.columns.get(column))
                    .map_or_else(|| format!("#{}", column + 1), |c| c.name.clone());
                self.bad_value.get_or_insert(Error::Value {
                    column: name,
                    detail: error.to_string(),
                });
            }
            Token::Done(d) => {
                self.close_set();
                if let Some(n) = d.count() {
                    self.out.rows_affected = Some(self.out.rows_affected.unwrap_or(0) + n);
                }
            }
            Token::Error(m) => self.errors.push(m),
            Token::Info(m) => self.out.messages.push(m),
            Token::EnvChange(e) => self.env.push(e),
            _ => {}
        }
        Ok(Step::More)
    }

    fn close_set(&mut self) {
        if let Some(rs) = self.current.take() {
            self.out.result_sets.push(rs);
        }
    }

    /// The result (or the first server error of severity above 10, or the first unreadable
    /// value) and the env changes, which apply either way.
    pub fn finish(mut self) -> (Result<BatchResult>, Vec<EnvChange>) {
        self.close_set();
        // Severity 10 and below are informational even when sent as ERROR (MS-TDS 2.2.7.10).
        let mut errors: Vec<_> = self.errors.into_iter().filter(|m| m.class > 10).collect();
        if !errors.is_empty() {
            let first = errors.remove(0);
            let mut all = vec![first.clone()];
            all.extend(errors);
            return (Err(Error::Server { first, all }), self.env);
        }
        if let Some(e) = self.bad_value {
            return (Err(e), self.env);
        }
        (Ok(self.out), self.env)
    }
}

#[cfg(test)]
#[path = "result_tests.rs"]
mod tests;
