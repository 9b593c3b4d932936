// The public entry of @sluice/native: the generated binding (index.js), with errors rebuilt
// into proper `Error`s carrying `code` (and the server's number, state, class, lineNumber,
// serverName) — see binding/src/js_error.rs for why they travel as JSON.
const { types } = require('node:util')
const binding = require('./index.js')

const MARKER = 'SLUICE_ERROR:'

class SluiceError extends Error {
  constructor(detail) {
    super(detail.message)
    this.name = 'SluiceError'
    for (const [k, v] of Object.entries(detail)) {
      if (k !== 'message') this[k] = v
    }
  }
}

function rebuild(err) {
  if (err && typeof err.message === 'string' && err.message.startsWith(MARKER)) {
    let detail
    try {
      detail = JSON.parse(err.message.slice(MARKER.length))
    } catch {
      return err
    }
    const e = new SluiceError(detail)
    if (err.stack) e.stack = `${e.name}: ${e.message}\n${err.stack.split('\n').slice(1).join('\n')}`
    return e
  }
  return err
}

async function call(fn) {
  try {
    return await fn()
  } catch (err) {
    throw rebuild(err)
  }
}

/**
 * What a load rejects with when its source, a getter or a callback threw `thrown`: that error
 * itself when it is an object that takes the account's properties (rowsCommitted…), else an
 * Error that says what was thrown, with it as `cause` — so `undefined`, a string, a Symbol, a
 * frozen object or a Proxy whose traps throw never replace the account with a TypeError.
 */
function loadError(thrown) {
  try {
    const e = rebuild(thrown)
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      void e.code
      const mark = {}
      e.rowsRejected = mark
      if (e.rowsRejected === mark) {
        e.rowsRejected = undefined
        return e
      }
    }
  } catch {
    // a getter, setter or trap threw: wrap it below
  }
  let what
  try {
    what = typeof thrown === 'symbol' ? thrown.toString() : typeof thrown === 'object' && thrown !== null ? 'an object' : String(thrown)
  } catch {
    what = typeof thrown
  }
  return new Error(`the load's source threw a value that is not an Error: ${what}`, { cause: thrown })
}

/**
 * Values handed to the native encoder per call (rows × width): enough to amortise the
 * crossing, few enough to pass as arguments without straining the stack; and at most
 * CHUNK_ROWS rows, so that a slow source's rows still leave promptly.
 */
const CHUNK_VALUES = 8192
const CHUNK_ROWS = 1024

/** Source indexes a column mapping may name: far beyond any table's columns, small enough that a row's values fit in memory. */
const MAX_SOURCE_INDEX = 65535

/** `value` when it is undefined or a whole number in 0..2³²−1 (the native option is a u32). */
function count32(value, name) {
  if (value === undefined || (Number.isInteger(value) && value >= 0 && value <= 0xffffffff)) return value
  throw new TypeError(`${name} must be a whole number from 0 to 4294967295`)
}

function flag(value, name) {
  if (value === undefined || typeof value === 'boolean') return value
  throw new TypeError(`${name} must be a boolean`)
}

function normaliseOptions(opts) {
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object')
  if (opts.maxErrors !== undefined && !(typeof opts.maxErrors === 'number' && opts.maxErrors >= 0)) {
    throw new TypeError('maxErrors must be a number ≥ 0 (Infinity for no limit)')
  }
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) {
    throw new TypeError('signal must be an AbortSignal')
  }
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new TypeError('onProgress must be a function')
  }
  if (opts.onReject !== undefined && typeof opts.onReject !== 'function') {
    throw new TypeError('onReject must be a function')
  }
  const givenMappings = opts.columnMappings
  if (givenMappings !== undefined && !Array.isArray(givenMappings)) {
    throw new TypeError("columnMappings must be an array of [sourceIndex, 'destinationColumn']")
  }
  const mappings = givenMappings?.map((m, i) => {
    const [source, destination] = Array.isArray(m) ? m : [m?.source, m?.destination]
    if (!Number.isInteger(source) || source < 0 || source > MAX_SOURCE_INDEX || typeof destination !== 'string') {
      throw new TypeError(`columnMappings[${i}] must be [sourceIndex (0–${MAX_SOURCE_INDEX}), 'destinationColumn']`)
    }
    return { source, destination }
  })
  const order = opts.order
  if (order !== undefined && !(Array.isArray(order) && order.every((o) => typeof o === 'string'))) {
    throw new TypeError("order must be an array of column names, e.g. ['id', 'at DESC']")
  }
  return {
    batchSize: count32(opts.batchSize, 'batchSize'),
    tableLock: flag(opts.tableLock, 'tableLock'),
    checkConstraints: flag(opts.checkConstraints, 'checkConstraints'),
    fireTriggers: flag(opts.fireTriggers, 'fireTriggers'),
    keepNulls: flag(opts.keepNulls, 'keepNulls'),
    keepIdentity: flag(opts.keepIdentity, 'keepIdentity'),
    rowsPerBatch: count32(opts.rowsPerBatch, 'rowsPerBatch'),
    order: order && [...order],
    columnMappings: mappings,
  }
}

