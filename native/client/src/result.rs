//! What a SQL batch returns.

use std::sync::Arc;
use tds::token::ServerMessage;
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
}
