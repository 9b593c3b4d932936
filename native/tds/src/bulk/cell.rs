//! Row values of the bulk stream (MS-TDS 2.2.7.19 ROW, values as in 2.2.5.5), written from the
//! source's borrowed cells.
//!
//! [`encode_cell`] runs for every value of every row, so the common pairs allocate nothing:
//! numbers, booleans and JS dates become a heap-free [`Value`] handed to the crate's
//! [`encode_value`] (which is allocation-free unless it fails); text and UTF-16 go straight into
//! the buffer for character columns (`chars.rs`); a float for a decimal column is formatted on
//! the stack. Text for the other types goes through [`parse_text`], SQL Server's string
//! conversion. Where SQL Server would silently change the data, these refuse: a decimal
//! digit that does not fit the scale, a fraction for an integer column, NaN.

#[path = "typed_cell.rs"]
mod typed;

use super::chars::{binary_column, char_column, put_binary, put_chars, Src, StackText};
use super::code_page_text::{decoded, decoded_text, put_code_page_text};
use super::BulkColumn;
use crate::token::token_type;
use crate::types::{SqlType, TypeInfo};
use crate::value::encode::encode_value;
use crate::value::text::parse_text;
use crate::value::text::temporal::{coerce_temporal, MAX_DATE};
use crate::value::{Date, Decimal, Time, Value};
use bytes::{BufMut, BytesMut};
use encoding_rs::Encoding;

