//! TYPE_INFO encoding and decoding (MS-TDS 2.2.5.4) and SQL type names (in `declaration`).
//!
//! TYPE_INFO is the type byte (MS-TDS 2.2.5.4.1-2.2.5.4.3) followed by what the type needs to be
//! read back from a row: a 1-byte length for BYTELEN types, precision and scale for decimals, a
//! scale for the newer date/time types, a 2-byte maximum length plus a collation for the
//! USHORTLEN string types. The fixed-length types (INT4 0x38…) carry nothing but the byte.

use crate::collation::Collation;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use crate::types::{SqlType, TypeInfo, VarLen};
use bytes::{BufMut, BytesMut};

mod declaration;
mod large;

/// Type bytes (MS-TDS 2.2.5.4.1 FIXEDLENTYPE, 2.2.5.4.2 VARLENTYPE).
pub mod type_code {
    // Fixed-length: no length byte in TYPE_INFO nor in rows, cannot carry NULL.
    pub const INT1: u8 = 0x30;
    pub const BIT: u8 = 0x32;
    pub const INT2: u8 = 0x34;
    pub const INT4: u8 = 0x38;
    pub const DATETIM4: u8 = 0x3A;
    pub const FLT4: u8 = 0x3B;
    pub const MONEY: u8 = 0x3C;
    pub const DATETIME: u8 = 0x3D;
    pub const FLT8: u8 = 0x3E;
    pub const MONEY4: u8 = 0x7A;
    pub const INT8: u8 = 0x7F;
    // BYTELEN: a 1-byte length in TYPE_INFO and before each row value.
    pub const GUID: u8 = 0x24;
    pub const INTN: u8 = 0x26;
    pub const DECIMAL: u8 = 0x37;
    pub const NUMERIC: u8 = 0x3F;
    pub const BITN: u8 = 0x68;
    pub const DECIMALN: u8 = 0x6A;
    pub const NUMERICN: u8 = 0x6C;
    pub const FLTN: u8 = 0x6D;
    pub const MONEYN: u8 = 0x6E;
    pub const DATETIMN: u8 = 0x6F;
    // Scale-only TYPE_INFO (TDS 7.3+), 1-byte length in rows.
    pub const DATEN: u8 = 0x28;
    pub const TIMEN: u8 = 0x29;
    pub const DATETIME2N: u8 = 0x2A;
    pub const DATETIMEOFFSETN: u8 = 0x2B;
    // USHORTLEN: a 2-byte maximum length (0xFFFF = PLP, "(max)").
    pub const BIGVARBIN: u8 = 0xA5;
    pub const BIGVARCHR: u8 = 0xA7;
    pub const BIGBINARY: u8 = 0xAD;
    pub const BIGCHAR: u8 = 0xAF;
    pub const NVARCHAR: u8 = 0xE7;
    pub const NCHAR: u8 = 0xEF;
    // LONGLEN: a 4-byte maximum length (text, ntext and image add a table name; 2.2.5.4.2).
    pub const IMAGE: u8 = 0x22;
    pub const TEXT: u8 = 0x23;
    pub const NTEXT: u8 = 0x63;
    pub const SSVARIANT: u8 = 0x62;
    // PARTLEN: values always PLP.
    pub const UDT: u8 = 0xF0;
    pub const XML: u8 = 0xF1;
}

/// Maximum length 0xFFFF in TYPE_INFO means the value travels as PLP (MS-TDS 2.2.5.2.3).
pub const PLP_MAXLEN: u16 = 0xFFFF;

/// Bytes of a `time(scale)` value: 3 for scale 0-2, 4 for 3-4, 5 for 5-7 (MS-TDS 2.2.5.5.1.8).
pub fn time_byte_len(scale: u8) -> u8 {
    match scale {
        0..=2 => 3,
        3..=4 => 4,
        _ => 5,
    }
}

/// Bytes of a decimal value, sign byte included: 5, 9, 13 or 17 for precision up to 9, 19, 28,
/// 38 (MS-TDS 2.2.5.5.1.6).
pub fn decimal_byte_len(precision: u8) -> u8 {
    match precision {
        0..=9 => 5,
        10..=19 => 9,
        20..=28 => 13,
        _ => 17,
    }
}

