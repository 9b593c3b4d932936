//! SELECT: columns, TOP, COUNT, WHERE, ORDER BY, FMTONLY, expressions and probes.

use super::{s, Db};
use crate::engine::Outcome;
use tds::types::{column_flags, SqlType, TypeInfo, VarLen};
use tds::value::{Decimal, Value};

fn people() -> Db {
    let mut db = Db::new();
    db.ok("CREATE TABLE people (id int IDENTITY PRIMARY KEY, name nvarchar(20) NOT NULL, age int NULL, score decimal(5,1))");
    db.ok("INSERT INTO people (name, age, score) VALUES (N'Ann', 31, 7.5), (N'bob', NULL, 9.0), (N'Cy', 25, NULL), (N'dee', 40, 1.0)");
    db
}

#[test]
fn select_star_and_named_columns() {
    let mut db = people();
    let (meta, rows) = db.result("SELECT * FROM people");
    assert_eq!(
        meta.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["id", "name", "age", "score"]
    );
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0],
        vec![
            Value::Int(1),
            s("Ann"),
            Value::Int(31),
            Value::Decimal(Decimal {
                mantissa: 75,
                scale: 1
            })
        ]
    );
    let (meta, rows) = db.result("SELECT age AS years, p.name FROM dbo.people p");
    assert_eq!(meta[0].name, "years");
    assert_eq!(meta[1].name, "name");
    assert_eq!(rows[1], vec![Value::Null, s("bob")]);
    assert_eq!(db.error("SELECT nope FROM people").number, 207);
    assert_eq!(db.error("SELECT x.name FROM people p").number, 4104);
}

#[test]
fn top_limits_rows_and_top_zero_gives_metadata_only() {
    let mut db = people();
    assert_eq!(db.rows("SELECT TOP 2 * FROM people").len(), 2);
    assert_eq!(db.rows("SELECT TOP (3) name FROM people").len(), 3);
    assert_eq!(db.rows("SELECT TOP 50 PERCENT name FROM people").len(), 2);
    let (meta, rows) = db.result("SELECT TOP 0 * FROM people");
    assert_eq!(meta.len(), 4);
    assert!(rows.is_empty());
}

#[test]
fn count_is_an_unnamed_int_and_count_big_a_bigint() {
    let mut db = people();
    let (meta, rows) = db.result("SELECT COUNT(*) FROM people");
    assert_eq!(meta[0].name, "");
    assert_eq!(meta[0].type_info.ty, SqlType::Int);
    assert_eq!(rows, vec![vec![Value::Int(4)]]);
    let (meta, rows) = db.result("SELECT COUNT_BIG(*) AS n, COUNT(age) FROM people WHERE 1 = 0");
    assert_eq!(meta[0].name, "n");
    assert_eq!(meta[0].type_info.ty, SqlType::BigInt);
    assert_eq!(rows, vec![vec![Value::BigInt(0), Value::Int(0)]]);
    assert_eq!(db.error("SELECT name, COUNT(*) FROM people").number, 8120);
}

#[test]
fn min_max_sum_avg() {
    let mut db = people();
    let rows = db.rows("SELECT MIN(age), MAX(name), SUM(age), AVG(age), SUM(score) FROM people");
    assert_eq!(
        rows[0],
        vec![
            Value::Int(25),
            s("dee"),
            Value::Int(96),
            Value::Int(32),
            Value::Decimal(Decimal {
                mantissa: 175,
                scale: 1
            })
        ]
    );
}

