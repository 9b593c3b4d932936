//! The per-column state machine: observe one field at a time.

use super::candidate::{
    candidate_name, candidate_of, candidate_of_kind, describe, int_class, Candidate,
};
use super::InferOptions;
use crate::infer::cell_text::{render_cell, CellText};
use crate::infer::evidence::{Example, Widening};
use crate::infer::parse::number::{digit_count, MAX_PRECISION};
use crate::infer::parse::{
    classify, parse_guid, parse_number, parse_temporal, trim_spaces, DateForm, DateOrder, Number,
    OrderSet, Temporal, TemporalKind, TextValue,
};
use crate::infer::sheet_value::sheet_value;
use crate::Field;

/// Digits before the point that `decimal(p,s)` must hold for `v` (none for 0).
fn int_digits_of(v: i64) -> u8 {
    if v == 0 {
        0
    } else {
        digit_count(v)
    }
}

/// Bytes `s` takes in `cp`, or `None` when `cp` has no character for one of its characters.
/// ASCII is one byte a character in every code page SQL Server collations use; anything else
/// is encoded through a small stack buffer (no allocation).
pub(crate) fn code_page_len(cp: &'static encoding_rs::Encoding, s: &str) -> Option<u64> {
    if s.is_ascii() || cp == encoding_rs::UTF_8 {
        return Some(s.len() as u64);
    }
    let mut encoder = cp.new_encoder();
    let mut buf = [0u8; 256];
    let mut rest = s;
    let mut total = 0u64;
    loop {
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut buf, true);
        total += written as u64;
        rest = rest.get(read..)?;
        match result {
            encoding_rs::EncoderResult::InputEmpty => return Some(total),
            encoding_rs::EncoderResult::OutputFull => {}
            encoding_rs::EncoderResult::Unmappable(_) => return None,
        }
    }
}

/// Most values kept in [`ColumnState::distinct`].
pub(crate) const DISTINCT_LIMIT: usize = 5;

/// A value's position on the time line under one day/month order, for min/max, in 100 ns
/// ticks (the finest a value holds): days 0001–9999 × ticks per day stays well inside `i64`.
fn instant(t: &Temporal, order: DateOrder) -> i64 {
    const TICKS_PER_DAY: i64 = 864_000_000_000;
    // Saturating: a spreadsheet cell's day number is not bounded by the text parsers.
    i64::from(t.days(order))
        .saturating_mul(TICKS_PER_DAY)
        .saturating_add((t.nanos / 100) as i64)
        .saturating_sub(i64::from(t.offset_minutes) * 600_000_000)
}

const ORDERS: [DateOrder; 2] = [DateOrder::DayFirst, DateOrder::MonthFirst];

#[derive(Debug, Clone)]
pub(crate) struct ColumnState {
    pub(super) cand: Candidate,
    pub(super) int_floor: u8,
    pub(super) rows: u64,
    pub(super) values: u64,
    pub(super) nulls: u64,
    pub(super) missing: u64,
    pub(super) empties: u64,
    pub(super) null_tokens: u64,
    pub(super) errors: u64,
    pub(super) first_error: Option<Example>,
    pub(super) max_bytes: u64,
    pub(super) max_utf16: u64,
    pub(super) max_bytes_row: u64,
    pub(super) max_utf16_row: u64,
    pub(super) first_non_ascii: Option<Example>,
    /// With a varchar code page: the longest value in that code page's bytes, and the first
    /// value it cannot hold.
    pub(super) code_page_bytes: u64,
    pub(super) code_page_bytes_row: u64,
    pub(super) first_not_in_code_page: Option<Example>,
    pub(super) distinct: Vec<String>,
    pub(super) distinct_overflow: bool,
    // Integers (exact while the candidate is Int).
    pub(super) int_min: i64,
    pub(super) int_max: i64,
    pub(super) int_min_row: u64,
    pub(super) int_max_row: u64,
    pub(super) int_class: u8,
    /// The first integer other than 0 and 1 (what keeps a flag-named column from `bit`).
    pub(super) first_beyond_bit: Option<Example>,
    // Decimals and floats.
    pub(super) num_min: f64,
    pub(super) num_max: f64,
    /// Exact bounds while the candidate is Decimal: (mantissa, scale).
    pub(super) dec_min: Option<(i128, u8)>,
    pub(super) dec_max: Option<(i128, u8)>,
    pub(super) int_digits: u8,
    pub(super) int_digits_row: u64,
    pub(super) scale: u8,
    pub(super) scale_row: u64,
    // Dates and times.
    pub(super) orders: OrderSet,
    pub(super) order_settled_by: Option<Example>,
    pub(super) saw_numeric_date: bool,
    pub(super) all_dotted: bool,
    pub(super) t_min: [Option<(i64, Temporal)>; 2],
    pub(super) t_max: [Option<(i64, Temporal)>; 2],
    pub(super) frac_digits: u8,
    pub(super) frac_set_by: Option<Example>,
    pub(super) widenings: Vec<Widening>,
}

