//! SQL type declarations (`decimal(18,4)`, `nvarchar(max)`, `float(24)`) to [`SqlType`], with
//! the errors SQL Server raises for bad parameters, and the column metadata results carry.

use super::collation_names::NamedCollation;
use super::error::SqlError;
use sqlparser::ast::{DataType, TypeModifier};
use tds::types::{column_flags, ColumnMeta, SqlType, TypeInfo, VarLen};

/// Where a type is declared: the defaults for omitted lengths differ (`varchar` is
/// `varchar(1)` in a column and `varchar(30)` in `CAST`), and so do the error texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeclContext<'a> {
    /// A table column: its 1-based position and name.
    Column {
        index: usize,
        name: &'a str,
    },
    Cast,
}

/// A declaration taken apart: lowercase type name and its parameters (`None` = `max`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declaration {
    pub name: String,
    pub params: Vec<Option<u32>>,
}

fn parse_param(text: &str) -> Result<Option<u32>, SqlError> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("max") {
        return Ok(None);
    }
    // Lengths beyond u32 are reported like any other oversize length.
    t.parse::<u64>()
        .map(|n| Some(n.min(u64::from(u32::MAX)) as u32))
        .map_err(|_| SqlError::syntax_near(t))
}

/// Takes a parsed type apart into name and parameters.
pub(crate) fn declaration(dt: &DataType) -> Result<Declaration, SqlError> {
    if let DataType::Custom(name, modifiers) = dt {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| p.as_ident().map(|i| i.value.clone()).unwrap_or_default())
            .collect();
        let type_name = match parts.as_slice() {
            [n] => n.to_lowercase(),
            [schema, n] if schema.eq_ignore_ascii_case("sys") => n.to_lowercase(),
            _ => parts.join("."),
        };
        let params = modifiers
            .iter()
            .map(|m| match m {
                TypeModifier::Identifier(i) => parse_param(&i.value),
                TypeModifier::Number(n, _) => parse_param(n),
                TypeModifier::String(s) => Err(SqlError::syntax_near(s)),
            })
            .collect::<Result<_, _>>()?;
        return Ok(Declaration {
            name: type_name,
            params,
        });
    }
    let text = dt.to_string();
    let (name, params) = match text.find('(') {
        Some(open) => {
            let close = text
                .rfind(')')
                .filter(|c| *c > open)
                .ok_or_else(|| SqlError::syntax_near(&text))?;
            if !text[close + 1..].trim().is_empty() {
                return Err(SqlError::unsupported(&text));
            }
            let params = text[open + 1..close]
                .split(',')
                .map(parse_param)
                .collect::<Result<_, _>>()?;
            (text[..open].trim().to_lowercase(), params)
        }
        None => (text.trim().to_lowercase(), Vec::new()),
    };
    Ok(Declaration { name, params })
}

fn too_big(size: u32, what: &str, ctx: DeclContext<'_>, max: u32) -> SqlError {
    let subject = match ctx {
        DeclContext::Column { name, .. } => format!("column '{name}'"),
        DeclContext::Cast => format!("convert specification '{what}'"),
    };
    SqlError::new(
        131,
        15,
        2,
        format!("The size ({size}) given to the {subject} exceeds the maximum allowed for any data type ({max})."),
    )
}

fn invalid_length(n: u32) -> SqlError {
    SqlError::new(
        1001,
        15,
        1,
        format!("Line 1: Length or precision specification {n} is invalid."),
    )
}

fn no_width(name: &str, ctx: DeclContext<'_>) -> SqlError {
    let index = match ctx {
        DeclContext::Column { index, .. } => index,
        DeclContext::Cast => 1,
    };
    SqlError::new(2716, 16, 1, format!("Column, parameter, or variable #{index}: Cannot specify a column width on data type {name}."))
}

