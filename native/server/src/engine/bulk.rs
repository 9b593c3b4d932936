//! The bulk-load side (MS-TDS 2.2.6.1): the `INSERT BULK` statement that announces a load,
//! and storing the rows of the BULK LOAD message that follows.

use super::catalog::Catalog;
use super::convert::{convert, ConvError, Mode};
use super::error::SqlError;
use super::insert::{store, Target};
use super::names::{object_ref, parse_name_string, ObjectRef};
use super::session::Session;
use super::type_decl::{self, DeclContext};
use super::typed::Typed;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;
use tds::types::{ColumnMeta, SqlType, VarLen};
use tds::value::Value;

/// The WITH options of `INSERT BULK`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkOptions {
    /// `KEEP_IDENTITY` / `KEEPIDENTITY`: identity values come from the client.
    pub keep_identity: bool,
    /// `KEEP_NULLS`: NULLs stay NULL instead of taking the column default.
    pub keep_nulls: bool,
    pub check_constraints: bool,
    pub fire_triggers: bool,
    pub tablock: bool,
    pub rows_per_batch: Option<u64>,
    pub kilobytes_per_batch: Option<u64>,
}

/// One column of the `INSERT BULK` column list, with its declared type when it parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkColumn {
    pub name: String,
    pub declared: Option<SqlType>,
}

/// `INSERT BULK table (col type, …) WITH (…)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertBulk {
    /// The table name as written (without brackets).
    pub table: String,
    pub columns: Vec<BulkColumn>,
    pub options: BulkOptions,
    target: ObjectRef,
}

/// Parses the statement after the `INSERT BULK` keywords.
pub(crate) fn parse_insert_bulk_body(p: &mut Parser<'_>) -> Result<InsertBulk, ParserError> {
    let name = p.parse_object_name(false)?;
    let target = object_ref(&name).map_err(|e| ParserError::ParserError(e.message))?;
    let mut columns = Vec::new();
    if p.consume_token(&Token::LParen) {
        loop {
            let col = p.parse_identifier()?;
            let dt = p.parse_data_type()?;
            let mut collation = super::collation_names::default_collation();
            if p.parse_keyword(Keyword::COLLATE) {
                let c = p.parse_object_name(false)?;
                let bare =
                    c.0.last()
                        .and_then(|x| x.as_ident())
                        .map(|i| i.value.clone())
                        .unwrap_or_default();
                if let Some(named) = super::collation_names::lookup(&bare) {
                    collation = named;
                }
            }
            let _ =
                p.parse_keywords(&[Keyword::NOT, Keyword::NULL]) || p.parse_keyword(Keyword::NULL);
            let declared = type_decl::declaration(&dt)
                .and_then(|d| {
                    type_decl::resolve(
                        &d,
                        DeclContext::Column {
                            index: columns.len() + 1,
                            name: &col.value,
                        },
                        &collation,
                    )
                })
                .ok();
            columns.push(BulkColumn {
                name: col.value,
                declared,
            });
            if p.consume_token(&Token::RParen) {
                break;
            }
            if !p.consume_token(&Token::Comma) {
                return p.expected_ref("',' or ')'", p.peek_token_ref());
            }
        }
    }
    let mut options = BulkOptions::default();
    if p.parse_keyword(Keyword::WITH) {
        if !p.consume_token(&Token::LParen) {
            return p.expected_ref("(", p.peek_token_ref());
        }
        loop {
            let t = p.next_token();
            let Token::Word(w) = &t.token else {
                return p.expected_ref("bulk option", &t);
            };
            let number = |p: &mut Parser<'_>| -> Result<u64, ParserError> {
                if !p.consume_token(&Token::Eq) {
                    return p.expected_ref("=", p.peek_token_ref());
                }
                let t = p.next_token();
                match &t.token {
                    Token::Number(n, _) => n.parse().or_else(|_| p.expected_ref("number", &t)),
                    _ => p.expected_ref("number", &t),
                }
            };
            match w.value.to_ascii_uppercase().as_str() {
                "TABLOCK" => options.tablock = true,
                "CHECK_CONSTRAINTS" => options.check_constraints = true,
                "FIRE_TRIGGERS" => options.fire_triggers = true,
                "KEEP_NULLS" => options.keep_nulls = true,
                "KEEP_IDENTITY" | "KEEPIDENTITY" => options.keep_identity = true,
                "ROWS_PER_BATCH" => options.rows_per_batch = Some(number(p)?),
                "KILOBYTES_PER_BATCH" => options.kilobytes_per_batch = Some(number(p)?),
                "ORDER" => {
                    if !p.consume_token(&Token::LParen) {
                        return p.expected_ref("(", p.peek_token_ref());
                    }
                    loop {
                        p.parse_identifier()?;
                        let _ = p.parse_keyword(Keyword::ASC) || p.parse_keyword(Keyword::DESC);
                        if p.consume_token(&Token::RParen) {
                            break;
                        }
                        if !p.consume_token(&Token::Comma) {
                            return p.expected_ref("',' or ')'", p.peek_token_ref());
                        }
                    }
                }
                _ => return p.expected_ref("bulk option", &t),
            }
            if p.consume_token(&Token::RParen) {
                break;
            }
            if !p.consume_token(&Token::Comma) {
                return p.expected_ref("',' or ')'", p.peek_token_ref());
            }
        }
    }
    Ok(InsertBulk {
        table: target.display(),
        columns,
        options,
        target,
    })
}

