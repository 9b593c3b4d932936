//! Every widening, with the row of the value that forced it; the day/month order; the bit rule;
//! NULL policy; spreadsheet cells.

use crate::field::{DateKind, SheetDateTime};
use crate::infer::parse::DateOrder;
use crate::infer::test_source::VecSource;
use crate::infer::{ColumnSchema, InferOptions, Inferrer, NullPolicy, SqlType};
use crate::Field;

fn infer_with(name: &str, values: &[&str], options: InferOptions) -> ColumnSchema {
    let mut src = VecSource::column(values);
    let mut inf = Inferrer::new(options, Some(vec![name.to_string()]));
    inf.observe_all(&mut src, None).unwrap();
    inf.finish().remove(0)
}

fn infer(values: &[&str]) -> ColumnSchema {
    infer_with("value", values, InferOptions::default())
}

/// `(from, to, row, value)` of each widening.
fn steps(c: &ColumnSchema) -> Vec<(String, String, u64, String)> {
    c.evidence
        .widenings
        .iter()
        .map(|w| (w.from.clone(), w.to.clone(), w.row, w.value.clone()))
        .collect()
}

fn step(from: &str, to: &str, row: u64, value: &str) -> (String, String, u64, String) {
    (from.into(), to.into(), row, value.into())
}

#[test]
fn integers_are_int_with_min_and_max() {
    let c = infer(&["3", "-7", "12"]);
    assert_eq!(c.sql_type, SqlType::Int);
    assert_eq!(c.evidence.min.as_deref(), Some("-7"));
    assert_eq!(c.evidence.max.as_deref(), Some("12"));
    assert!(steps(&c).is_empty());
    assert!(!c.nullable);
}

#[test]
fn a_value_outgrowing_int_late_makes_bigint_and_names_its_row() {
    let mut values = vec!["1"; 1_500_000];
    values.push("2147483648");
    values.push("5");
    let c = infer(&values);
    assert_eq!(c.sql_type, SqlType::BigInt);
    // Records start on row 2 (row 1 is the header): the 1,500,001st record is on row 1,500,002.
    assert_eq!(steps(&c), [step("int", "bigint", 1_500_002, "2147483648")]);
    assert_eq!(c.evidence.rows, 1_500_002);
}

#[test]
fn narrow_integers_widen_tinyint_smallint_int_bigint_one_step_each() {
    let options = InferOptions {
        narrow_integers: true,
        ..InferOptions::default()
    };
    let c = infer_with("n", &["7", "300", "70000", "5000000000"], options.clone());
    assert_eq!(c.sql_type, SqlType::BigInt);
    assert_eq!(
        steps(&c),
        [
            step("tinyint", "smallint", 3, "300"),
            step("smallint", "int", 4, "70000"),
            step("int", "bigint", 5, "5000000000"),
        ]
    );
    assert_eq!(
        infer_with("n", &["7", "255"], options.clone()).sql_type,
        SqlType::TinyInt
    );
    assert_eq!(
        infer_with("n", &["-1"], options).sql_type,
        SqlType::SmallInt
    );
}

#[test]
fn integers_beyond_bigint_widen_to_decimal_with_zero_scale() {
    let c = infer(&["1", "92233720368547758070"]);
    assert_eq!(
        c.sql_type,
        SqlType::Decimal {
            precision: 20,
            scale: 0
        }
    );
    assert_eq!(
        steps(&c),
        [step("int", "decimal", 3, "92233720368547758070")]
    );
}

#[test]
fn a_fraction_widens_int_to_decimal_with_precision_and_scale_evidence() {
    let c = infer(&["1200", "3.5", "-0.25", "99999"]);
    assert_eq!(
        c.sql_type,
        SqlType::Decimal {
            precision: 7,
            scale: 2
        }
    );
    assert_eq!(steps(&c), [step("int", "decimal", 3, "3.5")]);
    let d = c.evidence.decimal.as_ref().unwrap();
    assert_eq!((d.integer_digits, d.integer_digits_row), (5, 5));
    assert_eq!((d.scale, d.scale_row), (2, 4));
    assert_eq!(c.evidence.min.as_deref(), Some("-0.25"));
    assert_eq!(c.evidence.max.as_deref(), Some("99999.00"));
}

