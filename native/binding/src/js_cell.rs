//! A result value on its way to JavaScript. Built on the worker thread; turned into a JS value
//! by napi on the JS thread, with no further conversion.

use napi::bindgen_prelude::*;
use tds::value::Value;

pub enum JsCell {
    Null,
    Bool(bool),
    Number(f64),
    BigInt(i64),
    Text(String),
    Bytes(Vec<u8>),
}

pub fn cell_from_value(v: Value) -> JsCell {
    match v {
        Value::Null => JsCell::Null,
        Value::Bit(b) => JsCell::Bool(b),
        Value::TinyInt(n) => JsCell::Number(n.into()),
        Value::SmallInt(n) => JsCell::Number(n.into()),
        Value::Int(n) => JsCell::Number(n.into()),
        Value::BigInt(n) => JsCell::BigInt(n),
        Value::Real(f) => JsCell::Number(f.into()),
        Value::Float(f) => JsCell::Number(f),
        Value::String(s) => JsCell::Text(s),
        Value::Binary(b) => JsCell::Bytes(b),
        other => other.to_text().map(JsCell::Text).unwrap_or(JsCell::Null),
    }
}

impl TypeName for JsCell {
    fn type_name() -> &'static str {
        "unknown"
    }
    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for JsCell {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        match val {
            JsCell::Null => Null::to_napi_value(env, Null),
            JsCell::Bool(b) => bool::to_napi_value(env, b),
            JsCell::Number(n) => f64::to_napi_value(env, n),
            JsCell::BigInt(n) => BigInt::to_napi_value(env, BigInt::from(n)),
            JsCell::Text(s) => String::to_napi_value(env, s),
            JsCell::Bytes(b) => Buffer::to_napi_value(env, Buffer::from(b)),
        }
    }
}
