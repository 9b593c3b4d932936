//! Transactions that roll back: INSERT, bulk-loaded rows, UPDATE/DELETE/TRUNCATE, DDL, across
//! statements and batches; XACT_ABORT; a closed connection; and the ENVCHANGEs they produce.

use super::super::rollback_open;
use super::{errors, Db};
use tds::token::EnvChange;
use tds::value::Value;

#[test]
fn rollback_undoes_inserts_across_batches() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int PRIMARY KEY, label nvarchar(10))");
    db.ok("INSERT INTO t VALUES (1, N'kept')");
    db.ok("BEGIN TRAN INSERT INTO t VALUES (2, N'gone')");
    db.ok("INSERT INTO t VALUES (3, N'gone')");
    assert_eq!(db.count("t"), 3);
    db.ok("ROLLBACK");
    assert_eq!(db.count("t"), 1);
    // The rolled-back keys are free again.
    db.ok("INSERT INTO t VALUES (2, N'again')");
    assert_eq!(db.count("t"), 2);
}

#[test]
fn rollback_undoes_bulk_loaded_rows_and_commit_keeps_them() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int NOT NULL, label nvarchar(10) NULL)");
    let rows = |a: i32, b: i32| -> Vec<Vec<Value>> {
        (a..b)
            .map(|i| vec![Value::Int(i), Value::String(format!("r{i}"))])
            .collect()
    };
    db.ok("BEGIN TRAN");
    db.catalog
        .insert_rows(&db.session, "t", rows(0, 50))
        .expect("bulk rows");
    db.ok("ROLLBACK TRAN");
    assert_eq!(db.count("t"), 0);
    db.ok("BEGIN TRAN");
    db.catalog
        .insert_rows(&db.session, "t", rows(0, 50))
        .expect("bulk rows");
    db.ok("INSERT INTO t VALUES (99, N'journal') COMMIT TRAN");
    assert_eq!(db.count("t"), 51);
    // Nothing left to undo after the commit.
    rollback_open(&db.catalog, &mut db.session);
    assert_eq!(db.count("t"), 51);
}

#[test]
fn rollback_undoes_update_delete_truncate_and_ddl() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int, v int)");
    db.ok("INSERT INTO t VALUES (1, 10), (2, 20)");
    db.ok("BEGIN TRAN UPDATE t SET v = 0 DELETE FROM t WHERE id = 1");
    db.ok("TRUNCATE TABLE t INSERT INTO t VALUES (7, 70)");
    db.ok("CREATE TABLE fresh (a int) DROP TABLE t");
    db.ok("ROLLBACK");
    assert_eq!(
        db.rows("SELECT id, v FROM t ORDER BY id"),
        vec![
            vec![Value::Int(1), Value::Int(10)],
            vec![Value::Int(2), Value::Int(20)]
        ]
    );
    assert_eq!(db.error("SELECT * FROM fresh").number, 208);
}

#[test]
fn nested_commit_keeps_the_outer_transaction_undoable() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int)");
    db.ok("BEGIN TRAN BEGIN TRAN INSERT INTO t VALUES (1) COMMIT");
    assert_eq!(db.scalar("SELECT @@TRANCOUNT"), Value::Int(1));
    db.ok("ROLLBACK");
    assert_eq!(db.count("t"), 0);
}

#[test]
fn xact_abort_rolls_the_transaction_back() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a int NOT NULL)");
    let out = db
        .exec("SET XACT_ABORT ON BEGIN TRAN INSERT INTO t VALUES (1) INSERT INTO t VALUES (NULL)");
    assert_eq!(errors(&out)[0].number, 515);
    assert_eq!(db.session.trancount, 0);
    assert_eq!(db.count("t"), 0);
}

#[test]
fn a_closed_connection_rolls_back_and_other_sessions_keep_theirs() {
    let mut a = Db::new();
    a.ok("CREATE TABLE t (id int)");
    let mut b = a.other_session();
    a.ok("BEGIN TRAN INSERT INTO t VALUES (1), (2)");
    b.ok("INSERT INTO t VALUES (3)");
    rollback_open(&a.catalog, &mut a.session);
    assert_eq!(b.rows("SELECT id FROM t"), vec![vec![Value::Int(3)]]);
    assert_eq!(a.session.trancount, 0);
}

#[test]
fn transaction_changes_are_reported_as_envchanges_with_one_descriptor() {
    let mut db = Db::new();
    db.ok("BEGIN TRAN BEGIN TRAN");
    let begun = db.session.take_transaction_changes();
    let [EnvChange::BeginTransaction { descriptor }] = begun[..] else {
        panic!("one begin for the outermost BEGIN: {begun:?}");
    };
    assert_ne!(descriptor, 0);
    assert_eq!(db.session.transaction_descriptor(), Some(descriptor));
    db.ok("COMMIT");
    assert!(db.session.take_transaction_changes().is_empty());
    db.ok("COMMIT BEGIN TRAN ROLLBACK");
    let ended = db.session.take_transaction_changes();
    assert!(
        matches!(ended[..], [EnvChange::CommitTransaction { descriptor: c }, EnvChange::BeginTransaction { descriptor: d }, EnvChange::RollbackTransaction { descriptor: r }] if c == descriptor && d != descriptor && r == d),
        "{ended:?}"
    );
    assert_eq!(db.session.transaction_descriptor(), None);
}