/** What the abort promise resolves to, told apart from a session. */
const ABORTED = Symbol('aborted')

function abortError(signal, account) {
  const e = new SluiceError({ code: 'ECANCEL', message: 'the bulk copy was cancelled', ...account })
  if (signal && signal.reason !== undefined) e.cause = signal.reason
  return e
}

/**
 * The longest stretch, in milliseconds, a load runs on the JS thread before it lets the event
 * loop turn (timers, I/O, an AbortSignal.timeout, Electron's UI). A turn costs a few
 * microseconds; 15 ms keeps every gap well under 50 ms even when one push encodes ~1,000 rows.
 */
const YIELD_EVERY_MS = 15

/** Lets the event loop turn now and then during a load that never has to wait. */
function pacer() {
  let last = performance.now()
  return {
    /** Resolves on a later turn of the event loop when the last one was long enough ago. */
    pace() {
      const now = performance.now()
      if (now - last < YIELD_EVERY_MS) return undefined
      return new Promise((resolve) =>
        setImmediate(() => {
          last = performance.now()
          resolve()
        }),
      )
    },
  }
}

/** Waits until the session has handed every sealed packet to its sender task (or a cancel). */
async function drain(session, signal, pace) {
  while (!session.flush()) {
    if (signal?.aborted) return
    await session.ready()
  }
  const p = pace?.pace()
  if (p) await p
}

/**
 * Calls `each(item, index)` for every item of an Iterable or AsyncIterable, awaiting what it
 * returns only when that is a promise (so a synchronous step costs no await). Every 64 items
 * it checks whether the event loop is due a turn (see YIELD_EVERY_MS): a source that is fast
 * and synchronous (or an async one that never really waits) must not starve the JS thread.
 * Resolves false when the signal aborted first.
 */
async function forEachItem(source, signal, what, pace, each) {
  let i = 0
  if (source != null && typeof source[Symbol.asyncIterator] === 'function') {
    for await (const item of source) {
      if (signal?.aborted) return false
      const p = each(item, i++)
      if (p) await p
      if ((i & 63) === 0) {
        const t = pace.pace()
        if (t) await t
      }
    }
  } else if (source != null && typeof source[Symbol.iterator] === 'function') {
    for (const item of source) {
      if (signal?.aborted) return false
      const p = each(item, i++)
      if (p) await p
      if ((i & 63) === 0) {
        const t = pace.pace()
        if (t) await t
      }
    }
  } else {
    throw new TypeError(`${what} must be an Iterable or AsyncIterable of arrays`)
  }
  return true
}

/**
 * Decides what happens to a row the encoder refused (EVALUE): with budget left (`maxErrors`)
 * the row is skipped — the session keeps row numbers counting — and reported to `onReject`
 * with its source values; otherwise the error stands, with `rowsRejected` so far.
 */
function rejecter(session, options) {
  const max = options.maxErrors ?? 0
  const onReject = options.onReject
  return {
    count: 0,
    /**
     * A push of `count` rows numbered from `first` threw `err`: when it refused one of them and
     * the budget allows, skips that row (reported with `valuesOf(index)`) and returns its index
     * in the push — the rows before it were sent, the caller pushes the ones after it again.
     * Otherwise throws the error.
     */
    skip(err, first, count, valuesOf) {
      const e = rebuild(err)
      const k = e?.row - first
      if (e?.code !== 'EVALUE' || !(k >= 0 && k < count) || this.count >= max) {
        if (e?.code === 'EVALUE') e.rowsRejected = this.count
        throw e
      }
      this.count++
      session.skipRow()
      onReject?.({ row: e.row, column: e.column, value: e.value, reason: e.reason, values: valuesOf(k) })
      return k
    },
  }
}