/// Resolves a declaration to a type. `collation` is the column's (or the database default).
pub(crate) fn resolve(
    decl: &Declaration,
    ctx: DeclContext<'_>,
    collation: &NamedCollation,
) -> Result<SqlType, SqlError> {
    let name = decl.name.as_str();
    let p = decl.params.as_slice();
    let default_len = if ctx == DeclContext::Cast { 30 } else { 1 };
    let no_params = |ty: SqlType| {
        if p.is_empty() {
            Ok(ty)
        } else {
            Err(no_width(name, ctx))
        }
    };
    let length = |max: u32, allow_max: bool| -> Result<VarLen, SqlError> {
        match p {
            [] => Ok(VarLen::Len(default_len)),
            [None] if allow_max => Ok(VarLen::Max),
            [None] => Err(SqlError::syntax_near("max")),
            [Some(0)] => Err(invalid_length(0)),
            [Some(n)] if *n > max => Err(too_big(*n, name, ctx, max)),
            [Some(n)] => Ok(VarLen::Len(*n as u16)),
            _ => Err(SqlError::syntax_near(",")),
        }
    };
    let fixed_len = |v: VarLen| match v {
        VarLen::Len(n) => n,
        VarLen::Max => 1,
    };
    let scale = || -> Result<u8, SqlError> {
        match p {
            [] => Ok(7),
            [Some(s)] if *s <= 7 => Ok(*s as u8),
            [Some(s)] => Err(SqlError::new(
                1002,
                15,
                1,
                format!("Line 1: Specified scale {s} is invalid."),
            )),
            _ => Err(SqlError::syntax_near(",")),
        }
    };
    let coll = collation.collation;
    match name {
        "bit" => no_params(SqlType::Bit),
        "tinyint" => no_params(SqlType::TinyInt),
        "smallint" => no_params(SqlType::SmallInt),
        "int" | "integer" => no_params(SqlType::Int),
        "bigint" => no_params(SqlType::BigInt),
        "real" => no_params(SqlType::Real),
        "double precision" => no_params(SqlType::Float),
        "float" => match p {
            [] => Ok(SqlType::Float),
            [Some(n @ 1..=24)] if *n >= 1 => Ok(SqlType::Real),
            [Some(25..=53)] => Ok(SqlType::Float),
            [Some(0)] => Err(invalid_length(0)),
            [Some(n)] => Err(precision_too_big(*n, 53, ctx)),
            _ => Err(SqlError::syntax_near(",")),
        },
        "decimal" | "dec" | "numeric" => {
            let (precision, scale) = match p {
                [] => (18, 0),
                [Some(p)] => (*p, 0),
                [Some(p), Some(s)] => (*p, *s),
                _ => return Err(SqlError::syntax_near("max")),
            };
            if precision == 0 {
                return Err(invalid_length(0));
            }
            if precision > 38 {
                return Err(precision_too_big(precision, 38, ctx));
            }
            if scale > precision {
                let column = match ctx {
                    DeclContext::Column { name, .. } => name,
                    DeclContext::Cast => "",
                };
                return Err(SqlError::new(
                    183,
                    15,
                    1,
                    format!("The scale ({scale}) for column '{column}' must be within the range 0 to {precision}."),
                ));
            }
            let (precision, scale) = (precision as u8, scale as u8);
            Ok(if name == "numeric" {
                SqlType::Numeric { precision, scale }
            } else {
                SqlType::Decimal { precision, scale }
            })
        }
        "money" => no_params(SqlType::Money),
        "smallmoney" => no_params(SqlType::SmallMoney),
        "date" => no_params(SqlType::Date),
        "datetime" => no_params(SqlType::DateTime),
        "smalldatetime" => no_params(SqlType::SmallDateTime),
        "uniqueidentifier" => no_params(SqlType::UniqueIdentifier),
        "time" => Ok(SqlType::Time { scale: scale()? }),
        "datetime2" => Ok(SqlType::DateTime2 { scale: scale()? }),
        "datetimeoffset" => Ok(SqlType::DateTimeOffset { scale: scale()? }),
        "char" | "character" => Ok(SqlType::Char {
            len: fixed_len(length(8000, false)?),
            collation: coll,
        }),
        "varchar" | "char varying" | "character varying" => Ok(SqlType::VarChar {
            len: length(8000, true)?,
            collation: coll,
        }),
        "nchar" => Ok(SqlType::NChar {
            len: fixed_len(length(4000, false)?),
            collation: coll,
        }),
        "nvarchar" => Ok(SqlType::NVarChar {
            len: length(4000, true)?,
            collation: coll,
        }),
        "sysname" => no_params(SqlType::NVarChar {
            len: VarLen::Len(128),
            collation: coll,
        }),
        "binary" => Ok(SqlType::Binary {
            len: fixed_len(length(8000, false)?),
        }),
        "varbinary" | "binary varying" => Ok(SqlType::VarBinary {
            len: length(8000, true)?,
        }),
        "text" => no_params(SqlType::Text { collation: coll }),
        "ntext" => no_params(SqlType::NText { collation: coll }),
        "image" => no_params(SqlType::Image),
        "xml" => no_params(SqlType::Xml),
        "sql_variant" => no_params(SqlType::Variant),
        // CLR types: the bytes are stored as given; there are no methods (.ToString() …).
        "hierarchyid" | "geography" | "geometry" => no_params(SqlType::Udt {
            kind: tds::types::UdtKind::from_type_name(name),
        }),
        "timestamp" | "rowversion" => Err(SqlError::unsupported(name)),
        _ => Err(match ctx {
            DeclContext::Column { index, .. } => SqlError::new(
                2715,
                16,
                6,
                format!("Column, parameter, or variable #{index}: Cannot find data type {name}."),
            ),
            DeclContext::Cast => SqlError::new(
                243,
                16,
                1,
                format!("Type {name} is not a defined system type."),
            ),
        }),
    }
}

