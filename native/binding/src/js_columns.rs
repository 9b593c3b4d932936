//! Columnar input: rows taken from one array per source column instead of one array per row.
//!
//! A typed-array column (`Int32Array`, `Float64Array`, `BigInt64Array`…) is read in place: its
//! backing store is borrowed once per call and each cell is a plain load, with no napi call at
//! all. An optional null mask (`Uint8Array`, non-zero = NULL) rides along. A plain-array column
//! holds JS values read exactly as row values are; the JS wrapper passes those values as call
//! arguments (see push_values.rs), column after column, for the rows of the call.
//!
//! Reading happens in two phases, because JS can change a buffer under us. Phase one
//! ([`ColumnHandles::gather`]) takes every handle the call needs; it may run JS — an element
//! getter, a `values` getter, a Proxy trap — and that JS may shrink a resizable `ArrayBuffer`
//! or detach (transfer) one. Phase two ([`ColumnHandles::borrow`]) takes the data pointers and
//! lengths, refuses detached and shared buffers, and yields [`Columns`], whose slices live
//! only as long as the handles; from there until the rows are encoded, only napi calls that
//! never run JS are made (typeof, value getters, `napi_is_date`…), so nothing can free or
//! shrink the memory being read. A `SharedArrayBuffer` is refused: another thread may write it
//! while it is read, which no Rust slice may alias.
//!
//! For date and time columns a numeric typed array holds milliseconds since
//! 1970-01-01T00:00:00Z, as `Date.prototype.getTime()` returns them.

use crate::js_error::{check_js, PushError};
use crate::js_row::{encode_js_value, Scratch};
use napi::sys;
use std::ptr;
use tds::bulk::{encode_cell, BulkColumn, Cell, CellError};

/// The most source values a row may be read for (the JS wrapper caps mapping indexes below
/// this): a larger width would only come from a hostile mapping over a sparse array, and reading
/// it would exhaust memory rather than fail.
pub(crate) const MAX_WIDTH: usize = 65_536;

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

    fn size(self) -> usize {
        match self {
            Elem::I8 | Elem::U8 => 1,
            Elem::I16 | Elem::U16 => 2,
            Elem::I32 | Elem::U32 | Elem::F32 => 4,
            Elem::F64 | Elem::I64 | Elem::U64 => 8,
        }
    }
}

/// A typed array's elements as bytes, borrowed while no JS runs (see the module comment).
#[derive(Clone, Copy)]
pub(crate) struct Typed<'a> {
    pub(crate) elem: Elem,
    bytes: &'a [u8],
}

/// Why a typed array could not be borrowed.
pub(crate) enum TypedRefusal {
    /// Not a typed array, or one of an element type no column takes (a DataView is not one).
    NotTyped,
    /// Its `ArrayBuffer` was detached (transferred): nothing left to read.
    Detached,
    /// Backed by a `SharedArrayBuffer`, which other threads may write while it is read.
    Shared,
}

impl TypedRefusal {
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            TypedRefusal::NotTyped => "is not a typed array",
            TypedRefusal::Detached => {
                "is over a detached (transferred) ArrayBuffer: it has no values to read"
            }
            TypedRefusal::Shared => {
                "is over a SharedArrayBuffer, which another thread may change while it is read; \
                 copy it into an ArrayBuffer first"
            }
        }
    }
}