#[test]
fn where_filters_with_sql_semantics() {
    let mut db = people();
    assert_eq!(
        db.rows("SELECT name FROM people WHERE age = 31"),
        vec![vec![s("Ann")]]
    );
    assert_eq!(
        db.rows("SELECT name FROM people WHERE name = 'BOB'"),
        vec![vec![s("bob")]]
    );
    assert_eq!(
        db.rows("SELECT name FROM people WHERE age IS NULL"),
        vec![vec![s("bob")]]
    );
    assert_eq!(db.rows("SELECT name FROM people WHERE age <> 31").len(), 2);
    assert_eq!(
        db.rows("SELECT name FROM people WHERE age > 30 AND score > 5"),
        vec![vec![s("Ann")]]
    );
    assert_eq!(
        db.rows("SELECT name FROM people WHERE age IN (25, 40) OR name LIKE 'b%'")
            .len(),
        3
    );
    assert_eq!(
        db.rows("SELECT name FROM people WHERE age BETWEEN 26 AND 40")
            .len(),
        2
    );
    assert_eq!(
        db.rows("SELECT name FROM people WHERE NOT (age < 30)")
            .len(),
        2
    );
    assert!(db.rows("SELECT * FROM people WHERE 1 = 0").is_empty());
    assert_eq!(db.error("SELECT * FROM people WHERE age").number, 4145);
}

#[test]
fn order_by_column_position_alias_and_direction() {
    let mut db = people();
    let names = |rows: Vec<Vec<Value>>| rows.into_iter().map(|r| r[0].clone()).collect::<Vec<_>>();
    assert_eq!(
        names(db.rows("SELECT name FROM people ORDER BY name")),
        [s("Ann"), s("bob"), s("Cy"), s("dee")]
    );
    assert_eq!(
        names(db.rows("SELECT name FROM people ORDER BY age DESC")),
        [s("dee"), s("Ann"), s("Cy"), s("bob")]
    );
    assert_eq!(
        names(db.rows("SELECT name, age AS a FROM people ORDER BY a")),
        [s("bob"), s("Cy"), s("Ann"), s("dee")]
    );
    assert_eq!(
        names(db.rows("SELECT TOP 1 name, score FROM people ORDER BY 2 DESC")),
        [s("bob")]
    );
    assert_eq!(db.error("SELECT name FROM people ORDER BY 3").number, 108);
}

#[test]
fn fmtonly_returns_metadata_without_rows_and_skips_inserts() {
    let mut db = people();
    let out = db.ok("SET FMTONLY ON SELECT * FROM people INSERT INTO people (name) VALUES (N'x') SET FMTONLY OFF");
    assert!(
        matches!(&out[1], Outcome::Rows { columns, rows } if columns.len() == 4 && rows.is_empty())
    );
    assert_eq!(
        out[2],
        Outcome::Done {
            rows_affected: None
        }
    );
    assert_eq!(db.count("people"), 4);
}

#[test]
fn constant_selects_have_sql_server_types() {
    let mut db = Db::new();
    let (meta, rows) = db
        .result("SELECT 1, 1 AS x, 'abc', N'abc', NULL, 1.50, 2147483648, 1e3, 0x0AFF, -5, $1.25");
    assert_eq!(meta[0].name, "");
    assert_eq!(
        meta[0].type_info,
        TypeInfo {
            ty: SqlType::Int,
            fixed: true
        }
    );
    assert_eq!(meta[0].flags, 0);
    assert_eq!(meta[1].name, "x");
    assert!(matches!(
        meta[2].type_info.ty,
        SqlType::VarChar {
            len: VarLen::Len(3),
            ..
        }
    ));
    assert!(matches!(
        meta[3].type_info.ty,
        SqlType::NVarChar {
            len: VarLen::Len(3),
            ..
        }
    ));
    assert_eq!(
        meta[4].type_info,
        TypeInfo {
            ty: SqlType::Int,
            fixed: false
        }
    );
    assert_eq!(meta[4].flags, column_flags::NULLABLE);
    assert_eq!(
        meta[5].type_info.ty,
        SqlType::Numeric {
            precision: 3,
            scale: 2
        }
    );
    assert_eq!(
        meta[6].type_info.ty,
        SqlType::Numeric {
            precision: 10,
            scale: 0
        }
    );
    assert_eq!(meta[7].type_info.ty, SqlType::Float);
    assert!(matches!(
        meta[8].type_info.ty,
        SqlType::VarBinary {
            len: VarLen::Len(2)
        }
    ));
    assert_eq!(meta[10].type_info.ty, SqlType::Money);
    assert_eq!(
        rows[0],
        vec![
            Value::Int(1),
            Value::Int(1),
            s("abc"),
            s("abc"),
            Value::Null,
            Value::Decimal(Decimal {
                mantissa: 150,
                scale: 2
            }),
            Value::Decimal(Decimal {
                mantissa: 2147483648,
                scale: 0
            }),
            Value::Float(1000.0),
            Value::Binary(vec![0x0A, 0xFF]),
            Value::Int(-5),
            Value::Money(12_500),
        ]
    );
}

