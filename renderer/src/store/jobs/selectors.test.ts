import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JobSnapshot } from '../../../../electron/contract'
import { jobsInitialState } from './initialState'
import { jobsSelectors as sel } from './selectors'

const job = (p: Partial<JobSnapshot>): JobSnapshot => ({
  jobId: 'j',
  kind: 'load',
  label: 'Load: a.csv → dbo.a',
  state: 'running',
  progress: {},
  createdAt: 0,
  updatedAt: 0,
  startedAt: 1_000,
  resumable: false,
  ...p,
})

test('a finished load says "<N> rows loaded", and the rejected rows when there were some', () => {
  assert.equal(sel.statusText(job({ state: 'done', result: { rowsLoaded: 200000, rowsRejected: 0 } })), '200,000 rows loaded')
  assert.equal(sel.statusText(job({ state: 'done', result: { rowsLoaded: 98, rowsRejected: 2 } })), '98 rows loaded, 2 rows rejected')
  assert.equal(
    sel.statusText(job({ state: 'done', kind: 'dryRun', result: { rowsLoaded: 9, rowsRejected: 1 } })),
    'Dry run: 9 rows would load, 1 rows would be rejected',
  )
})

test('a cancel says what committed; a failure gives the error and what committed', () => {
  assert.equal(
    sel.statusText(job({ state: 'cancelled', error: { code: 'ECANCEL', message: 'x', rowsCommitted: 3000 } })),
    'Cancelled: 3,000 rows committed before it stopped',
  )
  assert.equal(
    sel.statusText(job({ state: 'failed', error: { code: 'ESOCKET', message: 'connection reset', rowsCommitted: 10 } })),
    'Failed: connection reset (10 rows committed)',
  )
})

test('rate, fraction and time left come from the progress', () => {
  const j = job({ progress: { rowsCommitted: 5000, bytesRead: 250, bytesTotal: 1000 } })
  assert.equal(sel.rowsPerSecond(j, 3_000), 2500)
  assert.equal(sel.fraction(j), 0.25)
  assert.equal(sel.etaSeconds(j, 3_000), 6)
  assert.equal(sel.fraction(job({ progress: { rowsCommitted: 1 } })), null, 'unknown size: indeterminate')
  assert.equal(sel.fraction(job({ state: 'done' })), 1)
  assert.equal(sel.rowsPerSecond(job({ startedAt: undefined, progress: { rowsSent: 1 } }), 5), null)
})

test('Cancel is offered while a job is queued or running; Resume only when the job is resumable', () => {
  assert.equal(sel.canCancel(job({ state: 'queued' })), true)
  assert.equal(sel.canCancel(job({ state: 'done' })), false)
  assert.equal(sel.canCancel(null), false)
  assert.equal(sel.canResume(job({ state: 'failed', resumable: true })), true)
  assert.equal(sel.canResume(job({ state: 'failed' })), false)
})

test('the watched job and the running ones come from the state', () => {
  const a = job({ jobId: 'a', state: 'done' })
  const b = job({ jobId: 'b', state: 'running' })
  const s = { ...jobsInitialState, byId: { a, b }, order: ['a', 'b'], watchedJobId: 'a' }
  assert.equal(sel.watched(s)?.jobId, 'a')
  assert.deepEqual(
    sel.running(s).map((j) => j.jobId),
    ['b'],
  )
  assert.equal(sel.watched(jobsInitialState), null)
})

test('the Load panel shows the running load while the watched one waits in the queue', () => {
  const a = job({ jobId: 'a', state: 'running' })
  const b = job({ jobId: 'b', state: 'queued' })
  const s = { ...jobsInitialState, byId: { a, b }, order: ['a', 'b'], watchedJobId: 'b' }
  assert.equal(sel.shown(s)?.jobId, 'a')
  const after = { ...s, byId: { a: { ...a, state: 'done' as const }, b: { ...b, state: 'running' as const } } }
  assert.equal(sel.shown(after)?.jobId, 'b')
  assert.equal(sel.shown({ ...s, watchedJobId: 'a' })?.jobId, 'a')
  assert.equal(sel.shown(jobsInitialState), null)
})

test('throughput is rows per second between progress samples, and the chart scales to its box', () => {
  const series = sel.throughput([
    { at: 0, rows: 0 },
    { at: 100, rows: 1000 },
    { at: 100, rows: 1000 },
    { at: 300, rows: 2000 },
  ])
  assert.deepEqual(series, [10000, 5000])
  assert.equal(sel.sparkline(series, 100, 20), '0.0,0.0 100.0,10.0')
  assert.equal(sel.sparkline([5], 100, 20), '', 'one point is no line')
  assert.deepEqual(sel.samplesOf(jobsInitialState, 'x'), [])
})

test('the queue lists unfinished loads and dry runs in the order they were queued, not inspections or finished jobs', () => {
  const byId = {
    a: job({ jobId: 'a', state: 'done' }),
    b: job({ jobId: 'b', state: 'running' }),
    c: job({ jobId: 'c', kind: 'inspect', state: 'queued' }),
    d: job({ jobId: 'd', kind: 'dryRun', state: 'queued' }),
  }
  const s = { ...jobsInitialState, byId, order: ['a', 'b', 'c', 'd'] }
  assert.deepEqual(
    sel.queue(s).map((j) => j.jobId),
    ['b', 'd'],
  )
})