impl<'a> Typed<'a> {
    /// Borrows `v`'s elements.
    ///
    /// # Safety
    /// `env` and `v` must be live napi handles of the current call on the JS thread, and no JS
    /// may run while the result is used: `'a` must not outlive that stretch.
    pub(crate) unsafe fn borrow(
        env: sys::napi_env,
        v: sys::napi_value,
    ) -> Result<Typed<'a>, TypedRefusal> {
        let mut is = false;
        if sys::napi_is_typedarray(env, v, &mut is) != sys::Status::napi_ok || !is {
            return Err(TypedRefusal::NotTyped);
        }
        let mut kind = 0;
        let mut len = 0usize;
        let mut data = ptr::null_mut();
        let mut ab = ptr::null_mut();
        let mut offset = 0usize;
        let st = sys::napi_get_typedarray_info(
            env,
            v,
            &mut kind,
            &mut len,
            &mut data,
            &mut ab,
            &mut offset,
        );
        if st != sys::Status::napi_ok {
            return Err(TypedRefusal::NotTyped);
        }
        let elem = Elem::from_napi(kind).ok_or(TypedRefusal::NotTyped)?;
        // napi_is_arraybuffer is false for a SharedArrayBuffer (and Node 20 has no
        // napi_is_sharedarraybuffer).
        let mut plain = false;
        if sys::napi_is_arraybuffer(env, ab, &mut plain) != sys::Status::napi_ok || !plain {
            return Err(TypedRefusal::Shared);
        }
        let mut detached = false;
        if sys::napi_is_detached_arraybuffer(env, ab, &mut detached) != sys::Status::napi_ok
            || detached
        {
            return Err(TypedRefusal::Detached);
        }
        // A view past the end of a shrunk resizable buffer reports length 0 (V8's
        // IsOutOfBounds), so `len` never reaches past the store.
        let byte_len = len.checked_mul(elem.size()).ok_or(TypedRefusal::NotTyped)?;
        let bytes = if byte_len == 0 || data.is_null() {
            &[][..]
        } else {
            std::slice::from_raw_parts(data as *const u8, byte_len)
        };
        Ok(Typed { elem, bytes })
    }

    /// Number of elements.
    pub(crate) fn len(&self) -> usize {
        self.bytes.len() / self.elem.size()
    }

    /// The bytes of a `Uint8Array` (or `Buffer`, which is one); None for other element types.
    pub(crate) fn uint8(&self) -> Option<&'a [u8]> {
        (self.elem == Elem::U8).then_some(self.bytes)
    }

    fn word<const N: usize>(&self, i: usize) -> Option<[u8; N]> {
        let from = i.checked_mul(N)?;
        self.bytes.get(from..from.checked_add(N)?)?.try_into().ok()
    }

    /// Whether the null mask marks row `i` NULL.
    fn is_set(&self, i: usize) -> bool {
        self.bytes.get(i).is_some_and(|&b| b != 0)
    }

    /// The element at `i` as a cell; `temporal` reads numbers as epoch milliseconds. None past
    /// the end (`borrow` checked the lengths, so this does not happen).
    fn cell(&self, i: usize, temporal: bool) -> Option<Cell<'static>> {
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
        Some(match self.elem {
            Elem::I8 => int(i64::from(i8::from_ne_bytes(self.word(i)?))),
            Elem::U8 => int(i64::from(u8::from_ne_bytes(self.word(i)?))),
            Elem::I16 => int(i64::from(i16::from_ne_bytes(self.word(i)?))),
            Elem::U16 => int(i64::from(u16::from_ne_bytes(self.word(i)?))),
            Elem::I32 => int(i64::from(i32::from_ne_bytes(self.word(i)?))),
            Elem::U32 => int(i64::from(u32::from_ne_bytes(self.word(i)?))),
            Elem::F32 => float(f64::from(f32::from_ne_bytes(self.word(i)?))),
            Elem::F64 => float(f64::from_ne_bytes(self.word(i)?)),
            Elem::I64 => int(i64::from_ne_bytes(self.word(i)?)),
            Elem::U64 => {
                let n = u64::from_ne_bytes(self.word(i)?);
                match i64::try_from(n) {
                    Ok(n) => int(n),
                    Err(_) if temporal => Cell::DateMs(n as f64),
                    Err(_) => Cell::Int128(i128::from(n)),
                }
            }
        })
    }
}

/// One source column as phase one found it: handles only, no pointers.
enum Handle {
    Typed {
        values: sys::napi_value,
        nulls: Option<sys::napi_value>,
    },
    Plain,
}

