//! Splitting a batch into statements with sqlparser's MS SQL dialect, with the T-SQL forms it
//! lacks handled here: statements separated by whitespace only, `EXEC ..proc args`,
//! `SAVE TRAN`, transaction names, `DELETE t` without FROM, `PRIMARY KEY CLUSTERED` on a
//! column, and `INSERT BULK`. Any syntax error fails the whole batch (error 102), as SQL
//! Server's compile step does.

use super::bulk::{parse_insert_bulk_body, InsertBulk};
use super::error::SqlError;
use sqlparser::ast::{BinaryOperator, Expr, Statement};
use sqlparser::dialect::MsSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError, ParserOptions};
use sqlparser::tokenizer::{
    Location, Span, Token, TokenWithSpan, Tokenizer, TokenizerError, Whitespace, Word,
};

/// More operators than this in one expression (at one parenthesis level) are refused before
/// parsing: sqlparser builds such chains as deeply nested trees whose recursive drop could
/// overflow the stack.
const MAX_OPERATOR_RUN: usize = 2000;
const MAX_PAREN_DEPTH: usize = 1000;

#[derive(Debug)]
pub(crate) enum Stmt {
    Sql(Box<Statement>),
    /// `EXEC [db.][schema.]proc args` — the name parts as written (empty for `..`), and the
    /// arguments with their `@name =` if given.
    Exec {
        proc: Vec<String>,
        args: Vec<(Option<String>, Expr)>,
    },
    /// `EXEC ('sql')`.
    ExecString(Expr),
    SaveTran,
    InsertBulk(InsertBulk),
}

#[derive(Debug)]
pub(crate) struct Parsed {
    pub stmt: Stmt,
    /// The 1-based line the statement starts on.
    pub line: u32,
}

fn is_word(t: &Token, value: &str) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(value))
}

fn tokenizer_error(sql: &str, e: TokenizerError) -> SqlError {
    let offset = char_offset(sql, e.location);
    if e.message.contains("Unterminated string") {
        let rest: String = sql.chars().skip(offset + 1).collect();
        return SqlError::unclosed_quote(rest.trim_start_matches('\''));
    }
    let near: String = sql
        .chars()
        .skip(offset)
        .take_while(|c| !c.is_whitespace())
        .take(40)
        .collect();
    SqlError::syntax_near(&near)
}

fn char_offset(sql: &str, loc: Location) -> usize {
    let mut offset = 0;
    for (i, line) in sql.split('\n').enumerate() {
        if i as u64 + 1 == loc.line {
            return offset + loc.column.saturating_sub(1) as usize;
        }
        offset += line.chars().count() + 1;
    }
    offset
}

/// The text SQL Server quotes in "Incorrect syntax near '…'".
fn token_text(t: &Token) -> String {
    match t {
        Token::Word(w) => w.value.clone(),
        Token::SingleQuotedString(s) | Token::NationalStringLiteral(s) => s.clone(),
        Token::Number(n, _) => n.clone(),
        other => other.to_string(),
    }
}

fn significant(tokens: &[TokenWithSpan]) -> impl Iterator<Item = (usize, &TokenWithSpan)> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
}

fn parser_error(tokens: &[TokenWithSpan], e: ParserError) -> SqlError {
    let message = match e {
        ParserError::RecursionLimitExceeded => return SqlError::nested_too_deeply(),
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
    };
    let line_col = message.rsplit_once(" at Line: ").and_then(|(_, lc)| {
        let (l, c) = lc.split_once(", Column: ")?;
        Some((l.trim().parse::<u64>().ok()?, c.trim().parse::<u64>().ok()?))
    });
    let found = line_col.and_then(|(line, column)| {
        significant(tokens)
            .find(|(_, t)| t.span.start.line == line && t.span.start.column == column)
            .map(|(_, t)| t)
    });
    let (near, line) = match found {
        Some(t) => (token_text(&t.token), t.span.start.line),
        // At the end of the batch SQL Server names the last token.
        None => match significant(tokens).last() {
            Some((_, t)) => (token_text(&t.token), t.span.start.line),
            None => (String::new(), 1),
        },
    };
    let mut err = SqlError::syntax_near(&near);
    err.line = line as u32;
    err
}

