//! `sql_variant` values (MS-TDS 2.2.5.5.4): a 4-byte length (0 = NULL), then the base type's
//! byte, the count of property bytes, the properties (precision and scale, a scale, a collation
//! and maximum length…) and the data, with no length prefix of its own.
//!
//! Both directions reuse the ordinary value codecs: the data is given the prefix its base type
//! would have in a row and read (or written) by [`decode_value`]/[`encode_value`], so every
//! range check of those types applies inside a variant too.

use super::decode::decode_value;
use super::encode::encode_value;
use super::Value;
use crate::collation::Collation;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::ByteReader;
use crate::type_info::type_code::*;
use crate::types::{SqlType, TypeInfo, VarLen};
use bytes::{BufMut, BytesMut};

/// The most data bytes a variant holds (MS-TDS 2.2.5.5.4: 8000 plus type and properties).
const MAX_DATA: usize = 8000;

/// Reads one sql_variant value (its 4-byte length included).
pub fn decode_variant(r: &mut ByteReader<'_>) -> DecodeResult<Value> {
    let len = r.u32_le()?;
    if len == 0 {
        return Ok(Value::Null);
    }
    let body = r.bytes(usize::try_from(len).map_err(|_| DecodeError::Incomplete)?)?;
    decode_body(body)
}

fn bad(detail: impl Into<String>) -> DecodeError {
    DecodeError::malformed("sql_variant", detail)
}

fn decode_body(body: &[u8]) -> DecodeResult<Value> {
    let mut r = ByteReader::new(body);
    let base = r.u8().map_err(|_| bad("no base type"))?;
    let prop_len = r.u8().map_err(|_| bad("no property count"))?;
    let props = r
        .bytes(usize::from(prop_len))
        .map_err(|_| bad("properties longer than the value"))?;
    let data = r.rest();
    let (ti, prefix) = base_type(base, props)?;
    // Give the data the prefix its type has in a row, then read it as a row value.
    let mut framed = Vec::with_capacity(data.len() + 2);
    match prefix {
        Prefix::None => {}
        Prefix::Byte => framed.push(u8::try_from(data.len()).map_err(|_| bad("data too long"))?),
        Prefix::Short => framed.extend_from_slice(
            &u16::try_from(data.len())
                .ok()
                .filter(|&n| n < 0xFFFF)
                .ok_or_else(|| bad("data too long"))?
                .to_le_bytes(),
        ),
    }
    framed.extend_from_slice(data);
    let mut fr = ByteReader::new(&framed);
    let v = decode_value(&ti, &mut fr).map_err(|e| match e {
        DecodeError::Incomplete => bad(format!("base type 0x{base:02X} with too little data")),
        e => e,
    })?;
    if !fr.is_empty() || matches!(v, Value::Null) {
        return Err(bad(format!(
            "base type 0x{base:02X} with {} data bytes",
            data.len()
        )));
    }
    Ok(v)
}

/// How the base type's data is prefixed in an ordinary row.
enum Prefix {
    None,
    Byte,
    Short,
}

/// The row type of a base type byte with its properties.
fn base_type(base: u8, props: &[u8]) -> DecodeResult<(TypeInfo, Prefix)> {
    let fixed = |ty| Ok((TypeInfo { ty, fixed: true }, Prefix::None));
    let byte = |ty| Ok((TypeInfo::nullable(ty), Prefix::Byte));
    let want = |n: usize| {
        if props.len() == n {
            Ok(())
        } else {
            Err(bad(format!(
                "base type 0x{base:02X} with {} property bytes",
                props.len()
            )))
        }
    };
    let collation = || -> DecodeResult<Collation> {
        want(7)?;
        let mut c = [0u8; 5];
        c.copy_from_slice(props.get(..5).ok_or_else(|| bad("short collation"))?);
        Ok(Collation::from_bytes(c))
    };
    let scale = || -> DecodeResult<u8> {
        want(1)?;
        match props.first() {
            Some(&s) if s <= 7 => Ok(s),
            _ => Err(bad("scale above 7")),
        }
    };
    let short = |ty| Ok((TypeInfo::nullable(ty), Prefix::Short));
    let max = VarLen::Len(8000);
    match base {
        INT1 => fixed(SqlType::TinyInt),
        BIT => fixed(SqlType::Bit),
        INT2 => fixed(SqlType::SmallInt),
        INT4 => fixed(SqlType::Int),
        INT8 => fixed(SqlType::BigInt),
        FLT4 => fixed(SqlType::Real),
        FLT8 => fixed(SqlType::Float),
        MONEY => fixed(SqlType::Money),
        MONEY4 => fixed(SqlType::SmallMoney),
        DATETIME => fixed(SqlType::DateTime),
        DATETIM4 => fixed(SqlType::SmallDateTime),
        GUID => {
            want(0)?;
            byte(SqlType::UniqueIdentifier)
        }
        DATEN => {
            want(0)?;
            byte(SqlType::Date)
        }
        TIMEN => byte(SqlType::Time { scale: scale()? }),
        DATETIME2N => byte(SqlType::DateTime2 { scale: scale()? }),
        DATETIMEOFFSETN => byte(SqlType::DateTimeOffset { scale: scale()? }),
        DECIMALN | NUMERICN => {
            want(2)?;
            let (precision, scale) = match props {
                [p @ 1..=38, s] if s <= p => (*p, *s),
                _ => return Err(bad("decimal precision or scale out of range")),
            };
            byte(SqlType::Decimal { precision, scale })
        }
        BIGVARCHR | BIGCHAR => short(SqlType::VarChar {
            len: max,
            collation: collation()?,
        }),
        NVARCHAR | NCHAR => short(SqlType::NVarChar {
            len: max,
            collation: collation()?,
        }),
        BIGVARBIN | BIGBINARY => {
            want(2)?;
            short(SqlType::VarBinary { len: max })
        }
        other => Err(bad(format!("base type 0x{other:02X} is not allowed"))),
    }
}

