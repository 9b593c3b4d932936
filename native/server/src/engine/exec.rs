//! Running a parsed batch: one statement after another, errors reported in place, and the
//! batch abandoned where SQL Server would abandon it.

use super::catalog::Catalog;
use super::condition::predicate;
use super::ddl;
use super::dml;
use super::error::{SqlError, Unwind};
use super::eval::{eval, Env};
use super::insert::insert;
use super::parse::{parse_batch, Parsed, Stmt};
use super::select::run_query;
use super::session::Session;
use super::system;
use super::transaction;
use super::Outcome;
use sqlparser::ast::{ConditionalStatements, Expr, IfStatement, ObjectType, Statement, Use};
use tds::value::Value;

/// SQL Server's limit on nested EXEC / sp_executesql levels.
const MAX_NESTING: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Abort,
}

pub(crate) fn run_batch(
    catalog: &Catalog,
    session: &mut Session,
    sql: &str,
    depth: usize,
) -> Vec<Outcome> {
    let parsed = match parse_batch(sql) {
        Ok(p) => p,
        Err(mut e) => {
            if e.line == 0 {
                e.line = 1;
            }
            session.last_error = e.number;
            return vec![Outcome::Error(e)];
        }
    };
    let mut out = Vec::new();
    // Statements are consumed, not borrowed: parts of them (DEFAULT expressions) move into
    // the catalog, and deep expression trees are never cloned (a clone recurses).
    for Parsed { stmt, line } in parsed {
        if run_one(stmt, line, catalog, session, &mut out, depth) == Flow::Abort {
            break;
        }
    }
    out
}

/// Runs one statement and reports its error, if any; says whether the batch goes on.
fn run_one(
    stmt: Stmt,
    line: u32,
    catalog: &Catalog,
    session: &mut Session,
    out: &mut Vec<Outcome>,
    depth: usize,
) -> Flow {
    if session.options.noexec
        && !matches!(&stmt, Stmt::Sql(s) if matches!(s.as_ref(), Statement::Set(set) if system::ends_noexec(set)))
    {
        return Flow::Continue;
    }
    match exec_stmt(stmt, line, catalog, session, out, depth) {
        Ok(flow) => {
            if flow == Flow::Continue {
                session.last_error = 0;
            }
            flow
        }
        Err(mut e) => {
            if e.line == 0 {
                e.line = line;
            }
            session.last_error = e.number;
            session.last_rowcount = 0;
            let terminated = e.terminates_dml();
            let unwind = e.unwind();
            out.push(Outcome::Error(e));
            if terminated {
                let (number, message) = SqlError::statement_terminated();
                out.push(Outcome::Info { number, message });
            }
            if unwind == Unwind::Batch || session.options.xact_abort {
                if session.options.xact_abort {
                    transaction::rollback_open(catalog, session);
                }
                Flow::Abort
            } else {
                Flow::Continue
            }
        }
    }
}

fn count(session: &mut Session, n: u64) -> Outcome {
    session.last_rowcount = n;
    Outcome::Done {
        rows_affected: if session.options.nocount || session.options.fmtonly {
            None
        } else {
            Some(n)
        },
    }
}

fn done(session: &mut Session) -> Outcome {
    session.last_rowcount = 0;
    Outcome::Done {
        rows_affected: None,
    }
}

fn exec_stmt(
    stmt: Stmt,
    line: u32,
    catalog: &Catalog,
    session: &mut Session,
    out: &mut Vec<Outcome>,
    depth: usize,
) -> Result<Flow, SqlError> {
    match stmt {
        Stmt::Sql(s) => exec_sql(*s, line, catalog, session, out, depth),
        Stmt::Exec { proc, args } => {
            exec_proc(&proc, &args, catalog, session, out, depth)?;
            Ok(Flow::Continue)
        }
        Stmt::ExecString(e) => {
            let sql = string_arg(&e, catalog, session)?.unwrap_or_default();
            Ok(nested(&sql, catalog, session, out, depth))
        }
        Stmt::SaveTran => {
            if session.trancount == 0 {
                return Err(SqlError::new(
                    628,
                    16,
                    0,
                    "Cannot issue SAVE TRANSACTION when there is no active transaction.",
                ));
            }
            out.push(done(session));
            Ok(Flow::Continue)
        }
        Stmt::InsertBulk(ib) => {
            catalog.bulk_target(session, &ib)?;
            out.push(done(session));
            Ok(Flow::Continue)
        }
    }
}

