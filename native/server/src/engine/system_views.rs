//! Catalog views tools query: `sys.tables`, `sys.objects`, `sys.columns`, `sys.databases`,
//! `sys.schemas`, `INFORMATION_SCHEMA.TABLES` and `INFORMATION_SCHEMA.COLUMNS`, built on demand
//! from the catalog as a snapshot [`Source`].

use super::catalog::{Catalog, Column};
use super::collation_names::{default_collation, DEFAULT_COLLATION_NAME};
use super::error::SqlError;
use super::names::ObjectRef;
use super::select::Source;
use super::session::Session;
use super::table::Table;
use super::type_decl::base_name;
use tds::types::{SqlType, VarLen};
use tds::value::Value;

fn col(name: &str, ty: SqlType, nullable: bool) -> Column {
    Column {
        name: name.to_string(),
        ty,
        nullable,
        identity: None,
        default: None,
        collation_name: None,
    }
}

fn sysname() -> SqlType {
    SqlType::NVarChar {
        len: VarLen::Len(128),
        collation: default_collation().collation,
    }
}

fn nvarchar(n: u16) -> SqlType {
    SqlType::NVarChar {
        len: VarLen::Len(n),
        collation: default_collation().collation,
    }
}

fn varchar(n: u16) -> SqlType {
    SqlType::VarChar {
        len: VarLen::Len(n),
        collation: default_collation().collation,
    }
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn opt_int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, |n| Value::Int(n as i32))
}

/// `sys.types.system_type_id`.
pub(crate) fn system_type_id(ty: &SqlType) -> u8 {
    match ty {
        SqlType::Bit => 104,
        SqlType::TinyInt => 48,
        SqlType::SmallInt => 52,
        SqlType::Int => 56,
        SqlType::BigInt => 127,
        SqlType::Real => 59,
        SqlType::Float => 62,
        SqlType::Decimal { .. } => 106,
        SqlType::Numeric { .. } => 108,
        SqlType::Money => 60,
        SqlType::SmallMoney => 122,
        SqlType::Date => 40,
        SqlType::Time { .. } => 41,
        SqlType::DateTime => 61,
        SqlType::SmallDateTime => 58,
        SqlType::DateTime2 { .. } => 42,
        SqlType::DateTimeOffset { .. } => 43,
        SqlType::UniqueIdentifier => 36,
        SqlType::Char { .. } => 175,
        SqlType::VarChar { .. } => 167,
        SqlType::NChar { .. } => 239,
        SqlType::NVarChar { .. } => 231,
        SqlType::Binary { .. } => 173,
        SqlType::VarBinary { .. } => 165,
        SqlType::Text { .. } => 35,
        SqlType::NText { .. } => 99,
        SqlType::Image => 34,
        SqlType::Xml => 241,
        SqlType::Variant => 98,
        // hierarchyid, geometry, geography: system_type_id 240 (CLR types).
        SqlType::Udt { .. } => 240,
    }
}

fn time_bytes(scale: u8) -> i64 {
    match scale {
        0..=2 => 3,
        3..=4 => 4,
        _ => 5,
    }
}

/// `sys.columns.max_length`: storage bytes, -1 for `max`.
pub(crate) fn max_length(ty: &SqlType) -> i64 {
    let var = |l: &VarLen, unit: i64| match l {
        VarLen::Len(n) => i64::from(*n) * unit,
        VarLen::Max => -1,
    };
    match ty {
        SqlType::Bit | SqlType::TinyInt => 1,
        SqlType::SmallInt => 2,
        SqlType::Int | SqlType::Real | SqlType::SmallMoney | SqlType::SmallDateTime => 4,
        SqlType::BigInt | SqlType::Float | SqlType::Money | SqlType::DateTime => 8,
        SqlType::Decimal { precision, .. } | SqlType::Numeric { precision, .. } => {
            match precision {
                0..=9 => 5,
                10..=19 => 9,
                20..=28 => 13,
                _ => 17,
            }
        }
        SqlType::Date => 3,
        SqlType::Time { scale } => time_bytes(*scale),
        SqlType::DateTime2 { scale } => time_bytes(*scale) + 3,
        SqlType::DateTimeOffset { scale } => time_bytes(*scale) + 5,
        SqlType::UniqueIdentifier => 16,
        SqlType::Char { len, .. } | SqlType::Binary { len } => i64::from(*len),
        SqlType::NChar { len, .. } => 2 * i64::from(*len),
        SqlType::VarChar { len, .. } | SqlType::VarBinary { len } => var(len, 1),
        SqlType::NVarChar { len, .. } => var(len, 2),
        // The in-row text pointer of text/ntext/image.
        SqlType::Text { .. } | SqlType::NText { .. } | SqlType::Image => 16,
        SqlType::Xml => -1,
        SqlType::Variant => 8016,
        SqlType::Udt { kind } => match kind {
            tds::types::UdtKind::HierarchyId => 892,
            _ => -1,
        },
    }
}