fn precision_too_big(n: u32, max: u32, ctx: DeclContext<'_>) -> SqlError {
    let index = match ctx {
        DeclContext::Column { index, .. } => index,
        DeclContext::Cast => 1,
    };
    SqlError::new(
        2750,
        16,
        1,
        format!("Column or parameter #{index}: Specified column precision {n} is greater than the maximum precision of {max}."),
    )
}

/// The type's name without parameters, as SQL Server's messages and catalog views spell it.
pub(crate) fn base_name(ty: &SqlType) -> &'static str {
    match ty {
        SqlType::Bit => "bit",
        SqlType::TinyInt => "tinyint",
        SqlType::SmallInt => "smallint",
        SqlType::Int => "int",
        SqlType::BigInt => "bigint",
        SqlType::Real => "real",
        SqlType::Float => "float",
        SqlType::Decimal { .. } => "decimal",
        SqlType::Numeric { .. } => "numeric",
        SqlType::Money => "money",
        SqlType::SmallMoney => "smallmoney",
        SqlType::Date => "date",
        SqlType::Time { .. } => "time",
        SqlType::DateTime => "datetime",
        SqlType::SmallDateTime => "smalldatetime",
        SqlType::DateTime2 { .. } => "datetime2",
        SqlType::DateTimeOffset { .. } => "datetimeoffset",
        SqlType::UniqueIdentifier => "uniqueidentifier",
        SqlType::Char { .. } => "char",
        SqlType::VarChar { .. } => "varchar",
        SqlType::NChar { .. } => "nchar",
        SqlType::NVarChar { .. } => "nvarchar",
        SqlType::Binary { .. } => "binary",
        SqlType::VarBinary { .. } => "varbinary",
        SqlType::Text { .. } => "text",
        SqlType::NText { .. } => "ntext",
        SqlType::Image => "image",
        SqlType::Xml => "xml",
        SqlType::Variant => "sql_variant",
        SqlType::Udt { kind } => kind.name(),
    }
}

/// The collation of a character type.
pub(crate) fn collation_of(ty: &SqlType) -> Option<tds::collation::Collation> {
    match ty {
        SqlType::Char { collation, .. }
        | SqlType::VarChar { collation, .. }
        | SqlType::NChar { collation, .. }
        | SqlType::NVarChar { collation, .. } => Some(*collation),
        _ => None,
    }
}

pub(crate) fn is_character(ty: &SqlType) -> bool {
    collation_of(ty).is_some()
}

/// Column metadata as SQL Server describes it in COLMETADATA: fixed-length wire forms for
/// NOT NULL fixed-size types, NULLABLE/IDENTITY flags, and "updateable" for table columns.
pub(crate) fn column_meta(
    name: &str,
    ty: SqlType,
    nullable: bool,
    identity: bool,
    table_column: bool,
) -> ColumnMeta {
    let fixed_capable = matches!(
        ty,
        SqlType::Bit
            | SqlType::TinyInt
            | SqlType::SmallInt
            | SqlType::Int
            | SqlType::BigInt
            | SqlType::Real
            | SqlType::Float
            | SqlType::Money
            | SqlType::SmallMoney
            | SqlType::DateTime
            | SqlType::SmallDateTime
    );
    let mut flags = 0;
    if nullable {
        flags |= column_flags::NULLABLE;
    }
    if identity {
        flags |= column_flags::IDENTITY;
    } else if table_column {
        flags |= column_flags::UPDATEABLE_READ_WRITE;
    }
    ColumnMeta {
        name: name.to_string(),
        user_type: 0,
        flags,
        type_info: TypeInfo {
            ty,
            fixed: fixed_capable && !nullable,
        },
    }
}
