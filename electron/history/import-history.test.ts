import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import type { JobSnapshot } from '../contract'
import { HISTORY_LIMIT, ImportHistory } from './import-history'

const job = (p: Partial<JobSnapshot>): JobSnapshot => ({
  jobId: 'j1',
  kind: 'load',
  label: 'Load: a.csv → dbo.a',
  state: 'done',
  progress: {},
  createdAt: 0,
  updatedAt: 0,
  startedAt: 1_000,
  endedAt: 3_000,
  result: { rowsLoaded: 10, rowsRejected: 1, template: '/t/a.sluice.json' },
  resumable: false,
  ...p,
})

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-history-')), 'data', 'history.json')

test('an ended load is kept across restarts (a new store reading the same file), with its template, newest first', () => {
  const file = tempFile()
  const h = new ImportHistory(file)
  h.record(job({ state: 'running', endedAt: undefined, result: undefined }))
  assert.deepEqual(h.list(), [], 'a running job is not history yet')
  h.record(job({}))
  h.record(job({ jobId: 'j2', kind: 'dryRun', endedAt: 5_000, result: { rowsLoaded: 4, rowsRejected: 0 } }))
  const again = new ImportHistory(file).list()
  assert.deepEqual(
    again.map((e) => [e.jobId, e.kind, e.rowsLoaded, e.durationMs, e.template]),
    [
      ['j2', 'dryRun', 4, 4_000, undefined],
      ['j1', 'load', 10, 2_000, '/t/a.sluice.json'],
    ],
  )
  assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600')
})

test('inspections are not imports; the same job recorded twice is one entry; the file keeps at most the limit', () => {
  const h = new ImportHistory(null)
  h.record(job({ kind: 'inspect' }))
  assert.deepEqual(h.list(), [])
  h.record(job({ state: 'failed', result: undefined, error: { code: 'EINPUT', message: 'x', rowsCommitted: 7 } }))
  h.record(job({ state: 'failed', result: undefined, error: { code: 'EINPUT', message: 'x', rowsCommitted: 7 } }))
  assert.deepEqual(
    h.list().map((e) => [e.state, e.rowsLoaded]),
    [['failed', 7]],
  )
  for (let i = 0; i < HISTORY_LIMIT + 5; i++) h.record(job({ jobId: `k${i}` }))
  assert.equal(h.list().length, HISTORY_LIMIT)
  assert.equal(h.list()[0]?.jobId, `k${HISTORY_LIMIT + 4}`)
})

test('a damaged history file is set aside and the history starts again', () => {
  const file = tempFile()
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, '[{"jobId": 1}]')
  assert.deepEqual(new ImportHistory(file).list(), [])
  assert.ok(fs.existsSync(`${file}.damaged`))
  fs.writeFileSync(file, 'not json')
  assert.deepEqual(new ImportHistory(file).list(), [])
})

test('an entry holds no connection string or secret, whatever the job result carried', () => {
  const h = new ImportHistory(null)
  h.record(job({ result: { rowsLoaded: 1, rowsRejected: 0, connection: 'Server=x;Password=hunter2' } }))
  assert.ok(!JSON.stringify(h.list()).includes('hunter2'))
})