/// `sys.columns.precision` and `scale`.
fn precision_scale(ty: &SqlType) -> (i64, i64) {
    let frac = |s: u8| i64::from(s) + i64::from(s > 0);
    match ty {
        SqlType::Bit => (1, 0),
        SqlType::TinyInt => (3, 0),
        SqlType::SmallInt => (5, 0),
        SqlType::Int => (10, 0),
        SqlType::BigInt => (19, 0),
        SqlType::Real => (24, 0),
        SqlType::Float => (53, 0),
        SqlType::Decimal { precision, scale } | SqlType::Numeric { precision, scale } => {
            (i64::from(*precision), i64::from(*scale))
        }
        SqlType::Money => (19, 4),
        SqlType::SmallMoney => (10, 4),
        SqlType::Date => (10, 0),
        SqlType::Time { scale } => (8 + frac(*scale), i64::from(*scale)),
        SqlType::DateTime => (23, 3),
        SqlType::SmallDateTime => (16, 0),
        SqlType::DateTime2 { scale } => (19 + frac(*scale), i64::from(*scale)),
        SqlType::DateTimeOffset { scale } => (26 + frac(*scale), i64::from(*scale)),
        _ => (0, 0),
    }
}

/// What the views show of a table (its rows are not copied).
struct TableInfo {
    name: String,
    object_id: i32,
    columns: Vec<Column>,
}

fn tables_of(catalog: &Catalog, session: &Session, db: &str) -> Vec<TableInfo> {
    let mut out = Vec::new();
    catalog.for_each_table(session, db, |t: &Table| {
        out.push(TableInfo {
            name: t.name.clone(),
            object_id: t.object_id,
            columns: t.columns.clone(),
        })
    });
    out
}

