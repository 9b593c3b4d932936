//! Turning a column's state into its proposed type and evidence.

use super::candidate::{candidate_name, Candidate};
use super::state::ColumnState;
use super::InferOptions;
use crate::infer::evidence::{DateOrderEvidence, DecimalEvidence, Evidence, Widening};
use crate::infer::parse::calendar::civil_from_days;
use crate::infer::parse::{DateOrder, Temporal, TemporalKind};
use crate::infer::sql_type::SqlType;

/// A column's result.
#[derive(Debug, Clone)]
pub(crate) struct Finished {
    pub sql_type: SqlType,
    pub nullable: bool,
    pub date_order: DateOrder,
    pub evidence: Evidence,
}

impl ColumnState {
    /// The proposed type for a column named `name` and the evidence behind it.
    pub(crate) fn finish(&self, name: &str, settings: &InferOptions) -> Finished {
        let mut notes = Vec::new();
        let mut extra_steps = Vec::new();
        let mut date_order = settings.default_date_order;
        let mut date_order_evidence = None;
        let mut decimal = None;
        let (mut min, mut max) = (None, None);
        let int_class = self.int_class.max(self.int_floor);
        let sql_type = match self.cand {
            Candidate::Unseen => {
                notes.push("no values: every field is NULL or empty".to_string());
                SqlType::varchar_for(0)
            }
            Candidate::Bool => SqlType::Bit,
            Candidate::Int => {
                (min, max) = (
                    Some(self.int_min.to_string()),
                    Some(self.int_max.to_string()),
                );
                let zero_one = self.int_min >= 0 && self.int_max <= 1;
                if zero_one && reads_as_flag(name) {
                    notes.push(format!(
                        "bit: every value is 0 or 1 and the name {name:?} reads as a flag"
                    ));
                    SqlType::Bit
                } else {
                    if let (true, Some(first)) = (reads_as_flag(name), &self.first_beyond_bit) {
                        extra_steps.push(Widening {
                            from: "bit".to_string(),
                            to: candidate_name(Candidate::Int, self.int_floor).to_string(),
                            row: first.row,
                            value: first.value.clone(),
                            reason: format!(
                                "the name {name:?} reads as a flag, but this value is neither 0 nor 1"
                            ),
                        });
                    }
                    if zero_one {
                        notes.push(format!(
                            "not bit: every value is 0 or 1, but the name {name:?} does not read \
                             as a flag (is_*, has_*, *_flag, active …)"
                        ));
                    }
                    match int_class {
                        0 => SqlType::TinyInt,
                        1 => SqlType::SmallInt,
                        2 => SqlType::Int,
                        _ => SqlType::BigInt,
                    }
                }
            }
            Candidate::Decimal => {
                (min, max) = (
                    self.dec_min.map(|d| show_decimal(d, self.scale)),
                    self.dec_max.map(|d| show_decimal(d, self.scale)),
                );
                decimal = Some(DecimalEvidence {
                    integer_digits: self.int_digits,
                    integer_digits_row: self.int_digits_row,
                    scale: self.scale,
                    scale_row: self.scale_row,
                });
                SqlType::Decimal {
                    precision: (self.int_digits + self.scale).max(1),
                    scale: self.scale,
                }
            }
            Candidate::Float => {
                (min, max) = (Some(show_f64(self.num_min)), Some(show_f64(self.num_max)));
                SqlType::Float
            }
            Candidate::Date | Candidate::DateTime | Candidate::DateTimeOffset | Candidate::Time => {
                if self.saw_numeric_date {
                    let evidence = self.decide_order(settings.default_date_order);
                    date_order = evidence.order;
                    date_order_evidence = Some(evidence);
                }
                let index = usize::from(date_order == DateOrder::MonthFirst);
                min = self
                    .t_min
                    .get(index)
                    .copied()
                    .flatten()
                    .map(|(_, t)| show_temporal(&t, date_order));
                max = self
                    .t_max
                    .get(index)
                    .copied()
                    .flatten()
                    .map(|(_, t)| show_temporal(&t, date_order));
                match self.cand {
                    Candidate::Date => SqlType::Date,
                    Candidate::DateTime => SqlType::DateTime2(self.frac_digits),
                    Candidate::DateTimeOffset => SqlType::DateTimeOffset(self.frac_digits),
                    _ => SqlType::Time(self.frac_digits),
                }
            }
            Candidate::Guid => SqlType::UniqueIdentifier,
            Candidate::Text if self.first_non_ascii.is_some() => match settings.varchar_code_page {
                Some(cp) if self.first_not_in_code_page.is_none() => {
                    notes.push(format!(
                        "varchar: {} holds every value (lengths in its bytes)",
                        cp.name()
                    ));
                    SqlType::varchar_for(self.code_page_bytes)
                }
                _ => SqlType::nvarchar_for(self.max_utf16),
            },
            Candidate::Text => SqlType::varchar_for(self.max_bytes),
        };
        let in_utf16 = matches!(sql_type, SqlType::NVarChar(_));
        // A non-ASCII column proposed as varchar counts its length in the code page's bytes.
        let in_code_page = self.cand == Candidate::Text
            && self.first_non_ascii.is_some()
            && !in_utf16
            && settings.varchar_code_page.is_some();
        let evidence = Evidence {
            rows: self.rows,
            values: self.values,
            nulls: self.nulls,
            empty_strings: self.empties,
            missing: self.missing,
            null_tokens: self.null_tokens,
            errors: self.errors,
            first_error: self.first_error.clone(),
            min,
            max,
            max_length: if in_utf16 {
                self.max_utf16
            } else if in_code_page {
                self.code_page_bytes
            } else {
                self.max_bytes
            },
            length_unit: if in_utf16 { "utf16CodeUnits" } else { "bytes" },
            longest_row: if in_utf16 {
                self.max_utf16_row
            } else if in_code_page {
                self.code_page_bytes_row
            } else {
                self.max_bytes_row
            },
            distinct: self.distinct.clone(),
            distinct_complete: !self.distinct_overflow,
            widenings: self.widenings_with(extra_steps, in_utf16, settings),
            first_non_ascii: if in_utf16 {
                self.first_non_ascii.clone()
            } else {
                None
            },
            date_order: date_order_evidence,
            decimal,
            fraction_digits_set_by: self.frac_set_by.clone().filter(|_| {
                matches!(
                    sql_type,
                    SqlType::DateTime2(_) | SqlType::DateTimeOffset(_) | SqlType::Time(_)
                )
            }),
            notes,
        };
        Finished {
            sql_type,
            nullable: self.nulls > 0,
            date_order,
            evidence,
        }
    }

