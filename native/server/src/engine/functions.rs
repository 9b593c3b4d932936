//! Built-in functions and `@@` variables that drivers and tools probe, plus a few common
//! scalar functions. `sql_variant` results (SERVERPROPERTY) come back as `nvarchar(128)`,
//! since the codec has no sql_variant.

use super::collation_names::DEFAULT_COLLATION_NAME;
use super::compare::compare;
use super::convert::cast;
use super::datetime::Instant;
use super::error::SqlError;
use super::eval::{eval, Env};
use super::names::parse_name_string;
use super::type_decl::collation_of;
use super::typed::Typed;
use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments};
use std::cmp::Ordering;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use tds::types::{SqlType, VarLen};
use tds::value::{Decimal, Time, Value};

pub(crate) const PRODUCT_VERSION: &str = "16.0.1000.6";
pub(crate) const SERVER_NAME: &str = "SLUICE";
pub(crate) const VERSION: &str = "Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) \n\tOct  8 2022 05:58:25 \n\tCopyright (C) 2022 Microsoft Corporation\n\tDeveloper Edition (64-bit) on Linux (Sluice test server) <X64>";

const IDENTITY_TYPE: SqlType = SqlType::Numeric {
    precision: 38,
    scale: 0,
};

fn small(v: Option<i64>, ty: SqlType) -> Typed {
    let value = match (v, ty) {
        (None, _) => Value::Null,
        (Some(n), SqlType::TinyInt) => Value::TinyInt(n.clamp(0, 255) as u8),
        (Some(n), SqlType::SmallInt) => {
            Value::SmallInt(n.clamp(i64::from(i16::MIN), i64::from(i16::MAX)) as i16)
        }
        (Some(n), SqlType::Int) => {
            Value::Int(n.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
        }
        (Some(n), _) => Value::BigInt(n),
    };
    Typed {
        nullable: v.is_none(),
        value,
        ty,
    }
}

fn identity_value(v: Option<i128>) -> Typed {
    Typed::nullable(
        v.map_or(Value::Null, |m| {
            Value::Decimal(Decimal {
                mantissa: m,
                scale: 0,
            })
        }),
        IDENTITY_TYPE,
    )
}

/// `@@name` variables.
pub(crate) fn system_variable(name: &str, env: &Env<'_>) -> Result<Typed, SqlError> {
    let s = env.session;
    Ok(match name.to_ascii_uppercase().as_str() {
        "@@VERSION" => Typed::not_null(
            Value::String(VERSION.to_string()),
            SqlType::NVarChar {
                len: VarLen::Len(300),
                collation: super::collation_names::default_collation().collation,
            },
        ),
        "@@SPID" => small(Some(i64::from(s.spid)), SqlType::SmallInt),
        "@@TRANCOUNT" => small(Some(i64::from(s.trancount)), SqlType::Int),
        "@@SERVERNAME" => Typed::nvarchar(Some(s.server_name.clone()), 128),
        "@@SERVICENAME" => Typed::nvarchar(Some("MSSQLSERVER".to_string()), 128),
        "@@IDENTITY" => identity_value(s.last_identity()),
        "@@ROWCOUNT" => small(
            Some(s.last_rowcount.min(i32::MAX as u64) as i64),
            SqlType::Int,
        ),
        "@@ERROR" => small(Some(i64::from(s.last_error)), SqlType::Int),
        "@@LANGUAGE" => Typed::nvarchar(Some(s.options.language.clone()), 128),
        "@@MAX_PRECISION" => small(Some(38), SqlType::TinyInt),
        "@@DATEFIRST" => small(Some(i64::from(s.options.datefirst)), SqlType::TinyInt),
        "@@TEXTSIZE" => small(Some(s.options.textsize), SqlType::Int),
        "@@LOCK_TIMEOUT" => small(Some(-1), SqlType::Int),
        "@@OPTIONS" => small(Some(5496), SqlType::Int),
        "@@NESTLEVEL" | "@@PROCID" => small(Some(0), SqlType::Int),
        "@@MICROSOFTVERSION" => small(Some((16 << 24) | 1000), SqlType::Int),
        _ => return Err(SqlError::undeclared_variable(name)),
    })
}

/// Functions called without parentheses (`SYSTEM_USER`, `CURRENT_TIMESTAMP`).
pub(crate) fn niladic(name: &str, env: &Env<'_>) -> Result<Option<Typed>, SqlError> {
    Ok(Some(match name.to_ascii_uppercase().as_str() {
        "SYSTEM_USER" => Typed::nvarchar(Some(env.session.login.clone()), 128),
        "CURRENT_USER" | "SESSION_USER" | "USER" => Typed::nvarchar(Some("dbo".to_string()), 128),
        "CURRENT_TIMESTAMP" => now(SqlType::DateTime)?,
        _ => return Ok(None),
    }))
}

fn now(ty: SqlType) -> Result<Typed, SqlError> {
    let v = Instant::now()
        .to_value(&ty)
        .ok_or_else(|| SqlError::arithmetic_overflow("expression", "datetime"))?;
    Ok(Typed::not_null(v, ty))
}

/// A version-4 GUID from a process-wide splitmix64 sequence seeded by the clock.
fn new_guid() -> [u8; 16] {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let next = || {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let mut z = STATE
            .fetch_add(
                0x9E37_79B9_7F4A_7C15 ^ (seed & 0xFFFF),
                AtomicOrdering::Relaxed,
            )
            .wrapping_add(seed);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut g = [0u8; 16];
    g[..8].copy_from_slice(&next().to_le_bytes());
    g[8..].copy_from_slice(&next().to_le_bytes());
    g[6] = (g[6] & 0x0F) | 0x40;
    g[8] = (g[8] & 0x3F) | 0x80;
    g
}

/// The plain argument expressions of a call; `None` for `*`.
fn arguments(f: &Function) -> Result<Vec<Option<&Expr>>, SqlError> {
    match &f.args {
        FunctionArguments::None => Ok(Vec::new()),
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Ok(Some(e)),
                FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => Ok(None),
                other => Err(SqlError::unsupported(&other.to_string())),
            })
            .collect(),
        FunctionArguments::Subquery(q) => Err(SqlError::unsupported(&q.to_string())),
    }
}

