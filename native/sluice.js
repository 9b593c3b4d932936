'use strict'
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
}

async function connect(connectionString) {
  return new Client(await call(() => binding.connect(connectionString)))
}

function runCli(args) {
  return binding.runCli(args)
}

module.exports = { connect, Client, SluiceError, runCli }
