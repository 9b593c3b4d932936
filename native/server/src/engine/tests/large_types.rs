//! xml, text, ntext, image, sql_variant and hierarchyid columns: declared, described, stored,
//! read back, and loaded by INSERT BULK.

use super::{errors, s, Db};
use tds::collation::Collation;
use tds::types::{SqlType, UdtKind};
use tds::value::Value;

const TABLE: &str = "CREATE TABLE docs (id int NOT NULL, x xml NULL, t text NULL, n ntext NULL,
    i image NULL, v sql_variant NULL, h hierarchyid NULL)";

#[test]
fn create_table_describes_the_large_types_like_sql_server() {
    let mut db = Db::new();
    db.ok(TABLE);
    let meta = db.meta("SELECT TOP 0 * FROM docs");
    let cp1 = Collation::SQL_LATIN1_GENERAL_CP1_CI_AS;
    let types: Vec<_> = meta.iter().map(|c| c.type_info.ty).collect();
    assert_eq!(
        types,
        [
            SqlType::Int,
            SqlType::Xml,
            SqlType::Text { collation: cp1 },
            SqlType::NText { collation: cp1 },
            SqlType::Image,
            SqlType::Variant,
            SqlType::Udt {
                kind: UdtKind::HierarchyId
            },
        ]
    );
    assert!(meta[1..].iter().all(|c| c.is_nullable()));
    // sys.columns as SQL Server fills it: system_type_id and max_length (-1 for xml, 16 for
    // the text pointer of text/ntext/image, 8016 for sql_variant, 892 for hierarchyid).
    let rows = db.rows(
        "SELECT system_type_id, max_length FROM sys.columns \
         WHERE object_id = OBJECT_ID('docs') ORDER BY column_id",
    );
    let got: Vec<String> = rows
        .iter()
        .map(|r| format!("{:?}/{:?}", r[0], r[1]))
        .collect();
    assert_eq!(got.len(), 7);
    for (i, want) in ["241", "35", "99", "34", "98", "240"].iter().enumerate() {
        assert!(got[i + 1].contains(want), "{got:?}");
    }
    for (i, want) in ["-1", "16", "16", "16", "8016", "892"].iter().enumerate() {
        assert!(got[i + 1].contains(&format!("({want})")), "{got:?}");
    }
}

#[test]
fn values_are_stored_and_read_back() {
    let mut db = Db::new();
    db.ok(TABLE);
    db.ok("INSERT INTO docs (id, x, t, n, i, v) VALUES \
           (1, N'<a>é</a>', 'plain', N'Zoë', 0x0102, 42), \
           (2, NULL, NULL, NULL, NULL, N'text in a variant')");
    let rows = db.rows("SELECT id, x, t, n, i, v, h FROM docs ORDER BY id");
    assert_eq!(
        rows,
        vec![
            vec![
                Value::Int(1),
                s("<a>é</a>"),
                s("plain"),
                s("Zoë"),
                Value::Binary(vec![1, 2]),
                Value::Int(42),
                Value::Null,
            ],
            vec![
                Value::Int(2),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                s("text in a variant"),
                Value::Null,
            ],
        ]
    );
}

#[test]
fn insert_bulk_accepts_xml_and_sql_variant_columns() {
    let mut db = Db::new();
    db.ok(TABLE);
    let sql = "INSERT BULK docs ([id] Int, [x] Xml, [v] Sql_Variant)";
    let out = db.exec(sql);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let stmt = crate::engine::parse_insert_bulk(sql).unwrap().unwrap();
    let n = db
        .catalog
        .bulk_insert(
            &db.session,
            &stmt,
            vec![
                vec![Value::Int(1), s("<r a=\"1\"/>"), Value::BigInt(7)],
                vec![Value::Int(2), Value::Null, s("seven")],
            ],
        )
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        db.rows("SELECT id, x, v FROM docs ORDER BY id"),
        vec![
            vec![Value::Int(1), s("<r a=\"1\"/>"), Value::BigInt(7)],
            vec![Value::Int(2), Value::Null, s("seven")],
        ]
    );
}

#[test]
fn a_sql_variant_takes_at_most_8000_bytes() {
    let mut db = Db::new();
    db.ok(TABLE);
    let out = db.exec(&format!(
        "INSERT INTO docs (id, v) VALUES (1, N'{}')",
        "x".repeat(4001)
    ));
    assert_eq!(errors(&out).len(), 1, "{out:?}");
}
