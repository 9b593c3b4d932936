//! The bulk-load API: table_columns, insert_rows, INSERT BULK.

use super::{s, Db};
use crate::engine::{parse_insert_bulk, Outcome};
use tds::types::{column_flags, SqlType, VarLen};
use tds::value::{Decimal, Value};

#[test]
fn table_columns_describes_the_table() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int IDENTITY, name nvarchar(10) NOT NULL)");
    let cols = db.catalog.table_columns(&db.session, "[dbo].[t]").unwrap();
    assert_eq!(cols.len(), 2);
    assert_eq!(cols[0].flags, column_flags::IDENTITY);
    assert!(matches!(
        cols[1].type_info.ty,
        SqlType::NVarChar {
            len: VarLen::Len(10),
            ..
        }
    ));
    assert_eq!(db.catalog.table_columns(&db.session, "T").unwrap(), cols);
    let e = db
        .catalog
        .table_columns(&db.session, "missing")
        .unwrap_err();
    assert_eq!(e.number, 208);
}

#[test]
fn insert_rows_converts_generates_identity_and_is_atomic() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int IDENTITY(1,1), amount decimal(10,2), name varchar(3) NOT NULL, n bigint)");
    let n = db
        .catalog
        .insert_rows(
            &db.session,
            "t",
            vec![
                vec![
                    Value::Null,
                    Value::Decimal(Decimal {
                        mantissa: 12345,
                        scale: 3,
                    }),
                    s("abc"),
                    Value::Int(5),
                ],
                vec![Value::Int(99), Value::Int(7), s("de"), Value::Null],
            ],
        )
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        db.rows("SELECT * FROM t"),
        vec![
            vec![
                Value::Int(1),
                Value::Decimal(Decimal {
                    mantissa: 1235,
                    scale: 2
                }),
                s("abc"),
                Value::BigInt(5)
            ],
            vec![
                Value::Int(2),
                Value::Decimal(Decimal {
                    mantissa: 700,
                    scale: 2
                }),
                s("de"),
                Value::Null
            ],
        ]
    );
    let e = db
        .catalog
        .insert_rows(
            &db.session,
            "t",
            vec![vec![Value::Null, Value::Null, s("toolong"), Value::Null]],
        )
        .unwrap_err();
    assert_eq!(e.number, 4815);
    assert_eq!(
        e.message,
        "Received an invalid column length from the bcp client for colid 3."
    );
    let e = db
        .catalog
        .insert_rows(
            &db.session,
            "t",
            vec![
                vec![Value::Null, Value::Null, s("ok"), Value::Null],
                vec![Value::Null, Value::Null, Value::Null, Value::Null],
            ],
        )
        .unwrap_err();
    assert_eq!(e.number, 515);
    assert_eq!(db.count("t"), 2);
}

#[test]
fn insert_rows_reaches_temp_tables_and_keeps_identity_when_identity_insert_is_on() {
    let mut db = Db::new();
    db.ok("CREATE TABLE #t (id int IDENTITY, v int) SET IDENTITY_INSERT #t ON");
    db.catalog
        .insert_rows(&db.session, "#t", vec![vec![Value::Int(42), Value::Int(1)]])
        .unwrap();
    assert_eq!(db.rows("SELECT id FROM #t"), vec![vec![Value::Int(42)]]);
}

#[test]
fn insert_bulk_statement_is_parsed_and_validated() {
    let mut db = Db::new();
    db.ok("CREATE TABLE dbo.t (c1 int, c2 nvarchar(50), c3 int DEFAULT 9)");
    let sql = "INSERT BULK [dbo].[t] ([c1] Int, [c2] NVarChar(50) COLLATE Latin1_General_CI_AS) WITH (TABLOCK, CHECK_CONSTRAINTS, FIRE_TRIGGERS, ROWS_PER_BATCH = 10, ORDER ([c1] ASC))";
    let ib = parse_insert_bulk(sql).unwrap().unwrap();
    assert_eq!(ib.table, "dbo.t");
    assert_eq!(ib.columns.len(), 2);
    assert_eq!(ib.columns[0].declared, Some(SqlType::Int));
    assert!(ib.options.tablock && ib.options.check_constraints && !ib.options.keep_nulls);
    assert_eq!(ib.options.rows_per_batch, Some(10));
    assert_eq!(
        db.ok(sql),
        vec![Outcome::Done {
            rows_affected: None
        }]
    );
    let n = db
        .catalog
        .bulk_insert(
            &db.session,
            &ib,
            vec![
                vec![Value::Int(1), s("x")],
                vec![Value::Int(2), Value::Null],
            ],
        )
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        db.rows("SELECT c3 FROM t"),
        vec![vec![Value::Int(9)], vec![Value::Int(9)]]
    );
    assert!(parse_insert_bulk("SELECT 1").is_none());
    assert_eq!(db.error("INSERT BULK nosuch (a int)").number, 208);
    assert_eq!(db.error("INSERT BULK t (nope int)").number, 207);
}