/// Appends `v` as a sql_variant (length included), choosing the base type from the value:
/// numbers keep their own type, a decimal becomes `numeric` with the digits it needs, text is
/// `nvarchar` in `collation`, bytes `varbinary`. At most 8000 data bytes.
pub fn write_variant(v: &Value, collation: Collation, buf: &mut BytesMut) -> Result<(), String> {
    let size = match v {
        Value::String(s) => s.encode_utf16().count().saturating_mul(2),
        Value::Binary(b) => b.len(),
        _ => 0,
    };
    if size > MAX_DATA {
        return Err(format!(
            "{size} bytes are more than a sql_variant holds (8000)"
        ));
    }
    let (base, props, ti): (u8, Vec<u8>, TypeInfo) = match *v {
        Value::Null => {
            buf.put_u32_le(0);
            return Ok(());
        }
        Value::Bit(_) => (BIT, vec![], fixed(SqlType::Bit)),
        Value::TinyInt(_) => (INT1, vec![], fixed(SqlType::TinyInt)),
        Value::SmallInt(_) => (INT2, vec![], fixed(SqlType::SmallInt)),
        Value::Int(_) => (INT4, vec![], fixed(SqlType::Int)),
        Value::BigInt(_) => (INT8, vec![], fixed(SqlType::BigInt)),
        Value::Real(_) => (FLT4, vec![], fixed(SqlType::Real)),
        Value::Float(_) => (FLT8, vec![], fixed(SqlType::Float)),
        Value::Money(_) => (MONEY, vec![], fixed(SqlType::Money)),
        Value::DateTime { .. } => (DATETIME, vec![], fixed(SqlType::DateTime)),
        Value::SmallDateTime { .. } => (DATETIM4, vec![], fixed(SqlType::SmallDateTime)),
        Value::Decimal(d) => {
            let digits = d
                .mantissa
                .unsigned_abs()
                .checked_ilog10()
                .map_or(1, |n| n + 1) as u8;
            let precision = digits.max(d.scale).clamp(1, 38);
            (
                NUMERICN,
                vec![precision, d.scale],
                TypeInfo::nullable(SqlType::Numeric {
                    precision,
                    scale: d.scale,
                }),
            )
        }
        Value::Guid(_) => (GUID, vec![], TypeInfo::nullable(SqlType::UniqueIdentifier)),
        Value::Date(_) => (DATEN, vec![], TypeInfo::nullable(SqlType::Date)),
        Value::Time(t) => (
            TIMEN,
            vec![t.scale],
            TypeInfo::nullable(SqlType::Time { scale: t.scale }),
        ),
        Value::DateTime2 { time, .. } => (
            DATETIME2N,
            vec![time.scale],
            TypeInfo::nullable(SqlType::DateTime2 { scale: time.scale }),
        ),
        Value::DateTimeOffset { time, .. } => (
            DATETIMEOFFSETN,
            vec![time.scale],
            TypeInfo::nullable(SqlType::DateTimeOffset { scale: time.scale }),
        ),
        Value::String(ref s) => {
            let bytes = s.encode_utf16().count() * 2;
            let mut props = collation.to_bytes().to_vec();
            props.extend_from_slice(
                &u16::try_from(bytes.min(MAX_DATA))
                    .unwrap_or(0)
                    .to_le_bytes(),
            );
            (
                NVARCHAR,
                props,
                TypeInfo::nullable(SqlType::NVarChar {
                    len: VarLen::Len(4000),
                    collation,
                }),
            )
        }
        Value::Binary(ref b) => (
            BIGVARBIN,
            u16::try_from(b.len().min(MAX_DATA))
                .unwrap_or(0)
                .to_le_bytes()
                .to_vec(),
            TypeInfo::nullable(SqlType::VarBinary {
                len: VarLen::Len(8000),
            }),
        ),
    };
    let mut data = BytesMut::new();
    encode_value(&ti, v, &mut data).map_err(|e| match e {
        super::ConvertError::Invalid { reason, .. } => reason,
    })?;
    // Drop the row prefix: none for the fixed forms, 1 byte for BYTELEN, 2 for the strings.
    let skip = match base {
        NVARCHAR | BIGVARBIN => 2,
        NUMERICN | GUID | DATEN | TIMEN | DATETIME2N | DATETIMEOFFSETN => 1,
        _ => 0,
    };
    let data = data.get(skip..).ok_or("empty value")?;
    if data.len() > MAX_DATA {
        return Err(format!(
            "{} bytes are more than a sql_variant holds (8000)",
            data.len()
        ));
    }
    buf.put_u32_le((2 + props.len() + data.len()) as u32);
    buf.put_u8(base);
    buf.put_u8(props.len() as u8);
    buf.put_slice(&props);
    buf.put_slice(data);
    Ok(())
}

fn fixed(ty: SqlType) -> TypeInfo {
    TypeInfo { ty, fixed: true }
}