/// Reads TYPE_INFO. Fixed forms give `fixed: true`; the pre-7.0 short string types and
/// table-valued parameters are refused by name rather than misread.
pub fn decode_type_info(r: &mut ByteReader<'_>) -> DecodeResult<TypeInfo> {
    use type_code::*;
    let code = r.u8()?;
    let fixed = |ty| Ok(TypeInfo { ty, fixed: true });
    let ty = match code {
        INT1 => return fixed(SqlType::TinyInt),
        BIT => return fixed(SqlType::Bit),
        INT2 => return fixed(SqlType::SmallInt),
        INT4 => return fixed(SqlType::Int),
        INT8 => return fixed(SqlType::BigInt),
        FLT4 => return fixed(SqlType::Real),
        FLT8 => return fixed(SqlType::Float),
        MONEY => return fixed(SqlType::Money),
        MONEY4 => return fixed(SqlType::SmallMoney),
        DATETIME => return fixed(SqlType::DateTime),
        DATETIM4 => return fixed(SqlType::SmallDateTime),
        INTN => match r.u8()? {
            1 => SqlType::TinyInt,
            2 => SqlType::SmallInt,
            4 => SqlType::Int,
            8 => SqlType::BigInt,
            n => return Err(bad_len("INTN", n)),
        },
        BITN => match r.u8()? {
            1 => SqlType::Bit,
            n => return Err(bad_len("BITN", n)),
        },
        FLTN => match r.u8()? {
            4 => SqlType::Real,
            8 => SqlType::Float,
            n => return Err(bad_len("FLTN", n)),
        },
        MONEYN => match r.u8()? {
            4 => SqlType::SmallMoney,
            8 => SqlType::Money,
            n => return Err(bad_len("MONEYN", n)),
        },
        DATETIMN => match r.u8()? {
            4 => SqlType::SmallDateTime,
            8 => SqlType::DateTime,
            n => return Err(bad_len("DATETIMN", n)),
        },
        GUID => match r.u8()? {
            16 => SqlType::UniqueIdentifier,
            n => return Err(bad_len("GUID", n)),
        },
        // The legacy DECIMAL/NUMERIC bytes (MS-TDS 2.2.5.4.2, "legacy support") share the
        // DECIMALN layout.
        DECIMALN | NUMERICN | DECIMAL | NUMERIC => {
            let len = r.u8()?;
            let precision = r.u8()?;
            let scale = r.u8()?;
            if !(1..=38).contains(&precision) || scale > precision {
                return Err(DecodeError::malformed(
                    "TYPE_INFO",
                    format!("decimal precision {precision} and scale {scale} out of range"),
                ));
            }
            // The length byte is redundant (each value carries its own length, and precision
            // fixes the maximum); one shipping driver (mssql-python's bulk copy) repeats the type
            // byte there. Accept what precision makes unambiguous, as SQL Server evidently does.
            if !(2..=17).contains(&len) && len != code {
                return Err(bad_len("DECIMALN", len));
            }
            if code == DECIMALN || code == DECIMAL {
                SqlType::Decimal { precision, scale }
            } else {
                SqlType::Numeric { precision, scale }
            }
        }
        DATEN => SqlType::Date,
        TIMEN => SqlType::Time {
            scale: read_scale(r)?,
        },
        DATETIME2N => SqlType::DateTime2 {
            scale: read_scale(r)?,
        },
        DATETIMEOFFSETN => SqlType::DateTimeOffset {
            scale: read_scale(r)?,
        },
        BIGVARCHR => {
            let len = read_var_len(r, "varchar", 1)?;
            SqlType::VarChar {
                len,
                collation: read_collation(r)?,
            }
        }
        BIGCHAR => {
            let len = read_fixed_len(r, "char", 1)?;
            SqlType::Char {
                len,
                collation: read_collation(r)?,
            }
        }
        NVARCHAR => {
            let len = read_var_len(r, "nvarchar", 2)?;
            SqlType::NVarChar {
                len,
                collation: read_collation(r)?,
            }
        }
        NCHAR => {
            let len = read_fixed_len(r, "nchar", 2)?;
            SqlType::NChar {
                len,
                collation: read_collation(r)?,
            }
        }
        BIGVARBIN => SqlType::VarBinary {
            len: read_var_len(r, "varbinary", 1)?,
        },
        BIGBINARY => SqlType::Binary {
            len: read_fixed_len(r, "binary", 1)?,
        },
        TEXT | NTEXT | IMAGE | SSVARIANT | UDT | XML => large::decode(code, r)?,
        other => {
            return Err(DecodeError::malformed(
                "TYPE_INFO",
                format!(
                    "unsupported type 0x{other:02X} ({})",
                    unsupported_type_name(other)
                ),
            ))
        }
    };
    Ok(TypeInfo { ty, fixed: false })
}