#[test]
fn constant_expressions() {
    let mut db = Db::new();
    assert_eq!(db.scalar("SELECT 1 + 2 * 3"), Value::Int(7));
    assert_eq!(db.scalar("SELECT 10 / 3"), Value::Int(3));
    assert_eq!(db.scalar("SELECT 10 % 3"), Value::Int(1));
    assert_eq!(db.scalar("SELECT 'a' + 'b'"), s("ab"));
    assert_eq!(db.scalar("SELECT 'a' + NULL"), Value::Null);
    assert_eq!(
        db.scalar("SELECT 1.5 * 2"),
        Value::Decimal(Decimal {
            mantissa: 30,
            scale: 1
        })
    );
    assert_eq!(db.scalar("SELECT CAST(7 AS bigint)"), Value::BigInt(7));
    assert_eq!(db.scalar("SELECT CONVERT(varchar(10), 12)"), s("12"));
    assert_eq!(db.scalar("SELECT CAST('abcdef' AS varchar(3))"), s("abc"));
    assert_eq!(db.scalar("SELECT TRY_CAST('x' AS int)"), Value::Null);
    assert_eq!(db.scalar("SELECT ISNULL(NULL, 5)"), Value::Int(5));
    assert_eq!(db.scalar("SELECT COALESCE(NULL, NULL, 'z')"), s("z"));
    assert_eq!(
        db.scalar("SELECT CASE WHEN 1 = 1 THEN 'yes' ELSE 'no' END"),
        s("yes")
    );
    assert_eq!(db.scalar("SELECT LEN(N'abc  ')"), Value::Int(3));
    assert_eq!(db.scalar("SELECT DATALENGTH(N'abc')"), Value::Int(6));
    assert_eq!(db.scalar("SELECT UPPER('abc')"), s("ABC"));
    assert_eq!(db.error("SELECT 1 / 0").number, 8134);
    assert_eq!(db.error("SELECT 2147483647 + 1").number, 8115);
    assert_eq!(db.error("SELECT NOSUCHFUNC(1)").number, 195);
    assert_eq!(db.error("SELECT *").number, 263);
    assert!(db.rows("SELECT 1 WHERE 1 = 0").is_empty());
}

#[test]
fn probes_drivers_send() {
    let mut db = Db::new();
    let (meta, rows) = db.result("SELECT @@VERSION");
    assert!(matches!(
        meta[0].type_info.ty,
        SqlType::NVarChar {
            len: VarLen::Len(300),
            ..
        }
    ));
    let Value::String(v) = &rows[0][0] else {
        panic!()
    };
    assert!(v.starts_with("Microsoft SQL Server 2022"), "{v}");
    let (meta, rows) = db.result("SELECT @@SPID");
    assert_eq!(meta[0].type_info.ty, SqlType::SmallInt);
    assert!(matches!(rows[0][0], Value::SmallInt(n) if n >= 51));
    assert_eq!(db.scalar("select @@trancount"), Value::Int(0));
    assert_eq!(db.scalar("SELECT DB_NAME()"), s("sluice"));
    assert_eq!(db.scalar("SELECT DB_ID('tempdb')"), Value::SmallInt(2));
    assert_eq!(
        db.scalar("SELECT SERVERPROPERTY('ProductVersion')"),
        s("16.0.1000.6")
    );
    assert_eq!(db.scalar("SELECT SERVERPROPERTY('EngineEdition')"), s("3"));
    assert!(
        matches!(db.scalar("SELECT SERVERPROPERTY('Edition')"), Value::String(e) if e.contains("Developer"))
    );
    assert_eq!(
        db.scalar("SELECT SERVERPROPERTY('NoSuchProperty')"),
        Value::Null
    );
    assert_eq!(db.scalar("SELECT @@SERVERNAME"), s("SLUICE"));
    assert_eq!(db.scalar("SELECT SYSTEM_USER"), s("sa"));
    assert_eq!(db.scalar("SELECT SUSER_SNAME()"), s("sa"));
    assert_eq!(db.scalar("SELECT CURRENT_USER"), s("dbo"));
    assert!(matches!(db.scalar("SELECT GETDATE()"), Value::DateTime { days, .. } if days > 40_000));
    assert!(matches!(
        db.scalar("SELECT SYSDATETIME()"),
        Value::DateTime2 { .. }
    ));
    assert!(matches!(db.scalar("SELECT NEWID()"), Value::Guid(g) if g[6] >> 4 == 4));
    assert_ne!(db.scalar("SELECT NEWID()"), db.scalar("SELECT NEWID()"));
    assert_eq!(db.scalar("SELECT OBJECT_ID('nosuch')"), Value::Null);
}