/**
 * Feeds rows to a native bulk session, waiting whenever the socket is behind.
 *
 * The values of a few hundred rows are laid side by side in one reused array and passed as the
 * *arguments* of the session's `pushValues` function: arguments reach native code as one block
 * of handles, where reading a row array costs a property lookup per cell. A row that is not an
 * array, or is shorter than the mapping needs, goes through `pushRows`, which reports it.
 */
async function feed(session, rows, signal, rejects, pace) {
  try {
    await feedRows(session, rows, signal, rejects, pace)
  } catch (err) {
    throw loadError(err)
  }
}

async function feedRows(session, rows, signal, rejects, pace) {
  const width = session.width
  const pushValues = session.valuePusher()
  const perCall = Math.max(1, Math.min(CHUNK_ROWS, Math.floor(CHUNK_VALUES / Math.max(width, 1))))
  // A fresh array per call: it stays in V8's young generation with the values it holds, so
  // storing them costs no write-barrier bookkeeping (a long-lived array would).
  let args = [0]
  let n = 1
  let count = 0
  let nextRow = 1 // the 1-based number of the first row gathered in args
  // Sends the rows gathered so far (the caller drains if the native side is behind). A row
  // the encoder refuses is skipped or fails the load (see rejecter); the rows after it go again.
  const push = () => {
    let call = args
    let rows = count
    args = [0]
    n = 1
    count = 0
    for (;;) {
      call[0] = rows
      try {
        Reflect.apply(pushValues, undefined, call)
        nextRow += rows
        return
      } catch (err) {
        const k = rejects.skip(err, nextRow, rows, (k) => call.slice(1 + k * width, 1 + (k + 1) * width))
        call = [0, ...call.slice(1 + (k + 1) * width)]
        rows -= k + 1
        nextRow += k + 1
        if (rows === 0) return
      }
    }
  }
  // Gathers one row; true when that made a call, so the caller must drain. Synchronous on
  // purpose: an await per row would cost more than the row.
  const add = (row) => {
    if (!Array.isArray(row) || row.length < width) {
      if (count) push()
      try {
        session.pushRows([row]) // throws the error that names the row
      } catch (err) {
        rejects.skip(err, nextRow, 1, () => (Array.isArray(row) ? row : [row]))
      }
      nextRow++
      return true
    }
    for (let j = 0; j < width; j++) args[n++] = row[j]
    if (++count < perCall) return false
    push()
    return true
  }
  if (!(await forEachItem(rows, signal, 'rows', pace, (row) => (add(row) ? drain(session, signal, pace) : undefined)))) return
  if (count) push()
  session.end()
  await drain(session, signal)
}

/** Marks a plain-array column for the native side, which reads its cells from the call's arguments. */
const PLAIN = Object.freeze([])

function isTypedColumn(v) {
  // util.types reads internal slots: no getter, Proxy trap or Symbol.toStringTag runs.
  return types.isTypedArray(v)
}

/**
 * One column of a batch, each property read exactly once (getters run once, here): `source`
 * is what JS reads cells from, `native` what the native side gets — the typed array itself, a
 * fresh `{ values, nulls }` of plain data properties, or PLAIN — so JS and native code agree on
 * what the column is whatever the getters return next time.
 */
function snapshotColumn(col, index) {
  if (Array.isArray(col)) return { plain: true, source: col, native: PLAIN, length: col.length }
  if (isTypedColumn(col)) return { plain: false, source: col, native: col, length: col.length }
  if (col !== null && typeof col === 'object') {
    const values = col.values
    const nulls = col.nulls
    if (isTypedColumn(values)) {
      if (nulls != null && !types.isUint8Array(nulls)) {
        throw new TypeError(`column ${index}: nulls must be a Uint8Array (non-zero = NULL)`)
      }
      const native = { values, nulls: nulls ?? null }
      return { plain: false, source: native, native, length: values.length, nullsLength: nulls?.length }
    }
  }
  throw new TypeError(`column ${index} must be an Array, a typed array or { values: TypedArray, nulls?: Uint8Array }`)
}