#[test]
fn decimal_widens_to_float_on_scientific_notation_or_precision_over_38() {
    let c = infer(&["1.5", "2e10"]);
    assert_eq!(c.sql_type, SqlType::Float);
    assert_eq!(steps(&c), [step("decimal", "float", 3, "2e10")]);
    let wide_int = "1".repeat(30);
    let wide_frac = format!("0.{}", "1".repeat(10));
    let c = infer(&[&wide_int, &wide_frac]);
    assert_eq!(c.sql_type, SqlType::Float);
    assert_eq!(steps(&c), [step("decimal", "float", 3, &wide_frac)]);
}

#[test]
fn leading_zeros_and_overlong_numbers_stay_text() {
    let c = infer(&["12345", "00501"]);
    assert_eq!(c.sql_type, SqlType::VarChar(Some(5)));
    assert_eq!(steps(&c), [step("int", "text", 3, "00501")]);
    let long = "4".repeat(40);
    let c = infer(&[&long]);
    assert_eq!(c.sql_type, SqlType::VarChar(Some(40)));
}

#[test]
fn text_after_numbers_widens_to_varchar_sized_by_every_value() {
    let c = infer(&["123456789", "n/a!", "x"]);
    assert_eq!(c.sql_type, SqlType::VarChar(Some(9)));
    assert_eq!((c.evidence.max_length, c.evidence.longest_row), (9, 2));
    assert_eq!(steps(&c), [step("int", "text", 3, "n/a!")]);
    assert!(c.evidence.widenings[0].reason.contains("int cannot hold"));
}

fn in_code_page(values: &[&str], cp: &'static encoding_rs::Encoding) -> ColumnSchema {
    let options = InferOptions {
        varchar_code_page: Some(cp),
        ..InferOptions::default()
    };
    infer_with("value", values, options)
}

/// With the target collation's code page given, text that code page holds is varchar, its
/// length in the code page's bytes; the first value it cannot hold makes nvarchar, and is
/// named with its row.
#[test]
fn text_a_target_code_page_holds_is_varchar_in_its_bytes() {
    let c = in_code_page(&["abc", "Straße €5", "naïve"], encoding_rs::WINDOWS_1252);
    assert_eq!(c.sql_type, SqlType::VarChar(Some(9)), "{c:?}");
    assert_eq!((c.evidence.max_length, c.evidence.longest_row), (9, 3));
    assert!(steps(&c).is_empty());
    assert!(
        c.evidence
            .notes
            .iter()
            .any(|n| n.contains("windows-1252 holds every value")),
        "{:?}",
        c.evidence.notes
    );

    let c = in_code_page(
        &["abc", "Straße", "Ελληνικά", "ok"],
        encoding_rs::WINDOWS_1252,
    );
    assert_eq!(c.sql_type, SqlType::NVarChar(Some(8)));
    assert_eq!(
        c.evidence
            .widenings
            .iter()
            .map(|w| (w.row, w.value.as_str(), w.reason.as_str()))
            .collect::<Vec<_>>(),
        [(
            4,
            "Ελληνικά",
            "not in windows-1252: nvarchar holds every character"
        )]
    );

    // Greek fits windows-1253; a UTF-8 collation holds everything, in UTF-8 bytes.
    assert_eq!(
        in_code_page(&["Ελληνικά"], encoding_rs::WINDOWS_1253).sql_type,
        SqlType::VarChar(Some(8))
    );
    assert_eq!(
        in_code_page(&["Straße", "𝒜"], encoding_rs::UTF_8).sql_type,
        SqlType::VarChar(Some(7))
    );
    // Shift_JIS: two bytes a kanji.
    assert_eq!(
        in_code_page(&["日本語"], encoding_rs::SHIFT_JIS).sql_type,
        SqlType::VarChar(Some(6))
    );
    // ASCII columns are varchar as before; numbers stay numbers.
    assert_eq!(
        in_code_page(&["a", "bc"], encoding_rs::WINDOWS_1252).sql_type,
        SqlType::VarChar(Some(2))
    );
    assert_eq!(
        in_code_page(&["1", "2"], encoding_rs::WINDOWS_1252).sql_type,
        SqlType::Int
    );
}

