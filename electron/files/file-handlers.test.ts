import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { after, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { JobSnapshot, LoadRequest } from '../contract'
import { createDispatcher, type Handlers } from '../dispatcher'
import { JobManager } from '../jobs/job-manager'
import { fileHandlers } from './file-handlers'
import { FileRegistry } from './file-registry'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-file-handlers-'))
const csv = path.join(dir, 'sales.csv')
fs.writeFileSync(csv, 'id,amount\n1,2.5\n')
after(() => fs.rmSync(dir, { recursive: true, force: true }))

function setup(nativeModule: object) {
  const files = new FileRegistry()
  const events: JobSnapshot[] = []
  const jobs = new JobManager((s) => events.push(s))
  const handlers = fileHandlers({ files, jobs, connectionString: (id) => `conn-${id}`, nativeModule })
  // Only the file calls are under test; the rest of the contract is not reached.
  const dispatch = createDispatcher(handlers as Handlers)
  return { files, jobs, events, dispatch }
}

function request(fileId: string): LoadRequest {
  return { connectionId: 'c1', fileId, mode: 'create', table: 'dbo.sales', columns: [], reader: {}, maxErrors: 0 }
}

test('without the native readers and loader, each file call says it is not available in this build, and queues no job', async () => {
  const { dispatch, jobs } = setup({})
  const added = await dispatch('files.add', { paths: [csv] })
  assert.ok(added.ok)
  const fileId = (added.result as { fileId: string }[])[0]!.fileId
  const cases: [string, unknown, RegExp][] = [
    ['files.preview', { fileId }, /preview is not available in this build of Sluice: it arrives with the file readers \(issue 9\)/],
    ['files.inspect', { fileId }, /inspect is not available in this build/],
    ['load.start', request(fileId), /loadFile is not available in this build of Sluice: it arrives with the file load \(issue 11\)/],
    ['load.dryRun', request(fileId), /loadFile is not available/],
    ['template.save', { path: path.join(dir, 't.json'), request: request(fileId) }, /saveTemplate is not available/],
    ['template.open', { path: path.join(dir, 't.json') }, /openTemplate is not available/],
  ]
  for (const [method, payload, message] of cases) {
    const reply = await dispatch(method, payload)
    assert.equal(reply.ok, false, method)
    assert.equal(!reply.ok && reply.error.code, 'ENOTAVAILABLE', method)
    assert.match(!reply.ok ? reply.error.message : '', message)
  }
  assert.deepEqual(jobs.list(), [])
})

test('files.add gives name and size and refuses what is not a readable file', async () => {
  const { dispatch } = setup({})
  const ok = await dispatch('files.add', { paths: [csv] })
  assert.ok(ok.ok)
  assert.deepEqual(
    (ok.result as { name: string; size: number; origin: string }[]).map(({ name, size, origin }) => ({ name, size, origin })),
    [{ name: 'sales.csv', size: 16, origin: 'path' }],
  )
  const missing = await dispatch('files.add', { paths: [path.join(dir, 'nope.csv')] })
  assert.equal(!missing.ok && missing.error.code, 'ENOTFOUND')
  const folder = await dispatch('files.add', { paths: [dir] })
  assert.equal(!folder.ok && folder.error.code, 'EINVALID')
})

test('pasted cells and uploads become files the native reader opens by path; removing deletes them', async () => {
  const { dispatch, files } = setup({})
  const pasted = await dispatch('files.paste', { text: 'a\tb\n1\t2\n' })
  assert.ok(pasted.ok)
  const p = pasted.result as { fileId: string; path: string; name: string }
  assert.equal(fs.readFileSync(p.path, 'utf8'), 'a\tb\n1\t2\n')
  assert.equal(p.name, 'Pasted cells 1.tsv')
  const up = await files.addUpload('../../etc/evil name?.csv', Readable.from([Buffer.from('x,y\n')]), 1024)
  assert.equal(up.name, 'evil name_.csv')
  assert.ok(up.path.startsWith(os.tmpdir()))
  assert.equal(fs.readFileSync(up.path, 'utf8'), 'x,y\n')
  await assert.rejects(files.addUpload('big.csv', Readable.from([Buffer.alloc(2048)]), 1024), /upload larger than 1024 bytes/)
  assert.deepEqual(await dispatch('files.remove', { fileId: p.fileId }), { ok: true, result: { removed: true } })
  assert.equal(fs.existsSync(p.path), false)
  files.dispose()
  assert.equal(fs.existsSync(up.path), false)
})

test('with native calls present, preview passes the path and options through, and a load runs as a job with progress, cancel and resume', async () => {
  const seen: unknown[] = []
  const native = {
    preview: async (p: string, o: unknown) => {
      seen.push(['preview', p, o])
      return { format: 'csv', columns: [{ name: 'id' }], rows: [[1]] }
    },
    loadFile: (o: {
      signal: AbortSignal
      onProgress: (p: object) => void
      resume: boolean
      mode: string
      connectionString: string
      files: string[]
    }) => {
      seen.push(['loadFile', o.connectionString, o.files, o.mode, o.resume])
      o.onProgress({ rowsCommitted: 10, bytesRead: 8 })
      return new Promise((_resolve, reject) =>
        o.signal.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { code: 'ECANCEL', rowsCommitted: 10 }))),
      )
    },
  }
  const { dispatch, events } = setup(native)
  const added = await dispatch('files.add', { paths: [csv] })
  const fileId = (added.ok ? (added.result as { fileId: string }[]) : [])[0]!.fileId
  const preview = await dispatch('files.preview', { fileId, options: { rows: 5 } })
  assert.deepEqual(preview, { ok: true, result: { format: 'csv', columns: [{ name: 'id' }], rows: [[1]] } })
  const started = await dispatch('load.start', request(fileId))
  assert.ok(started.ok)
  const jobId = (started.result as { jobId: string }).jobId
  await sleep(150)
  assert.equal(events.at(-1)?.progress.rowsCommitted, 10)
  assert.equal(events.at(-1)?.progress.bytesTotal, 16)
  assert.deepEqual(await dispatch('job.cancel', { jobId }), { ok: true, result: { cancelled: true } })
  await sleep(0)
  assert.equal(events.at(-1)?.state, 'cancelled')
  assert.equal(events.at(-1)?.resumable, true)
  const resumed = await dispatch('load.resume', { jobId })
  assert.ok(resumed.ok)
  assert.deepEqual(seen.slice(1), [
    ['loadFile', 'conn-c1', [csv], 'create', false],
    ['loadFile', 'conn-c1', [csv], 'create', true],
  ])
  assert.deepEqual(seen[0], ['preview', csv, { rows: 5 }])
  await dispatch('job.cancel', { jobId: (resumed.result as { jobId: string }).jobId })
})