/** Row `i` of a snapshot batch as the values a reject report carries. */
function rowOf(columns, i) {
  return columns.map(({ plain, source }) => {
    if (plain || isTypedColumn(source)) return source[i]
    return source.nulls?.[i] ? null : source.values[i]
  })
}

/**
 * Feeds columnar batches (each an array of columns of equal length) to a native session.
 * Typed-array columns are read by the native side in place; the cells of plain-array columns
 * are passed as call arguments, column after column, a few hundred rows per call.
 */
async function feedColumns(session, batches, signal, rejects, pace) {
  try {
    await feedColumnBatches(session, batches, signal, rejects, pace)
  } catch (err) {
    throw loadError(err)
  }
}

async function feedColumnBatches(session, batches, signal, rejects, pace) {
  const width = session.width
  let nextRow = 1 // the 1-based number of the next row, counted across batches
  const pushColumns = session.columnPusher()
  const one = async (batch, b) => {
    if (!Array.isArray(batch)) throw new TypeError(`batch ${b} must be an array of columns`)
    const given = batch.length
    if (given < width) {
      throw new TypeError(`batch ${b} has ${given} columns; the column mapping needs ${width}`)
    }
    // Only the columns the mapping reads (0..width-1) are looked at, each once.
    const columns = []
    for (let c = 0; c < width; c++) columns.push(snapshotColumn(batch[c], c))
    const native = columns.map((col) => col.native)
    const plain = columns.filter((col) => col.plain).map((col) => col.source)
    const rows = width ? columns[0].length : 0
    for (let c = 0; c < width; c++) {
      const { length, nullsLength } = columns[c]
      if (length !== rows) throw new TypeError(`batch ${b}: column ${c} has ${length} values, column 0 has ${rows}`)
      if (nullsLength !== undefined && nullsLength < rows) {
        throw new TypeError(`batch ${b}: column ${c}'s nulls has ${nullsLength} entries for ${rows} rows`)
      }
    }
    const perCall = Math.max(1, Math.min(CHUNK_ROWS, Math.floor(CHUNK_VALUES / Math.max(plain.length, 1))))
    // Rows start..start+count-1 of this batch; a refused row is skipped or fails the load (see
    // rejecter) and the rows after it go again.
    const pushRange = (start, count) => {
      while (count > 0) {
        const args = [native, start, count]
        for (const col of plain) for (let i = start; i < start + count; i++) args.push(col[i])
        try {
          Reflect.apply(pushColumns, undefined, args)
          nextRow += count
          return
        } catch (err) {
          const k = rejects.skip(err, nextRow, count, (k) => rowOf(columns, start + k))
          start += k + 1
          count -= k + 1
          nextRow += k + 1
        }
      }
    }
    for (let start = 0; start < rows; start += perCall) {
      if (signal?.aborted) return
      pushRange(start, Math.min(perCall, rows - start))
      await drain(session, signal, pace)
    }
  }
  if (!(await forEachItem(batches, signal, 'batches', pace, one))) return
  session.end()
  await drain(session, signal)
}

/**
 * A call made on a connection while a bulk load holds it. The connection serves one request at
 * a time, so the call would wait for the load to end — and forever when the load's own row source
 * (or a getter it runs) awaits it. It fails at once instead.
 */
function busyError(what) {
  return new SluiceError({
    code: 'EBUSY',
    message: `${what} while a bulk load runs on this connection: use another connection, or await the load first`,
  })
}

class Client {
  /** @param {import('./index').Client} inner */
  constructor(inner) {
    this._inner = inner
    this._loading = false
  }
  /**
   * Runs a SQL batch. Every result set is in `resultSets`, each with its own rows; `columns`
   * and `rows` are the first set's (the same arrays). `maxRows` bounds the rows kept over all
   * sets: at the next row the rest of the batch is cancelled and `truncated` is true.
   */
  async query(sql, options = {}) {
    if (typeof sql !== 'string') throw new TypeError('sql must be a string')
    if (this._loading) throw busyError('query() called')
    const { maxRows } = options ?? {}
    if (maxRows !== undefined && !(maxRows === Infinity || (Number.isInteger(maxRows) && maxRows >= 0))) {
      throw new TypeError('maxRows must be a whole number ≥ 0 (Infinity for no limit)')
    }
    const r = await call(() => this._inner.query(sql, maxRows === undefined ? undefined : { maxRows }))
    const first = r.resultSets[0]
    return { columns: first?.columns ?? [], rows: first?.rows ?? [], ...r }
  }
  close() {
    if (this._loading) return Promise.reject(busyError('close() called (abort the load first)'))
    return call(() => this._inner.close())
  }