impl ColumnState {
    /// A column first seen after `rows_before` records that did not reach it (they count as
    /// missing: NULL).
    pub(crate) fn new(settings: &InferOptions, rows_before: u64) -> Self {
        let mut col = ColumnState {
            cand: Candidate::Unseen,
            int_floor: if settings.narrow_integers { 0 } else { 2 },
            rows: 0,
            values: 0,
            nulls: 0,
            missing: 0,
            empties: 0,
            null_tokens: 0,
            errors: 0,
            first_error: None,
            max_bytes: 0,
            max_utf16: 0,
            max_bytes_row: 0,
            max_utf16_row: 0,
            first_non_ascii: None,
            code_page_bytes: 0,
            code_page_bytes_row: 0,
            first_not_in_code_page: None,
            distinct: Vec::new(),
            distinct_overflow: false,
            int_min: i64::MAX,
            int_max: i64::MIN,
            int_min_row: 0,
            int_max_row: 0,
            int_class: 0,
            first_beyond_bit: None,
            num_min: f64::INFINITY,
            num_max: f64::NEG_INFINITY,
            dec_min: None,
            dec_max: None,
            int_digits: 0,
            int_digits_row: 0,
            scale: 0,
            scale_row: 0,
            orders: OrderSet::BOTH,
            order_settled_by: None,
            saw_numeric_date: false,
            all_dotted: true,
            t_min: [None; 2],
            t_max: [None; 2],
            frac_digits: 0,
            frac_set_by: None,
            widenings: Vec::new(),
        };
        col.rows = rows_before;
        col.missing = rows_before;
        col.nulls = rows_before;
        col
    }

    /// Counts a record that ends before this column: its value is missing, which loads as NULL.
    #[inline]
    pub(crate) fn observe_missing(&mut self) {
        self.rows += 1;
        self.missing += 1;
        self.nulls += 1;
    }

    /// Takes one field of record `row`.
    #[inline]
    pub(crate) fn observe(&mut self, field: Field<'_>, row: u64, settings: &InferOptions) {
        self.rows += 1;
        match field {
            Field::Text(s) if !s.is_empty() => {
                if settings.nulls.is_token(s) {
                    self.null_tokens += 1;
                    self.nulls += 1;
                    return;
                }
                self.values += 1;
                let typed = self.observe_text(s, row);
                self.track_text(s, row, typed);
                if let Some(cp) = settings.varchar_code_page {
                    self.track_code_page(s, row, cp);
                }
            }
            Field::Text(_) | Field::Empty => {
                self.empties += 1;
                if settings.nulls.empty_is_null {
                    self.nulls += 1;
                } else {
                    self.values += 1;
                    self.track_text("", row, true);
                    if self.cand != Candidate::Text {
                        self.widen_to_text(
                            row,
                            "",
                            "an empty string, kept apart from NULL, which only a character type holds",
                        );
                    }
                }
            }
            Field::Error(e) => {
                self.errors += 1;
                self.nulls += 1;
                if self.first_error.is_none() {
                    self.first_error = Some(Example::new(row, e));
                }
            }
            Field::Int(_) | Field::Float(_) | Field::Bool(_) | Field::DateTime(_) => {
                self.values += 1;
                let text = render_cell(field);
                let shown = text.as_ref().map_or("", CellText::as_str);
                self.track_text(shown, row, false);
                if let Some(cp) = settings.varchar_code_page {
                    self.track_code_page(shown, row, cp);
                }
                let value = sheet_value(field, text);
                self.absorb(value, shown, row);
            }
        }
    }