/// If `sql` is an `INSERT BULK` statement (the only statement of its batch), parses it.
/// `None` when the batch is something else.
pub fn parse_insert_bulk(sql: &str) -> Option<Result<InsertBulk, SqlError>> {
    let starts = sql
        .trim_start()
        .get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case("INSERT"));
    if !starts {
        return None;
    }
    match super::parse::parse_batch(sql) {
        Ok(stmts) => match stmts.into_iter().next().map(|p| p.stmt) {
            Some(super::parse::Stmt::InsertBulk(ib)) => Some(Ok(ib)),
            _ => None,
        },
        Err(e) => sql.to_ascii_uppercase().contains("BULK").then_some(Err(e)),
    }
}

/// The type a decoded value most likely came in as, for conversion and messages.
fn source_type(v: &Value) -> SqlType {
    let text = super::collation_names::default_collation().collation;
    match v {
        Value::Null | Value::Int(_) => SqlType::Int,
        Value::Bit(_) => SqlType::Bit,
        Value::TinyInt(_) => SqlType::TinyInt,
        Value::SmallInt(_) => SqlType::SmallInt,
        Value::BigInt(_) => SqlType::BigInt,
        Value::Real(_) => SqlType::Real,
        Value::Float(_) => SqlType::Float,
        Value::Decimal(d) => SqlType::Numeric {
            precision: 38,
            scale: d.scale.min(38),
        },
        Value::Money(_) => SqlType::Money,
        Value::Date(_) => SqlType::Date,
        Value::Time(t) => SqlType::Time { scale: t.scale },
        Value::DateTime { .. } => SqlType::DateTime,
        Value::SmallDateTime { .. } => SqlType::SmallDateTime,
        Value::DateTime2 { time, .. } => SqlType::DateTime2 { scale: time.scale },
        Value::DateTimeOffset { time, .. } => SqlType::DateTimeOffset { scale: time.scale },
        Value::Guid(_) => SqlType::UniqueIdentifier,
        Value::String(_) => SqlType::NVarChar {
            len: VarLen::Max,
            collation: text,
        },
        Value::Binary(_) => SqlType::VarBinary { len: VarLen::Max },
    }
}

impl Catalog {
    /// The columns of table `name` (as written in SQL: `t`, `dbo.t`, `[db].[dbo].[t]`, `#t`)
    /// as COLMETADATA describes them; error 208 if there is no such table.
    pub fn table_columns(
        &self,
        session: &Session,
        name: &str,
    ) -> Result<Vec<ColumnMeta>, SqlError> {
        let r = parse_name_string(name).ok_or_else(|| SqlError::invalid_object(name))?;
        self.read_table(session, &r, |t| {
            t.columns.iter().map(|c| c.meta()).collect()
        })
        .ok_or_else(|| SqlError::invalid_object(&r.display()))
    }