  /** Runs a load, refusing other calls on the connection until it settles (see busyError). */
  async _exclusive(load) {
    if (this._loading) throw busyError('another bulk load started')
    this._loading = true
    try {
      return await load()
    } finally {
      this._loading = false
    }
  }

  /**
   * Bulk-loads rows into an existing table. Each batch is its own INSERT BULK and commits on
   * its own; on failure the error carries rowsCommitted, batchesCommitted, failedBatch and
   * inDoubtBatch.
   */
  bulkCopy(table, rows, options = {}) {
    return this._exclusive(() => this._load(table, options, (session, signal, rejects, pace) => feed(session, rows, signal, rejects, pace)))
  }

  /**
   * Bulk-loads columnar batches: each batch an array with one column per source column, all
   * of one length; a column is an Array of values, a typed array (read in place: no
   * per-value crossing), or `{ values: TypedArray, nulls?: Uint8Array }`. For date and time
   * columns a numeric typed array holds milliseconds since 1970-01-01T00:00:00Z. Options,
   * result and errors as `bulkCopy`.
   */
  bulkCopyColumns(table, batches, options = {}) {
    return this._exclusive(() =>
      this._load(table, options, (session, signal, rejects, pace) => feedColumns(session, batches, signal, rejects, pace)),
    )
  }

