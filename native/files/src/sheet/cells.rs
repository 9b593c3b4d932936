//! calamine's cell values as [`Field`]s: a number stays a number, a date-formatted cell a
//! [`Field::DateTime`], an error an [`Field::Error`]; nothing becomes text to be parsed again.

use super::dates;
use crate::field::{DateKind, Field, SheetDateTime};
use calamine::{CellErrorType, Data, DataRef, ExcelDateTime};

/// The text Excel shows for an error value.
pub fn error_text(e: &CellErrorType) -> &'static str {
    match e {
        CellErrorType::Div0 => "#DIV/0!",
        CellErrorType::NA => "#N/A",
        CellErrorType::Name => "#NAME?",
        CellErrorType::Null => "#NULL!",
        CellErrorType::Num => "#NUM!",
        CellErrorType::Ref => "#REF!",
        CellErrorType::Value => "#VALUE!",
        CellErrorType::GettingData => "#DATA!",
    }
}

/// A serial date; `kind` is what the cell's number format shows where the reader knows it,
/// else it is judged from the value ([`dates::kind_of_serial`]).
fn serial<'a>(dt: &ExcelDateTime, is_1904: bool, kind: Option<DateKind>) -> Field<'a> {
    let value = dt.as_f64();
    let kind = if dt.is_duration() {
        DateKind::Duration
    } else {
        kind.unwrap_or_else(|| dates::kind_of_serial(value))
    };
    date_field(dates::from_serial(value, is_1904, kind))
}

fn date_field<'a>(d: Result<SheetDateTime, &'static str>) -> Field<'a> {
    match d {
        Ok(d) => Field::DateTime(d),
        Err(why) => Field::Error(why),
    }
}

/// A streamed cell (xlsx, xlsb).
pub fn from_data_ref<'a>(v: &'a DataRef<'_>, is_1904: bool, kind: Option<DateKind>) -> Field<'a> {
    match v {
        DataRef::Empty => Field::Empty,
        DataRef::Int(i) => Field::Int(*i),
        DataRef::Float(f) => Field::Float(*f),
        DataRef::Bool(b) => Field::Bool(*b),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::DateTime(dt) => serial(dt, is_1904, kind),
        DataRef::DateTimeIso(s) => date_field(dates::from_iso_datetime(s)),
        DataRef::DurationIso(s) => date_field(dates::from_iso_duration(s)),
        DataRef::Error(e) => Field::Error(error_text(e)),
    }
}

/// A cell of a loaded range (xls, ods; `ods` turns error texts into errors).
pub fn from_data(v: &Data, is_1904: bool, ods: bool) -> Field<'_> {
    match v {
        Data::String(s) if ods && ods_text_as_error(s) => Field::Error(s),
        Data::Empty => Field::Empty,
        Data::Int(i) => Field::Int(*i),
        Data::Float(f) => Field::Float(*f),
        Data::Bool(b) => Field::Bool(*b),
        Data::String(s) => text(s),
        Data::DateTime(dt) => serial(dt, is_1904, None),
        Data::DateTimeIso(s) => date_field(dates::from_iso_datetime(s)),
        Data::DurationIso(s) => date_field(dates::from_iso_duration(s)),
        Data::Error(e) => Field::Error(error_text(e)),
    }
}

/// An OpenDocument cell whose text is an error value: calamine reads a formula error in an
/// `.ods` (stored as a string cell, the error only in LibreOffice's `calcext:value-type`) as
/// its text, so Excel's error literals and LibreOffice's `Err:NNN` are taken back as errors.
/// A string typed as `#N/A` by hand is read the same way; it means the same thing.
pub fn ods_text_as_error(s: &str) -> bool {
    matches!(
        s,
        "#N/A" | "#DIV/0!" | "#VALUE!" | "#REF!" | "#NAME?" | "#NUM!" | "#NULL!"
    ) || s
        .strip_prefix("Err:")
        .is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A string cell; an empty string is an empty cell (Excel shows no difference).
fn text(s: &str) -> Field<'_> {
    if s.is_empty() {
        Field::Empty
    } else {
        Field::Text(s)
    }
}

