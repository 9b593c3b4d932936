use super::*;

const H: u64 = 3_600_000_000_000;
const M: u64 = 60_000_000_000;
const S: u64 = 1_000_000_000;

fn any(s: &str) -> Temporal {
    parse_temporal(s, OrderSet::BOTH).unwrap_or_else(|| panic!("{s:?} should parse"))
}

fn day(y: u32, m: u32, d: u32) -> i32 {
    days_from_civil(y, m, d).unwrap()
}

#[test]
fn iso_and_year_first_dates_parse() {
    for s in ["2024-03-05", "2024/03/05", "2024.3.5", "2024-3-5"] {
        let t = any(s);
        assert_eq!(t.kind, TemporalKind::Date, "{s}");
        assert_eq!(t.days(DateOrder::DayFirst), day(2024, 3, 5), "{s}");
        assert_eq!(t.days(DateOrder::MonthFirst), day(2024, 3, 5), "{s}");
        assert_eq!(t.orders, OrderSet::BOTH);
        assert_eq!(t.form, DateForm::Fixed);
    }
}

#[test]
fn numeric_dates_report_the_orders_they_allow() {
    let t = any("05/03/2024");
    assert_eq!(t.orders, OrderSet::BOTH);
    assert_eq!(t.days(DateOrder::DayFirst), day(2024, 3, 5));
    assert_eq!(t.days(DateOrder::MonthFirst), day(2024, 5, 3));
    assert_eq!(t.form, DateForm::Numeric);

    let day_first_only = any("25/03/2024");
    assert_eq!(day_first_only.orders, OrderSet::DAY_FIRST);
    assert_eq!(day_first_only.days(DateOrder::MonthFirst), day(2024, 3, 25));

    assert_eq!(any("03/25/2024").orders, OrderSet::MONTH_FIRST);
    assert_eq!(parse_temporal("25/13/2024", OrderSet::BOTH), None);
    assert_eq!(parse_temporal("25/03/2024", OrderSet::MONTH_FIRST), None);
    // 31 April does not exist, 4 March 31... as day-first 31/04 fails, month-first 04/31 fails too.
    assert_eq!(parse_temporal("31/04/2024", OrderSet::BOTH), None);
}

#[test]
fn dotted_and_dashed_numeric_dates_parse() {
    let t = any("5.3.2024");
    assert_eq!(t.form, DateForm::Dotted);
    assert_eq!(t.days(DateOrder::DayFirst), day(2024, 3, 5));
    assert_eq!(any("5-3-2024").form, DateForm::Numeric);
    assert_eq!(parse_temporal("5.3-2024", OrderSet::BOTH), None);
}

#[test]
fn month_name_forms_parse_in_any_case() {
    for s in [
        "5-Mar-2024",
        "05-MAR-2024",
        "5 March 2024",
        "5/mar/2024",
        "March 5, 2024",
        "Mar 5 2024",
        "mar 05, 2024",
    ] {
        let t = any(s);
        assert_eq!(t.days(DateOrder::MonthFirst), day(2024, 3, 5), "{s}");
        assert_eq!(t.orders, OrderSet::BOTH, "{s}");
    }
    assert_eq!(
        any("5-Sept-2024").days(DateOrder::DayFirst),
        day(2024, 9, 5)
    );
    assert_eq!(parse_temporal("5-Mrz-2024", OrderSet::BOTH), None);
    assert_eq!(parse_temporal("30-Feb-2024", OrderSet::BOTH), None);
}

#[test]
fn date_times_carry_their_fraction_digits() {
    let t = any("2024-03-05 14:30:00.123");
    assert_eq!(t.kind, TemporalKind::DateTime);
    assert_eq!(t.nanos, 14 * H + 30 * M + 123_000_000);
    assert_eq!(t.frac_digits, 3);
    let t = any("2024-03-05T14:30");
    assert_eq!((t.nanos, t.frac_digits), (14 * H + 30 * M, 0));
    assert_eq!(any("2024-03-05T14:30:00.1234567").frac_digits, 7);
    assert_eq!(
        parse_temporal("2024-03-05T14:30:00.12345678", OrderSet::BOTH),
        None
    );
    assert_eq!(any("05/03/2024 2:30 PM").nanos, 14 * H + 30 * M);
}

#[test]
fn offsets_make_datetimeoffset_values() {
    let t = any("2024-03-05T14:30:00+02:00");
    assert_eq!(t.kind, TemporalKind::DateTimeOffset);
    assert_eq!(t.offset_minutes, 120);
    assert_eq!(any("2024-03-05T14:30:00Z").offset_minutes, 0);
    assert_eq!(any("2024-03-05 14:30:00 -0530").offset_minutes, -330);
    assert_eq!(any("2024-03-05T14:30:00+14").offset_minutes, 840);
    assert_eq!(
        parse_temporal("2024-03-05T14:30:00+15:00", OrderSet::BOTH),
        None
    );
    assert_eq!(
        parse_temporal("2024-03-05T14:30:00+02:00x", OrderSet::BOTH),
        None
    );
}

#[test]
fn times_parse_in_24_and_12_hour_forms() {
    let t = any("14:30");
    assert_eq!((t.kind, t.nanos), (TemporalKind::Time, 14 * H + 30 * M));
    assert_eq!(any("2:30 PM").nanos, 14 * H + 30 * M);
    assert_eq!(any("2:30pm").nanos, 14 * H + 30 * M);
    assert_eq!(any("12:00 AM").nanos, 0);
    assert_eq!(any("12:00 PM").nanos, 12 * H);
    assert_eq!(
        any("23:59:59.5").nanos,
        23 * H + 59 * M + 59 * S + 500_000_000
    );
    for s in [
        "24:00", "13:00 PM", "0:00 AM", "14:60", "14:3", "14:30Z", "14:30:61",
    ] {
        assert_eq!(parse_temporal(s, OrderSet::BOTH), None, "{s}");
    }
}

#[test]
fn malformed_and_out_of_range_values_are_not_temporal() {
    for s in [
        "",
        "2024",
        "05/03/24",
        "2024-02-30",
        "0000-01-01",
        "2024-03-05 ",
        "2024-03-05X14:30",
        "2024-03-05T",
        "12345-01-01",
        "March 2024",
        "5 3 2024",
        "hello",
        "2024-03-05T14:30:00.",
    ] {
        assert_eq!(parse_temporal(s, OrderSet::BOTH), None, "{s:?}");
    }
}