/// Refuses operator chains and parenthesis nesting deep enough to hurt (error 191).
fn check_nesting(tokens: &[TokenWithSpan]) -> Result<(), SqlError> {
    let mut runs: Vec<usize> = vec![0];
    for t in tokens {
        match &t.token {
            Token::LParen => {
                runs.push(0);
                if runs.len() > MAX_PAREN_DEPTH {
                    return Err(SqlError::nested_too_deeply());
                }
            }
            Token::RParen if runs.len() > 1 => {
                runs.pop();
            }
            Token::Comma | Token::SemiColon => {
                if let Some(r) = runs.last_mut() {
                    *r = 0;
                }
            }
            Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Mod
            | Token::Eq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::Ampersand
            | Token::Pipe
            | Token::Caret
            | Token::StringConcat => bump(&mut runs)?,
            Token::Word(w)
                if matches!(
                    w.keyword,
                    Keyword::AND | Keyword::OR | Keyword::NOT | Keyword::COLLATE
                ) =>
            {
                bump(&mut runs)?
            }
            _ => {}
        }
    }
    Ok(())
}

fn bump(runs: &mut [usize]) -> Result<(), SqlError> {
    if let Some(r) = runs.last_mut() {
        *r += 1;
        if *r > MAX_OPERATOR_RUN {
            return Err(SqlError::nested_too_deeply());
        }
    }
    Ok(())
}

fn synthetic_word(value: &str, keyword: Keyword, span: Span) -> TokenWithSpan {
    TokenWithSpan {
        token: Token::Word(Word {
            value: value.to_string(),
            quote_style: None,
            keyword,
        }),
        span,
    }
}

/// Rewrites T-SQL forms sqlparser does not take into equivalent ones it does.
fn rewrite(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let mut out: Vec<TokenWithSpan> = Vec::with_capacity(tokens.len());
    let last_significant = |out: &[TokenWithSpan], back: usize| -> Option<Token> {
        out.iter()
            .rev()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .nth(back)
            .map(|t| t.token.clone())
    };
    let mut iter = tokens.into_iter().peekable();
    while let Some(t) = iter.next() {
        let prev = last_significant(&out, 0);
        // `PRIMARY KEY CLUSTERED` / `UNIQUE NONCLUSTERED`: the index kind does not matter here.
        if (is_word(&t.token, "CLUSTERED") || is_word(&t.token, "NONCLUSTERED"))
            && prev
                .as_ref()
                .is_some_and(|p| is_word(p, "KEY") || is_word(p, "UNIQUE"))
        {
            continue;
        }
        // `BEGIN TRAN name`, `COMMIT TRANSACTION @t`: transaction names are dropped.
        if let Token::Word(w) = &t.token {
            let after_tran = prev
                .as_ref()
                .is_some_and(|p| is_word(p, "TRAN") || is_word(p, "TRANSACTION"))
                && last_significant(&out, 1).is_some_and(|p| {
                    is_word(&p, "BEGIN") || is_word(&p, "COMMIT") || is_word(&p, "ROLLBACK")
                });
            if after_tran
                && (w.keyword == Keyword::NoKeyword
                    || w.quote_style.is_some()
                    || w.value.starts_with('@'))
            {
                continue;
            }
        }
        let is_delete = is_word(&t.token, "DELETE");
        let span = t.span;
        out.push(t);
        // `DELETE t` means `DELETE FROM t`.
        if is_delete {
            while let Some(ws) = iter.next_if(|n| matches!(n.token, Token::Whitespace(_))) {
                out.push(ws);
            }
            if iter.peek().is_some_and(|n| matches!(&n.token, Token::Word(w) if !w.value.eq_ignore_ascii_case("FROM") && !w.value.eq_ignore_ascii_case("TOP"))) {
                out.push(synthetic_word("FROM", Keyword::FROM, span));
                out.push(TokenWithSpan { token: Token::Whitespace(Whitespace::Space), span });
            }
        }
    }
    out
}