/// A value as it comes from the source: borrowed, on the stack, never heap-allocated.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'a str),
    Utf16(&'a [u16]),
    /// Text as its bytes in a single-byte, ASCII-compatible code page (a Windows-1252 file's
    /// field, as parsed): copied as it is into a `varchar` whose collation has that code page,
    /// else transcoded once into the column's encoding. A byte that is no character of the
    /// page is refused.
    CodePage {
        bytes: &'a [u8],
        encoding: &'static Encoding,
    },
    Bytes(&'a [u8]),
    /// A JS Date: milliseconds since 1970-01-01T00:00:00Z.
    DateMs(f64),
    /// A JS bigint or other wide integer.
    Int128(i128),
    /// An exact decimal `mantissa / 10^scale` (a file's number already parsed): written as is
    /// when the column's scale is at least `scale`, refused when it would round.
    Decimal {
        mantissa: i128,
        scale: u8,
    },
    /// A civil date: days since 1970-01-01.
    Date {
        days: i32,
    },
    /// A civil date and time without zone: days since 1970-01-01, nanoseconds since midnight.
    DateTime {
        days: i32,
        nanos: u64,
    },
    /// A local date and time and its offset from UTC (UTC = local − offset).
    DateTimeOffset {
        days: i32,
        nanos: u64,
        offset_minutes: i16,
    },
    /// A time of day: nanoseconds since midnight.
    Time {
        nanos: u64,
    },
    /// A GUID's 16 bytes in display (RFC 4122 written) order.
    Guid([u8; 16]),
}

/// Why a cell could not be encoded into its column; the caller adds the row number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("column {column}: {reason}")]
pub struct CellError {
    pub column: String,
    /// The value as text, shortened to about 100 characters.
    pub value: String,
    pub reason: String,
}

/// Writes the ROW token byte (0xD1); the row's cells follow, one per column in order.
pub fn begin_row(buf: &mut BytesMut) {
    buf.put_u8(token_type::ROW);
}

/// Appends `cell` in the row encoding of `col`'s nullable ("N") form, the form
/// [`super::encode_bulk_colmetadata`] announces. On error nothing is written.
///
/// NULL into a NOT NULL column is refused here rather than by the server, which would fail the
/// whole batch. Numbers are range-checked; decimal, numeric and money take a float through its
/// shortest round-trip text and refuse non-zero digits beyond the column's scale; integer
/// columns refuse fractions (`2.0` is fine); NaN and infinities are refused everywhere; JS dates
/// are UTC and round to the column's precision as SQL Server rounds (`datetime` to 1/300 s);
/// text is checked against the column length in its own units (code-page bytes for varchar,
/// UTF-16 code units for nvarchar). Numbers, booleans and dates written into a character column
/// become their text (`42`, `0.5`, `true`, `2024-01-31T12:00:00.000Z`).
#[inline]
pub fn encode_cell(col: &BulkColumn, cell: Cell<'_>, buf: &mut BytesMut) -> Result<(), CellError> {
    let start = buf.len();
    write_cell(col, cell, buf).map_err(|reason| {
        buf.truncate(start);
        CellError {
            column: col.name.clone(),
            value: describe(cell),
            reason,
        }
    })
}

#[inline]
fn write_cell(col: &BulkColumn, cell: Cell<'_>, buf: &mut BytesMut) -> Result<(), String> {
    let ty = &col.ty;
    match cell {
        Cell::Null if !col.nullable && !col.null_takes_default => {
            Err("NULL into a NOT NULL column".into())
        }
        Cell::Null => put_value(ty, &Value::Null, buf),
        Cell::Float(f) if !f.is_finite() => {
            Err(format!("{} cannot be stored in SQL Server", show_float(f)))
        }
        _ if matches!(ty, SqlType::Variant) => write_variant_cell(cell, buf),
        Cell::Text(s) => write_text(ty, s, buf),
        Cell::CodePage { bytes, encoding } => match char_column(ty) {
            Some((collation, frame)) => put_code_page_text(collation, frame, bytes, encoding, buf),
            // Numbers, dates and the like as text in a code page: rare, decoded once.
            None => write_text(ty, &decoded_text(bytes, encoding)?, buf),
        },
        Cell::Utf16(units) => match char_column(ty) {
            Some((collation, frame)) => put_chars(collation, frame, Src::Utf16(units), buf),
            None => {
                // Numbers, dates and GUIDs as text are short ASCII: narrowed on the stack.
                let mut ascii = [0u8; 64];
                if units.len() <= ascii.len() && units.iter().all(|&u| u < 0x80) {
                    for (d, &u) in ascii.iter_mut().zip(units) {
                        *d = u as u8;
                    }
                    let s =
                        std::str::from_utf8(&ascii[..units.len()]).map_err(|e| e.to_string())?;
                    return write_text(ty, s, buf);
                }
                let s = String::from_utf16(units)
                    .map_err(|_| "invalid UTF-16 text (unpaired surrogate)".to_string())?;
                write_text(ty, &s, buf)
            }
        },
        _ if char_column(ty).is_some() => write_as_text(ty, cell, buf),
        Cell::Bytes(b) => write_bytes(ty, b, buf),
        _ if typed::put_direct(ty, cell, buf) => Ok(()),
        Cell::Float(_)
        | Cell::Bool(_)
        | Cell::Int(_)
        | Cell::Int128(_)
        | Cell::DateMs(_)
        | Cell::Decimal { .. }
        | Cell::Date { .. }
        | Cell::DateTime { .. }
        | Cell::DateTimeOffset { .. }
        | Cell::Time { .. }
        | Cell::Guid(_) => write_parsed(ty, cell, buf),
    }
}

/// A number, boolean or parsed date/time/GUID into a column that is not character data, through
/// the crate's value encoder (the common exact pairs skip it: [`typed::put_direct`]).
fn write_parsed(ty: &SqlType, cell: Cell<'_>, buf: &mut BytesMut) -> Result<(), String> {
    match cell {
        Cell::Float(f) => write_float(ty, f, buf),
        Cell::Bool(b) => put_value(ty, &Value::Bit(b), buf),
        Cell::Int(n) => put_value(ty, &Value::BigInt(n), buf),
        Cell::Int128(n) => put_value(
            ty,
            &Value::Decimal(Decimal {
                mantissa: n,
                scale: 0,
            }),
            buf,
        ),
        Cell::DateMs(ms) => put_value(ty, &date_ms_value(ms)?, buf),
        Cell::Decimal { .. }
        | Cell::Date { .. }
        | Cell::DateTime { .. }
        | Cell::DateTimeOffset { .. }
        | Cell::Time { .. }
        | Cell::Guid(_) => put_value(ty, &typed::value_of(ty, cell)?, buf),
        _ => Err("not a parsed value".into()),
    }
}

/// A sql_variant takes each value with the base type its source kind suggests, as SqlBulkCopy
/// does for a .NET value: text → nvarchar, an integer → int (bigint beyond its range), a
/// JS number → float,
/// a boolean → bit, a Date → datetime2(7) (UTC), bytes → varbinary, a wider bigint → numeric.
/// Each value is at most 8000 bytes (MS-TDS 2.2.5.5.4).
fn write_variant_cell(cell: Cell<'_>, buf: &mut BytesMut) -> Result<(), String> {
    let v = match cell {
        Cell::Null => Value::Null,
        Cell::Bool(b) => Value::Bit(b),
        // As SQL Server types an integer literal: int when it fits, else bigint.
        Cell::Int(n) => i32::try_from(n).map_or(Value::BigInt(n), Value::Int),
        Cell::Float(f) => Value::Float(f),
        Cell::Text(s) => Value::String(s.to_string()),
        Cell::CodePage { bytes, encoding } => Value::String(decoded_text(bytes, encoding)?),
        Cell::Utf16(u) => Value::String(
            String::from_utf16(u)
                .map_err(|_| "invalid UTF-16 text (unpaired surrogate)".to_string())?,
        ),
        Cell::Bytes(b) => Value::Binary(b.to_vec()),
        Cell::DateMs(ms) => date_ms_value(ms)?,
        Cell::Int128(n) => Value::Decimal(Decimal {
            mantissa: n,
            scale: 0,
        }),
        _ => typed::plain_value(cell)?,
    };
    put_value(&SqlType::Variant, &v, buf)
}

/// The crate's value encoder on the nullable form; `v` holds no heap data on the hot paths.
#[inline]
fn put_value(ty: &SqlType, v: &Value, buf: &mut BytesMut) -> Result<(), String> {
    encode_value(&TypeInfo::nullable(*ty), v, buf).map_err(|e| e.to_string())
}

fn is_integer(ty: &SqlType) -> bool {
    matches!(
        ty,
        SqlType::TinyInt | SqlType::SmallInt | SqlType::Int | SqlType::BigInt
    )
}

/// The scale of the exact decimal types (money and smallmoney have 4).
fn exact_scale(ty: &SqlType) -> Option<u8> {
    match *ty {
        SqlType::Decimal { scale, .. } | SqlType::Numeric { scale, .. } => Some(scale),
        SqlType::Money | SqlType::SmallMoney => Some(4),
        _ => None,
    }
}

fn write_text(ty: &SqlType, s: &str, buf: &mut BytesMut) -> Result<(), String> {
    if let Some((collation, frame)) = char_column(ty) {
        return put_chars(collation, frame, Src::Str(s), buf);
    }
    if let Some(scale) = exact_scale(ty) {
        return write_exact_decimal(ty, scale, s, buf);
    }
    if is_integer(ty) {
        return write_integer_text(ty, s, buf);
    }
    let v = parse_text(ty, s).map_err(|e| e.to_string())?;
    put_value(ty, &v, buf)
}

fn write_float(ty: &SqlType, f: f64, buf: &mut BytesMut) -> Result<(), String> {
    if is_integer(ty) && f.fract() != 0.0 {
        return Err(format!(
            "value {} is not a whole number for {}",
            show_float(f),
            ty.sql_name()
        ));
    }
    if let Some(scale) = exact_scale(ty) {
        // Display is the shortest text that reads back as `f`, never with an exponent: 0.1
        // is "0.1", 0.1 + 0.2 is "0.30000000000000004".
        let text = StackText::format(format_args!("{f}")).ok_or("cannot format the number")?;
        return write_exact_decimal(ty, scale, text.as_str(), buf);
    }
    put_value(ty, &Value::Float(f), buf)
}

/// Decimal text for decimal/numeric/money: `parse_text` rounds extra digits as SQL Server
/// does, so digits beyond the scale are checked first; only zeros may go.
fn write_exact_decimal(
    ty: &SqlType,
    scale: u8,
    text: &str,
    buf: &mut BytesMut,
) -> Result<(), String> {
    if let Some(v) = plain_exact(ty, scale, text.as_bytes()) {
        return put_value(ty, &v, buf);
    }
    let t = text.trim();
    if let Some((_, frac)) = t.split_once('.') {
        let all_digits = frac.bytes().all(|b| b.is_ascii_digit());
        if all_digits && frac.bytes().skip(usize::from(scale)).any(|b| b != b'0') {
            return Err(format!(
                "value {} has more than {scale} decimal places for {}",
                shorten(t),
                ty.sql_name()
            ));
        }
    }
    let v = parse_text(ty, text).map_err(|e| e.to_string())?;
    put_value(ty, &v, buf)
}

/// The common case of decimal text in one pass: `[-]digits[.digits]` with at most `scale`
/// fractional digits and at most 18 digits in all, so it is exact and cannot overflow. `None`
/// for anything else (spaces, `+`, rounding, long numbers, values that do not fit `ty`): the
/// general path decides those and words the error.
fn plain_exact(ty: &SqlType, scale: u8, text: &[u8]) -> Option<Value> {
    let (negative, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut m: u64 = 0;
    let mut digits = 0usize;
    let mut frac_digits: Option<u8> = None;
    for &b in body {
        match b {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(b - b'0');
                digits += 1;
                if let Some(f) = frac_digits.as_mut() {
                    *f += 1;
                    if *f > scale {
                        return None;
                    }
                }
                if digits > 18 {
                    return None;
                }
            }
            b'.' if frac_digits.is_none() => frac_digits = Some(0),
            _ => return None,
        }
    }
    let f = frac_digits.unwrap_or(0);
    if digits == 0 || usize::from(scale - f) + digits > 18 {
        return None;
    }
    let m = m * 10u64.pow(u32::from(scale - f));
    let m = if negative { -(m as i128) } else { m as i128 };
    Some(match *ty {
        SqlType::Decimal { precision, .. } | SqlType::Numeric { precision, .. } => {
            if !crate::value::text::numeric::fits_precision(m, precision) {
                return None;
            }
            Value::Decimal(Decimal { mantissa: m, scale })
        }
        SqlType::Money => Value::Money(m as i64),
        SqlType::SmallMoney => Value::Money(i64::from(i32::try_from(m).ok()?)),
        _ => return None,
    })
}

/// Integer text; `2.0` and `2.` are taken as 2 (files written from floats), `2.5` is refused.
fn write_integer_text(ty: &SqlType, s: &str, buf: &mut BytesMut) -> Result<(), String> {
    let err = match parse_text(ty, s) {
        Ok(v) => return put_value(ty, &v, buf),
        Err(e) => e,
    };
    let t = s.trim();
    if let Some((int, frac)) = t.split_once('.') {
        let digits = int.strip_prefix(['+', '-']).unwrap_or(int);
        let all_digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
        if !digits.is_empty() && all_digits(digits) && all_digits(frac) {
            if frac.bytes().all(|b| b == b'0') {
                let v = parse_text(ty, int).map_err(|e| e.to_string())?;
                return put_value(ty, &v, buf);
            }
            return Err(format!(
                "value {} is not a whole number for {}",
                shorten(t),
                ty.sql_name()
            ));
        }
    }
    Err(err.to_string())
}

fn write_bytes(ty: &SqlType, b: &[u8], buf: &mut BytesMut) -> Result<(), String> {
    if let Some(frame) = binary_column(ty) {
        return put_binary(frame, b, buf);
    }
    if let SqlType::UniqueIdentifier = ty {
        // Display order in, the mixed-endian wire form out (encode_value swaps).
        let g: [u8; 16] = b
            .try_into()
            .map_err(|_| format!("uniqueidentifier takes 16 bytes, got {}", b.len()))?;
        return put_value(ty, &Value::Guid(g), buf);
    }
    Err(format!(
        "binary data cannot be loaded into a column of type {}",
        ty.sql_name()
    ))
}

/// A non-text cell for a character column: its text, formatted on the stack.
fn write_as_text(ty: &SqlType, cell: Cell<'_>, buf: &mut BytesMut) -> Result<(), String> {
    let Some((collation, frame)) = char_column(ty) else {
        return Err(format!("{} is not a character type", ty.sql_name()));
    };
    let text = match cell {
        Cell::Int(n) => StackText::format(format_args!("{n}")),
        Cell::Int128(n) => StackText::format(format_args!("{n}")),
        Cell::Float(f) => StackText::format(format_args!("{f}")),
        Cell::Bool(b) => StackText::format(format_args!("{b}")),
        Cell::DateMs(ms) => {
            let iso = date_ms_iso(ms)?;
            return put_chars(collation, frame, Src::Str(&iso), buf);
        }
        Cell::Bytes(_) => {
            return Err(format!(
                "binary data cannot be loaded into a column of type {}",
                ty.sql_name()
            ))
        }
        Cell::Decimal { .. }
        | Cell::Date { .. }
        | Cell::DateTime { .. }
        | Cell::DateTimeOffset { .. }
        | Cell::Time { .. }
        | Cell::Guid(_) => {
            let text = typed::plain_value(cell)?
                .to_text()
                .ok_or("cannot format the value as text")?;
            return put_chars(collation, frame, Src::Str(&text), buf);
        }
        Cell::Null | Cell::Text(_) | Cell::Utf16(_) | Cell::CodePage { .. } => None,
    }
    .ok_or("cannot format the value as text")?;
    put_chars(collation, frame, Src::Str(text.as_str()), buf)
}

/// 1970-01-01 as days since 0001-01-01 (the `date` unit).
const UNIX_EPOCH_DAYS: i128 = 719_162;
/// 100-ns units (`datetime2(7)`) per day and per millisecond.
const UNITS7_PER_DAY: i128 = 864_000_000_000;
const UNITS7_PER_MS: i128 = 10_000;
/// A JS Date holds at most ±8.64e15 ms around the epoch (ECMA-262 TimeClip).
const JS_DATE_MAX_MS: f64 = 8.64e15;

/// A JS date as a UTC `datetime2(7)` value; the column's own type then rounds it.
fn date_ms_value(ms: f64) -> Result<Value, String> {
    if !ms.is_finite() || ms.abs() > JS_DATE_MAX_MS {
        return Err(format!("{} is not a valid date", show_float(ms)));
    }
    // |ms| < 2^53, so its whole part is exact as an integer; the fraction adds sub-ms units.
    let whole = ms.floor();
    let frac_units = ((ms - whole) * 10_000.0).round() as i128;
    let units = (whole as i64 as i128)
        .checked_mul(UNITS7_PER_MS)
        .and_then(|u| u.checked_add(frac_units))
        .ok_or("date out of range")?;
    let days = units.div_euclid(UNITS7_PER_DAY) + UNIX_EPOCH_DAYS;
    let date = u32::try_from(days)
        .ok()
        .filter(|&d| d <= MAX_DATE)
        .ok_or("date outside 0001-01-01..9999-12-31")?;
    let units7 = u64::try_from(units.rem_euclid(UNITS7_PER_DAY)).map_err(|_| "invalid time")?;
    Ok(Value::DateTime2 {
        date: Date(date),
        time: Time {
            units: units7,
            scale: 7,
        },
    })
}

/// `2024-01-31T12:00:00.000Z`, the form of JavaScript's `toISOString`.
fn date_ms_iso(ms: f64) -> Result<String, String> {
    let v = coerce_temporal(&SqlType::DateTime2 { scale: 3 }, &date_ms_value(ms)?)?;
    let text = v.to_text().ok_or("invalid date")?;
    Ok(format!("{}Z", text.replacen(' ', "T", 1)))
}

fn show_float(f: f64) -> String {
    match f {
        f if f.is_nan() => "NaN".into(),
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        // Debug switches to an exponent for very large and small magnitudes.
        _ => format!("{f:?}"),
    }
}

const SHOWN_CHARS: usize = 100;

fn shorten(s: &str) -> String {
    match s.char_indices().nth(SHOWN_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The value for an error message (only built on error).
fn describe(cell: Cell<'_>) -> String {
    match cell {
        Cell::Null => "NULL".into(),
        Cell::Bool(b) => b.to_string(),
        Cell::Int(n) => n.to_string(),
        Cell::Int128(n) => n.to_string(),
        Cell::Float(f) => show_float(f),
        Cell::Text(s) => shorten(s),
        Cell::CodePage { bytes, encoding } => shorten(&decoded(bytes, encoding)),
        Cell::Utf16(u) => shorten(&String::from_utf16_lossy(
            u.get(..=SHOWN_CHARS).unwrap_or(u),
        )),
        Cell::Bytes(b) => {
            let shown = b.get(..SHOWN_CHARS / 2).unwrap_or(b);
            let hex: String = shown.iter().map(|x| format!("{x:02X}")).collect();
            let more = if shown.len() < b.len() { "…" } else { "" };
            format!("0x{hex}{more}")
        }
        Cell::DateMs(ms) => date_ms_iso(ms).unwrap_or_else(|_| show_float(ms)),
        _ => typed::plain_value(cell)
            .ok()
            .and_then(|v| v.to_text())
            .unwrap_or_else(|| format!("{cell:?}")),
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// Wherever the direct writer of parsed values answers, its bytes are the general path's
    /// (the value, then the value encoder); it stands aside for the values that path refuses
    /// or rounds. Thousands of values per pair, edges included.
    #[test]
    fn direct_values_encode_as_the_general_path_does() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut cells = vec![
            Cell::Int(0),
            Cell::Int(-1),
            Cell::Int(255),
            Cell::Int(256),
            Cell::Int(i64::from(i16::MIN)),
            Cell::Int(i64::from(i32::MAX) + 1),
            Cell::Int(i64::MIN),
            Cell::Int(i64::MAX),
            Cell::Bool(true),
            Cell::Bool(false),
            Cell::Decimal {
                mantissa: 0,
                scale: 4,
            },
            Cell::Decimal {
                mantissa: -99_999,
                scale: 2,
            },
            Cell::Decimal {
                mantissa: 100_000,
                scale: 2,
            },
            Cell::Decimal {
                mantissa: 10i128.pow(38) - 1,
                scale: 4,
            },
            Cell::Decimal {
                mantissa: -(10i128.pow(38)),
                scale: 4,
            },
            Cell::Date { days: 0 },
            Cell::Date { days: -719_162 },
            Cell::Date { days: -719_163 },
            Cell::Date { days: 2_932_896 },
            Cell::Date { days: 2_932_897 },
            Cell::Date { days: i32::MIN },
            Cell::DateTime {
                days: 2_932_896,
                nanos: 86_399_999_999_900,
            },
            Cell::DateTime {
                days: 0,
                nanos: 86_400_000_000_000,
            },
            Cell::DateTime {
                days: 19_000,
                nanos: 37_230_125_000_000,
            },
            Cell::DateTime { days: 5, nanos: 1 },
            Cell::Guid(*b"0123456789abcdef"),
        ];
        for _ in 0..3000 {
            let r = next();
            let small = (r >> 8) as i64 % 2_000_000;
            cells.push(Cell::Int(r as i64 >> (r % 60)));
            cells.push(Cell::Decimal {
                mantissa: i128::from(r as i64 >> (r % 50)),
                scale: (r % 7) as u8,
            });
            cells.push(Cell::Date {
                days: (small - 1_000_000) as i32,
            });
            cells.push(Cell::DateTime {
                days: (small - 800_000) as i32,
                nanos: (next() % 86_400_000_000_000)
                    / [1, 100, 1_000_000, 1_000_000_000][(r % 4) as usize]
                    * [1, 100, 1_000_000, 1_000_000_000][(r % 4) as usize],
            });
            cells.push(Cell::Float(f64::from_bits(next())));
            cells.push(Cell::Float((r as i64 >> (r % 60)) as f64 / 1e4));
            cells.push(Cell::Decimal {
                mantissa: i128::from(r as i64 >> (r % 64)),
                scale: 4,
            });
            let g = u128::from(r) << 64 | u128::from(next());
            cells.push(Cell::Guid(g.to_le_bytes()));
        }
        let mut types = vec![
            SqlType::TinyInt,
            SqlType::SmallInt,
            SqlType::Int,
            SqlType::BigInt,
            SqlType::Bit,
            SqlType::Float,
            SqlType::Real,
            SqlType::Money,
            SqlType::SmallMoney,
            SqlType::Date,
            SqlType::UniqueIdentifier,
        ];
        for scale in 0..=7 {
            types.push(SqlType::DateTime2 { scale });
        }
        for (precision, scale) in [(5, 2), (9, 4), (12, 4), (18, 0), (19, 6), (28, 3), (38, 4)] {
            types.push(SqlType::Decimal { precision, scale });
            types.push(SqlType::Numeric { precision, scale });
        }
        let (mut direct, mut general) = (BytesMut::new(), BytesMut::new());
        let mut taken = 0;
        for ty in &types {
            for &cell in &cells {
                direct.clear();
                general.clear();
                let wrote = typed::put_direct(ty, cell, &mut direct);
                let slow = write_parsed(ty, cell, &mut general);
                if wrote {
                    taken += 1;
                    assert!(
                        slow.is_ok(),
                        "{ty:?} {cell:?}: direct wrote, general refused {slow:?}"
                    );
                    assert_eq!(direct, general, "{ty:?} {cell:?}");
                } else {
                    assert!(direct.is_empty(), "{ty:?} {cell:?}: stood aside but wrote");
                }
            }
        }
        assert!(taken > 20_000, "the direct path was taken {taken} times");
        // The load's usual values take it.
        for (ty, cell) in [
            (SqlType::Int, Cell::Int(42)),
            (SqlType::Bit, Cell::Bool(true)),
            (SqlType::Float, Cell::Float(-467.543_863_691_389_56)),
            (
                SqlType::Money,
                Cell::Decimal {
                    mantissa: 805_194_191,
                    scale: 4,
                },
            ),
            (
                SqlType::Decimal {
                    precision: 12,
                    scale: 4,
                },
                Cell::Decimal {
                    mantissa: -888_569_058_583,
                    scale: 4,
                },
            ),
            (SqlType::Date, Cell::Date { days: -3_980 }),
            (
                SqlType::DateTime2 { scale: 3 },
                Cell::DateTime {
                    days: 17_874,
                    nanos: 73_983_650_000_000,
                },
            ),
            (SqlType::UniqueIdentifier, Cell::Guid([7; 16])),
        ] {
            assert!(typed::put_direct(&ty, cell, &mut direct), "{ty:?} {cell:?}");
        }
    }

    /// Wherever the one-pass decimal reader answers, it answers what SQL Server's string
    /// conversion (`parse_text`) does; it stands aside for everything it does not handle.
    #[test]
    fn plain_exact_agrees_with_parse_text() {
        let types = [
            SqlType::Decimal {
                precision: 18,
                scale: 4,
            },
            SqlType::Decimal {
                precision: 5,
                scale: 2,
            },
            SqlType::Numeric {
                precision: 38,
                scale: 0,
            },
            SqlType::Decimal {
                precision: 38,
                scale: 20,
            },
            SqlType::Money,
            SqlType::SmallMoney,
        ];
        let texts = [
            "0",
            "-0",
            "5",
            "5.",
            ".5",
            "-.5",
            "12.3456",
            "-12345678.1234",
            "999.99",
            "1000.00",
            "12.345",
            "12.34567",
            "+1",
            " 1",
            "1 ",
            "",
            "-",
            ".",
            "1.2.3",
            "1e5",
            "0x10",
            "١",
            "214748.3647",
            "214748.3648",
            "-214748.3648",
            "-214748.3649",
            "922337203685477.5807",
            "99999999999999.9999",
            "123456789012345678",
            "1234567890123456789",
            "00000000000000000001.5",
        ];
        for ty in &types {
            let scale = exact_scale(ty).unwrap();
            for t in texts {
                let fast = plain_exact(ty, scale, t.as_bytes());
                let slow = parse_text(ty, t).ok();
                if let Some(v) = fast {
                    assert_eq!(Some(v.clone()), slow, "{ty:?} {t:?}");
                }
            }
        }
        // The usual shapes take the fast path.
        let dec = SqlType::Decimal {
            precision: 18,
            scale: 4,
        };
        assert!(plain_exact(&dec, 4, b"-12345678.1234").is_some());
        assert!(plain_exact(&SqlType::Money, 4, b"12345.6789").is_some());
        assert!(plain_exact(&dec, 4, b"1.23456").is_none());
    }
}
