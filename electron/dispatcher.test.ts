import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AppError, createDispatcher, type Handlers, toCallError } from './dispatcher'

function dispatcher(overrides: Partial<Handlers> = {}) {
  const calls: unknown[] = []
  const handlers = new Proxy(overrides as Handlers, {
    get: (target, name: string) =>
      (target as Record<string, unknown>)[name] ??
      (async (args: unknown) => {
        calls.push([name, args])
        return { echoed: args }
      }),
  })
  return { dispatch: createDispatcher(handlers), calls }
}

test('an unknown call is refused without reaching a handler', async () => {
  const { dispatch, calls } = dispatcher()
  const reply = await dispatch('fs.readFile', { path: '/etc/passwd' })
  assert.deepEqual(reply, { ok: false, error: { code: 'EUNKNOWNCALL', message: 'unknown call "fs.readFile"' } })
  assert.equal((await dispatch('__proto__', {})).ok, false)
  assert.equal((await dispatch(42, {})).ok, false)
  assert.equal(calls.length, 0)
})

test('payloads are validated by the contract’s schema before the handler runs', async () => {
  const { dispatch, calls } = dispatcher()
  const bad = await dispatch('job.cancel', { jobId: 7 })
  assert.equal(bad.ok, false)
  assert.equal(!bad.ok && bad.error.code, 'EINVALID')
  assert.match(!bad.ok ? bad.error.message : '', /^job\.cancel: jobId: /)
  const extra = await dispatch('job.cancel', { jobId: 'a', evil: true })
  assert.equal(!extra.ok && extra.error.code, 'EINVALID')
  const load = await dispatch('load.start', { connectionId: 'c', fileId: 'f', mode: 'create', table: '  ', columns: [], maxErrors: -1 })
  assert.match(!load.ok ? load.error.message : '', /table: Table name is required.*maxErrors/)
  assert.equal(calls.length, 0)
})

test('defaults from the schema reach the handler', async () => {
  const { dispatch, calls } = dispatcher()
  const reply = await dispatch('connection.test', { form: { server: 'h' } })
  assert.equal(reply.ok, true)
  const [, args] = calls[0] as [string, { form: Record<string, unknown> }]
  assert.equal(args.form.encrypt, 'Mandatory')
  assert.equal(args.form.trustServerCertificate, false)
})

test('a handler’s error keeps its code and server number; anything else is EINTERNAL', async () => {
  const { dispatch } = dispatcher({
    'job.list': async () => {
      throw Object.assign(new Error("Login failed for user 'sa'."), { code: 'ELOGIN', number: 18456 })
    },
    'connection.listSaved': async () => {
      throw new AppError('ENOTAVAILABLE', 'not in this build')
    },
    'localServer.stop': async () => {
      throw new TypeError('boom')
    },
  })
  assert.deepEqual(await dispatch('job.list', {}), {
    ok: false,
    error: { code: 'ELOGIN', message: "Login failed for user 'sa'.", number: 18456 },
  })
  assert.deepEqual(await dispatch('connection.listSaved', {}), {
    ok: false,
    error: { code: 'ENOTAVAILABLE', message: 'not in this build' },
  })
  assert.deepEqual(await dispatch('localServer.stop', {}), { ok: false, error: { code: 'EINTERNAL', message: 'boom' } })
  assert.deepEqual(toCallError('text'), { code: 'EINTERNAL', message: 'text' })
})
