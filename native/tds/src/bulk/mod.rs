//! The encoding half of a bulk load (MS-TDS 2.2.6.1 BulkLoadBCP): the `INSERT BULK` statement
//! that announces the load, then the bulk-load message (packet type 0x07) of COLMETADATA
//! (2.2.7.4), one ROW token (2.2.7.19) per row and a final DONE.
//!
//! A load goes like this (TDS-NOTES "Bulk load"):
//!
//! 1. Read the destination's COLMETADATA (`SELECT TOP 0 * FROM t`) and its collation names
//!    (`sp_tablecollations_100`); turn each column into a [`BulkColumn`] with
//!    [`BulkColumn::from_meta`].
//! 2. Keep the columns that travel ([`loaded_columns`]: never computed or `timestamp` columns,
//!    identity columns only with [`BulkOptions::keep_identity`]) and send
//!    [`insert_bulk_statement`] as a SQL batch.
//! 3. Write [`encode_bulk_colmetadata`] for exactly those columns, then for each row
//!    [`begin_row`] and one [`encode_cell`] per column in the same order, then
//!    [`encode_bulk_done`]; split the bytes into packets with [`crate::packet::PacketWriter`].
//!
//! Step 3 is the hot path of the product: [`encode_cell`] writes a borrowed source [`Cell`]
//! straight into the caller's buffer and allocates nothing for the common pairs of source and
//! column type (see `cell.rs`). The rest (statement, metadata) runs once per batch.

mod cell;
mod chars;
mod code_page_text;
mod names;
mod statement;

pub use cell::{begin_row, encode_cell, Cell, CellError};
pub use names::{parse_multipart_name, quote_identifier, quote_multipart};
pub use statement::insert_bulk_statement;

use crate::token::{encode_colmetadata, encode_done, Done, DoneKind};
use crate::types::{column_flags, ColumnMeta, SqlType, TypeInfo};
use bytes::BytesMut;

/// Options of `INSERT BULK … WITH (…)`; see [`insert_bulk_statement`] for how each is spelled.
#[derive(Debug, Clone, Default)]
pub struct BulkOptions {
    /// `TABLOCK`: a bulk-update table lock for the whole load instead of row locks.
    pub table_lock: bool,
    /// `CHECK_CONSTRAINTS`: check CHECK and FOREIGN KEY constraints (ignored by default, which
    /// leaves them marked untrusted).
    pub check_constraints: bool,
    /// `FIRE_TRIGGERS`: run the table's INSERT triggers.
    pub fire_triggers: bool,
    /// `KEEP_NULLS`: a NULL stays NULL instead of taking the column's default.
    pub keep_nulls: bool,
    /// Load the identity columns' values from the source. Not a `WITH` option: the identity
    /// columns are listed in the statement (and sent in the rows) only when this is set.
    pub keep_identity: bool,
    /// `ROWS_PER_BATCH = n`, a hint for the optimizer; `Some(0)` is left out like `None`.
    pub rows_per_batch: Option<u64>,
    /// `KILOBYTES_PER_BATCH = n`; `Some(0)` is left out like `None`.
    pub kilobytes_per_batch: Option<u64>,
    /// `ORDER (…)`: the order the rows arrive in, when it matches the clustered index.
    pub order: Vec<OrderColumn>,
}

/// One column of the `ORDER (…)` hint.
#[derive(Debug, Clone)]
pub struct OrderColumn {
    pub name: String,
    pub descending: bool,
}

/// One destination column as the server described it (from the COLMETADATA of
/// `SET FMTONLY ON select * from t` / `SELECT TOP 0 * FROM t`), plus its collation name (from
/// `sp_tablecollations_100`) when it has one.
#[derive(Debug, Clone)]
pub struct BulkColumn {
    pub name: String,
    /// The type, with the column's own collation for character types.
    pub ty: SqlType,
    pub nullable: bool,
    /// A NULL sent for this column takes its default (it has one and `KEEP_NULLS` is off), so
    /// NULL is fine even when the column is NOT NULL.
    pub null_takes_default: bool,
    pub identity: bool,
    /// Computed columns (and `timestamp`/`rowversion`, which the server fills in) are never
    /// loaded.
    pub computed: bool,
    /// Spelled in the `COLLATE` clause of character columns, e.g. `Latin1_General_CI_AS`.
    pub collation_name: Option<String>,
}

