use super::*;
use crate::field::{DateKind, SheetDateTime};
use crate::infer::parse::calendar::days_from_civil;

fn rule(sql_type: SqlType) -> ColumnRule {
    ColumnRule {
        sql_type,
        date_order: DateOrder::MonthFirst,
        nulls: NullPolicy::default(),
    }
}

fn text(s: &str, t: SqlType) -> Result<Converted<'_>, ConvertFailure> {
    convert(Field::Text(s), &rule(t)).map_err(|e| e.reason)
}

#[test]
fn nulls_convert_to_null_whatever_the_type() {
    for t in [SqlType::Int, SqlType::Date, SqlType::VarChar(Some(3))] {
        assert_eq!(text("NULL", t), Ok(Converted::Null));
        assert_eq!(convert(Field::Empty, &rule(t)), Ok(Converted::Null));
        assert_eq!(convert(Field::Error("#N/A"), &rule(t)), Ok(Converted::Null));
    }
}

#[test]
fn empty_kept_apart_is_an_empty_string_or_an_error() {
    let mut r = rule(SqlType::VarChar(Some(3)));
    r.nulls = NullPolicy::new(Vec::new(), false);
    assert_eq!(convert(Field::Empty, &r), Ok(Converted::Text("")));
    r.sql_type = SqlType::Int;
    assert_eq!(
        convert(Field::Empty, &r).map_err(|e| e.reason),
        Err(ConvertFailure::EmptyNotNull)
    );
}

#[test]
fn integers_convert_within_their_type_range() {
    assert_eq!(text(" 42 ", SqlType::Int), Ok(Converted::Int(42)));
    assert_eq!(
        text("2147483648", SqlType::Int),
        Err(ConvertFailure::OutOfRange)
    );
    assert_eq!(
        text("2147483648", SqlType::BigInt),
        Ok(Converted::Int(2_147_483_648))
    );
    assert_eq!(
        text("256", SqlType::TinyInt),
        Err(ConvertFailure::OutOfRange)
    );
    assert_eq!(text("1.5", SqlType::Int), Err(ConvertFailure::TooPrecise));
    assert_eq!(text("007", SqlType::Int), Err(ConvertFailure::NotOfType));
}

#[test]
fn decimals_rescale_to_the_column_scale_and_never_round() {
    let t = SqlType::Decimal {
        precision: 5,
        scale: 2,
    };
    assert_eq!(
        text("12.5", t),
        Ok(Converted::Decimal {
            mantissa: 1250,
            scale: 2
        })
    );
    assert_eq!(
        text("-3", t),
        Ok(Converted::Decimal {
            mantissa: -300,
            scale: 2
        })
    );
    assert_eq!(text("1.234", t), Err(ConvertFailure::TooPrecise));
    assert_eq!(text("1000", t), Err(ConvertFailure::OutOfRange));
    assert_eq!(
        text("999.99", t),
        Ok(Converted::Decimal {
            mantissa: 99_999,
            scale: 2
        })
    );
    let wide = SqlType::Decimal {
        precision: 38,
        scale: 0,
    };
    let big = "9".repeat(38);
    assert!(text(&big, wide).is_ok());
}

#[test]
fn floats_take_every_number_form() {
    assert_eq!(text("1e3", SqlType::Float), Ok(Converted::Float(1000.0)));
    assert_eq!(text("2.5", SqlType::Float), Ok(Converted::Float(2.5)));
    assert_eq!(text("7", SqlType::Float), Ok(Converted::Float(7.0)));
}

#[test]
fn bits_take_words_and_zero_one() {
    assert_eq!(text("Yes", SqlType::Bit), Ok(Converted::Bool(true)));
    assert_eq!(text("0", SqlType::Bit), Ok(Converted::Bool(false)));
    assert_eq!(text("2", SqlType::Bit), Err(ConvertFailure::NotOfType));
}

#[test]
fn dates_follow_the_rule_order() {
    let days = days_from_civil(2024, 5, 3).unwrap();
    assert_eq!(
        text("05/03/2024", SqlType::Date),
        Ok(Converted::Date { days })
    );
    let mut day_first = rule(SqlType::Date);
    day_first.date_order = DateOrder::DayFirst;
    let days = days_from_civil(2024, 3, 5).unwrap();
    assert_eq!(
        convert(Field::Text("05/03/2024"), &day_first),
        Ok(Converted::Date { days })
    );
    assert_eq!(
        convert(Field::Text("03/25/2024"), &day_first).map_err(|e| e.reason),
        Err(ConvertFailure::NotOfType)
    );
}

