//! CREATE / DROP / TRUNCATE TABLE, names, temp tables, column metadata.

use super::{errors, Db};
use crate::engine::Outcome;
use tds::collation::Collation;
use tds::types::{column_flags, SqlType, TypeInfo, VarLen};
use tds::value::Value;

const ALL_TYPES: &str = "CREATE TABLE all_types (
    c_bit bit, c_tiny tinyint NOT NULL, c_small smallint, c_int int NOT NULL, c_big bigint,
    c_real real, c_float float, c_f24 float(24), c_dec decimal(18,4), c_num numeric(5),
    c_money money NOT NULL, c_sm smallmoney, c_date date, c_time time(3), c_dt datetime NOT NULL,
    c_sdt smalldatetime, c_dt2 datetime2(7), c_dto datetimeoffset(2), c_guid uniqueidentifier,
    c_char char(10), c_vc varchar(max), c_nchar nchar(5) COLLATE Latin1_General_CI_AS,
    c_nvc nvarchar(50) NULL, c_bin binary(4), c_vb varbinary(max),
    c_utf8 varchar(20) COLLATE Latin1_General_100_CI_AS_SC_UTF8, c_dt2d datetime2, c_dec_default decimal
)";

#[test]
fn create_table_with_every_type_describes_them_like_sql_server() {
    let mut db = Db::new();
    db.ok(ALL_TYPES);
    let meta = db.meta("SELECT TOP 0 * FROM all_types");
    let default = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
    let latin1 = Collation {
        info: 0x00D0_0409,
        sort_id: 0,
    };
    let expected: Vec<(&str, SqlType, bool)> = vec![
        ("c_bit", SqlType::Bit, true),
        ("c_tiny", SqlType::TinyInt, false),
        ("c_small", SqlType::SmallInt, true),
        ("c_int", SqlType::Int, false),
        ("c_big", SqlType::BigInt, true),
        ("c_real", SqlType::Real, true),
        ("c_float", SqlType::Float, true),
        ("c_f24", SqlType::Real, true),
        (
            "c_dec",
            SqlType::Decimal {
                precision: 18,
                scale: 4,
            },
            true,
        ),
        (
            "c_num",
            SqlType::Numeric {
                precision: 5,
                scale: 0,
            },
            true,
        ),
        ("c_money", SqlType::Money, false),
        ("c_sm", SqlType::SmallMoney, true),
        ("c_date", SqlType::Date, true),
        ("c_time", SqlType::Time { scale: 3 }, true),
        ("c_dt", SqlType::DateTime, false),
        ("c_sdt", SqlType::SmallDateTime, true),
        ("c_dt2", SqlType::DateTime2 { scale: 7 }, true),
        ("c_dto", SqlType::DateTimeOffset { scale: 2 }, true),
        ("c_guid", SqlType::UniqueIdentifier, true),
        (
            "c_char",
            SqlType::Char {
                len: 10,
                collation: default,
            },
            true,
        ),
        (
            "c_vc",
            SqlType::VarChar {
                len: VarLen::Max,
                collation: default,
            },
            true,
        ),
        (
            "c_nchar",
            SqlType::NChar {
                len: 5,
                collation: latin1,
            },
            true,
        ),
        (
            "c_nvc",
            SqlType::NVarChar {
                len: VarLen::Len(50),
                collation: default,
            },
            true,
        ),
        ("c_bin", SqlType::Binary { len: 4 }, true),
        ("c_vb", SqlType::VarBinary { len: VarLen::Max }, true),
        (
            "c_utf8",
            SqlType::VarChar {
                len: VarLen::Len(20),
                collation: Collation::LATIN1_GENERAL_100_CI_AS_SC_UTF8,
            },
            true,
        ),
        ("c_dt2d", SqlType::DateTime2 { scale: 7 }, true),
        (
            "c_dec_default",
            SqlType::Decimal {
                precision: 18,
                scale: 0,
            },
            true,
        ),
    ];
    assert_eq!(meta.len(), expected.len());
    for (m, (name, ty, nullable)) in meta.iter().zip(expected) {
        assert_eq!(m.name, name);
        assert_eq!(m.type_info.ty, ty, "{name}");
        assert_eq!(m.is_nullable(), nullable, "{name}");
        assert_eq!(m.user_type, 0);
        assert_eq!(
            m.flags & column_flags::UPDATEABLE_READ_WRITE,
            column_flags::UPDATEABLE_READ_WRITE
        );
        let fixed_kind = matches!(
            ty,
            SqlType::TinyInt | SqlType::Int | SqlType::Money | SqlType::DateTime
        );
        assert_eq!(m.type_info.fixed, fixed_kind && !nullable, "{name}");
    }
}