/// A header cell's text: strings as they are, other values as a spreadsheet shows them by
/// default (dates in ISO 8601).
pub fn header_text(f: Field<'_>) -> String {
    match f {
        Field::Empty => String::new(),
        Field::Text(s) | Field::Error(s) => s.to_string(),
        Field::Int(i) => i.to_string(),
        Field::Float(x) => x.to_string(),
        Field::Bool(true) => "TRUE".to_string(),
        Field::Bool(false) => "FALSE".to_string(),
        Field::DateTime(d) => iso_text(&d),
    }
}

/// ISO 8601 text of a sheet date, time or date-time (durations as `[h]:mm:ss`).
pub fn iso_text(d: &SheetDateTime) -> String {
    let secs = d.nanos / 1_000_000_000;
    let millis = (d.nanos / 1_000_000) % 1000;
    let clock = if millis == 0 {
        format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!(
            "{:02}:{:02}:{:02}.{millis:03}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    };
    match d.kind {
        DateKind::Time => clock,
        DateKind::Date => civil_text(d.days),
        DateKind::DateTime => format!("{}T{clock}", civil_text(d.days)),
        DateKind::Duration => {
            let hours = i64::from(d.days) * 24 + (secs / 3600) as i64;
            format!("{hours}:{:02}:{:02}", secs / 60 % 60, secs % 60)
        }
    }
}

/// `YYYY-MM-DD` of days since 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_text(days: i32) -> String {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_through_as_error_fields_with_excels_text() {
        let v = DataRef::Error(CellErrorType::NA);
        assert_eq!(from_data_ref(&v, false, None), Field::Error("#N/A"));
        assert_eq!(
            from_data(&Data::Error(CellErrorType::Div0), false, false),
            Field::Error("#DIV/0!")
        );
    }

    #[test]
    fn date_formatted_serials_become_dates_with_the_formats_kind() {
        let dt = ExcelDateTime::new(45_356.5, calamine::ExcelDateTimeType::DateTime, false);
        let v = DataRef::DateTime(dt);
        let f = from_data_ref(&v, false, Some(DateKind::DateTime));
        let Field::DateTime(d) = f else {
            panic!("{f:?}")
        };
        assert_eq!(iso_text(&d), "2024-03-05T12:00:00");
        let whole = ExcelDateTime::new(45_356.0, calamine::ExcelDateTimeType::DateTime, false);
        let Field::DateTime(d) = from_data(&Data::DateTime(whole), false, false) else {
            panic!()
        };
        assert_eq!(
            (d.kind, iso_text(&d)),
            (DateKind::Date, "2024-03-05".to_string())
        );
    }

    #[test]
    fn the_nonexistent_1900_leap_day_is_an_error_field() {
        let dt = ExcelDateTime::new(60.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            from_data(&Data::DateTime(dt), false, false),
            Field::Error(dates::NONEXISTENT_1900_02_29)
        );
    }

    #[test]
    fn ods_error_texts_are_errors_but_only_in_ods() {
        let na = Data::String("#N/A".to_string());
        assert_eq!(from_data(&na, false, true), Field::Error("#N/A"));
        assert_eq!(from_data(&na, false, false), Field::Text("#N/A"));
        let lo = Data::String("Err:502".to_string());
        assert_eq!(from_data(&lo, false, true), Field::Error("Err:502"));
        let text = Data::String("#hashtag".to_string());
        assert_eq!(from_data(&text, false, true), Field::Text("#hashtag"));
    }

    #[test]
    fn header_text_shows_values_as_a_sheet_does() {
        assert_eq!(header_text(Field::Float(2.5)), "2.5");
        assert_eq!(header_text(Field::Float(2024.0)), "2024");
        assert_eq!(header_text(Field::Bool(true)), "TRUE");
        let d = SheetDateTime {
            days: 1,
            nanos: 3_600_000_000_000,
            kind: DateKind::Duration,
        };
        assert_eq!(iso_text(&d), "25:00:00");
    }
}