#[test]
fn date_times_respect_the_scale_and_kind() {
    let days = days_from_civil(2024, 3, 5).unwrap();
    let nanos = (14 * 3600 + 30 * 60) * 1_000_000_000 + 120_000_000;
    assert_eq!(
        text("2024-03-05 14:30:00.12", SqlType::DateTime2(2)),
        Ok(Converted::DateTime { days, nanos })
    );
    assert_eq!(
        text("2024-03-05 14:30:00.123", SqlType::DateTime2(2)),
        Err(ConvertFailure::TooPrecise)
    );
    assert_eq!(
        text("2024-03-05", SqlType::DateTime2(0)),
        Ok(Converted::DateTime { days, nanos: 0 })
    );
    assert_eq!(
        text("2024-03-05 14:30", SqlType::Date),
        Err(ConvertFailure::NotOfType)
    );
    assert_eq!(
        text("2024-03-05T00:00:00-05:30", SqlType::DateTimeOffset(0)),
        Ok(Converted::DateTimeOffset {
            days,
            nanos: 0,
            offset_minutes: -330
        })
    );
    assert_eq!(
        text("2024-03-05", SqlType::DateTimeOffset(0)),
        Ok(Converted::DateTimeOffset {
            days,
            nanos: 0,
            offset_minutes: 0
        })
    );
    assert_eq!(
        text("2:30 PM", SqlType::Time(0)),
        Ok(Converted::Time {
            nanos: 52_200_000_000_000
        })
    );
    assert_eq!(
        text("2024-03-05T00:00:00Z", SqlType::DateTime2(0)),
        Err(ConvertFailure::NotOfType)
    );
}

#[test]
fn guids_and_text_convert_with_length_checks() {
    assert!(matches!(
        text(
            "6F9619FF-8B86-D011-B42D-00C04FC964FF",
            SqlType::UniqueIdentifier
        ),
        Ok(Converted::Guid([0x6F, ..]))
    ));
    assert_eq!(
        text(" ab ", SqlType::VarChar(Some(4))),
        Ok(Converted::Text(" ab "))
    );
    assert_eq!(
        text("abcde", SqlType::VarChar(Some(4))),
        Err(ConvertFailure::TooLong { length: 5 })
    );
    assert_eq!(
        text("𝒜𝒜", SqlType::NVarChar(Some(3))),
        Err(ConvertFailure::TooLong { length: 4 })
    );
    assert_eq!(
        text("𝒜𝒜", SqlType::NVarChar(None)),
        Ok(Converted::Text("𝒜𝒜"))
    );
}

#[test]
fn spreadsheet_cells_convert_to_their_column_type_or_to_text() {
    let r = |t| rule(t);
    assert_eq!(
        convert(Field::Float(3.0), &r(SqlType::Int)),
        Ok(Converted::Int(3))
    );
    assert_eq!(
        convert(
            Field::Float(12.5),
            &r(SqlType::Decimal {
                precision: 4,
                scale: 2
            })
        ),
        Ok(Converted::Decimal {
            mantissa: 1250,
            scale: 2
        })
    );
    assert_eq!(
        convert(Field::Float(0.1), &r(SqlType::Float)),
        Ok(Converted::Float(0.1))
    );
    assert_eq!(
        convert(Field::Bool(true), &r(SqlType::Bit)),
        Ok(Converted::Bool(true))
    );
    assert_eq!(
        convert(Field::Int(1), &r(SqlType::Bit)),
        Ok(Converted::Bool(true))
    );
    let dt = Field::DateTime(SheetDateTime {
        days: 19_787,
        nanos: 0,
        kind: DateKind::Date,
    });
    assert_eq!(
        convert(dt, &r(SqlType::Date)),
        Ok(Converted::Date { days: 19_787 })
    );
    match convert(Field::Int(42), &r(SqlType::VarChar(Some(5)))) {
        Ok(Converted::CellText(cell)) => {
            let text = crate::infer::cell_text::render_cell(cell);
            assert_eq!(text.as_ref().map(|t| t.as_str()), Some("42"));
        }
        other => panic!("{other:?}"),
    }
    assert!(convert(Field::Int(123_456), &r(SqlType::VarChar(Some(5)))).is_err());
    assert!(convert(Field::Bool(true), &r(SqlType::Date)).is_err());
}

#[test]
fn errors_name_the_value_and_the_expected_type() {
    let e = convert(Field::Text("abc"), &rule(SqlType::Int)).unwrap_err();
    assert_eq!(e.value, "abc");
    assert_eq!(e.expected, SqlType::Int);
    assert_eq!(e.to_string(), "\"abc\" is not a valid int value");
}

/// A varchar's length is in its collation's code page, which only the encoder knows: convert
/// refuses a value only when it has more characters than the column has bytes.
#[test]
fn varchar_lengths_count_characters_until_the_code_page_is_known() {
    let r = |n| rule(SqlType::VarChar(Some(n)));
    assert_eq!(
        convert(Field::Text("Besançon"), &r(8)),
        Ok(Converted::Text("Besançon"))
    );
    assert_eq!(
        convert(Field::Text("Besançon"), &r(7)).map_err(|e| e.reason),
        Err(ConvertFailure::TooLong { length: 8 })
    );
    assert_eq!(
        convert(Field::Text("abcdefgh"), &r(7)).map_err(|e| e.reason),
        Err(ConvertFailure::TooLong { length: 8 })
    );
}
