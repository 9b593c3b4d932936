//! Columnar input: rows taken from one array per source column instead of one array per row.
//!
//! A typed-array column (`Int32Array`, `Float64Array`, `BigInt64Array`…) is read in place: its
//! backing store is borrowed once per call and each cell is a plain load, with no napi call at
//! all. An optional null mask (`Uint8Array`, non-zero = NULL) rides along. A plain-array column
//! holds JS values read exactly as row values are; the JS wrapper passes those values as call
//! arguments (see push_values.rs), column after column, for the rows of the call.
//!
//! For date and time columns a numeric typed array holds milliseconds since
//! 1970-01-01T00:00:00Z, as `Date.prototype.getTime()` returns them.

use crate::js_row::{encode_js_value, Scratch};
use napi::sys;
use std::ptr;
use tds::bulk::{encode_cell, BulkColumn, Cell, CellError};

/// Element types of the typed arrays a column may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Elem {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    F32,
    F64,
    I64,
    U64,
}

impl Elem {
    fn from_napi(kind: sys::napi_typedarray_type) -> Option<Elem> {
        use sys::TypedarrayType as T;
        Some(match kind {
            T::int8_array => Elem::I8,
            T::uint8_array | T::uint8_clamped_array => Elem::U8,
            T::int16_array => Elem::I16,
            T::uint16_array => Elem::U16,
            T::int32_array => Elem::I32,
            T::uint32_array => Elem::U32,
            T::float32_array => Elem::F32,
            T::float64_array => Elem::F64,
            T::bigint64_array => Elem::I64,
            T::biguint64_array => Elem::U64,
            _ => return None,
        })
    }
}

/// A typed array's elements, borrowed for the duration of one call.
#[derive(Clone, Copy)]
pub(crate) struct Typed {
    pub(crate) elem: Elem,
    data: *const u8,
}

impl Typed {
    /// The bytes of a `Uint8Array` (or `Buffer`, which is one) of `len` elements; None for other
    /// element types.
    ///
    /// # Safety
    /// The array must stay alive, unchanged, while the slice is used.
    pub(crate) unsafe fn bytes<'a>(&self, len: usize) -> Option<&'a [u8]> {
        (self.elem == Elem::U8).then(|| std::slice::from_raw_parts(self.data, len))
    }

    /// The element at `i` (`i < len`) as a cell; `temporal` reads numbers as epoch milliseconds.
    ///
    /// # Safety
    /// `data` must point at `len` live elements of `elem`.
    unsafe fn cell(&self, i: usize, temporal: bool) -> Cell<'static> {
        let p = self.data;
        let int = |n: i64| {
            if temporal {
                Cell::DateMs(n as f64)
            } else {
                Cell::Int(n)
            }
        };
        let float = |f: f64| {
            if temporal {
                Cell::DateMs(f)
            } else {
                Cell::Float(f)
            }
        };
        match self.elem {
            Elem::I8 => int(i64::from(*(p as *const i8).add(i))),
            Elem::U8 => int(i64::from(*p.add(i))),
            Elem::I16 => int(i64::from((p as *const i16).add(i).read_unaligned())),
            Elem::U16 => int(i64::from((p as *const u16).add(i).read_unaligned())),
            Elem::I32 => int(i64::from((p as *const i32).add(i).read_unaligned())),
            Elem::U32 => int(i64::from((p as *const u32).add(i).read_unaligned())),
            Elem::F32 => float(f64::from((p as *const f32).add(i).read_unaligned())),
            Elem::F64 => float((p as *const f64).add(i).read_unaligned()),
            Elem::I64 => int((p as *const i64).add(i).read_unaligned()),
            Elem::U64 => {
                let n = (p as *const u64).add(i).read_unaligned();
                match i64::try_from(n) {
                    Ok(n) => int(n),
                    Err(_) if temporal => Cell::DateMs(n as f64),
                    Err(_) => Cell::Int128(i128::from(n)),
                }
            }
        }
    }
}

/// Where one source column's cells come from.
#[derive(Clone, Copy)]
enum Source {
    Typed {
        values: Typed,
        nulls: Option<Typed>,
    },
    /// Values among the call's arguments: cell `r` of the call is `plain[offset + r]`.
    Plain {
        offset: usize,
    },
}

/// The columns of one call, classified once.
pub struct Columns {
    sources: Vec<Source>,
}

fn bad(column: usize, reason: impl Into<String>) -> CellError {
    CellError {
        column: String::new(),
        value: format!("(column {column})"),
        reason: reason.into(),
    }
}

/// Reads a typed array's element type, backing store and length; None when `v` is not a typed
/// array (or is one of an element type no column takes).
///
/// # Safety
/// `env` and `v` must be live napi handles of the current call on the JS thread.
pub(crate) unsafe fn typed_info(env: sys::napi_env, v: sys::napi_value) -> Option<(Typed, usize)> {
    let mut is = false;
    sys::napi_is_typedarray(env, v, &mut is);
    if !is {
        return None;
    }
    let mut kind = 0;
    let mut len = 0usize;
    let mut data = ptr::null_mut();
    let mut ab = ptr::null_mut();
    let mut offset = 0usize;
    let st =
        sys::napi_get_typedarray_info(env, v, &mut kind, &mut len, &mut data, &mut ab, &mut offset);
    if st != sys::Status::napi_ok {
        return None;
    }
    let elem = Elem::from_napi(kind)?;
    let data = if data.is_null() {
        ptr::NonNull::<u64>::dangling().as_ptr() as *const u8
    } else {
        data as *const u8
    };
    Some((Typed { elem, data }, len))
}