  async _load(table, options, feeder) {
    const { signal, onProgress } = options
    if (signal?.aborted) throw abortError(signal, { rowsCommitted: 0, batchesCommitted: 0 })
    const native = normaliseOptions(options)
    // A throwing onProgress neither stops nor fails the load: it is not called again, and the
    // result (or the load's error) carries what it threw as `progressError`.
    let progressFailed = false
    let progressError
    // Calls the progress ticker queued before the load ended arrive late: they are dropped.
    let progressClosed = false
    const progress =
      typeof onProgress === 'function'
        ? (p) => {
            if (progressFailed || progressClosed) return
            try {
              onProgress(p)
            } catch (err) {
              progressFailed = true
              progressError = err
            }
          }
        : undefined
    // The abort listener is there from the start: an abort while the table's metadata is read
    // cancels the session as soon as it exists, and one after the last row was fed still
    // cancels the batch waiting for its answer.
    let session = null
    let onAborted
    const aborted = new Promise((resolve) => {
      onAborted = resolve
    })
    const onAbort = () => {
      session?.cancel()
      onAborted()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      // The metadata read is not interrupted (its answer keeps the connection in step), but an
      // abort does not wait for it: the load settles now, and the session, once it exists, is
      // cancelled before any row is sent.
      const begun = call(() => this._inner.bulkBegin(table, native, progress))
      const first = await Promise.race([begun, aborted.then(() => ABORTED)])
      if (first === ABORTED) {
        begun.then(
          (s) => {
            s.cancel()
            s.close()
            s.result().catch(() => {})
          },
          () => {},
        )
        throw abortError(signal, { rowsCommitted: 0, batchesCommitted: 0, failedBatch: null, inDoubtBatch: null })
      }
      session = first
      if (signal?.aborted) session.cancel()
      const outcome = await this._drive(session, signal, options, feeder, aborted, progress)
      if (progressFailed) outcome.progressError = progressError
      return outcome
    } catch (err) {
      if (progressFailed && err !== null && typeof err === 'object') err.progressError = progressError
      throw err
    } finally {
      progressClosed = true
      signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Feeds the session until the rows end, a failure or an abort; then its account. */
  async _drive(session, signal, options, feeder, aborted, progress) {
    const rejects = rejecter(session, options)
    let sourceError = null
    try {
      // An abort settles the load even when the source never yields again (a `next()` that
      // never settles): the feeder is left behind, and its late pushes fail on a closed session.
      const feeding = signal?.aborted ? Promise.resolve() : feeder(session, signal, rejects, pacer())
      feeding.catch(() => {})
      await Promise.race([feeding, aborted])
    } catch (err) {
      const e = rebuild(err)
      // ESTOPPED: the sender task ended first; its own error (from result()) is the story.
      if (e?.code !== 'ESTOPPED') {
        sourceError = e instanceof Error ? e : Object.assign(new Error(`the row source threw ${String(e)}`), { cause: e })
        // Batches completed before the failure still go to the server and commit.
        try {
          while (!session.flush()) await session.ready()
        } catch {
          // the sender task stopped; result() reports it
        }
      }
    } finally {
      session.close()
    }
    const account = ['rowsCommitted', 'batchesCommitted', 'failedBatch', 'inDoubtBatch']
    let summary
    try {
      summary = await session.result()
    } catch (err) {
      const e = rebuild(err)
      e.rowsRejected = rejects.count
      if (signal?.aborted && e.code === 'ECANCEL') {
        const a = abortError(signal, { rowsRejected: rejects.count })
        for (const k of account) a[k] = e[k]
        throw a
      }
      if (sourceError) {
        sourceError.rowsRejected = rejects.count
        // The rows stopped because of a bad value or a throwing iterator: that is the error to
        // report, with the runner's account of what committed.
        for (const k of account) if (e[k] !== undefined) sourceError[k] = e[k]
        throw sourceError
      }
      throw e
    }
    if (sourceError) {
      // Every batch handed over committed; the failing row's batch never reached the server.
      sourceError.rowsCommitted = summary.rowsCopied
      sourceError.batchesCommitted = summary.batchCount
      sourceError.failedBatch = summary.batchCount + 1
      sourceError.inDoubtBatch = null
      sourceError.rowsRejected = rejects.count
      throw sourceError
    }
    progress?.(session.progress())
    return { ...summary, rowsRejected: rejects.count }
  }
}

/** The file options as the native side takes them. */
function fileOptions(opts = {}) {
  if (opts === null || typeof opts !== 'object') throw new TypeError('options must be an object')
  const { sheet } = opts
  if (sheet !== undefined && typeof sheet !== 'string' && !(Number.isInteger(sheet) && sheet >= 1)) {
    throw new TypeError('sheet must be a sheet name or a 1-based sheet number')
  }
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new TypeError('onProgress must be a function')
  }
  return {
    sheet: sheet === undefined ? undefined : String(sheet),
    range: opts.range,
    headerRow: opts.headerRow,
    noHeader: opts.noHeader,
    delimiter: opts.delimiter,
    encoding: opts.encoding,
    quote: opts.quote,
    escape: opts.escape,
    sample: opts.sample,
    nullTokens: opts.nullTokens,
    previewRows: opts.previewRows,
    codePage: opts.codePage,
  }
}

function fileAbortError(signal, what) {
  const e = new SluiceError({ code: 'ECANCEL', message: `the ${what} was cancelled` })
  if (signal && signal.reason !== undefined) e.cause = signal.reason
  return e
}

/** The first rows of a file (default 100) with the detected settings; reads a bounded amount. */
async function preview(path, options = {}) {
  const native = fileOptions(options)
  return JSON.parse(await call(() => binding.previewFile(String(path), native)))
}

/**
 * Infers the schema over the whole file off the JS thread. `onProgress({ bytesRead, rows })`
 * at most ten times a second; a throwing onProgress stops the inspection and rejects with its
 * error; `signal` aborts with code ECANCEL.
 */
async function inspect(path, options = {}) {
  const native = fileOptions(options)
  const { signal, onProgress } = options
  if (signal?.aborted) throw fileAbortError(signal, 'inspection')
  let progressError
  let settled = false
  let job
  const progress = onProgress
    ? (p) => {
        if (progressError !== undefined || settled) return
        try {
          onProgress(p)
        } catch (e) {
          progressError = e
          job?.cancel()
        }
      }
    : undefined
  try {
    job = binding.inspectFile(String(path), native, progress)
  } catch (e) {
    throw rebuild(e)
  }
  const onAbort = () => job.cancel()
  signal?.addEventListener('abort', onAbort, { once: true })
  let result
  try {
    result = JSON.parse(await call(() => job.result()))
  } catch (e) {
    if (progressError !== undefined) throw progressError
    if (e?.code === 'ECANCEL' && signal?.aborted) throw fileAbortError(signal, 'inspection')
    throw e
  } finally {
    settled = true
    signal?.removeEventListener('abort', onAbort)
  }
  if (progressError !== undefined) throw progressError
  // The totals, delivered here so that they always come last and a throw is always seen.
  onProgress?.({ bytesRead: result.bytesRead, rows: result.rowCount })
  return result
}

async function connect(connectionString) {
  if (typeof connectionString !== 'string') throw new TypeError('connectionString must be a string')
  return new Client(await call(() => binding.connect(connectionString)))
}

/**
 * Loads files into a table through the Rust file path (read, convert, encode, send: none of it
 * on the JS thread). Options as `sluice load`, camelCase; `signal` cancels (the error then has
 * code ECANCEL and the committed account), `onProgress` gets at most ~10 reports a second.
 */
async function loadFile(options) {
  const { signal, onProgress, files, file, ...rest } = options ?? {}
  const list = files ?? (file !== undefined ? [file] : undefined)
  if (!Array.isArray(list) || list.length === 0 || list.some((f) => typeof f !== 'string')) {
    throw new TypeError('loadFile needs files: string[] (or file: string)')
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError('onProgress must be a function')
  }
  const connection = rest.connection ?? process.env.SLUICE_CONNECTION
  if (typeof connection !== 'string') {
    throw new TypeError('loadFile needs connection (or SLUICE_CONNECTION)')
  }
  if (signal?.aborted) {
    const e = new SluiceError({ code: 'ECANCEL', message: 'the load was cancelled', rowsCommitted: 0, batchesCommitted: 0 })
    if (signal.reason !== undefined) e.cause = signal.reason
    throw e
  }
  // A throwing onProgress neither stops nor fails the load: it is not called again.
  let listening = typeof onProgress === 'function'
  const progress = listening
    ? (p) => {
        if (!listening) return
        try {
          onProgress(p)
        } catch {
          listening = false
        }
      }
    : undefined
  const job = await call(() => binding.loadFileBegin({ ...rest, connection, files: list }, progress))
  const onAbort = () => job.cancel()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return await call(() => job.result())
  } catch (e) {
    if (e?.code === 'ECANCEL' && signal?.reason !== undefined) e.cause = signal.reason
    throw e
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

function runCli(args) {
  return binding.runCli(args)
}

/**
 * Differences between an import template's expected columns and `files` (read whole, as the
 * template's source settings say): the core's drift check, the same a load with the template
 * runs. `template` is a path, `{ path }`, `{ json }` (its text) or the template object itself.
 */
async function templateDrift(template, files) {
  const list = typeof files === 'string' ? [files] : files
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('files must be a path or a non-empty array of paths')
  let source
  if (typeof template === 'string') source = { path: template }
  else if (template !== null && typeof template === 'object' && (typeof template.path === 'string' || typeof template.json === 'string'))
    source = typeof template.path === 'string' ? { path: template.path } : { json: template.json }
  else if (template !== null && typeof template === 'object') source = { json: JSON.stringify(template) }
  else throw new TypeError('template must be a path, { path }, { json } or a template object')
  return JSON.parse(await call(() => binding.templateDrift(source, list.map(String))))
}

/**
 * An ADO.NET connection string read by the core's parser (the one `connect` uses), in the
 * terms of a connection form. `password` and `accessToken` are non-enumerable: logging or
 * JSON.stringify of the result never shows them; read them by name.
 */
function parseConnectionString(text) {
  if (typeof text !== 'string') throw new TypeError('the connection string must be a string')
  let parsed
  try {
    parsed = binding.parseConnectionString(text)
  } catch (err) {
    throw rebuild(err)
  }
  const { password, accessToken, ...rest } = parsed
  return Object.defineProperties(rest, {
    password: { value: password ?? null, enumerable: false },
    accessToken: { value: accessToken ?? null, enumerable: false },
  })
}

module.exports = { connect, Client, SluiceError, runCli, preview, inspect, loadFile, templateDrift, parseConnectionString }
