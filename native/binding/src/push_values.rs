//! The fast lane for row values: a plain JS function whose *arguments* are the values.
//!
//! Reading a row array from native code costs one `napi_get_element` per cell, a property
//! lookup through V8's generic path (about a tenth of a microsecond each, the largest single
//! cost of a load in the profile). The arguments of a call, by contrast, arrive as one array of
//! handles: `napi_get_cb_info` copies them out in one go. So the JS wrapper lays the values of
//! a few hundred rows side by side in a reused array and calls this function with
//! `Reflect.apply(push, undefined, [rowCount, ...values])`; the values are still read once,
//! as napi values, straight into the packet buffer.
//!
//! Columnar batches use the same lane: `pushColumns(columns, start, rowCount, ...values)`
//! where `values` are the cells of the batch's plain-array columns for those rows, column after
//! column (typed-array columns are read in place; see js_columns.rs).
//!
//! The functions are made per session (`BulkSession.valuePusher()`, `columnPusher()`) and hold
//! the session's feed state through an `Arc`, released by a finalizer when collected.
//!
//! The feed's lock is held only while no JS can run. `pushValues` reads nothing but its
//! arguments; `pushColumns` reads the batch's column handles first (getters may run: they may
//! push, cancel, detach or shrink buffers) and only then locks the feed and borrows the typed
//! arrays' memory (see js_columns.rs). A panic becomes a thrown error, never an abort.

use crate::bulk::Feed;
use crate::js_columns::ColumnHandles;
use crate::js_error::PushError;
use crate::js_row::lock_feed;
use napi::sys;
use napi::{Error, Status};
use std::ffi::c_void;
use std::ptr;
use std::sync::{Arc, Mutex};

/// Which of the two lanes a function is.
#[derive(Clone, Copy)]
pub enum Lane {
    Rows,
    Columns,
}

/// Creates the push function of `lane` over `feed`.
///
/// # Safety
/// `env` must be the live env of the current call on the JS thread.
pub unsafe fn create(
    env: sys::napi_env,
    feed: Arc<Mutex<Feed>>,
    lane: Lane,
) -> napi::Result<sys::napi_value> {
    let (name, cb): (&str, unsafe extern "C" fn(_, _) -> _) = match lane {
        Lane::Rows => ("pushValues", callback::<false>),
        Lane::Columns => ("pushColumns", callback::<true>),
    };
    let data = Arc::into_raw(feed) as *mut c_void;
    let mut f = ptr::null_mut();
    let st = sys::napi_create_function(
        env,
        name.as_ptr().cast(),
        name.len() as isize,
        Some(cb),
        data,
        &mut f,
    );
    if st != sys::Status::napi_ok {
        drop(Arc::from_raw(data as *const Mutex<Feed>));
        return Err(Error::new(
            Status::GenericFailure,
            "could not create the push function",
        ));
    }
    let st = sys::napi_add_finalizer(
        env,
        f,
        data,
        Some(release),
        ptr::null_mut(),
        ptr::null_mut(),
    );
    if st != sys::Status::napi_ok {
        // Without a finalizer the state would leak; better to fail now.
        drop(Arc::from_raw(data as *const Mutex<Feed>));
        return Err(Error::new(
            Status::GenericFailure,
            "could not create the push function",
        ));
    }
    Ok(f)
}

unsafe extern "C" fn release(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    drop(Arc::from_raw(data as *const Mutex<Feed>));
}

/// The function's body: `pushValues(rowCount, ...values)` when `COLUMNS` is false (`values`
/// holds `rowCount` rows of exactly the session's source width each), else
/// `pushColumns(columns, start, rowCount, ...values)`. Returns what `pushRows` returns; throws
/// what it throws.
unsafe extern "C" fn callback<const COLUMNS: bool>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let lane = if COLUMNS { Lane::Columns } else { Lane::Rows };
    finish(
        env,
        std::panic::catch_unwind(|| unsafe { run(env, info, lane) }),
    )
}

/// Turns the outcome into the call's return value or a thrown error.
unsafe fn finish(
    env: sys::napi_env,
    outcome: std::thread::Result<Result<bool, PushError>>,
) -> sys::napi_value {
    let result = match outcome {
        Ok(r) => r,
        Err(_) => Err(PushError::Napi(Error::new(
            Status::GenericFailure,
            "internal error while encoding rows",
        ))),
    };
    match result {
        Ok(accepted) => {
            let mut out = ptr::null_mut();
            sys::napi_get_boolean(env, accepted, &mut out);
            out
        }
        Err(e) => {
            e.throw(env);
            ptr::null_mut()
        }
    }
}

unsafe fn run(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    lane: Lane,
) -> Result<bool, PushError> {
    let mut argc = 0usize;
    let mut data = ptr::null_mut();
    let st = sys::napi_get_cb_info(
        env,
        info,
        &mut argc,
        ptr::null_mut(),
        ptr::null_mut(),
        &mut data,
    );
    if st != sys::Status::napi_ok || data.is_null() {
        return Err(Error::new(Status::GenericFailure, "pushValues has no session").into());
    }
    let mut argv: Vec<sys::napi_value> = vec![ptr::null_mut(); argc];
    let st = sys::napi_get_cb_info(
        env,
        info,
        &mut argc,
        argv.as_mut_ptr(),
        ptr::null_mut(),
        ptr::null_mut(),
    );
    if st != sys::Status::napi_ok {
        return Err(Error::new(Status::GenericFailure, "pushValues: arguments unreadable").into());
    }
    argv.truncate(argc);
    let feed = &*(data as *const Mutex<Feed>);
    match lane {
        Lane::Rows => {
            let Some((&count, values)) = argv.split_first() else {
                return Err(invalid("pushValues(rowCount, ...values) needs a row count"));
            };
            let rows = whole(env, count, "pushValues: the row count")?;
            // Only the arguments are read: no JS runs while the feed is locked.
            Ok(lock_feed(feed)?.push_flat(env, rows, values)?)
        }
        Lane::Columns => {
            let [columns, start, count, plain @ ..] = &argv[..] else {
                return Err(invalid("pushColumns(columns, start, rowCount, ...values)"));
            };
            let start = whole(env, *start, "pushColumns: start")?;
            let rows = whole(env, *count, "pushColumns: the row count")?;
            let width = lock_feed(feed)?.width();
            // Phase one, feed unlocked: may run JS.
            let handles = ColumnHandles::gather(env, *columns, width)?;
            // Phase two: no JS runs from here until the rows are encoded.
            let mut f = lock_feed(feed)?;
            let cols = handles.borrow(env, start, rows, plain.len())?;
            Ok(f.push_columns(env, &cols, start, rows, plain)?)
        }
    }
}

/// A non-negative whole number argument.
unsafe fn whole(env: sys::napi_env, v: sys::napi_value, what: &str) -> Result<usize, PushError> {
    let mut f = 0f64;
    if sys::napi_get_value_double(env, v, &mut f) != sys::Status::napi_ok
        || f < 0.0
        || f.fract() != 0.0
        || f > u32::MAX as f64
    {
        return Err(invalid(&format!("{what} must be a whole number")));
    }
    Ok(f as usize)
}

fn invalid(msg: &str) -> PushError {
    PushError::Type(msg.to_string())
}