fn bad_len(form: &str, len: u8) -> DecodeError {
    DecodeError::malformed("TYPE_INFO", format!("{form} with invalid length {len}"))
}

fn read_scale(r: &mut ByteReader<'_>) -> DecodeResult<u8> {
    match r.u8()? {
        s @ 0..=7 => Ok(s),
        s => Err(DecodeError::malformed(
            "TYPE_INFO",
            format!("fractional-second scale {s} exceeds 7"),
        )),
    }
}

fn read_collation(r: &mut ByteReader<'_>) -> DecodeResult<Collation> {
    Ok(Collation::from_bytes(r.array()?))
}

/// A 2-byte maximum length in bytes, converted to the declared length (characters for the
/// national types, hence `unit` 2). SQL Server caps declared lengths at 8000 bytes.
fn read_fixed_len(r: &mut ByteReader<'_>, what: &str, unit: u16) -> DecodeResult<u16> {
    let bytes = r.u16_le()?;
    if bytes > 8000 || (unit == 2 && bytes & 1 == 1) {
        return Err(DecodeError::malformed(
            "TYPE_INFO",
            format!("{what} with invalid maximum length {bytes}"),
        ));
    }
    Ok(bytes / unit)
}

fn read_var_len(r: &mut ByteReader<'_>, what: &str, unit: u16) -> DecodeResult<VarLen> {
    let mut peek = r.clone();
    if peek.u16_le()? == PLP_MAXLEN {
        *r = peek;
        return Ok(VarLen::Max);
    }
    read_fixed_len(r, what, unit).map(VarLen::Len)
}

/// Names of the type bytes this crate does not handle, for error messages.
fn unsupported_type_name(code: u8) -> &'static str {
    match code {
        0x1F => "null",
        0x22 => "image",
        0x23 => "text",
        0x25 => "legacy varbinary",
        0x27 => "legacy varchar",
        0x2D => "legacy binary",
        0x2F => "legacy char",
        0x62 => "sql_variant",
        0x63 => "ntext",
        0xF0 => "CLR UDT",
        0xF1 => "xml",
        0xF3 => "table-valued parameter",
        _ => "unknown type",
    }
}