#[test]
fn declarations_agree_with_the_codec() {
    // Passes once SqlType::from_declaration is implemented in the tds crate.
    let default = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
    let cases: Vec<(&str, Vec<Option<u32>>, SqlType)> = vec![
        ("int", vec![], SqlType::Int),
        (
            "decimal",
            vec![Some(18), Some(4)],
            SqlType::Decimal {
                precision: 18,
                scale: 4,
            },
        ),
        (
            "nvarchar",
            vec![None],
            SqlType::NVarChar {
                len: VarLen::Max,
                collation: default,
            },
        ),
        ("datetime2", vec![Some(3)], SqlType::DateTime2 { scale: 3 }),
        (
            "varbinary",
            vec![Some(16)],
            SqlType::VarBinary {
                len: VarLen::Len(16),
            },
        ),
    ];
    for (name, params, expected) in cases {
        let collation = crate::engine::type_decl::collation_of(&expected);
        assert_eq!(
            SqlType::from_declaration(name, &params, collation),
            Some(expected),
            "{name}"
        );
    }
}

#[test]
fn identity_and_primary_key_columns_are_not_null() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int IDENTITY(1,1) PRIMARY KEY, code varchar(10) NOT NULL UNIQUE, note nvarchar(20) DEFAULT N'x')");
    let meta = db.meta("SELECT * FROM t WHERE 1 = 0");
    assert_eq!(meta[0].flags, column_flags::IDENTITY);
    assert_eq!(
        meta[0].type_info,
        TypeInfo {
            ty: SqlType::Int,
            fixed: true
        }
    );
    assert_eq!(meta[1].flags, column_flags::UPDATEABLE_READ_WRITE);
    assert_eq!(
        meta[2].flags,
        column_flags::UPDATEABLE_READ_WRITE | column_flags::NULLABLE
    );
}

#[test]
fn names_are_case_insensitive_and_may_be_qualified() {
    let mut db = Db::new();
    db.ok("CREATE TABLE [dbo].[Orders] ([Order Id] int)");
    db.ok("INSERT INTO orders VALUES (1) INSERT INTO DBO.ORDERS VALUES (2) INSERT INTO sluice.dbo.Orders VALUES (3)");
    db.ok("INSERT INTO sluice..orders VALUES (4) INSERT INTO \"orders\" VALUES (5)");
    assert_eq!(db.count("[Orders]"), 5);
    assert_eq!(db.meta("SELECT [order id] FROM orders")[0].name, "Order Id");
}

#[test]
fn create_twice_is_2714() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a int)");
    let e = db.error("CREATE TABLE T (b int)");
    assert_eq!((e.number, e.class, e.state), (2714, 16, 6));
    assert_eq!(
        e.message,
        "There is already an object named 'T' in the database."
    );
}

#[test]
fn tables_live_in_their_database() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a int)");
    db.ok("USE master");
    assert_eq!(db.error("SELECT * FROM t").number, 208);
    assert_eq!(db.count("sluice.dbo.t"), 0);
    db.ok("CREATE TABLE t (b int)");
    assert_eq!(db.meta("SELECT * FROM t")[0].name, "b");
}

#[test]
fn unknown_schema_is_2760_and_unknown_type_is_2715() {
    let mut db = Db::new();
    let e = db.error("CREATE TABLE sales.t (a int)");
    assert_eq!(e.number, 2760);
    let e = db.error("CREATE TABLE t (a int, b blob)");
    assert_eq!(e.number, 2715);
    assert_eq!(
        e.message,
        "Column, parameter, or variable #2: Cannot find data type blob."
    );
}

#[test]
fn bad_type_parameters_get_sql_server_errors() {
    let mut db = Db::new();
    let e = db.error("CREATE TABLE t (a varchar(9000))");
    assert_eq!(e.number, 131);
    assert_eq!(e.message, "The size (9000) given to the column 'a' exceeds the maximum allowed for any data type (8000).");
    assert_eq!(db.error("CREATE TABLE t (a nvarchar(4001))").number, 131);
    assert_eq!(db.error("CREATE TABLE t (a decimal(39,2))").number, 2750);
    assert_eq!(db.error("CREATE TABLE t (a decimal(5,6))").number, 183);
    assert_eq!(db.error("CREATE TABLE t (a int(4))").number, 2716);
    assert_eq!(db.error("CREATE TABLE t (a datetime2(8))").number, 1002);
    assert_eq!(db.error("CREATE TABLE t (a varchar(0))").number, 1001);
}