    /// The hot path: a value the current candidate holds is taken in place; anything else is
    /// classified and goes through [`Self::absorb`].
    #[inline]
    ///
    /// Returns true when the current candidate took the value in place: every parser accepts
    /// ASCII only, so such a value needs no ASCII check.
    fn observe_text(&mut self, raw: &str, row: u64) -> bool {
        let s = trim_spaces(raw);
        let value = match self.cand {
            Candidate::Text => return false,
            Candidate::Int => match parse_number(s) {
                Some(Number::Int(v)) => {
                    self.take_int(v, raw, row);
                    return true;
                }
                Some(n) => TextValue::Number(n),
                None => classify(s),
            },
            Candidate::Decimal => match parse_number(s) {
                Some(n @ (Number::Int(_) | Number::Decimal { .. })) => {
                    self.take_decimal(n, raw, row);
                    return true;
                }
                Some(n) => TextValue::Number(n),
                None => classify(s),
            },
            Candidate::Float => match parse_number(s) {
                Some(n) => {
                    self.take_min_max(n.as_f64());
                    return true;
                }
                None => classify(s),
            },
            Candidate::Date | Candidate::DateTime | Candidate::DateTimeOffset | Candidate::Time => {
                match parse_temporal(s, self.orders) {
                    Some(t) if candidate_of_kind(t.kind) == self.cand => {
                        self.take_temporal(t, raw, row);
                        return true;
                    }
                    Some(t) => TextValue::Temporal(t),
                    None => classify(s),
                }
            }
            Candidate::Guid => match parse_guid(s) {
                Some(_) => return true,
                None => classify(s),
            },
            Candidate::Unseen | Candidate::Bool => classify(s),
        };
        self.absorb(value, raw, row);
        false
    }

    /// Lengths, the first non-ASCII value and the distinct values.
    #[inline]
    fn track_text(&mut self, raw: &str, row: u64, known_ascii: bool) {
        let bytes = raw.len() as u64;
        if bytes > self.max_bytes {
            (self.max_bytes, self.max_bytes_row) = (bytes, row);
        }
        if self.first_non_ascii.is_none() {
            // All ASCII so far: UTF-16 units equal bytes until a value says otherwise.
            let units = if known_ascii || raw.is_ascii() {
                bytes
            } else {
                self.first_non_ascii = Some(Example::new(row, raw));
                utf16_len(raw)
            };
            if units > self.max_utf16 {
                (self.max_utf16, self.max_utf16_row) = (units, row);
            }
        } else if bytes > self.max_utf16 {
            // A value never has more UTF-16 units than bytes, so only a long one can be longer.
            let units = utf16_len(raw);
            if units > self.max_utf16 {
                (self.max_utf16, self.max_utf16_row) = (units, row);
            }
        }
        if !self.distinct_overflow {
            self.track_distinct(raw, row);
        }
    }

    /// The value's length in the varchar code page, or the note that the code page cannot
    /// hold it (after which nothing more is measured: the column is `nvarchar`).
    fn track_code_page(&mut self, raw: &str, row: u64, cp: &'static encoding_rs::Encoding) {
        if self.first_not_in_code_page.is_some() {
            return;
        }
        match code_page_len(cp, raw) {
            Some(n) if n > self.code_page_bytes => {
                (self.code_page_bytes, self.code_page_bytes_row) = (n, row);
            }
            Some(_) => {}
            None => self.first_not_in_code_page = Some(Example::new(row, raw)),
        }
    }

    fn track_distinct(&mut self, raw: &str, row: u64) {
        if self.distinct.iter().any(|d| d == raw) {
            return;
        }
        if self.distinct.len() < DISTINCT_LIMIT {
            self.distinct.push(Example::new(row, raw).value);
        } else {
            self.distinct_overflow = true;
        }
    }

    /// Moves the candidate if `value` needs a wider one, then updates its figures.
    fn absorb(&mut self, value: TextValue, raw: &str, row: u64) {
        let to = self.join(&value);
        if to != self.cand {
            if to == Candidate::Text {
                let reason = self.text_reason(&value);
                self.widen_to_text(row, raw, &reason);
                return;
            }
            self.widen(to, row, raw, describe(&value));
        }
        match value {
            TextValue::Number(n) => self.take_number(n, raw, row),
            TextValue::Temporal(t) => self.take_temporal(t, raw, row),
            TextValue::Bool(_) | TextValue::Guid(_) | TextValue::Text => {}
        }
    }

    /// The narrowest candidate holding everything so far and `value`.
    fn join(&self, value: &TextValue) -> Candidate {
        use Candidate as C;
        match (self.cand, value) {
            (C::Text, _) | (_, TextValue::Text) => C::Text,
            (C::Unseen, v) => candidate_of(v),
            (C::Bool, TextValue::Bool(_)) => C::Bool,
            (C::Bool, TextValue::Number(Number::Int(0 | 1))) => C::Bool,
            (C::Int, TextValue::Bool(_)) if self.only_zero_one() => C::Bool,
            (C::Int, TextValue::Number(Number::Int(_))) => C::Int,
            (C::Int | C::Decimal, TextValue::Number(Number::Int(_) | Number::Decimal { .. })) => {
                C::Decimal
            }
            (C::Int | C::Decimal | C::Float, TextValue::Number(_)) => C::Float,
            (C::Date | C::DateTime | C::DateTimeOffset, TextValue::Temporal(t))
                if t.kind != TemporalKind::Time && !self.orders.intersect(t.orders).is_empty() =>
            {
                self.cand.max(candidate_of(value))
            }
            (C::Time, TextValue::Temporal(t)) if t.kind == TemporalKind::Time => C::Time,
            (C::Guid, TextValue::Guid(_)) => C::Guid,
            _ => C::Text,
        }
    }