fn text_of(t: &Typed) -> Option<String> {
    match &t.value {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => super::value_text::value_as_text(other),
    }
}

fn wrong_arg_count(name: &str, n: usize) -> SqlError {
    SqlError::new(
        174,
        15,
        1,
        format!(
            "The {} function requires {n} argument(s).",
            name.to_lowercase()
        ),
    )
}

pub(crate) fn is_aggregate(name: &str) -> bool {
    matches!(
        name.to_ascii_uppercase().as_str(),
        "COUNT" | "COUNT_BIG" | "SUM" | "MIN" | "MAX" | "AVG"
    )
}

/// Calls a built-in function.
pub(crate) fn call(f: &Function, env: &Env<'_>, depth: usize) -> Result<Typed, SqlError> {
    let name = f
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| i.value.to_ascii_uppercase())
        .unwrap_or_default();
    if f.over.is_some() || f.filter.is_some() || !f.within_group.is_empty() {
        return Err(SqlError::unsupported(&f.to_string()));
    }
    let raw = arguments(f)?;
    if is_aggregate(&name) {
        return Err(SqlError::unsupported(&f.to_string()));
    }
    let mut args = Vec::with_capacity(raw.len());
    for a in raw {
        let e = a.ok_or_else(|| SqlError::syntax_near("*"))?;
        args.push(eval(e, env, depth + 1)?);
    }
    let arity = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(wrong_arg_count(&name, n))
        }
    };
    let (s, c) = (env.session, env.catalog);
    Ok(match name.as_str() {
        "DB_NAME" => match args.first() {
            None => Typed::nvarchar(
                Some(
                    c.database_name(&s.database)
                        .unwrap_or_else(|| s.database.clone()),
                ),
                128,
            ),
            Some(id) => Typed::nvarchar(as_i64(id).and_then(|id| c.database_by_id(id)), 128),
        },
        "DB_ID" => match args.first() {
            None => small(c.database_id(&s.database).map(i64::from), SqlType::SmallInt),
            Some(n) => small(
                text_of(n).and_then(|n| c.database_id(&n)).map(i64::from),
                SqlType::SmallInt,
            ),
        },
        "SERVERPROPERTY" => {
            arity(1)?;
            Typed::nvarchar(
                args.first()
                    .and_then(text_of)
                    .and_then(|p| server_property(&p, &s.server_name)),
                128,
            )
        }
        "DATABASEPROPERTYEX" => {
            arity(2)?;
            let db = args
                .first()
                .and_then(text_of)
                .and_then(|d| c.database_name(&d));
            let prop = args
                .get(1)
                .and_then(text_of)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let v = db.and_then(|_| match prop.as_str() {
                "collation" => Some(DEFAULT_COLLATION_NAME.to_string()),
                "status" => Some("ONLINE".to_string()),
                "updateability" => Some("READ_WRITE".to_string()),
                "recovery" => Some("SIMPLE".to_string()),
                "version" => Some("957".to_string()),
                _ => None,
            });
            Typed::nvarchar(v, 128)
        }
        "SUSER_SNAME" | "SUSER_NAME" | "ORIGINAL_LOGIN" => {
            Typed::nvarchar(Some(s.login.clone()), 128)
        }
        "USER_NAME" => Typed::nvarchar(Some("dbo".to_string()), 128),
        "HOST_NAME" => Typed::nvarchar(Some(s.host_name.clone()), 128),
        "APP_NAME" => Typed::nvarchar(Some(s.app_name.clone()), 128),
        "GETDATE" | "GETUTCDATE" => now(SqlType::DateTime)?,
        "SYSDATETIME" | "SYSUTCDATETIME" => now(SqlType::DateTime2 { scale: 7 })?,
        "SYSDATETIMEOFFSET" => now(SqlType::DateTimeOffset { scale: 7 })?,
        "NEWID" => Typed::not_null(Value::Guid(new_guid()), SqlType::UniqueIdentifier),
        "OBJECT_ID" => {
            let name = args.first().and_then(text_of);
            let kind = args
                .get(1)
                .and_then(text_of)
                .map(|k| k.trim().to_ascii_uppercase());
            let id = match (name, kind.as_deref()) {
                (Some(n), None | Some("U")) => {
                    parse_name_string(&n).and_then(|r| c.read_table(s, &r, |t| t.object_id))
                }
                _ => None,
            };
            small(id.map(i64::from), SqlType::Int)
        }
        "OBJECT_NAME" => {
            let db = match args.get(1) {
                Some(d) => as_i64(d).and_then(|d| c.database_by_id(d)),
                None => Some(s.database.clone()),
            };
            let id = args.first().and_then(as_i64);
            Typed::nvarchar(
                db.zip(id)
                    .and_then(|(db, id)| c.table_name_by_id(s, &db, id)),
                128,
            )
        }
        "SCOPE_IDENTITY" => identity_value(s.last_identity()),
        "IDENT_CURRENT" => {
            let cur = args
                .first()
                .and_then(text_of)
                .and_then(|n| parse_name_string(&n))
                .and_then(|r| {
                    c.read_table(s, &r, |t| {
                        t.identity_current
                            .or_else(|| t.columns.iter().find_map(|c| c.identity).map(|i| i.seed))
                    })
                });
            identity_value(cur.flatten())
        }
        "ISNULL" => {
            arity(2)?;
            let (a, b) = (&args[0], &args[1]);
            let mut r = if a.is_null() {
                cast(b, &a.ty)?
            } else {
                a.clone()
            };
            r.nullable = a.nullable && b.nullable;
            r
        }
        "COALESCE" => {
            if args.len() < 2 {
                return Err(SqlError::new(
                    189,
                    15,
                    1,
                    "The coalesce function requires 2 to 254 arguments.",
                ));
            }
            let ty = args
                .iter()
                .find(|a| !(a.is_null() && a.ty == SqlType::Int))
                .map(|a| a.ty)
                .unwrap_or(SqlType::Int);
            let picked = args
                .iter()
                .find(|a| !a.is_null())
                .cloned()
                .unwrap_or_else(Typed::null);
            let mut r = cast(&picked, &ty)?;
            r.nullable = args.iter().all(|a| a.nullable);
            r
        }
        "NULLIF" => {
            arity(2)?;
            let equal = compare(&args[0], &args[1])? == Some(Ordering::Equal);
            let a = args[0].clone();
            Typed {
                value: if equal { Value::Null } else { a.value },
                ty: a.ty,
                nullable: true,
            }
        }
        "LEN" => {
            arity(1)?;
            small(
                text_of(&args[0]).map(|t| t.trim_end_matches(' ').chars().count() as i64),
                SqlType::Int,
            )
        }
        "DATALENGTH" => {
            arity(1)?;
            small(data_length(&args[0]), SqlType::Int)
        }
        "UPPER" | "LOWER" | "LTRIM" | "RTRIM" | "TRIM" => {
            arity(1)?;
            let a = &args[0];
            let value = match &a.value {
                Value::String(t) => Value::String(match name.as_str() {
                    "UPPER" => t.to_uppercase(),
                    "LOWER" => t.to_lowercase(),
                    "LTRIM" => t.trim_start_matches(' ').to_string(),
                    "RTRIM" => t.trim_end_matches(' ').to_string(),
                    _ => t.trim_matches(' ').to_string(),
                }),
                Value::Null => Value::Null,
                other => Value::String(super::value_text::value_as_text(other).unwrap_or_default()),
            };
            let ty = if collation_of(&a.ty).is_some() {
                a.ty
            } else {
                Typed::varchar_literal("x").ty
            };
            Typed {
                value,
                ty,
                nullable: a.nullable,
            }
        }
        _ => return Err(SqlError::unknown_function(&name)),
    })
}