#[test]
fn non_ascii_text_is_nvarchar_in_utf16_units() {
    let c = infer(&["abc", "Straße", "𝒜𝒜"]);
    assert_eq!(c.sql_type, SqlType::NVarChar(Some(6)));
    assert_eq!(c.evidence.length_unit, "utf16CodeUnits");
    let first = c.evidence.first_non_ascii.as_ref().unwrap();
    assert_eq!((first.row, first.value.as_str()), (3, "Straße"));
    assert_eq!(steps(&c), [step("varchar", "nvarchar", 3, "Straße")]);
    assert_eq!(c.evidence.longest_row, 3);
    let c = infer(&["𝒜𝒜𝒜𝒜"]);
    assert_eq!(c.sql_type, SqlType::NVarChar(Some(8)));
    assert_eq!(
        infer(&[&"é".repeat(4001)]).sql_type,
        SqlType::NVarChar(None)
    );
    assert_eq!(infer(&[&"e".repeat(8001)]).sql_type, SqlType::VarChar(None));
}

#[test]
fn boolean_words_are_bit_and_a_number_other_than_0_or_1_makes_text() {
    assert_eq!(infer(&["true", "False", "yes", "N"]).sql_type, SqlType::Bit);
    assert_eq!(infer(&["true", "0", "1"]).sql_type, SqlType::Bit);
    let c = infer(&["0", "1", "yes"]);
    assert_eq!(c.sql_type, SqlType::Bit);
    assert_eq!(steps(&c), [step("int", "bit", 4, "yes")]);
    let c = infer(&["true", "2"]);
    assert_eq!(steps(&c), [step("bit", "text", 3, "2")]);
}

#[test]
fn zero_one_columns_are_bit_only_under_a_flag_name() {
    let values = ["0", "1", "1", "0"];
    for name in [
        "is_active",
        "has_children",
        "isDeleted",
        "vip_flag",
        "active",
        "Enabled",
    ] {
        let c = infer_with(name, &values, InferOptions::default());
        assert_eq!(c.sql_type, SqlType::Bit, "{name}");
        assert!(c.evidence.notes[0].starts_with("bit:"), "{name}");
    }
    for name in ["quantity", "island", "hash", "children"] {
        let c = infer_with(name, &values, InferOptions::default());
        assert_eq!(c.sql_type, SqlType::Int, "{name}");
        assert!(c.evidence.notes[0].starts_with("not bit"), "{name}");
    }
    assert_eq!(
        infer_with("is_x", &["0", "2"], InferOptions::default()).sql_type,
        SqlType::Int
    );
}

#[test]
fn dates_widen_to_datetime2_then_datetimeoffset_keeping_fraction_digits() {
    let c = infer(&[
        "2024-03-05",
        "2024-03-05 14:30:00.12",
        "2024-03-06T01:00:00.5+02:00",
    ]);
    assert_eq!(c.sql_type, SqlType::DateTimeOffset(2));
    assert_eq!(
        steps(&c),
        [
            step("date", "datetime2", 3, "2024-03-05 14:30:00.12"),
            step(
                "datetime2",
                "datetimeoffset",
                4,
                "2024-03-06T01:00:00.5+02:00"
            ),
        ]
    );
    let set_by = c.evidence.fraction_digits_set_by.as_ref().unwrap();
    assert_eq!(set_by.row, 3);
    let c = infer(&["2024-03-05 14:30:00.1234567", "2024-01-01 00:00"]);
    assert_eq!(c.sql_type, SqlType::DateTime2(7));
    assert_eq!(c.evidence.min.as_deref(), Some("2024-01-01 00:00:00"));
    assert_eq!(
        c.evidence.max.as_deref(),
        Some("2024-03-05 14:30:00.1234567")
    );
    assert_eq!(infer(&["2024-03-05"]).sql_type, SqlType::Date);
}