    /// The widenings in row order, with `extra` steps decided at the end (bit → int for a
    /// flag-named column), and for an `nvarchar` column the step from `varchar` that its first
    /// non-ASCII value forced.
    fn widenings_with(
        &self,
        extra: Vec<Widening>,
        in_utf16: bool,
        settings: &InferOptions,
    ) -> Vec<Widening> {
        let mut steps = extra;
        steps.extend(self.widenings.iter().cloned());
        // The value that made it nvarchar: the first one the varchar code page cannot hold,
        // or without a code page the first that is not ASCII.
        let forced = match settings.varchar_code_page {
            Some(cp) => self.first_not_in_code_page.as_ref().map(|e| {
                (
                    e,
                    format!("not in {}: nvarchar holds every character", cp.name()),
                )
            }),
            None => self
                .first_non_ascii
                .as_ref()
                .map(|e| (e, "not ASCII: nvarchar holds every character".to_string())),
        };
        if let (true, Some((first, reason))) = (in_utf16, forced) {
            steps.push(Widening {
                from: "varchar".to_string(),
                to: "nvarchar".to_string(),
                row: first.row,
                value: first.value.clone(),
                reason,
            });
        }
        steps.sort_by_key(|w| w.row);
        steps
    }

    fn decide_order(&self, default: DateOrder) -> DateOrderEvidence {
        if let Some(order) = self.orders.single() {
            let reason = match &self.order_settled_by {
                Some(e) => format!(
                    "row {} ({}) can only be read {}",
                    e.row,
                    e.value,
                    order_name(order)
                ),
                None => format!(
                    "only {} reads every value as a real date",
                    order_name(order)
                ),
            };
            return DateOrderEvidence {
                order,
                ambiguous: false,
                settled_by: self.order_settled_by.clone(),
                reason,
            };
        }
        let (order, why) = if self.all_dotted {
            (
                DateOrder::DayFirst,
                "dates written with dots (5.3.2024) are day first wherever that form is used",
            )
        } else {
            (default, "that is the default order of this inspection")
        };
        DateOrderEvidence {
            order,
            ambiguous: true,
            settled_by: None,
            reason: format!(
                "no value has a day above 12, so every value reads both ways; chose {}: {why}",
                order_name(order)
            ),
        }
    }
}

