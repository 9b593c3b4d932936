import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { JobSnapshot } from '../contract'
import { JobManager, type JobSpec, PROGRESS_INTERVAL_MS } from './job-manager'

/** A job that runs until `finish` is called (or its signal aborts, as native calls do). */
function controllable(kind: JobSpec['kind'] = 'load') {
  let finish!: (r: Record<string, unknown>) => void
  let fail!: (e: unknown) => void
  let progress!: (p: JobSnapshot['progress']) => void
  const spec: JobSpec = {
    kind,
    label: 'job',
    run: (ctx) =>
      new Promise((resolve, reject) => {
        finish = resolve
        fail = reject
        progress = ctx.progress
        ctx.signal.addEventListener('abort', () =>
          reject(Object.assign(new Error('the bulk copy was cancelled'), { code: 'ECANCEL', rowsCommitted: 2000 })),
        )
      }),
  }
  return {
    spec,
    finish: (r: Record<string, unknown>) => finish(r),
    fail: (e: unknown) => fail(e),
    progress: (p: JobSnapshot['progress']) => progress(p),
  }
}

function manager() {
  const events: JobSnapshot[] = []
  return { jobs: new JobManager((s) => events.push(s)), events }
}

test('jobs run one at a time, in the order queued', async () => {
  const { jobs, events } = manager()
  const a = controllable()
  const b = controllable()
  const ja = jobs.submit(a.spec)
  const jb = jobs.submit(b.spec)
  assert.deepEqual(
    jobs.list().map((j) => j.state),
    ['running', 'queued'],
  )
  a.finish({ rowsLoaded: 5 })
  await sleep(0)
  assert.deepEqual(
    jobs.list().map((j) => j.state),
    ['done', 'running'],
  )
  b.finish({})
  await sleep(0)
  const states = events.map((e) => `${e.jobId === ja.jobId ? 'a' : e.jobId === jb.jobId ? 'b' : '?'}:${e.state}`)
  assert.deepEqual(states, ['a:queued', 'a:running', 'b:queued', 'a:done', 'b:running', 'b:done'])
  assert.deepEqual(events.find((e) => e.state === 'done')?.result, { rowsLoaded: 5 })
})

test('progress is coalesced: a flood of updates yields about one event per interval, with the latest figures', async () => {
  const { jobs, events } = manager()
  const a = controllable()
  jobs.submit(a.spec)
  const before = events.length
  const started = Date.now()
  let rows = 0
  while (Date.now() - started < PROGRESS_INTERVAL_MS * 3) {
    a.progress({ rowsCommitted: ++rows })
    await sleep(1)
  }
  await sleep(PROGRESS_INTERVAL_MS + 20)
  const pushes = events.slice(before)
  assert.ok(rows > 20, `made ${rows} updates`)
  assert.ok(pushes.length >= 2 && pushes.length <= 6, `${pushes.length} events for ${rows} updates`)
  assert.equal(pushes.at(-1)?.progress.rowsCommitted, rows)
  a.finish({})
})

test('Cancel aborts the running job and reports what committed; a queued job is dropped before it starts', async () => {
  const { jobs } = manager()
  const a = controllable()
  const b = controllable()
  const ja = jobs.submit(a.spec)
  const jb = jobs.submit(b.spec)
  assert.equal(jobs.cancel(jb.jobId), true)
  assert.equal(jobs.cancel(ja.jobId), true)
  await sleep(0)
  const [sa, sb] = jobs.list()
  assert.equal(sa?.state, 'cancelled')
  assert.equal(sa?.error?.rowsCommitted, 2000)
  assert.equal(sb?.state, 'cancelled')
  assert.match(sb?.error?.message ?? '', /nothing was sent/)
  assert.equal(jobs.cancel(ja.jobId), false)
  assert.equal(jobs.cancel('nope'), false)
})

test('a failed resumable job can be resumed once, as a new job from its resume spec', async () => {
  const { jobs } = manager()
  const first = controllable()
  const second = controllable()
  const j = jobs.submit({ ...first.spec, resume: () => second.spec })
  first.fail(Object.assign(new Error('connection reset'), { code: 'ESOCKET', rowsCommitted: 10 }))
  await sleep(0)
  const failed = jobs.list()[0]
  assert.equal(failed?.state, 'failed')
  assert.equal(failed?.resumable, true)
  assert.deepEqual(failed?.error, { code: 'ESOCKET', message: 'connection reset', rowsCommitted: 10 })
  const resumed = jobs.resume(j.jobId)
  assert.ok(resumed)
  assert.equal(jobs.resume(j.jobId), null, 'resumed only once')
  second.finish({ rowsLoaded: 90 })
  await sleep(0)
  assert.equal(jobs.list().find((x) => x.jobId === resumed.jobId)?.state, 'done')
})

test('a job without a resume spec, or one that succeeded, is not resumable', async () => {
  const { jobs } = manager()
  const a = controllable('dryRun')
  const ja = jobs.submit(a.spec)
  a.fail(new Error('x'))
  await sleep(0)
  assert.equal(jobs.list()[0]?.resumable, false)
  assert.equal(jobs.resume(ja.jobId), null)
})

test('a job whose run throws synchronously fails instead of wedging the queue', async () => {
  const { jobs } = manager()
  jobs.submit({
    kind: 'load',
    label: 'x',
    run: () => {
      throw new Error('sync')
    },
  })
  const b = controllable()
  jobs.submit(b.spec)
  await sleep(0)
  assert.deepEqual(
    jobs.list().map((j) => j.state),
    ['failed', 'running'],
  )
  b.finish({})
})

test('shutdown cancels queued and running jobs and waits for the running one', async () => {
  const { jobs } = manager()
  const a = controllable()
  const b = controllable()
  jobs.submit(a.spec)
  jobs.submit(b.spec)
  await jobs.shutdown()
  assert.deepEqual(
    jobs.list().map((j) => j.state),
    ['cancelled', 'cancelled'],
  )
})

test('shutdown does not wait forever for a job that ignores its signal', async () => {
  const { jobs } = manager()
  jobs.submit({ kind: 'load', label: 'stuck', run: () => new Promise(() => undefined) })
  const started = Date.now()
  await jobs.shutdown(50)
  assert.ok(Date.now() - started < 1000)
})