#[test]
fn catalog_views() {
    let mut db = Db::new();
    db.ok("CREATE TABLE t (id int IDENTITY NOT NULL, name nvarchar(50), amount decimal(10,2))");
    let rows = db.rows("SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 't' ORDER BY ORDINAL_POSITION");
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[1],
        vec![s("name"), s("nvarchar"), Value::Int(50), s("YES")]
    );
    let rows = db.rows("SELECT name, max_length, is_identity FROM sys.columns WHERE object_id = OBJECT_ID('dbo.t')");
    assert_eq!(rows[0], vec![s("id"), Value::SmallInt(4), Value::Bit(true)]);
    assert_eq!(
        rows[1],
        vec![s("name"), Value::SmallInt(100), Value::Bit(false)]
    );
    assert_eq!(db.rows("SELECT name FROM sys.tables"), vec![vec![s("t")]]);
    assert_eq!(
        db.rows("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"),
        vec![vec![s("t")]]
    );
    assert!(db.rows("SELECT name FROM sys.databases").len() >= 3);
    assert_eq!(db.error("SELECT * FROM sys.nothing").number, 208);
}

#[test]
fn set_rowcount_limits_results() {
    let mut db = people();
    db.ok("SET ROWCOUNT 1");
    assert_eq!(db.rows("SELECT * FROM people").len(), 1);
    db.ok("SET ROWCOUNT 0");
    assert_eq!(db.rows("SELECT * FROM people").len(), 4);
}

// Needs tds text conversions (parse_text, to_text).
#[test]
fn dates_convert_compare_and_print() {
    let mut db = Db::new();
    db.ok("CREATE TABLE ev (d date, at datetime2(0), created datetime DEFAULT GETDATE())");
    db.ok("INSERT INTO ev (d, at) VALUES ('2024-01-15', '2024-01-15 08:30:00'), ('2023-12-31', '2023-12-31 23:59:59')");
    assert_eq!(db.rows("SELECT d FROM ev WHERE d > '2024-01-01'").len(), 1);
    assert_eq!(
        db.rows("SELECT d FROM ev WHERE at < CAST('2024-01-01' AS datetime2)")
            .len(),
        1
    );
    assert_eq!(
        db.scalar("SELECT CONVERT(varchar(30), CAST('2024-02-29' AS date))"),
        s("2024-02-29")
    );
    assert_eq!(
        db.scalar("SELECT CAST(CAST('2024-02-29 10:11:12' AS datetime2(0)) AS date)"),
        db.scalar("SELECT CAST('2024-02-29' AS date)")
    );
    assert!(matches!(
        db.scalar("SELECT TOP 1 created FROM ev"),
        Value::DateTime { .. }
    ));
    assert_eq!(
        db.rows("SELECT d FROM ev ORDER BY at")[0][0],
        db.scalar("SELECT CAST('2023-12-31' AS date)")
    );
    assert_eq!(db.scalar("SELECT CAST('' AS int)"), Value::Int(0));
}