unsafe fn array_len(env: sys::napi_env, v: sys::napi_value) -> Option<usize> {
    let mut is = false;
    sys::napi_is_array(env, v, &mut is);
    if !is {
        return None;
    }
    let mut len = 0u32;
    sys::napi_get_array_length(env, v, &mut len);
    Some(len as usize)
}

impl Columns {
    /// Classifies the first `width` entries of `columns` (a JS array of columns) for rows
    /// `start..start + rows`. Plain columns take `rows` consecutive values each from the
    /// call's extra arguments, in column order; `plain_count` is how many there are.
    ///
    /// # Safety
    /// `env` and `columns` must be live napi handles of the current call on the JS thread.
    pub unsafe fn read(
        env: sys::napi_env,
        columns: sys::napi_value,
        width: usize,
        start: usize,
        rows: usize,
        plain_count: usize,
    ) -> Result<Columns, CellError> {
        let Some(n) = array_len(env, columns) else {
            return Err(bad(0, "a column batch must be an array of columns"));
        };
        if n < width {
            return Err(bad(
                n,
                format!("the batch has {n} columns; the column mapping needs {width}"),
            ));
        }
        let end = start
            .checked_add(rows)
            .ok_or_else(|| bad(0, "row range out of bounds"))?;
        let mut sources = Vec::with_capacity(width);
        let mut plain_offset = 0usize;
        for c in 0..width {
            let mut col = ptr::null_mut();
            sys::napi_get_element(env, columns, c as u32, &mut col);
            let (values, nulls) = match typed_info(env, col) {
                Some(t) => (Some(t), None),
                None if array_len(env, col).is_some() => (None, None),
                None => {
                    // { values, nulls }
                    let mut values = ptr::null_mut();
                    let mut nulls = ptr::null_mut();
                    let mut t = 0;
                    sys::napi_typeof(env, col, &mut t);
                    if t != sys::ValueType::napi_object {
                        return Err(bad(
                            c,
                            "each column must be an array, a typed array or { values, nulls }",
                        ));
                    }
                    sys::napi_get_named_property(env, col, c"values".as_ptr(), &mut values);
                    sys::napi_get_named_property(env, col, c"nulls".as_ptr(), &mut nulls);
                    let Some(v) = typed_info(env, values) else {
                        return Err(bad(c, "{ values, nulls }: values must be a typed array"));
                    };
                    let mut nt = 0;
                    sys::napi_typeof(env, nulls, &mut nt);
                    let mask = if nt == sys::ValueType::napi_undefined
                        || nt == sys::ValueType::napi_null
                    {
                        None
                    } else {
                        match typed_info(env, nulls) {
                            Some(m @ (Typed { elem: Elem::U8, .. }, _)) => Some(m),
                            _ => {
                                return Err(bad(c, "{ values, nulls }: nulls must be a Uint8Array"))
                            }
                        }
                    };
                    (Some(v), mask)
                }
            };
            match values {
                Some((values, len)) => {
                    if len < end {
                        return Err(bad(
                            c,
                            format!("column {c} has {len} values, fewer than the batch's rows"),
                        ));
                    }
                    if let Some((_, nlen)) = nulls {
                        if nlen < end {
                            return Err(bad(c, format!("column {c}'s null mask has {nlen} entries, fewer than the batch's rows")));
                        }
                    }
                    sources.push(Source::Typed {
                        values,
                        nulls: nulls.map(|(m, _)| m),
                    });
                }
                None => {
                    sources.push(Source::Plain {
                        offset: plain_offset,
                    });
                    plain_offset += rows;
                }
            }
        }
        if plain_offset != plain_count {
            return Err(bad(
                0,
                format!(
                    "{plain_count} plain values passed; the batch's plain columns need {plain_offset}"
                ),
            ));
        }
        Ok(Columns { sources })
    }

    /// Encodes row `r` of the call (absolute row `start + r`) in plan order.
    ///
    /// # Safety
    /// Handles in `plain` must be live; the typed arrays read must still be alive (they are
    /// referenced by the call's arguments).
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn encode_row(
        &self,
        env: sys::napi_env,
        plain: &[sys::napi_value],
        start: usize,
        r: usize,
        columns: &[BulkColumn],
        sources: &[usize],
        scratch: &mut Scratch,
        buf: &mut bytes::BytesMut,
    ) -> Result<(), CellError> {
        for (col, &src) in columns.iter().zip(sources) {
            match self.sources[src] {
                Source::Typed { values, nulls } => {
                    let i = start + r;
                    let cell = match nulls {
                        Some(m) if *m.data.add(i) != 0 => Cell::Null,
                        _ => values.cell(i, col.ty.is_temporal()),
                    };
                    encode_cell(col, cell, buf)?;
                }
                Source::Plain { offset } => {
                    encode_js_value(env, plain[offset + r], col, scratch, buf)?;
                }
            }
        }
        Ok(())
    }
}