fn order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayFirst => "day first (dd/mm/yyyy)",
        DateOrder::MonthFirst => "month first (mm/dd/yyyy)",
    }
}

/// A decimal at the column's scale: `-12.50` for (-125, 1) at scale 2.
fn show_decimal((mantissa, scale): (i128, u8), column_scale: u8) -> String {
    let (mantissa, scale) = match 10i128
        .checked_pow(u32::from(column_scale.saturating_sub(scale)))
        .and_then(|f| mantissa.checked_mul(f))
    {
        Some(m) => (m, column_scale.max(scale)),
        None => (mantissa, scale),
    };
    let digits = mantissa.unsigned_abs().to_string();
    let sign = if mantissa < 0 { "-" } else { "" };
    let scale = usize::from(scale);
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

fn show_f64(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// ISO form of a temporal value under `order`.
fn show_temporal(t: &Temporal, order: DateOrder) -> String {
    let (y, m, d) = civil_from_days(t.days(order));
    let secs = t.nanos / 1_000_000_000;
    let mut time = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if t.frac_digits > 0 {
        let frac = format!("{:09}", t.nanos % 1_000_000_000);
        time.push('.');
        time.push_str(frac.get(..usize::from(t.frac_digits)).unwrap_or_default());
    }
    match t.kind {
        TemporalKind::Date => format!("{y:04}-{m:02}-{d:02}"),
        TemporalKind::DateTime => format!("{y:04}-{m:02}-{d:02} {time}"),
        TemporalKind::DateTimeOffset => {
            let off = t.offset_minutes;
            let sign = if off < 0 { '-' } else { '+' };
            let abs = off.unsigned_abs();
            format!(
                "{y:04}-{m:02}-{d:02} {time} {sign}{:02}:{:02}",
                abs / 60,
                abs % 60
            )
        }
        TemporalKind::Time => time,
    }
}

/// True when a column name reads as a yes/no flag: `is_*`, `has_*`, `can_*`, `should_*`,
/// `was_*`, `allow_*` (and their camelCase forms `isActive`), `*_flag`, `*_yn`, `*_ind`, or one
/// of the common flag words (`active`, `enabled`, `deleted`, `visible`, `flag` …).
pub fn reads_as_flag(name: &str) -> bool {
    const PREFIXES: [&str; 6] = ["is", "has", "can", "should", "was", "allow"];
    const SUFFIXES: [&str; 3] = ["flag", "yn", "ind"];
    const WORDS: [&str; 14] = [
        "active",
        "enabled",
        "disabled",
        "deleted",
        "visible",
        "hidden",
        "valid",
        "verified",
        "archived",
        "locked",
        "approved",
        "published",
        "flag",
        "paid",
    ];
    let name = name.trim();
    // camelCase: a lower-case prefix followed by an upper-case letter.
    for p in PREFIXES {
        if name
            .strip_prefix(p)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_uppercase)
        {
            return true;
        }
    }
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    match (words.first(), words.last()) {
        (Some(first), Some(last)) => {
            (words.len() > 1 && PREFIXES.contains(first))
                || (words.len() > 1 && SUFFIXES.contains(last))
                || lower.ends_with("flag")
                || (words.len() == 1 && WORDS.contains(first))
        }
        _ => false,
    }
}