/// The handles of one call's columns (phase one).
pub struct ColumnHandles {
    columns: Vec<Handle>,
}

/// Where one source column's cells come from (phase two).
enum Source<'a> {
    Typed {
        values: Typed<'a>,
        nulls: Option<Typed<'a>>,
    },
    /// Values among the call's arguments: cell `r` of the call is `plain[offset + r]`.
    Plain { offset: usize },
}

/// The columns of one call, classified and borrowed; only valid while no JS runs.
pub struct Columns<'a> {
    sources: Vec<Source<'a>>,
}

unsafe fn is_array(env: sys::napi_env, v: sys::napi_value) -> bool {
    let mut is = false;
    sys::napi_is_array(env, v, &mut is) == sys::Status::napi_ok && is
}

unsafe fn is_typed(env: sys::napi_env, v: sys::napi_value) -> bool {
    let mut is = false;
    sys::napi_is_typedarray(env, v, &mut is) == sys::Status::napi_ok && is
}

unsafe fn type_of(env: sys::napi_env, v: sys::napi_value) -> sys::napi_valuetype {
    let mut t = sys::ValueType::napi_undefined;
    if sys::napi_typeof(env, v, &mut t) != sys::Status::napi_ok {
        return sys::ValueType::napi_undefined;
    }
    t
}

/// `obj[name]`, which may run a getter or a Proxy trap.
unsafe fn property(
    env: sys::napi_env,
    obj: sys::napi_value,
    name: &std::ffi::CStr,
    what: &str,
) -> Result<sys::napi_value, PushError> {
    let mut v = ptr::null_mut();
    check_js(
        env,
        sys::napi_get_named_property(env, obj, name.as_ptr(), &mut v),
        what,
    )?;
    Ok(v)
}

impl ColumnHandles {
    /// Phase one: the handles of the first `width` entries of `columns` (a JS array of
    /// columns). Runs whatever JS the reads trigger; a throw comes back as
    /// [`PushError::Thrown`], a malformed column as a `TypeError`.
    ///
    /// # Safety
    /// `env` and `columns` must be live napi handles of the current call on the JS thread.
    pub unsafe fn gather(
        env: sys::napi_env,
        columns: sys::napi_value,
        width: usize,
    ) -> Result<ColumnHandles, PushError> {
        if width > MAX_WIDTH {
            return Err(PushError::Type(format!(
                "a row of {width} source values is more than the {MAX_WIDTH} a load reads"
            )));
        }
        let mut n = 0u32;
        if !is_array(env, columns)
            || sys::napi_get_array_length(env, columns, &mut n) != sys::Status::napi_ok
        {
            return Err(PushError::Type(
                "a column batch must be an array of columns".into(),
            ));
        }
        if (n as usize) < width {
            return Err(PushError::Type(format!(
                "the batch has {n} columns; the column mapping needs {width}"
            )));
        }
        let mut out = Vec::with_capacity(width);
        for c in 0..width {
            let mut col = ptr::null_mut();
            let what = format!("column {c}");
            check_js(
                env,
                sys::napi_get_element(env, columns, c as u32, &mut col),
                &what,
            )?;
            let handle = if is_typed(env, col) {
                Handle::Typed {
                    values: col,
                    nulls: None,
                }
            } else if is_array(env, col) {
                Handle::Plain
            } else if type_of(env, col) == sys::ValueType::napi_object {
                // { values, nulls }
                let values = property(env, col, c"values", &format!("column {c}'s values"))?;
                let nulls = property(env, col, c"nulls", &format!("column {c}'s nulls"))?;
                let nt = type_of(env, nulls);
                let nulls = (nt != sys::ValueType::napi_undefined
                    && nt != sys::ValueType::napi_null)
                    .then_some(nulls);
                Handle::Typed { values, nulls }
            } else {
                return Err(PushError::Type(format!(
                    "column {c} must be an array, a typed array or {{ values, nulls }}"
                )));
            };
            out.push(handle);
        }
        Ok(ColumnHandles { columns: out })
    }