#[test]
fn unknown_collation_is_448() {
    let mut db = Db::new();
    let e = db.error("CREATE TABLE t (a varchar(10) COLLATE Klingon_CI_AS)");
    assert_eq!((e.number, e.class), (448, 16));
    assert_eq!(e.message, "Invalid collation 'Klingon_CI_AS'.");
    assert_eq!(
        db.error("CREATE TABLE t (a int COLLATE Latin1_General_CI_AS)")
            .number,
        447
    );
}

#[test]
fn identity_rules() {
    let mut db = Db::new();
    assert_eq!(
        db.error("CREATE TABLE t (a varchar(5) IDENTITY)").number,
        2749
    );
    assert_eq!(
        db.error("CREATE TABLE t (a int IDENTITY, b int IDENTITY)")
            .number,
        2744
    );
    assert_eq!(db.error("CREATE TABLE t (a int, A int)").number, 2705);
    assert_eq!(
        db.error("CREATE TABLE t (a int NULL PRIMARY KEY)").number,
        8111
    );
}

#[test]
fn drop_table_and_if_exists() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (a int)");
    db.ok("DROP TABLE t");
    let e = db.error("DROP TABLE t");
    assert_eq!((e.number, e.class), (3701, 11));
    assert_eq!(
        e.message,
        "Cannot drop the table 't', because it does not exist or you do not have permission."
    );
    db.ok("DROP TABLE IF EXISTS t");
    db.ok("CREATE TABLE t (a int)");
    db.ok("IF OBJECT_ID(N'dbo.t', 'U') IS NOT NULL DROP TABLE dbo.t");
    db.ok("IF OBJECT_ID(N'dbo.t', 'U') IS NOT NULL DROP TABLE dbo.t");
    db.ok("CREATE TABLE t (a int)");
}

#[test]
fn truncate_empties_and_resets_identity() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int IDENTITY(10, 5), a int)");
    db.ok("INSERT INTO t (a) VALUES (1), (2)");
    db.ok("TRUNCATE TABLE t");
    assert_eq!(db.count("t"), 0);
    db.ok("INSERT INTO t (a) VALUES (3)");
    assert_eq!(db.rows("SELECT id FROM t"), vec![vec![Value::Int(10)]]);
    assert_eq!(db.error("TRUNCATE TABLE nope").number, 4701);
}

#[test]
fn temp_tables_are_private_to_their_session() {
    let mut a = Db::new();
    let mut b = a.other_session();
    a.ok("CREATE TABLE #work (x int)");
    a.ok("INSERT INTO #work VALUES (1)");
    assert_eq!(a.count("#work"), 1);
    assert_eq!(a.count("tempdb..#work"), 1);
    assert_eq!(b.error("SELECT * FROM #work").number, 208);
    b.ok("CREATE TABLE #work (y int)");
    assert_eq!(b.count("#WORK"), 0);
    assert_eq!(a.scalar("SELECT COUNT(*) FROM #work"), Value::Int(1));
    assert!(a.scalar("SELECT OBJECT_ID('tempdb..#work')") != Value::Null);
    a.ok("DROP TABLE #work");
    assert_eq!(b.count("#work"), 0);
}

#[test]
fn global_temp_tables_are_shared() {
    let mut a = Db::new();
    let mut b = a.other_session();
    a.ok("CREATE TABLE ##shared (x int)");
    b.ok("INSERT INTO ##shared VALUES (1)");
    assert_eq!(a.count("##shared"), 1);
}

#[test]
fn create_and_drop_database() {
    let mut db = Db::new();
    db.ok("CREATE DATABASE scratch");
    assert_eq!(db.error("CREATE DATABASE SCRATCH").number, 1801);
    let out = db.ok("USE scratch");
    assert_eq!(
        out,
        vec![Outcome::DatabaseChanged {
            old: "sluice".into(),
            new: "scratch".into()
        }]
    );
    assert_eq!(db.error("DROP DATABASE scratch").number, 3702);
    db.ok("USE master DROP DATABASE scratch");
    assert_eq!(db.error("DROP DATABASE scratch").number, 3701);
    assert_eq!(db.error("DROP DATABASE master").number, 3708);
    assert!(errors(&db.exec("DROP DATABASE IF EXISTS scratch")).is_empty());
}