/// The catalog view `r` names, or `None` if `r` is not in the `sys` or `INFORMATION_SCHEMA`
/// schema. An unknown view in those schemas is error 208.
pub(crate) fn source(
    catalog: &Catalog,
    session: &Session,
    r: &ObjectRef,
) -> Option<Result<Source, SqlError>> {
    let schema = r.schema.as_deref()?.to_ascii_lowercase();
    if schema != "sys" && schema != "information_schema" {
        return None;
    }
    if session.single_database
        && r.database
            .as_deref()
            .is_some_and(|d| !d.eq_ignore_ascii_case(&session.database))
    {
        return Some(Err(SqlError::other_database_reference(&r.display())));
    }
    let db = match &r.database {
        Some(d) => match catalog.database_name(d) {
            Some(name) => name,
            None => return Some(Err(SqlError::invalid_object(&r.display()))),
        },
        None => session.database.clone(),
    };
    let view = format!("{schema}.{}", r.name.to_ascii_lowercase());
    let columns;
    let mut rows = Vec::new();
    match view.as_str() {
        "sys.tables" | "sys.objects" => {
            columns = vec![
                col("name", sysname(), false),
                col("object_id", SqlType::Int, false),
                col("schema_id", SqlType::Int, false),
                col(
                    "type",
                    SqlType::Char {
                        len: 2,
                        collation: default_collation().collation,
                    },
                    false,
                ),
                col("type_desc", nvarchar(60), true),
            ];
            for t in tables_of(catalog, session, &db) {
                rows.push(vec![
                    s(&t.name),
                    Value::Int(t.object_id),
                    Value::Int(1),
                    s("U "),
                    s("USER_TABLE"),
                ]);
            }
        }
        "sys.columns" => {
            columns = vec![
                col("object_id", SqlType::Int, false),
                col("name", sysname(), true),
                col("column_id", SqlType::Int, false),
                col("system_type_id", SqlType::TinyInt, false),
                col("user_type_id", SqlType::Int, false),
                col("max_length", SqlType::SmallInt, false),
                col("precision", SqlType::TinyInt, false),
                col("scale", SqlType::TinyInt, false),
                col("collation_name", sysname(), true),
                col("is_nullable", SqlType::Bit, true),
                col("is_identity", SqlType::Bit, false),
                col("default_object_id", SqlType::Int, false),
            ];
            for t in tables_of(catalog, session, &db) {
                for (i, c) in t.columns.iter().enumerate() {
                    let (p, sc) = precision_scale(&c.ty);
                    let id = system_type_id(&c.ty);
                    rows.push(vec![
                        Value::Int(t.object_id),
                        s(&c.name),
                        Value::Int(i as i32 + 1),
                        Value::TinyInt(id),
                        Value::Int(i32::from(id)),
                        Value::SmallInt(max_length(&c.ty) as i16),
                        Value::TinyInt(p as u8),
                        Value::TinyInt(sc as u8),
                        c.collation_name.as_deref().map_or(Value::Null, s),
                        Value::Bit(c.nullable),
                        Value::Bit(c.identity.is_some()),
                        // The default constraint's id: any non-zero number marks one.
                        Value::Int(if c.default.is_some() {
                            t.object_id.wrapping_add(1_000_000 + i as i32)
                        } else {
                            0
                        }),
                    ]);
                }
            }
        }
        "sys.databases" => {
            columns = vec![
                col("name", sysname(), false),
                col("database_id", SqlType::Int, false),
                col("collation_name", sysname(), true),
            ];
            for name in catalog.database_names() {
                let id = catalog.database_id(&name).map_or(0, i32::from);
                rows.push(vec![s(&name), Value::Int(id), s(DEFAULT_COLLATION_NAME)]);
            }
        }
        "sys.schemas" => {
            columns = vec![
                col("name", sysname(), false),
                col("schema_id", SqlType::Int, false),
            ];
            rows.extend([
                vec![s("dbo"), Value::Int(1)],
                vec![s("sys"), Value::Int(4)],
                vec![s("INFORMATION_SCHEMA"), Value::Int(3)],
            ]);
        }
        "information_schema.tables" => {
            columns = vec![
                col("TABLE_CATALOG", nvarchar(128), true),
                col("TABLE_SCHEMA", nvarchar(128), true),
                col("TABLE_NAME", sysname(), false),
                col("TABLE_TYPE", varchar(10), true),
            ];
            for t in tables_of(catalog, session, &db) {
                rows.push(vec![s(&db), s("dbo"), s(&t.name), s("BASE TABLE")]);
            }
        }
        "information_schema.columns" => {
            columns = vec![
                col("TABLE_CATALOG", nvarchar(128), true),
                col("TABLE_SCHEMA", nvarchar(128), true),
                col("TABLE_NAME", sysname(), false),
                col("COLUMN_NAME", sysname(), true),
                col("ORDINAL_POSITION", SqlType::Int, true),
                col("COLUMN_DEFAULT", nvarchar(4000), true),
                col("IS_NULLABLE", varchar(3), true),
                col("DATA_TYPE", nvarchar(128), true),
                col("CHARACTER_MAXIMUM_LENGTH", SqlType::Int, true),
                col("CHARACTER_OCTET_LENGTH", SqlType::Int, true),
                col("NUMERIC_PRECISION", SqlType::TinyInt, true),
                col("NUMERIC_SCALE", SqlType::Int, true),
                col("DATETIME_PRECISION", SqlType::SmallInt, true),
                col("COLLATION_NAME", sysname(), true),
            ];
            for t in tables_of(catalog, session, &db) {
                for (i, c) in t.columns.iter().enumerate() {
                    rows.push(information_schema_column(&db, &t, i, c));
                }
            }
        }
        _ => return Some(Err(SqlError::invalid_object(&r.display()))),
    }
    Some(Ok(Source {
        columns,
        rows,
        qualifiers: Vec::new(),
    }))
}

fn information_schema_column(db: &str, t: &TableInfo, i: usize, c: &Column) -> Vec<Value> {
    let octets = max_length(&c.ty);
    let (chars, octet) = match c.ty {
        SqlType::Char { .. }
        | SqlType::VarChar { .. }
        | SqlType::Binary { .. }
        | SqlType::VarBinary { .. } => (Some(octets), Some(octets)),
        SqlType::NChar { .. } | SqlType::NVarChar { .. } => {
            (Some(if octets < 0 { -1 } else { octets / 2 }), Some(octets))
        }
        _ => (None, None),
    };
    let (p, sc) = precision_scale(&c.ty);
    let numeric = matches!(
        c.ty,
        SqlType::TinyInt
            | SqlType::SmallInt
            | SqlType::Int
            | SqlType::BigInt
            | SqlType::Real
            | SqlType::Float
            | SqlType::Decimal { .. }
            | SqlType::Numeric { .. }
            | SqlType::Money
            | SqlType::SmallMoney
    );
    let datetime = c.ty.is_temporal();
    vec![
        s(db),
        s("dbo"),
        s(&t.name),
        s(&c.name),
        Value::Int(i as i32 + 1),
        c.default
            .as_ref()
            .map_or(Value::Null, |d| s(&format!("({d})"))),
        s(if c.nullable { "YES" } else { "NO" }),
        s(base_name(&c.ty)),
        opt_int(chars),
        opt_int(octet),
        if numeric {
            Value::TinyInt(p as u8)
        } else {
            Value::Null
        },
        if numeric {
            Value::Int(sc as i32)
        } else {
            Value::Null
        },
        if datetime {
            Value::SmallInt(sc as i16)
        } else {
            Value::Null
        },
        c.collation_name.as_deref().map_or(Value::Null, s),
    ]
}