fn as_i64(t: &Typed) -> Option<i64> {
    match super::numeric::num_of(&t.value)? {
        super::numeric::Num::Int(i) => i64::try_from(i).ok(),
        n => n.to_integer(false).and_then(|i| i64::try_from(i).ok()),
    }
}

fn data_length(t: &Typed) -> Option<i64> {
    Some(match &t.value {
        Value::Null => return None,
        Value::String(s) => match t.ty {
            SqlType::NChar { .. } | SqlType::NVarChar { .. } => 2 * s.encode_utf16().count() as i64,
            ref ty if collation_of(ty).is_some_and(|c| c.is_utf8()) => s.len() as i64,
            _ => s.chars().count() as i64,
        },
        Value::Binary(b) => b.len() as i64,
        Value::Bit(_) | Value::TinyInt(_) => 1,
        Value::SmallInt(_) => 2,
        Value::Int(_) | Value::Real(_) | Value::SmallDateTime { .. } => 4,
        Value::BigInt(_) | Value::Float(_) | Value::DateTime { .. } => 8,
        Value::Money(_) => {
            if t.ty == SqlType::SmallMoney {
                4
            } else {
                8
            }
        }
        Value::Decimal(d) => match super::numeric::digit_count(d.mantissa) {
            0..=9 => 5,
            10..=19 => 9,
            20..=28 => 13,
            _ => 17,
        },
        Value::Date(_) => 3,
        Value::Time(Time { scale, .. }) => time_len(*scale),
        Value::DateTime2 { time, .. } => time_len(time.scale) + 3,
        Value::DateTimeOffset { time, .. } => time_len(time.scale) + 5,
        Value::Guid(_) => 16,
    })
}

fn time_len(scale: u8) -> i64 {
    match scale {
        0..=2 => 3,
        3..=4 => 4,
        _ => 5,
    }
}

fn server_property(p: &str, server_name: &str) -> Option<String> {
    Some(
        match p.trim().to_ascii_lowercase().as_str() {
            "productversion" => PRODUCT_VERSION,
            "productlevel" => "RTM",
            "productmajorversion" => "16",
            "productminorversion" => "0",
            "productbuild" => "1000",
            "edition" => "Developer Edition (64-bit)",
            // 3 = Enterprise (Developer reports the same engine edition).
            "engineedition" => "3",
            "editionid" => "-2117995310",
            "machinename" | "servername" | "computernamephysicalnetbios" => server_name,
            "collation" => DEFAULT_COLLATION_NAME,
            "isintegratedsecurityonly"
            | "isclustered"
            | "ishadrenabled"
            | "isfulltextinstalled"
            | "issingleuser" => "0",
            "lcid" => "1033",
            "processid" => return Some(std::process::id().to_string()),
            "instancename" | "productupdatelevel" => return None,
            "sqlcharsetname" => "iso_1",
            _ => return None,
        }
        .to_string(),
    )
}