/// Runs a batch nested in EXEC; its errors are reported in place. An abort ends the caller too.
fn nested(
    sql: &str,
    catalog: &Catalog,
    session: &mut Session,
    out: &mut Vec<Outcome>,
    depth: usize,
) -> Flow {
    if depth + 1 > MAX_NESTING {
        out.push(Outcome::Error(SqlError::new(
            217,
            16,
            1,
            "Maximum stored procedure, function, trigger, or view nesting level exceeded (limit 32).",
        )));
        return Flow::Abort;
    }
    let inner = run_batch(catalog, session, sql, depth + 1);
    out.extend(inner);
    Flow::Continue
}

fn string_arg(e: &Expr, catalog: &Catalog, session: &Session) -> Result<Option<String>, SqlError> {
    Ok(match eval(e, &Env::new(catalog, session), 0)?.value {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => super::value_text::value_as_text(&other),
    })
}

fn exec_proc(
    proc: &[String],
    args: &[(Option<String>, Expr)],
    catalog: &Catalog,
    session: &mut Session,
    out: &mut Vec<Outcome>,
    depth: usize,
) -> Result<(), SqlError> {
    let name = proc
        .last()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default();
    let database = match proc {
        [db, _, _] if !db.is_empty() => Some(
            catalog
                .database_name(db)
                .ok_or_else(|| SqlError::unknown_database(db))?,
        ),
        _ => None,
    };
    match name.as_str() {
        "sp_tablecollations_100" | "sp_tablecollations_90" | "sp_tablecollations" => {
            let arg = match args.first() {
                Some((_, e)) => string_arg(e, catalog, session)?,
                None => None,
            };
            let rs =
                system::table_collations(arg.as_deref(), database.as_deref(), catalog, session);
            session.last_rowcount = rs.rows.len() as u64;
            out.push(Outcome::Rows {
                columns: rs.columns,
                rows: rs.rows,
            });
            Ok(())
        }
        "sp_columns" => {
            let arg = |name: &str, position: usize| -> Result<Option<String>, SqlError> {
                let named = args.iter().find(|(n, _)| {
                    n.as_deref()
                        .is_some_and(|n| n.trim_start_matches('@').eq_ignore_ascii_case(name))
                });
                let positional = args.get(position).filter(|(n, _)| n.is_none());
                match named.or(positional) {
                    Some((_, e)) => string_arg(e, catalog, session),
                    None => Ok(None),
                }
            };
            let rs = super::sp_columns::sp_columns(
                super::sp_columns::SpColumnsArgs {
                    table_name: arg("table_name", 0)?,
                    table_owner: arg("table_owner", 1)?,
                },
                database.as_deref(),
                catalog,
                session,
            );
            session.last_rowcount = rs.rows.len() as u64;
            out.push(Outcome::Rows {
                columns: rs.columns,
                rows: rs.rows,
            });
            Ok(())
        }
        "sp_executesql" => {
            if args.len() > 1 {
                return Err(SqlError::unsupported("sp_executesql parameters"));
            }
            let sql = match args.first() {
                Some((_, e)) => string_arg(e, catalog, session)?.unwrap_or_default(),
                None => String::new(),
            };
            nested(&sql, catalog, session, out, depth);
            Ok(())
        }
        _ => Err(SqlError::new(
            2812,
            16,
            62,
            format!(
                "Could not find stored procedure '{}'.",
                proc.iter()
                    .filter(|p| !p.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(".")
            ),
        )),
    }
}

fn first_words(s: &Statement) -> String {
    s.to_string()
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn exec_sql(
    s: Statement,
    line: u32,
    catalog: &Catalog,
    session: &mut Session,
    out: &mut Vec<Outcome>,
    depth: usize,
) -> Result<Flow, SqlError> {
    match s {
        Statement::Query(q) => {
            let rs = run_query(&q, catalog, session, session.options.fmtonly)?;
            session.last_rowcount = rs.rows.len() as u64;
            out.push(Outcome::Rows {
                columns: rs.columns,
                rows: rs.rows,
            });
        }
        Statement::Insert(i) => {
            let n = insert(&i, catalog, session)?;
            out.push(count(session, n));
        }
        Statement::Delete(d) => {
            let n = dml::delete(&d, catalog, session)?;
            out.push(count(session, n));
        }
        Statement::Update(u) => {
            let n = dml::update(&u, catalog, session)?;
            out.push(count(session, n));
        }
        Statement::CreateTable(ct) => {
            ddl::create_table(ct, catalog, session)?;
            out.push(done(session));
        }
        Statement::Drop {
            object_type: ObjectType::Table,
            if_exists,
            names,
            ..
        } => {
            ddl::drop_tables(&names, if_exists, catalog, session)?;
            out.push(done(session));
        }
        Statement::Drop {
            object_type: ObjectType::Database,
            if_exists,
            names,
            ..
        } => {
            for n in &names {
                let db = system::database_name(n)?;
                if if_exists && catalog.database_name(&db).is_none() {
                    continue;
                }
                catalog.drop_database(session, &db)?;
            }
            out.push(done(session));
        }
        Statement::CreateDatabase {
            db_name,
            if_not_exists,
            ..
        } => {
            let db = system::database_name(&db_name)?;
            if !(if_not_exists && catalog.database_name(&db).is_some()) {
                catalog.create_database(&db)?;
            }
            out.push(done(session));
        }
        Statement::Truncate(t) => {
            ddl::truncate(&t, catalog, session)?;
            out.push(done(session));
        }
        Statement::Set(set) => {
            system::set(&set, catalog, session)?;
            out.push(done(session));
        }
        Statement::Use(u) => {
            let name = match &u {
                Use::Object(n) | Use::Database(n) | Use::Catalog(n) => n,
                other => return Err(SqlError::unsupported(&other.to_string())),
            };
            let (old, new) = system::use_database(name, catalog, session)?;
            session.last_rowcount = 0;
            out.push(Outcome::DatabaseChanged { old, new });
        }
        Statement::StartTransaction {
            statements,
            has_end_keyword,
            ..
        } => {
            if !statements.is_empty() || has_end_keyword {
                return run_block(statements, line, catalog, session, out, depth);
            }
            transaction::begin(session);
            out.push(done(session));
        }
        Statement::Commit { .. } => {
            transaction::commit(session)?;
            out.push(done(session));
        }
        Statement::Rollback { savepoint, .. } => {
            transaction::rollback(catalog, session, savepoint.is_some())?;
            out.push(done(session));
        }
        Statement::If(ifs) => {
            let chosen = {
                let env = Env::new(catalog, session);
                let mut chosen = None;
                let blocks = std::iter::once(&ifs.if_block).chain(&ifs.elseif_blocks);
                for (k, block) in blocks.enumerate() {
                    let hit = match &block.condition {
                        Some(c) => predicate(c, &env, 0)? == Some(true),
                        None => true,
                    };
                    if hit {
                        chosen = Some(k);
                        break;
                    }
                }
                chosen
            };
            let IfStatement {
                if_block,
                elseif_blocks,
                else_block,
                ..
            } = ifs;
            let block = match chosen {
                Some(0) => Some(if_block),
                Some(k) => elseif_blocks.into_iter().nth(k - 1),
                None => else_block,
            };
            if let Some(b) = block {
                let list = match b.conditional_statements {
                    ConditionalStatements::Sequence { statements } => statements,
                    ConditionalStatements::BeginEnd(b) => b.statements,
                };
                return run_block(list, line, catalog, session, out, depth);
            }
        }
        Statement::Execute {
            name: Some(name),
            parameters,
            has_parentheses: false,
            immediate: false,
            ..
        } => {
            let proc: Vec<String> = name
                .0
                .iter()
                .map(|p| p.as_ident().map(|i| i.value.clone()).unwrap_or_default())
                .collect();
            let args: Vec<(Option<String>, Expr)> =
                parameters.into_iter().map(|e| (None, e)).collect();
            exec_proc(&proc, &args, catalog, session, out, depth)?;
        }
        Statement::Print(p) => {
            let text = string_arg(&p.message, catalog, session)?.unwrap_or_default();
            out.push(Outcome::Info {
                number: 0,
                message: text,
            });
        }
        other => return Err(SqlError::unsupported(&first_words(&other))),
    }
    Ok(Flow::Continue)
}

fn run_block(
    statements: Vec<Statement>,
    line: u32,
    catalog: &Catalog,
    session: &mut Session,
    out: &mut Vec<Outcome>,
    depth: usize,
) -> Result<Flow, SqlError> {
    for s in statements {
        if run_one(Stmt::Sql(Box::new(s)), line, catalog, session, out, depth) == Flow::Abort {
            return Ok(Flow::Abort);
        }
    }
    Ok(Flow::Continue)
}