const STATEMENT_STARTS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "SET", "EXEC", "EXECUTE", "CREATE", "DROP", "ALTER",
    "IF", "BEGIN", "COMMIT", "ROLLBACK", "USE", "DECLARE", "PRINT", "TRUNCATE", "WITH", "SAVE",
    "RETURN", "WHILE", "MERGE", "GRANT", "REVOKE",
];

fn at_statement_end(p: &Parser<'_>) -> bool {
    let t = &p.peek_token_ref().token;
    matches!(t, Token::EOF | Token::SemiColon) || STATEMENT_STARTS.iter().any(|s| is_word(t, s))
}

fn parse_exec(p: &mut Parser<'_>) -> Result<Stmt, ParserError> {
    p.next_token();
    if p.peek_token_ref().token == Token::LParen {
        return Ok(Stmt::ExecString(p.parse_expr()?));
    }
    // `EXEC @rc = proc …`: the return-status variable is accepted and ignored.
    if matches!(&p.peek_token_ref().token, Token::Word(w) if w.value.starts_with('@'))
        && p.peek_nth_token_ref(1).token == Token::Eq
    {
        p.next_token();
        p.next_token();
    }
    let mut proc = vec![String::new()];
    loop {
        let next = p.peek_token_ref().clone();
        match next.token {
            Token::Period if proc.len() < 4 => {
                p.next_token();
                proc.push(String::new());
            }
            Token::Word(w) if proc.last().is_some_and(String::is_empty) => {
                p.next_token();
                if let Some(last) = proc.last_mut() {
                    *last = w.value;
                }
            }
            _ => break,
        }
    }
    if proc.last().is_none_or(String::is_empty) {
        return p.expected_ref("procedure name", p.peek_token_ref());
    }
    let mut args = Vec::new();
    if !at_statement_end(p) {
        loop {
            let e = p.parse_expr()?;
            args.push(match e {
                Expr::BinaryOp {
                    left,
                    op: BinaryOperator::Eq,
                    right,
                } => match *left {
                    Expr::Identifier(i) if i.value.starts_with('@') => (Some(i.value), *right),
                    other => (
                        None,
                        Expr::BinaryOp {
                            left: Box::new(other),
                            op: BinaryOperator::Eq,
                            right,
                        },
                    ),
                },
                other => (None, other),
            });
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
    }
    Ok(Stmt::Exec { proc, args })
}

fn parse_save(p: &mut Parser<'_>) -> Result<Stmt, ParserError> {
    p.next_token();
    if !(p.parse_keyword(Keyword::TRAN) || p.parse_keyword(Keyword::TRANSACTION)) {
        return p.expected_ref("TRANSACTION", p.peek_token_ref());
    }
    match p.next_token().token {
        Token::Word(_) => Ok(Stmt::SaveTran),
        _ => p.expected_ref("savepoint name", p.peek_token_ref()),
    }
}

/// Parses a batch into statements, or the syntax error that stops the whole batch.
pub(crate) fn parse_batch(sql: &str) -> Result<Vec<Parsed>, SqlError> {
    let dialect = MsSqlDialect {};
    let tokens = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .map_err(|e| tokenizer_error(sql, e))?;
    check_nesting(&tokens)?;
    let tokens = rewrite(tokens);
    let mut options = ParserOptions::new();
    options.require_semicolon_stmt_delimiter = false;
    let mut parser = Parser::new(&dialect)
        .with_options(options)
        .with_tokens_with_locations(tokens.clone());
    let mut out = Vec::new();
    loop {
        while parser.consume_token(&Token::SemiColon) {}
        let next = parser.peek_token_ref().clone();
        if next.token == Token::EOF {
            break;
        }
        let line = next.span.start.line as u32;
        let stmt = if is_word(&next.token, "EXEC") || is_word(&next.token, "EXECUTE") {
            parse_exec(&mut parser)
        } else if is_word(&next.token, "SAVE") {
            parse_save(&mut parser)
        } else if is_word(&next.token, "INSERT")
            && is_word(&parser.peek_nth_token_ref(1).token, "BULK")
        {
            parser.next_token();
            parser.next_token();
            parse_insert_bulk_body(&mut parser).map(Stmt::InsertBulk)
        } else {
            parser.parse_statement().map(|s| Stmt::Sql(Box::new(s)))
        };
        let stmt = stmt.map_err(|e| parser_error(&tokens, e))?;
        out.push(Parsed {
            stmt,
            line: line.max(1),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(sql: &str) -> usize {
        parse_batch(sql).unwrap().len()
    }

    #[test]
    fn statements_split_on_semicolons_or_whitespace() {
        assert_eq!(count("SET FMTONLY ON select * from t SET FMTONLY OFF"), 3);
        assert_eq!(count("select 1; select 2;;"), 2);
        assert_eq!(count("select @@trancount; SET FMTONLY ON select * from [t] SET FMTONLY OFF exec ..sp_tablecollations_100 N'[dbo].[t]'"), 5);
        assert_eq!(count(""), 0);
        assert_eq!(count("  -- only a comment\n"), 0);
    }

    #[test]
    fn exec_takes_empty_name_parts_and_named_arguments() {
        let p = parse_batch("exec tempdb..sp_tablecollations_100 @object = N'.#t'").unwrap();
        let Stmt::Exec { proc, args } = &p[0].stmt else {
            panic!("{p:?}")
        };
        assert_eq!(
            proc,
            &vec![
                "tempdb".to_string(),
                String::new(),
                "sp_tablecollations_100".to_string()
            ]
        );
        assert_eq!(args[0].0.as_deref(), Some("@object"));
    }

    #[test]
    fn syntax_errors_name_the_token() {
        let e = parse_batch("select * fro t").unwrap_err();
        assert_eq!((e.number, e.class, e.state), (102, 15, 1));
        assert_eq!(e.message, "Incorrect syntax near 'fro'.");
        assert_eq!(
            parse_batch("select 1 +").unwrap_err().message,
            "Incorrect syntax near '+'."
        );
        assert_eq!(parse_batch("select 1\nselect * from").unwrap_err().line, 2);
    }

    #[test]
    fn unclosed_quote_is_error_105() {
        let e = parse_batch("select 'abc").unwrap_err();
        assert_eq!(e.number, 105);
        assert_eq!(
            e.message,
            "Unclosed quotation mark after the character string 'abc'."
        );
    }

    #[test]
    fn tsql_forms_are_accepted() {
        assert_eq!(count("BEGIN TRAN t1 COMMIT TRANSACTION t1"), 2);
        assert_eq!(count("SAVE TRANSACTION sp1"), 1);
        assert_eq!(count("DELETE t WHERE a = 1"), 1);
        assert_eq!(
            count("CREATE TABLE t (a int PRIMARY KEY CLUSTERED, b int UNIQUE NONCLUSTERED)"),
            1
        );
    }

    #[test]
    fn hostile_nesting_is_refused_without_crashing() {
        let long_chain = format!("SELECT 1{}", "+1".repeat(200_000));
        assert_eq!(parse_batch(&long_chain).unwrap_err().number, 191);
        let parens = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(parse_batch(&parens).unwrap_err().number, 191);
        let moderate = format!("SELECT {}1{}", "(".repeat(60), ")".repeat(60));
        assert!(parse_batch(&moderate).is_err());
    }
}
