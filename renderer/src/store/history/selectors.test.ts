import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JobSnapshot } from '../../../../electron/contract'
import { type HistoryEntry, historyInitialState } from './initialState'
import { historySelectors as sel } from './selectors'

const job = (p: Partial<JobSnapshot>): JobSnapshot => ({
  jobId: 'j',
  kind: 'load',
  label: 'Load',
  state: 'done',
  progress: {},
  createdAt: 0,
  updatedAt: 0,
  startedAt: 1_000,
  endedAt: 3_000,
  resumable: false,
  ...p,
})

test('a finished load becomes a history entry with its counts and duration', () => {
  assert.deepEqual(sel.entryOf(job({ result: { rowsLoaded: 10, rowsRejected: 1 } })), {
    jobId: 'j',
    kind: 'load',
    label: 'Load',
    state: 'done',
    rowsLoaded: 10,
    rowsRejected: 1,
    durationMs: 2000,
    endedAt: 3000,
  })
})

test('a cancelled load records what committed; running jobs and inspections are not history', () => {
  assert.equal(sel.entryOf(job({ state: 'cancelled', error: { code: 'ECANCEL', message: '', rowsCommitted: 7 } }))?.rowsLoaded, 7)
  assert.equal(sel.entryOf(job({ state: 'running' })), null)
  assert.equal(sel.entryOf(job({ kind: 'inspect' })), null)
})

test('rate and totals over the entries', () => {
  const e = sel.entryOf(job({ result: { rowsLoaded: 10_000 } })) as HistoryEntry
  assert.equal(sel.rate(e), 5000)
  assert.equal(sel.rate({ ...e, durationMs: 0 }), null)
  const s = { ...historyInitialState, entries: [e, { ...e, jobId: 'k', kind: 'dryRun' as const }] }
  assert.equal(sel.totalRowsLoaded(s), 10_000)
  assert.equal(sel.loads(s).length, 1)
})
