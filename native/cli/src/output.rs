//! Printing results: aligned text tables for people, JSON for programs.

use serde_json::{json, Value as Json};
use sluice_client::BatchResult;
use tds::types::SqlType;
use tds::value::Value;

/// A value as JSON: numbers stay numbers when JSON can hold them exactly (all integers, floats);
/// decimals, money and temporal values are exact strings; binary is "0x…" hex.
pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bit(b) => Json::Bool(*b),
        Value::TinyInt(n) => json!(n),
        Value::SmallInt(n) => json!(n),
        Value::Int(n) => json!(n),
        Value::BigInt(n) => json!(n),
        Value::Real(f) => json!(f),
        Value::Float(f) => json!(f),
        other => other.to_text().map(Json::String).unwrap_or(Json::Null),
    }
}

pub fn type_name(t: &SqlType) -> String {
    t.sql_name()
}

pub fn print_json(r: &BatchResult) {
    let sets: Vec<Json> = r
        .result_sets
        .iter()
        .map(|rs| {
            json!({
                "columns": rs.columns.iter().map(|c| json!({"name": c.name, "type": type_name(&c.type_info.ty), "nullable": c.is_nullable()})).collect::<Vec<_>>(),
                "rows": rs.rows.iter().map(|row| row.iter().map(value_json).collect::<Vec<_>>()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let first = sets
        .first()
        .cloned()
        .unwrap_or_else(|| json!({"columns": [], "rows": []}));
    let doc = json!({
        "columns": first["columns"],
        "rows": first["rows"],
        "resultSets": sets,
        "rowsAffected": r.rows_affected,
        "messages": r.messages.iter().map(|m| m.message.clone()).collect::<Vec<_>>(),
    });
    println!("{doc}");
}

pub fn print_table(r: &BatchResult) {
    for m in &r.messages {
        println!("{}", m.message);
    }
    for rs in &r.result_sets {
        let headers: Vec<String> = rs
            .columns
            .iter()
            .map(|c| {
                if c.name.is_empty() {
                    "(no column name)".into()
                } else {
                    c.name.clone()
                }
            })
            .collect();
        let cells: Vec<Vec<String>> = rs
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| v.to_text().unwrap_or_else(|| "NULL".into()))
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for row in &cells {
            for (i, c) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(c.chars().count().min(80));
                }
            }
        }
        let line = |vals: &[String]| {
            vals.iter()
                .zip(&widths)
                .map(|(v, w)| format!("{:<w$}", truncate(v, 80), w = *w))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        println!("{}", line(&headers));
        println!(
            "{}",
            widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("-+-")
        );
        for row in &cells {
            println!("{}", line(row));
        }
        println!(
            "({} row{})",
            rs.rows.len(),
            if rs.rows.len() == 1 { "" } else { "s" }
        );
    }
    if r.result_sets.is_empty() {
        if let Some(n) = r.rows_affected {
            println!("({n} row{} affected)", if n == 1 { "" } else { "s" });
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}