    /// True when every value seen reads as one non-text type.
    pub(crate) fn is_typed(&self) -> bool {
        !matches!(self.cand, Candidate::Unseen | Candidate::Text)
    }

    fn only_zero_one(&self) -> bool {
        self.int_min >= 0 && self.int_max <= 1
    }

    fn text_reason(&self, value: &TextValue) -> String {
        if let TextValue::Temporal(t) = value {
            if t.kind != TemporalKind::Time && self.orders.intersect(t.orders).is_empty() {
                let settled = self.order_settled_by.as_ref().map_or(String::new(), |e| {
                    format!(
                        ", but row {} ({}) settled the order the other way",
                        e.row, e.value
                    )
                });
                return format!("its day and month can only be read one way{settled}");
            }
        }
        format!(
            "{}, which {} cannot hold",
            describe(value),
            self.cand_name()
        )
    }

    pub(super) fn cand_name(&self) -> &'static str {
        candidate_name(self.cand, self.int_class.max(self.int_floor))
    }

    fn widen(&mut self, to: Candidate, row: u64, raw: &str, what: &str) {
        if self.cand != Candidate::Unseen {
            let from = self.cand_name();
            self.widenings.push(Widening {
                from: from.to_string(),
                to: candidate_name(to, self.int_class.max(self.int_floor)).to_string(),
                row,
                value: Example::new(row, raw).value,
                reason: format!("{what}, which {from} cannot hold"),
            });
        }
        self.enter(to);
    }

    fn widen_to_text(&mut self, row: u64, raw: &str, reason: &str) {
        if self.cand != Candidate::Unseen {
            self.widenings.push(Widening {
                from: self.cand_name().to_string(),
                to: "text".to_string(),
                row,
                value: Example::new(row, raw).value,
                reason: reason.to_string(),
            });
        }
        self.cand = Candidate::Text;
    }

    /// Carries the figures of the old candidate over to `to`.
    fn enter(&mut self, to: Candidate) {
        if self.cand == Candidate::Decimal && to == Candidate::Float {
            self.num_min = self.dec_min.map_or(f64::INFINITY, dec_to_f64);
            self.num_max = self.dec_max.map_or(f64::NEG_INFINITY, dec_to_f64);
        }
        if self.cand == Candidate::Int && matches!(to, Candidate::Decimal | Candidate::Float) {
            self.num_min = self.int_min as f64;
            self.num_max = self.int_max as f64;
            if self.values > 1 {
                self.dec_min = Some((i128::from(self.int_min), 0));
                self.dec_max = Some((i128::from(self.int_max), 0));
            }
            let (min_d, max_d) = (int_digits_of(self.int_min), int_digits_of(self.int_max));
            (self.int_digits, self.int_digits_row) = if min_d >= max_d {
                (min_d, self.int_min_row)
            } else {
                (max_d, self.int_max_row)
            };
        }
        if to == Candidate::Int {
            self.int_class = self.int_floor;
        }
        self.cand = to;
    }

    fn take_number(&mut self, n: Number, raw: &str, row: u64) {
        match (self.cand, n) {
            (Candidate::Int, Number::Int(v)) => self.take_int(v, raw, row),
            (Candidate::Bool, Number::Int(v)) => {
                self.int_min = self.int_min.min(v);
                self.int_max = self.int_max.max(v);
            }
            (Candidate::Decimal, _) => self.take_decimal(n, raw, row),
            (Candidate::Float, _) => self.take_min_max(n.as_f64()),
            _ => {}
        }
    }

    #[inline]
    fn take_int(&mut self, v: i64, raw: &str, row: u64) {
        if v < self.int_min {
            self.int_min = v;
            self.int_min_row = row;
        }
        if v > self.int_max {
            self.int_max = v;
            self.int_max_row = row;
        }
        if self.first_beyond_bit.is_none() && !(0..=1).contains(&v) {
            self.first_beyond_bit = Some(Example::new(row, raw));
        }
        let class = int_class(v);
        if class > self.int_class {
            let from = self.int_class.max(self.int_floor);
            self.int_class = class;
            if class > from {
                let (from, to) = (
                    candidate_name(Candidate::Int, from),
                    candidate_name(Candidate::Int, class),
                );
                self.widenings.push(Widening {
                    from: from.to_string(),
                    to: to.to_string(),
                    row,
                    value: Example::new(row, raw).value,
                    reason: format!("outside the {from} range"),
                });
            }
        }
    }

    #[inline]
    fn take_decimal(&mut self, n: Number, raw: &str, row: u64) {
        let (digits, scale, value) = match n {
            Number::Int(v) => (int_digits_of(v), 0, (i128::from(v), 0)),
            Number::Decimal {
                int_digits,
                scale,
                mantissa,
            } => (int_digits, scale, (mantissa, scale)),
            Number::Float(_) => return,
        };
        let precision = u32::from(digits.max(self.int_digits)) + u32::from(scale.max(self.scale));
        if precision > MAX_PRECISION {
            self.widen(
                Candidate::Float,
                row,
                raw,
                "together with the column's other values more than 38 digits",
            );
            self.take_min_max(n.as_f64());
            return;
        }
        if digits > self.int_digits {
            (self.int_digits, self.int_digits_row) = (digits, row);
        }
        if scale > self.scale {
            (self.scale, self.scale_row) = (scale, row);
        }
        if self.dec_min.is_none_or(|m| dec_less(value, m)) {
            self.dec_min = Some(value);
        }
        if self.dec_max.is_none_or(|m| dec_less(m, value)) {
            self.dec_max = Some(value);
        }
    }

    #[inline]
    fn take_min_max(&mut self, v: f64) {
        self.num_min = self.num_min.min(v);
        self.num_max = self.num_max.max(v);
    }

    #[inline]
    fn take_temporal(&mut self, t: Temporal, raw: &str, row: u64) {
        if t.form != DateForm::Fixed {
            self.saw_numeric_date = true;
            self.all_dotted &= t.form == DateForm::Dotted;
        }
        let orders = self.orders.intersect(t.orders);
        if orders != self.orders {
            if orders.single().is_some() && self.order_settled_by.is_none() {
                self.order_settled_by = Some(Example::new(row, raw));
            }
            self.orders = orders;
        }
        if t.frac_digits > self.frac_digits {
            self.frac_digits = t.frac_digits;
            self.frac_set_by = Some(Example::new(row, raw));
        }
        // Both orders' bounds are kept until the column's order is decided; a value whose form
        // fixes the order has one position on the time line.
        let first = instant(&t, ORDERS[0]);
        let keys = [
            first,
            if t.form == DateForm::Fixed {
                first
            } else {
                instant(&t, ORDERS[1])
            },
        ];
        for (i, key) in keys.into_iter().enumerate() {
            if let Some(slot) = self.t_min.get_mut(i) {
                if slot.is_none_or(|(m, _)| key < m) {
                    *slot = Some((key, t));
                }
            }
            if let Some(slot) = self.t_max.get_mut(i) {
                if slot.is_none_or(|(m, _)| key > m) {
                    *slot = Some((key, t));
                }
            }
        }
    }
}