/// Appends TYPE_INFO. `fixed` is honoured for the eleven types that have a fixed-length form
/// and ignored for the others, which only exist in a length-prefixed form.
pub fn encode_type_info(ti: &TypeInfo, buf: &mut BytesMut) {
    use type_code::*;
    if ti.fixed {
        if let Some(code) = fixed_code(&ti.ty) {
            buf.put_u8(code);
            return;
        }
    }
    match ti.ty {
        SqlType::TinyInt => buf.put_slice(&[INTN, 1]),
        SqlType::SmallInt => buf.put_slice(&[INTN, 2]),
        SqlType::Int => buf.put_slice(&[INTN, 4]),
        SqlType::BigInt => buf.put_slice(&[INTN, 8]),
        SqlType::Bit => buf.put_slice(&[BITN, 1]),
        SqlType::Real => buf.put_slice(&[FLTN, 4]),
        SqlType::Float => buf.put_slice(&[FLTN, 8]),
        SqlType::SmallMoney => buf.put_slice(&[MONEYN, 4]),
        SqlType::Money => buf.put_slice(&[MONEYN, 8]),
        SqlType::SmallDateTime => buf.put_slice(&[DATETIMN, 4]),
        SqlType::DateTime => buf.put_slice(&[DATETIMN, 8]),
        SqlType::UniqueIdentifier => buf.put_slice(&[GUID, 16]),
        SqlType::Decimal { precision, scale } => {
            buf.put_slice(&[DECIMALN, decimal_byte_len(precision), precision, scale])
        }
        SqlType::Numeric { precision, scale } => {
            buf.put_slice(&[NUMERICN, decimal_byte_len(precision), precision, scale])
        }
        SqlType::Date => buf.put_u8(DATEN),
        SqlType::Time { scale } => buf.put_slice(&[TIMEN, scale]),
        SqlType::DateTime2 { scale } => buf.put_slice(&[DATETIME2N, scale]),
        SqlType::DateTimeOffset { scale } => buf.put_slice(&[DATETIMEOFFSETN, scale]),
        SqlType::Char { len, collation } => put_string_info(buf, BIGCHAR, len, collation),
        SqlType::VarChar { len, collation } => {
            put_string_info(buf, BIGVARCHR, max_len(len, 1), collation)
        }
        SqlType::NChar { len, collation } => {
            put_string_info(buf, NCHAR, len.saturating_mul(2), collation)
        }
        SqlType::NVarChar { len, collation } => {
            put_string_info(buf, NVARCHAR, max_len(len, 2), collation)
        }
        SqlType::Binary { len } => {
            buf.put_u8(BIGBINARY);
            buf.put_u16_le(len);
        }
        SqlType::VarBinary { len } => {
            buf.put_u8(BIGVARBIN);
            buf.put_u16_le(max_len(len, 1));
        }
        SqlType::Text { .. }
        | SqlType::NText { .. }
        | SqlType::Image
        | SqlType::Xml
        | SqlType::Variant
        | SqlType::Udt { .. } => large::encode(&ti.ty, buf),
    }
}

/// The fixed-length type byte of `ty`, if it has one.
pub fn fixed_code(ty: &SqlType) -> Option<u8> {
    use type_code::*;
    Some(match ty {
        SqlType::TinyInt => INT1,
        SqlType::Bit => BIT,
        SqlType::SmallInt => INT2,
        SqlType::Int => INT4,
        SqlType::BigInt => INT8,
        SqlType::Real => FLT4,
        SqlType::Float => FLT8,
        SqlType::Money => MONEY,
        SqlType::SmallMoney => MONEY4,
        SqlType::DateTime => DATETIME,
        SqlType::SmallDateTime => DATETIM4,
        _ => return None,
    })
}

/// The wire maximum length in bytes (0xFFFF for `(max)`).
fn max_len(len: VarLen, unit: u16) -> u16 {
    match len {
        VarLen::Max => PLP_MAXLEN,
        // A declared length is at most 8000 bytes; saturating keeps a bogus one from
        // turning into 0xFFFF by wrapping.
        VarLen::Len(n) => n.saturating_mul(unit).min(PLP_MAXLEN - 1),
    }
}

fn put_string_info(buf: &mut BytesMut, code: u8, max_len: u16, collation: Collation) {
    buf.put_u8(code);
    buf.put_u16_le(max_len);
    buf.put_slice(&collation.to_bytes());
}

impl SqlType {
    /// The collation of a character type; `None` for the others.
    pub fn collation(&self) -> Option<Collation> {
        match *self {
            SqlType::Char { collation, .. }
            | SqlType::VarChar { collation, .. }
            | SqlType::NChar { collation, .. }
            | SqlType::NVarChar { collation, .. }
            | SqlType::Text { collation }
            | SqlType::NText { collation } => Some(collation),
            _ => None,
        }
    }

    /// True for `varchar(max)`, `nvarchar(max)`, `varbinary(max)`, `xml` and the CLR types,
    /// whose values are PLP.
    pub fn is_plp(&self) -> bool {
        matches!(
            self,
            SqlType::Xml
                | SqlType::Udt { .. }
                | SqlType::VarChar {
                    len: VarLen::Max,
                    ..
                }
                | SqlType::NVarChar {
                    len: VarLen::Max,
                    ..
                }
                | SqlType::VarBinary { len: VarLen::Max }
        )
    }
}

#[cfg(test)]
mod tests;