/// UserType of `timestamp`/`rowversion` columns (MS-TDS 2.2.7.4: UserType of the column's type);
/// they travel as binary(8) but cannot be inserted. SqlBulkCopy skips them too.
const USER_TYPE_TIMESTAMP: u32 = 0x50;

impl BulkColumn {
    pub fn from_meta(meta: &ColumnMeta, collation_name: Option<String>) -> BulkColumn {
        BulkColumn {
            name: meta.name.clone(),
            ty: meta.type_info.ty,
            nullable: meta.is_nullable(),
            null_takes_default: false,
            identity: meta.is_identity(),
            computed: meta.is_computed() || meta.user_type == USER_TYPE_TIMESTAMP,
            collation_name,
        }
    }

    /// True when the column travels in a load with `opts`: not computed, and not identity
    /// unless the identity values are kept.
    pub fn is_loaded(&self, opts: &BulkOptions) -> bool {
        !self.computed && (!self.identity || opts.keep_identity)
    }

    /// Why a bulk load cannot fill this column, if it cannot: `text`, `ntext` and `image`
    /// (deprecated; their bulk rows need text pointers) and CLR types (geography, geometry,
    /// hierarchyid, whose values are the types' own serialization). Such a column can stay
    /// out of the load (map the other columns) when it is nullable or has a default.
    pub fn unsupported_reason(&self) -> Option<String> {
        let why = match self.ty {
            SqlType::Text { .. } | SqlType::NText { .. } | SqlType::Image => {
                "is deprecated and not loaded by Sluice; use varchar(max), nvarchar(max) or varbinary(max)"
            }
            SqlType::Udt { .. } => "is a CLR type, which Sluice does not load",
            _ => return None,
        };
        Some(format!(
            "column {:?} ({}) {why}; leave it out of columnMappings to load the other columns",
            self.name,
            self.ty.sql_name()
        ))
    }

    /// Column flags for the bulk COLMETADATA (MS-TDS 2.2.7.4): nullable and identity from the
    /// column, plus usUpdateable = 2 (bits 2-3, 0x0008). The server takes the column's real
    /// nullability and identity from the table; SqlClient echoes the flags it read.
    fn bulk_flags(&self) -> u16 {
        let mut flags = column_flags::UPDATEABLE_READ_WRITE;
        if self.nullable {
            flags |= column_flags::NULLABLE;
        }
        if self.identity {
            flags |= column_flags::IDENTITY;
        }
        flags
    }
}

/// The columns of `cols` that travel in a load with `opts` (see [`BulkColumn::is_loaded`]), in
/// order: what [`encode_bulk_colmetadata`] and the rows must be given.
pub fn loaded_columns(cols: &[BulkColumn], opts: &BulkOptions) -> Vec<BulkColumn> {
    cols.iter().filter(|c| c.is_loaded(opts)).cloned().collect()
}

/// COLMETADATA for the bulk stream (MS-TDS 2.2.7.4): for each column UserType 0, the flags of
/// [`BulkColumn`], TYPE_INFO in the nullable "N" form with the column's own collation, and the
/// column name. `cols` must be the columns of the `INSERT BULK` statement, in its order
/// ([`loaded_columns`]). Runs once per batch, so it simply reuses the token encoder.
pub fn encode_bulk_colmetadata(cols: &[BulkColumn], buf: &mut BytesMut) {
    let metas: Vec<ColumnMeta> = cols
        .iter()
        .map(|c| ColumnMeta {
            name: c.name.clone(),
            user_type: 0,
            flags: c.bulk_flags(),
            type_info: TypeInfo::nullable(c.ty),
        })
        .collect();
    encode_colmetadata(&metas, buf);
}

/// The DONE token that ends a bulk stream: status 0, CurCmd 0, row count 0 (the server counts
/// the rows itself).
pub fn encode_bulk_done(buf: &mut BytesMut) {
    let done = Done {
        kind: DoneKind::Done,
        status: 0,
        cur_cmd: 0,
        row_count: 0,
    };
    encode_done(&done, buf);
}

#[cfg(test)]
mod cell_tests;
#[cfg(test)]
mod code_page_text_tests;
#[cfg(test)]
mod large_tests;
#[cfg(test)]
mod tests;