/// `a < b` for decimals given as (mantissa, scale); exact when the scales agree or rescaling
/// fits `i128`, else by their float values.
#[inline]
fn dec_less(a: (i128, u8), b: (i128, u8)) -> bool {
    if a.1 == b.1 {
        return a.0 < b.0;
    }
    let (hi, lo) = (a.1.max(b.1), a.1.min(b.1));
    let factor = 10i128.checked_pow(u32::from(hi - lo));
    let rescale = |(m, s): (i128, u8)| {
        if s == lo {
            factor.and_then(|f| m.checked_mul(f))
        } else {
            Some(m)
        }
    };
    match (rescale(a), rescale(b)) {
        (Some(x), Some(y)) => x < y,
        _ => dec_to_f64(a) < dec_to_f64(b),
    }
}

pub(super) fn dec_to_f64((mantissa, scale): (i128, u8)) -> f64 {
    mantissa as f64 / 10f64.powi(i32::from(scale))
}

/// UTF-16 code units of `s`: one per UTF-8 lead byte, two for four-byte sequences.
fn utf16_len(s: &str) -> u64 {
    let continuation = s.bytes().filter(|b| b & 0xC0 == 0x80).count();
    let four_byte_leads = s.bytes().filter(|&b| b >= 0xF0).count();
    (s.len() - continuation + four_byte_leads) as u64
}