#[test]
fn times_are_time_n_and_a_date_among_times_makes_text() {
    let c = infer(&["14:30", "2:30 PM", "09:15:00.250"]);
    assert_eq!(c.sql_type, SqlType::Time(3));
    let c = infer(&["14:30", "2024-03-05"]);
    assert_eq!(steps(&c), [step("time", "text", 3, "2024-03-05")]);
}

#[test]
fn a_day_above_12_settles_the_order_for_the_whole_column() {
    let c = infer(&["05/03/2024", "07/04/2024", "25/12/2024", "01/02/2024"]);
    assert_eq!(c.sql_type, SqlType::Date);
    let order = c.evidence.date_order.as_ref().unwrap();
    assert_eq!(order.order, DateOrder::DayFirst);
    assert!(!order.ambiguous);
    let by = order.settled_by.as_ref().unwrap();
    assert_eq!((by.row, by.value.as_str()), (4, "25/12/2024"));
    assert_eq!(c.rule.date_order, DateOrder::DayFirst);
    // min/max read day first: 1 February … 25 December.
    assert_eq!(c.evidence.min.as_deref(), Some("2024-02-01"));
    assert_eq!(c.evidence.max.as_deref(), Some("2024-12-25"));

    let c = infer(&["03/05/2024", "12/31/2024"]);
    assert_eq!(
        c.evidence.date_order.as_ref().unwrap().order,
        DateOrder::MonthFirst
    );
}

#[test]
fn an_unsettled_column_is_reported_ambiguous_with_the_order_chosen() {
    let c = infer(&["05/03/2024", "07/04/2024"]);
    let order = c.evidence.date_order.as_ref().unwrap();
    assert!(order.ambiguous);
    assert_eq!(order.order, DateOrder::MonthFirst);
    assert!(
        order.reason.contains("no value has a day above 12"),
        "{}",
        order.reason
    );
    assert!(order.reason.contains("default order"), "{}", order.reason);

    let options = InferOptions {
        default_date_order: DateOrder::DayFirst,
        ..InferOptions::default()
    };
    let c = infer_with("d", &["05/03/2024"], options);
    assert_eq!(c.rule.date_order, DateOrder::DayFirst);

    let c = infer(&["5.3.2024", "7.4.2024"]);
    let order = c.evidence.date_order.as_ref().unwrap();
    assert_eq!((order.order, order.ambiguous), (DateOrder::DayFirst, true));
    assert!(order.reason.contains("dots"), "{}", order.reason);
}

#[test]
fn contradicting_day_month_orders_make_text_naming_both_rows() {
    let c = infer(&["25/03/2024", "03/25/2024"]);
    assert!(c.sql_type.is_text());
    assert_eq!(steps(&c), [step("date", "text", 3, "03/25/2024")]);
    let reason = &c.evidence.widenings[0].reason;
    assert!(reason.contains("row 2 (25/03/2024)"), "{reason}");
}

#[test]
fn guids_are_uniqueidentifier_until_something_else_appears() {
    let g = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
    assert_eq!(infer(&[g, g]).sql_type, SqlType::UniqueIdentifier);
    let c = infer(&[g, "none"]);
    assert_eq!(steps(&c), [step("uniqueidentifier", "text", 3, "none")]);
}

#[test]
fn null_tokens_and_empty_fields_count_as_nulls() {
    let c = infer(&["1", "", "NULL", "N/A", "\\N", "NA", "2"]);
    assert_eq!(c.sql_type, SqlType::Int);
    assert!(c.nullable);
    let e = &c.evidence;
    assert_eq!(
        (e.rows, e.values, e.nulls, e.empty_strings, e.null_tokens),
        (7, 2, 5, 1, 4)
    );
    let c = infer(&["1", "null"]);
    assert!(
        c.sql_type.is_text(),
        "lower-case null is not a default token"
    );
}

