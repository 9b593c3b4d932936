use super::*;

fn civil(y: i64, m: u32, d: u32) -> i32 {
    days_from_civil(y, m, d) as i32
}

#[test]
fn days_from_civil_counts_from_the_unix_epoch() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    assert_eq!(days_from_civil(1969, 12, 31), -1);
    assert_eq!(days_from_civil(1900, 3, 1), -25_508);
}

#[test]
fn serial_dates_in_the_1900_system_skip_the_nonexistent_leap_day() {
    let d = |s: f64| from_serial(s, false, DateKind::Date);
    assert_eq!(d(1.0).unwrap().days, civil(1900, 1, 1));
    assert_eq!(d(59.0).unwrap().days, civil(1900, 2, 28));
    assert_eq!(d(60.0), Err(NONEXISTENT_1900_02_29));
    assert_eq!(d(61.0).unwrap().days, civil(1900, 3, 1));
    assert_eq!(d(45_356.0).unwrap().days, civil(2024, 3, 5));
    assert_eq!(d(25_569.0).unwrap().days, 0);
}

#[test]
fn serial_dates_in_the_1904_system_count_from_1904() {
    let d = |s: f64| from_serial(s, true, DateKind::Date).unwrap().days;
    assert_eq!(d(0.0), civil(1904, 1, 1));
    assert_eq!(d(43_894.0), civil(2024, 3, 5));
}

#[test]
fn serial_times_round_to_the_millisecond() {
    let t = from_serial(45_943.541, false, DateKind::DateTime).unwrap();
    assert_eq!(t.days, civil(2025, 10, 13));
    assert_eq!(
        t.nanos,
        ((12 * 60 + 59) * 60 + 2) * 1_000_000_000 + 400_000_000
    );
    let noon = from_serial(0.5, false, DateKind::Time).unwrap();
    assert_eq!((noon.days, noon.nanos), (0, 43_200_000_000_000));
}

#[test]
fn a_time_that_rounds_up_to_midnight_carries_into_the_next_day() {
    let t = from_serial(45_356.999_999_999, false, DateKind::DateTime).unwrap();
    assert_eq!((t.days, t.nanos), (civil(2024, 3, 6), 0));
}

#[test]
fn serials_outside_excels_range_are_errors_not_dates() {
    assert_eq!(
        from_serial(-1.0, false, DateKind::Date),
        Err(SERIAL_OUT_OF_RANGE)
    );
    assert_eq!(
        from_serial(3.0e6, false, DateKind::Date),
        Err(SERIAL_OUT_OF_RANGE)
    );
    assert_eq!(
        from_serial(f64::NAN, false, DateKind::Date),
        Err(SERIAL_OUT_OF_RANGE)
    );
}

#[test]
fn durations_keep_whole_days_apart_from_the_clock() {
    let d = from_serial(1.5, false, DateKind::Duration).unwrap();
    assert_eq!(
        (d.days, d.nanos, d.kind),
        (1, 43_200_000_000_000, DateKind::Duration)
    );
}

#[test]
fn number_formats_are_classified_by_their_date_and_time_parts() {
    assert_eq!(kind_of_format("yyyy-mm-dd"), Some(DateKind::Date));
    assert_eq!(kind_of_format("mm-dd-yy"), Some(DateKind::Date));
    assert_eq!(kind_of_format("mmm-yy"), Some(DateKind::Date));
    assert_eq!(kind_of_format("d/m/yyyy h:mm"), Some(DateKind::DateTime));
    assert_eq!(kind_of_format("h:mm:ss AM/PM"), Some(DateKind::Time));
    assert_eq!(kind_of_format("mm:ss"), Some(DateKind::Time));
    assert_eq!(kind_of_format("[h]:mm:ss"), Some(DateKind::Duration));
    assert_eq!(
        kind_of_format("[$-409]dddd, mmmm d, yyyy"),
        Some(DateKind::Date)
    );
    assert_eq!(kind_of_format("[Red]0.00"), None);
    assert_eq!(kind_of_format("0.00E+00"), None);
    assert_eq!(kind_of_format("General"), None);
    assert_eq!(kind_of_format("#,##0 \"days\""), None);
    assert_eq!(kind_of_format("0.00;[Red]-0.00"), None);
}

#[test]
fn iso_dates_and_datetimes_parse_exactly() {
    let d = from_iso_datetime("2024-03-05").unwrap();
    assert_eq!(
        (d.days, d.nanos, d.kind),
        (civil(2024, 3, 5), 0, DateKind::Date)
    );
    let dt = from_iso_datetime("2024-03-05T13:45:07.25").unwrap();
    assert_eq!(dt.kind, DateKind::DateTime);
    assert_eq!(
        dt.nanos,
        ((13 * 60 + 45) * 60 + 7) * 1_000_000_000 + 250_000_000
    );
    assert_eq!(from_iso_datetime("2023-02-29"), Err(BAD_ISO_DATE));
    assert_eq!(from_iso_datetime("2024-03-05T25:00:00"), Err(BAD_ISO_DATE));
    assert_eq!(from_iso_datetime("2024-03-05Z"), Err(BAD_ISO_DATE));
    assert_eq!(from_iso_datetime("not a date"), Err(BAD_ISO_DATE));
    assert_eq!(from_iso_datetime("２０２４-03-05"), Err(BAD_ISO_DATE));
}

#[test]
fn iso_durations_under_a_day_are_times_and_longer_ones_durations() {
    let t = from_iso_duration("PT13H45M00S").unwrap();
    assert_eq!(
        (t.days, t.nanos, t.kind),
        (0, (13 * 60 + 45) * 60 * 1_000_000_000, DateKind::Time)
    );
    let d = from_iso_duration("PT36H00M00S").unwrap();
    assert_eq!(
        (d.days, d.nanos, d.kind),
        (1, 12 * 3_600_000_000_000, DateKind::Duration)
    );
    assert_eq!(
        from_iso_duration("P1DT0H").unwrap().kind,
        DateKind::Duration
    );
    assert_eq!(from_iso_duration("PT1X"), Err(BAD_ISO_DATE));
    assert_eq!(from_iso_duration("T1H"), Err(BAD_ISO_DATE));
    assert_eq!(from_iso_duration("PT5"), Err(BAD_ISO_DATE));
}