    /// Stores rows received by a bulk load into table `name`: one value per table column, in
    /// table order. Values are converted to the column types (a value too long for its column
    /// is error 4815, as SQL Server reports it for bulk loads); NULL takes the column default
    /// where there is one; identity values are generated unless the session has
    /// IDENTITY_INSERT ON for the table. All rows are stored or none.
    pub fn insert_rows(
        &self,
        session: &Session,
        name: &str,
        rows: Vec<Vec<Value>>,
    ) -> Result<u64, SqlError> {
        let r = parse_name_string(name).ok_or_else(|| SqlError::invalid_object(name))?;
        let target = Target::read(self, session, self.find(session, &r)?, &r.display())?;
        let keep_identity = target.identity_insert_on(session);
        let all: Vec<usize> = (0..target.columns.len()).collect();
        let options = BulkOptions {
            keep_identity,
            ..BulkOptions::default()
        };
        self.store_bulk(session, &target, &all, rows, &options)
    }

    /// Stores the rows of a bulk load announced by `stmt`: values in the order of
    /// `stmt.columns`; table columns not listed get their default (or NULL).
    pub fn bulk_insert(
        &self,
        session: &Session,
        stmt: &InsertBulk,
        rows: Vec<Vec<Value>>,
    ) -> Result<u64, SqlError> {
        let target = self.bulk_target(session, stmt)?;
        let mut positions = Vec::with_capacity(stmt.columns.len());
        for c in &stmt.columns {
            let i = target
                .columns
                .iter()
                .position(|t| t.name.eq_ignore_ascii_case(&c.name))
                .ok_or_else(|| SqlError::invalid_column(&c.name))?;
            positions.push(i);
        }
        self.store_bulk(session, &target, &positions, rows, &stmt.options)
    }

    pub(crate) fn bulk_target(
        &self,
        session: &Session,
        stmt: &InsertBulk,
    ) -> Result<Target, SqlError> {
        let loc = self.find(session, &stmt.target)?;
        let target = Target::read(self, session, loc, &stmt.table)?;
        if let Some(c) = stmt.columns.iter().find(|c| {
            !target
                .columns
                .iter()
                .any(|t| t.name.eq_ignore_ascii_case(&c.name))
        }) {
            return Err(SqlError::invalid_column(&c.name));
        }
        Ok(target)
    }

    fn store_bulk(
        &self,
        session: &Session,
        target: &Target,
        positions: &[usize],
        rows: Vec<Vec<Value>>,
        options: &BulkOptions,
    ) -> Result<u64, SqlError> {
        let mut defaults = Vec::with_capacity(target.columns.len());
        for c in &target.columns {
            defaults.push(if c.default.is_some() {
                target.default_value(c, self, session)?
            } else {
                Value::Null
            });
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            if row.len() != positions.len() {
                return Err(SqlError::new(
                    213,
                    16,
                    1,
                    "Column name or number of supplied values does not match table definition.",
                ));
            }
            let mut full = defaults.clone();
            for (value, &j) in row.into_iter().zip(positions) {
                let Some(col) = target.columns.get(j) else {
                    continue;
                };
                let Some(slot) = full.get_mut(j) else {
                    continue;
                };
                if matches!(value, Value::Null) && !options.keep_nulls && col.default.is_some() {
                    continue;
                }
                let src = Typed::nullable(value, SqlType::Int);
                let src = Typed {
                    ty: source_type(&src.value),
                    ..src
                };
                *slot = convert(&src, &col.ty, Mode::Assign).map_err(|e| match e {
                    ConvError::Sql(e) => e,
                    ConvError::Truncated { .. } => SqlError::new(
                        4815,
                        16,
                        1,
                        format!(
                            "Received an invalid column length from the bcp client for colid {}.",
                            j + 1
                        ),
                    ),
                })?;
            }
            out.push(full);
        }
        let generate =
            target.columns.iter().any(|c| c.identity.is_some()) && !options.keep_identity;
        store(self, session, target, out, generate).map(|(n, _)| n)
    }
}