#[test]
fn custom_null_tokens_and_empty_kept_apart_from_null() {
    let options = InferOptions {
        nulls: NullPolicy::new(["-".to_string()], false),
        ..InferOptions::default()
    };
    let c = infer_with("v", &["1", "-", "2"], options.clone());
    assert_eq!((c.sql_type, c.nullable), (SqlType::Int, true));
    let c = infer_with("v", &["1", "", "2"], options.clone());
    assert_eq!(c.sql_type, SqlType::VarChar(Some(1)));
    assert_eq!(steps(&c), [step("int", "text", 3, "")]);
    assert!(!c.nullable);
    let c = infer_with("v", &["a", ""], options);
    assert_eq!(
        (c.sql_type, c.nullable, c.evidence.empty_strings),
        (SqlType::VarChar(Some(1)), false, 1)
    );
}

#[test]
fn a_column_without_values_is_nullable_varchar_1_with_a_note() {
    let c = infer(&["", "NULL"]);
    assert_eq!((c.sql_type, c.nullable), (SqlType::VarChar(Some(1)), true));
    assert!(c.evidence.notes[0].contains("no values"));
}

#[test]
fn spaces_around_typed_values_are_ignored_but_count_in_text_length() {
    let c = infer(&[" 42", "7 "]);
    assert_eq!(c.sql_type, SqlType::Int);
    let c = infer(&[" 42", "x"]);
    assert_eq!(c.sql_type, SqlType::VarChar(Some(3)));
}

#[test]
fn distinct_values_are_listed_for_small_sets() {
    let c = infer(&["b", "a", "b", "c", "a"]);
    assert_eq!(c.evidence.distinct, ["b", "a", "c"]);
    assert!(c.evidence.distinct_complete);
    let c = infer(&["1", "2", "3", "4", "5", "6"]);
    assert_eq!(c.evidence.distinct.len(), 5);
    assert!(!c.evidence.distinct_complete);
}

fn sheet_column(cells: Vec<Field<'static>>) -> ColumnSchema {
    let mut src = VecSource::new(cells.into_iter().map(|c| vec![c]).collect(), 2);
    let mut inf = Inferrer::new(InferOptions::default(), Some(vec!["v".into()]));
    inf.observe_all(&mut src, None).unwrap();
    inf.finish().remove(0)
}

#[test]
fn spreadsheet_cells_vote_their_own_types() {
    assert_eq!(
        sheet_column(vec![Field::Float(1.0), Field::Int(2)]).sql_type,
        SqlType::Int
    );
    assert_eq!(
        sheet_column(vec![Field::Float(12.5), Field::Float(0.25)]).sql_type,
        SqlType::Decimal {
            precision: 4,
            scale: 2
        }
    );
    assert_eq!(
        sheet_column(vec![Field::Float(1.0 / 3.0)]).sql_type,
        SqlType::Float
    );
    assert_eq!(
        sheet_column(vec![Field::Bool(true), Field::Bool(false)]).sql_type,
        SqlType::Bit
    );
    let date = |kind, nanos| {
        Field::DateTime(SheetDateTime {
            days: 19_787,
            nanos,
            kind,
        })
    };
    assert_eq!(
        sheet_column(vec![date(DateKind::Date, 0)]).sql_type,
        SqlType::Date
    );
    assert_eq!(
        sheet_column(vec![
            date(DateKind::Date, 0),
            date(DateKind::DateTime, 1_500_000_000)
        ])
        .sql_type,
        SqlType::DateTime2(1)
    );
    assert_eq!(
        sheet_column(vec![date(DateKind::Time, 3_600_000_000_000)]).sql_type,
        SqlType::Time(0)
    );
    let c = sheet_column(vec![Field::Int(5), Field::Text("five")]);
    assert_eq!(c.sql_type, SqlType::VarChar(Some(4)));
}

#[test]
fn spreadsheet_error_cells_count_as_nulls_with_the_first_one_quoted() {
    let c = sheet_column(vec![
        Field::Int(1),
        Field::Error("#N/A"),
        Field::Error("#DIV/0!"),
    ]);
    assert_eq!((c.sql_type, c.nullable), (SqlType::Int, true));
    assert_eq!(c.evidence.errors, 2);
    let first = c.evidence.first_error.as_ref().unwrap();
    assert_eq!((first.row, first.value.as_str()), (3, "#N/A"));
}
