use super::*;
use tds::token::{done_status, Done, DoneKind};
use tds::types::TypeInfo;
use tds::types::{ColumnMeta, SqlType};
use tds::DecodeError;

fn meta(names: &[&str]) -> Token {
    Token::ColMetadata(Arc::new(
        names
            .iter()
            .map(|n| ColumnMeta {
                name: n.to_string(),
                user_type: 0,
                flags: 0,
                type_info: TypeInfo::nullable(SqlType::Int),
            })
            .collect(),
    ))
}

fn done(count: u64) -> Token {
    Token::Done(Done {
        kind: DoneKind::Done,
        status: done_status::COUNT | done_status::MORE,
        cur_cmd: 0xC1,
        row_count: count,
    })
}

#[test]
fn every_result_set_keeps_its_own_rows() {
    // SELECT 1 AS a; SELECT 2 AS b, 3 AS c
    let mut c = Collector::new(None);
    for t in [
        meta(&["a"]),
        Token::Row(vec![Value::Int(1)]),
        done(1),
        meta(&["b", "c"]),
        Token::Row(vec![Value::Int(2), Value::Int(3)]),
        done(1),
    ] {
        assert_eq!(c.push(t).unwrap(), Step::More);
    }
    let r = c.finish().0.unwrap();
    assert_eq!(r.result_sets.len(), 2);
    assert_eq!(r.result_sets[0].rows, vec![vec![Value::Int(1)]]);
    assert_eq!(
        r.result_sets[1].rows,
        vec![vec![Value::Int(2), Value::Int(3)]]
    );
    assert!(!r.truncated);
}

#[test]
fn the_row_limit_counts_over_all_sets_and_stops_at_the_next_row() {
    let mut c = Collector::new(Some(2));
    c.push(meta(&["a"])).unwrap();
    assert_eq!(c.push(Token::Row(vec![Value::Int(1)])).unwrap(), Step::More);
    c.push(done(1)).unwrap();
    c.push(meta(&["b"])).unwrap();
    assert_eq!(c.push(Token::Row(vec![Value::Int(2)])).unwrap(), Step::More);
    assert_eq!(
        c.push(Token::Row(vec![Value::Int(3)])).unwrap(),
        Step::LimitReached
    );
    let r = c.finish().0.unwrap();
    assert!(r.truncated);
    assert_eq!(r.result_sets.len(), 2);
    assert_eq!(r.result_sets[1].rows, vec![vec![Value::Int(2)]]);
}

#[test]
fn exactly_the_limit_is_not_truncated() {
    let mut c = Collector::new(Some(1));
    c.push(meta(&["a"])).unwrap();
    c.push(Token::Row(vec![Value::Int(1)])).unwrap();
    c.push(done(1)).unwrap();
    assert!(!c.finish().0.unwrap().truncated);
}

#[test]
fn an_unreadable_value_fails_the_batch_with_evalue_naming_the_column() {
    let mut c = Collector::new(None);
    c.push(meta(&["id", "at"])).unwrap();
    c.push(Token::UnreadableRow {
        column: 1,
        error: DecodeError::malformed("date", "day 3652059 is after 9999-12-31"),
    })
    .unwrap();
    c.push(Token::Row(vec![Value::Int(2), Value::Null]))
        .unwrap();
    c.push(done(2)).unwrap();
    let e = c.finish().0.unwrap_err();
    assert_eq!(e.code(), "EVALUE");
    assert!(e.to_string().contains("column 'at'"), "{e}");
    assert!(e.to_string().contains("9999-12-31"), "{e}");
}
