// The public entry of @sluice/native: the generated binding (index.js), with errors rebuilt
// into proper `Error`s carrying `code` (and the server's number, state, class, lineNumber,
// serverName) — see binding/src/js_error.rs for why they travel as JSON.
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

/** Rows handed to the native encoder per call: large enough to amortise the crossing. */
const CHUNK_ROWS = 1024

function normaliseOptions(opts) {
  const mappings = opts.columnMappings?.map((m, i) => {
    const [source, destination] = Array.isArray(m) ? m : [m.source, m.destination]
    if (!Number.isInteger(source) || source < 0 || typeof destination !== 'string') {
      throw new TypeError(`columnMappings[${i}] must be [sourceIndex, 'destinationColumn']`)
    }
    return { source, destination }
  })
  return {
    batchSize: opts.batchSize,
    tableLock: opts.tableLock,
    checkConstraints: opts.checkConstraints,
    fireTriggers: opts.fireTriggers,
    keepNulls: opts.keepNulls,
    keepIdentity: opts.keepIdentity,
    rowsPerBatch: opts.rowsPerBatch,
    order: opts.order,
    columnMappings: mappings,
  }
}

function abortError(signal, account) {
  const e = new SluiceError({ code: 'ECANCEL', message: 'the bulk copy was cancelled', ...account })
  if (signal && signal.reason !== undefined) e.cause = signal.reason
  return e
}

/** Feeds rows to a native bulk session in chunks, waiting whenever the socket is behind. */
async function feed(session, rows, signal) {
  const drain = async () => {
    while (!session.flush()) {
      if (signal?.aborted) return
      await session.ready()
    }
  }
  let chunk = []
  const push = async () => {
    const accepted = session.pushRows(chunk)
    chunk = []
    if (!accepted) await drain()
  }
  if (rows != null && typeof rows[Symbol.asyncIterator] === 'function') {
    for await (const row of rows) {
      if (signal?.aborted) return
      chunk.push(row)
      if (chunk.length >= CHUNK_ROWS) await push()
    }
  } else if (rows != null && typeof rows[Symbol.iterator] === 'function') {
    for (const row of rows) {
      if (signal?.aborted) return
      chunk.push(row)
      if (chunk.length >= CHUNK_ROWS) await push()
    }
  } else {
    throw new TypeError('rows must be an Iterable or AsyncIterable of arrays')
  }
  if (chunk.length) await push()
  session.end()
  await drain()
}

class Client {
  /** @param {import('./index').Client} inner */
  constructor(inner) {
    this._inner = inner
  }
  query(sql) {
    return call(() => this._inner.query(sql))
  }
  close() {
    return call(() => this._inner.close())
  }

  /**
   * Bulk-loads rows into an existing table. Each batch is its own INSERT BULK and commits on
   * its own; on failure the error carries rowsCommitted, batchesCommitted, failedBatch and
   * inDoubtBatch.
   */
  async bulkCopy(table, rows, options = {}) {
    const { signal, onProgress } = options
    if (signal?.aborted) throw abortError(signal, { rowsCommitted: 0, batchesCommitted: 0 })
    const native = normaliseOptions(options)
    const progress = typeof onProgress === 'function' ? (p) => onProgress(p) : undefined
    const session = await call(() => this._inner.bulkBegin(table, native, progress))
    const onAbort = () => session.cancel()
    signal?.addEventListener('abort', onAbort, { once: true })
    let sourceError = null
    try {
      await feed(session, rows, signal)
    } catch (err) {
      const e = rebuild(err)
      // ESTOPPED: the sender task ended first; its own error (from result()) is the story.
      if (e.code !== 'ESTOPPED') {
        sourceError = e
        // Batches completed before the failure still go to the server and commit.
        try {
          while (!session.flush()) await session.ready()
        } catch {
          // the sender task stopped; result() reports it
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      session.close()
    }
    let summary
    try {
      summary = await session.result()
    } catch (err) {
      const e = rebuild(err)
      if (sourceError) {
        // The rows stopped because of a bad value or a throwing iterator: that is the error to
        // report, with the runner's account of what committed.
        for (const k of ['rowsCommitted', 'batchesCommitted', 'failedBatch', 'inDoubtBatch']) {
          if (e[k] !== undefined) sourceError[k] = e[k]
        }
        throw sourceError
      }
      if (signal?.aborted && e.code === 'ECANCEL') {
        const a = abortError(signal, {})
        for (const k of ['rowsCommitted', 'batchesCommitted', 'failedBatch', 'inDoubtBatch']) a[k] = e[k]
        throw a
      }
      throw e
    }
    if (sourceError) {
      // Every batch before the failing row committed; the row's own batch never reached the server.
      sourceError.rowsCommitted = summary.rowsCopied
      sourceError.batchesCommitted = summary.batchCount
      sourceError.failedBatch = summary.batchCount + 1
      sourceError.inDoubtBatch = null
      throw sourceError
    }
    if (progress) progress(session.progress())
    return summary
  }
}

async function connect(connectionString) {
  return new Client(await call(() => binding.connect(connectionString)))
}

function runCli(args) {
  return binding.runCli(args)
}

module.exports = { connect, Client, SluiceError, runCli }
