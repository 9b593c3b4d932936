//! A converted field as a bulk cell: the parsed value moves over as it is (no text in between).

use sluice_files::infer::cell_text::{render_cell, CellText};
use sluice_files::infer::Converted;
use sluice_files::RowSource;
use tds::bulk::Cell;

/// The cell for a converted value. `CellText` (a spreadsheet number or date in a character
/// column) is written into `scratch`, a buffer on the caller's stack, and borrowed from there.
#[inline]
pub fn to_cell<'a>(v: Converted<'a>, scratch: &'a mut CellText) -> Cell<'a> {
    match v {
        Converted::Null => Cell::Null,
        Converted::Int(n) => Cell::Int(n),
        Converted::Decimal { mantissa, scale } => Cell::Decimal { mantissa, scale },
        Converted::Float(f) => Cell::Float(f),
        Converted::Bool(b) => Cell::Bool(b),
        Converted::Date { days } => Cell::Date { days },
        Converted::DateTime { days, nanos } => Cell::DateTime { days, nanos },
        Converted::DateTimeOffset {
            days,
            nanos,
            offset_minutes,
        } => Cell::DateTimeOffset {
            days,
            nanos,
            offset_minutes,
        },
        Converted::Time { nanos } => Cell::Time { nanos },
        Converted::Guid(g) => Cell::Guid(g),
        Converted::Text(s) => Cell::Text(s),
        Converted::CellText(field) => {
            *scratch = render_cell(field).unwrap_or_default();
            Cell::Text(scratch.as_str())
        }
    }
}

/// Field `i` of the current record as the bytes the file holds it in, `encoding` being the
/// record's [`RowSource::record_code_page`]: the text converted from that field, without the
/// decoded copy. `None` when the source offers no such bytes.
#[inline]
pub fn code_page_cell<'a>(
    src: &'a dyn RowSource,
    i: usize,
    encoding: &'static encoding_rs::Encoding,
) -> Option<Cell<'a>> {
    let bytes = src.field_code_page_bytes(i)?;
    Some(Cell::CodePage { bytes, encoding })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BytesMut;
    use sluice_files::infer::{convert, ColumnRule, DateOrder, NullPolicy, SqlType};
    use sluice_files::Field;
    use tds::bulk::{encode_cell, BulkColumn};
    use tds::types::SqlType as WireType;

    fn wire(ty: WireType, field: &str, rule: SqlType) -> Vec<u8> {
        let rule = ColumnRule {
            sql_type: rule,
            date_order: DateOrder::DayFirst,
            nulls: NullPolicy::default(),
        };
        let v = convert(Field::Text(field), &rule).expect("converts");
        let col = BulkColumn {
            name: "c".into(),
            ty,
            nullable: true,
            null_takes_default: false,
            identity: false,
            computed: false,
            collation_name: None,
        };
        let mut buf = BytesMut::new();
        let mut scratch = CellText::default();
        encode_cell(&col, to_cell(v, &mut scratch), &mut buf).expect("encodes");
        buf.to_vec()
    }

    fn text(ty: WireType, field: &str) -> Vec<u8> {
        let col = BulkColumn {
            name: "c".into(),
            ty,
            nullable: true,
            null_takes_default: false,
            identity: false,
            computed: false,
            collation_name: None,
        };
        let mut buf = BytesMut::new();
        encode_cell(&col, Cell::Text(field), &mut buf).expect("encodes");
        buf.to_vec()
    }

    /// A converted field reaches the wire as the same bytes SQL Server's own reading of the
    /// ISO text gives: day-first `31/01/2024` is 2024-01-31.
    #[test]
    fn converted_values_encode_like_their_iso_text() {
        assert_eq!(
            wire(WireType::Date, "31/01/2024", SqlType::Date),
            text(WireType::Date, "2024-01-31")
        );
        assert_eq!(
            wire(
                WireType::DateTime2 { scale: 3 },
                "31/01/2024 10:20:30.125",
                SqlType::DateTime2(3)
            ),
            text(WireType::DateTime2 { scale: 3 }, "2024-01-31 10:20:30.125")
        );
        let dec = WireType::Decimal {
            precision: 12,
            scale: 2,
        };
        assert_eq!(
            wire(
                dec,
                "-1234.5",
                SqlType::Decimal {
                    precision: 12,
                    scale: 2
                }
            ),
            text(dec, "-1234.50")
        );
        assert_eq!(
            wire(WireType::BigInt, "42", SqlType::BigInt),
            text(WireType::BigInt, "42")
        );
        assert_eq!(
            wire(
                WireType::UniqueIdentifier,
                "6f9619ff-8b86-d011-b42d-00c04fc964ff",
                SqlType::UniqueIdentifier
            ),
            text(
                WireType::UniqueIdentifier,
                "6F9619FF-8B86-D011-B42D-00C04FC964FF"
            )
        );
    }
}
