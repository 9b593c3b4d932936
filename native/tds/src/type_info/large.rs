//! TYPE_INFO of the large and self-describing types (MS-TDS 2.2.5.4.2, 2.2.5.5.3-2.2.5.5.5):
//! `text`/`ntext`/`image` (LONGLEN, with a collation for the character ones and the table's
//! name in parts), `sql_variant` (LONGLEN), `xml` (XML_INFO: an optional schema collection) and
//! CLR types (UDT_INFO: the type's database, schema, name and assembly).
//!
//! The names are read in full, so the stream stays in step, and kept only where they change how
//! a value is read or named (a UDT's type name picks its [`UdtKind`]).

use super::type_code::{IMAGE, NTEXT, SSVARIANT, TEXT, UDT, XML};
use crate::collation::Collation;
use crate::error::{DecodeError, DecodeResult};
use crate::reader::{put_utf16le, ByteReader};
use crate::types::{SqlType, UdtKind};
use bytes::{BufMut, BytesMut};

/// The maximum lengths SQL Server announces: 2^31-1 bytes for text and image, 2^30-1
/// characters (in bytes) for ntext, 8009 for sql_variant (8000 bytes of data, base type and
/// properties, MS-TDS 2.2.5.5.4).
const TEXT_MAX: u32 = 0x7FFF_FFFF;
const NTEXT_MAX: u32 = 0x7FFF_FFFE;
const VARIANT_MAX: u32 = 8009;
/// UDT_INFO's maximum byte size for the types without a fixed bound (0xFFFF: "max").
const UDT_UNBOUNDED: u16 = 0xFFFF;
/// hierarchyid's maximum serialized size.
const HIERARCHYID_MAX: u16 = 892;

/// Reads the TYPE_INFO after the type byte `code` (one of the six handled here).
pub(super) fn decode(code: u8, r: &mut ByteReader<'_>) -> DecodeResult<SqlType> {
    Ok(match code {
        TEXT | NTEXT | IMAGE => {
            let _max = r.u32_le()?;
            let collation = if code == IMAGE {
                None
            } else {
                Some(Collation::from_bytes(r.array()?))
            };
            skip_table_name(r)?;
            match (code, collation) {
                (TEXT, Some(collation)) => SqlType::Text { collation },
                (NTEXT, Some(collation)) => SqlType::NText { collation },
                _ => SqlType::Image,
            }
        }
        SSVARIANT => {
            let _max = r.u32_le()?;
            SqlType::Variant
        }
        XML => {
            // SCHEMA_PRESENT, then the collection's database, owning schema and name.
            match r.u8()? {
                0 => {}
                1 => {
                    r.b_varchar()?;
                    r.b_varchar()?;
                    r.us_varchar()?;
                }
                b => {
                    return Err(DecodeError::malformed(
                        "TYPE_INFO",
                        format!("xml SCHEMA_PRESENT byte {b:#04x}"),
                    ))
                }
            }
            SqlType::Xml
        }
        UDT => {
            let _max = r.u16_le()?;
            let _database = r.b_varchar()?;
            let _schema = r.b_varchar()?;
            let type_name = r.b_varchar()?;
            let _assembly = r.us_varchar()?;
            SqlType::Udt {
                kind: UdtKind::from_type_name(&type_name),
            }
        }
        other => {
            return Err(DecodeError::malformed(
                "TYPE_INFO",
                format!("type 0x{other:02X} is not a large type"),
            ))
        }
    })
}

/// TableName (TDS 7.2+): NumParts, then each part as US_VARCHAR.
fn skip_table_name(r: &mut ByteReader<'_>) -> DecodeResult<()> {
    for _ in 0..r.u8()? {
        r.us_varchar()?;
    }
    Ok(())
}

/// Appends the TYPE_INFO of one of the six types handled here. The table name of
/// text/ntext/image is not kept, so one empty part stands for it; an xml column is described
/// without a schema collection; a CLR type by its `sys` name.
pub(super) fn encode(ty: &SqlType, buf: &mut BytesMut) {
    match *ty {
        SqlType::Text { collation } | SqlType::NText { collation } => {
            let (code, max) = match ty {
                SqlType::Text { .. } => (TEXT, TEXT_MAX),
                _ => (NTEXT, NTEXT_MAX),
            };
            buf.put_u8(code);
            buf.put_u32_le(max);
            buf.put_slice(&collation.to_bytes());
            put_empty_table_name(buf);
        }
        SqlType::Image => {
            buf.put_u8(IMAGE);
            buf.put_u32_le(TEXT_MAX);
            put_empty_table_name(buf);
        }
        SqlType::Variant => {
            buf.put_u8(SSVARIANT);
            buf.put_u32_le(VARIANT_MAX);
        }
        SqlType::Xml => buf.put_slice(&[XML, 0]),
        SqlType::Udt { kind } => {
            buf.put_u8(UDT);
            buf.put_u16_le(match kind {
                UdtKind::HierarchyId => HIERARCHYID_MAX,
                _ => UDT_UNBOUNDED,
            });
            put_b_varchar(buf, "");
            put_b_varchar(buf, "sys");
            put_b_varchar(buf, kind.name());
            put_us_varchar(buf, "");
        }
        // The other types have their own encoders in the parent module.
        _ => {}
    }
}

fn put_empty_table_name(buf: &mut BytesMut) {
    buf.put_u8(1);
    buf.put_u16_le(0);
}

fn put_b_varchar(buf: &mut BytesMut, s: &str) {
    // Only the short constant names above pass through here.
    buf.put_u8(s.encode_utf16().count().min(255) as u8);
    put_utf16le(buf, s);
}

fn put_us_varchar(buf: &mut BytesMut, s: &str) {
    buf.put_u16_le(s.encode_utf16().count().min(0xFFFF) as u16);
    put_utf16le(buf, s);
}