    /// Phase two: borrows the typed arrays for rows `start..start + rows`. Plain columns take
    /// `rows` consecutive values each from the call's extra arguments, in column order;
    /// `plain_count` is how many there are. Makes no call that can run JS.
    ///
    /// # Safety
    /// `env` must be the live env of the call that gathered the handles, and no JS may run
    /// while the result is used.
    pub unsafe fn borrow(
        &self,
        env: sys::napi_env,
        start: usize,
        rows: usize,
        plain_count: usize,
    ) -> Result<Columns<'_>, PushError> {
        let end = start
            .checked_add(rows)
            .ok_or_else(|| PushError::Type("the row range is out of bounds".into()))?;
        let mut sources = Vec::with_capacity(self.columns.len());
        let mut plain_offset = 0usize;
        for (c, handle) in self.columns.iter().enumerate() {
            match *handle {
                Handle::Plain => {
                    sources.push(Source::Plain {
                        offset: plain_offset,
                    });
                    plain_offset = plain_offset.saturating_add(rows);
                }
                Handle::Typed { values, nulls } => {
                    let values = Typed::borrow(env, values).map_err(|r| match r {
                        TypedRefusal::NotTyped => PushError::Type(format!(
                            "column {c}: {{ values, nulls }}: values must be a typed array"
                        )),
                        r => PushError::Type(format!("column {c} {}", r.reason())),
                    })?;
                    let len = values.len();
                    if len < end {
                        return Err(PushError::Type(format!(
                            "column {c} has {len} values, fewer than the batch's {end} rows"
                        )));
                    }
                    let nulls = match nulls {
                        None => None,
                        Some(n) => match Typed::borrow(env, n) {
                            Ok(m) if m.elem == Elem::U8 => Some(m),
                            Ok(_) | Err(TypedRefusal::NotTyped) => {
                                return Err(PushError::Type(format!(
                                    "column {c}: {{ values, nulls }}: nulls must be a Uint8Array"
                                )))
                            }
                            Err(r) => {
                                return Err(PushError::Type(format!(
                                    "column {c}'s null mask {}",
                                    r.reason()
                                )))
                            }
                        },
                    };
                    if let Some(m) = nulls {
                        if m.len() < end {
                            return Err(PushError::Type(format!(
                                "column {c}'s null mask has {} entries, fewer than the batch's {end} rows",
                                m.len()
                            )));
                        }
                    }
                    sources.push(Source::Typed { values, nulls });
                }
            }
        }
        if plain_offset != plain_count {
            return Err(PushError::Type(format!(
                "{plain_count} plain values passed; the batch's plain columns need {plain_offset}"
            )));
        }
        Ok(Columns { sources })
    }
}

impl Columns<'_> {
    /// Encodes row `r` of the call (absolute row `start + r`) in plan order.
    ///
    /// # Safety
    /// Handles in `plain` must be live handles of the current call.
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
        let out_of_range = |col: &BulkColumn| CellError {
            column: col.name.clone(),
            value: "(row)".into(),
            reason: "the row is outside the batch".into(),
        };
        for (col, &src) in columns.iter().zip(sources) {
            match self.sources.get(src) {
                Some(Source::Typed { values, nulls }) => {
                    let i = start + r;
                    let cell = match nulls {
                        Some(m) if m.is_set(i) => Cell::Null,
                        _ => values
                            .cell(i, col.ty.is_temporal())
                            .ok_or_else(|| out_of_range(col))?,
                    };
                    encode_cell(col, cell, buf)?;
                }
                Some(Source::Plain { offset }) => {
                    let v = plain
                        .get(offset + r)
                        .copied()
                        .ok_or_else(|| out_of_range(col))?;
                    encode_js_value(env, v, col, scratch, buf)?;
                }
                None => return Err(out_of_range(col)),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "js_columns_tests.rs"]
mod tests;
