import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { after, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { templateDrift } from '@sluice/native'
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

test('with native calls present, preview is translated to the contract, and a load runs as a job with a template, progress, cancel and resume', async () => {
  const seen: unknown[] = []
  const native = {
    preview: async (p: string, o: unknown) => {
      seen.push(['preview', p, o])
      return {
        format: 'xlsx',
        encoding: null,
        delimiter: null,
        hasHeader: true,
        sheets: [
          { index: 0, name: 'Data', visible: true, isWorksheet: true },
          { index: 1, name: 'Chart1', visible: true, isWorksheet: false },
        ],
        sheet: 'Data',
        columns: [{ name: 'id', proposedName: 'id', sqlType: 'int', nullable: false }],
        rows: [['1']],
        rowNumbers: [2],
        detection: {},
      }
    },
    loadFile: (o: {
      signal: AbortSignal
      onProgress: (p: object) => void
      resume: boolean
      create?: boolean
      connection: string
      files: string[]
      map: string
    }) => {
      seen.push(['loadFile', o.connection, o.files, o.create, o.resume, JSON.parse(fs.readFileSync(o.map, 'utf8')).mapping])
      o.onProgress({ rowsCommitted: 10, bytesRead: 8, bytesTotal: 16 })
      return new Promise((_resolve, reject) =>
        o.signal.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { code: 'ECANCEL', rowsCommitted: 10 }))),
      )
    },
  }
  const { dispatch, events } = setup(native)
  const added = await dispatch('files.add', { paths: [csv] })
  const fileId = (added.ok ? (added.result as { fileId: string }[]) : [])[0]!.fileId
  const preview = await dispatch('files.preview', { fileId, options: { rows: 5, sheet: 0 } })
  assert.deepEqual(preview, {
    ok: true,
    result: {
      format: 'xlsx',
      delimiter: null,
      hasHeader: true,
      sheets: ['Data'],
      sheet: 'Data',
      columns: [{ name: 'id', sqlType: 'int', nullable: false }],
      rows: [['1']],
    },
  })
  const req: LoadRequest = {
    ...request(fileId),
    columns: [
      { source: 'id', include: true, target: 'ID', sqlType: 'bigint', nullable: false, emptyAsNull: true, dateOrder: 'DMY' },
      { source: 'amount', include: false, target: 'amount', sqlType: 'float', nullable: true, emptyAsNull: true, dateOrder: 'auto' },
    ],
  }
  const started = await dispatch('load.start', req)
  assert.ok(started.ok, JSON.stringify(started))
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
  await sleep(50)
  const mapping = [{ target: 'ID', source: 'id', sqlType: 'bigint', nullable: false, emptyAsNull: true, dateOrder: 'dmy' }]
  assert.deepEqual(
    seen.filter((s) => (s as string[])[0] === 'loadFile'),
    [
      ['loadFile', 'conn-c1', [csv], true, false, mapping],
      ['loadFile', 'conn-c1', [csv], true, true, mapping],
    ],
  )
  assert.deepEqual(seen[0], ['preview', csv, { sheet: 1, previewRows: 5 }])
  await dispatch('job.cancel', { jobId: (resumed.result as { jobId: string }).jobId })
})

test('a saved template is the CLI’s JSON (version 1) and opens back into the same mapping, skipped columns unticked', async () => {
  const native = {
    preview: async () => ({
      format: 'csv',
      columns: [
        { name: 'id', sqlType: 'int', nullable: false },
        { name: 'amount', sqlType: 'decimal(3,1)', nullable: false },
      ],
    }),
    templateDrift,
  }
  const { dispatch } = setup(native)
  const added = await dispatch('files.add', { paths: [csv] })
  const fileId = (added.ok ? (added.result as { fileId: string }[]) : [])[0]!.fileId
  const req: LoadRequest = {
    ...request(fileId),
    maxErrors: 3,
    columns: [
      { source: 'id', include: false, target: 'id', sqlType: 'int', nullable: false, emptyAsNull: true, dateOrder: 'auto' },
      { source: 'amount', include: true, target: 'Amount', sqlType: 'float', nullable: true, emptyAsNull: false, dateOrder: 'auto' },
    ],
  }
  const file = path.join(dir, 'saved.sluice.json')
  assert.deepEqual(await dispatch('template.save', { path: file, request: req }), { ok: true, result: { path: file } })
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), {
    version: 1,
    source: { format: 'csv' },
    columns: [
      { name: 'id', sqlType: 'int', nullable: false },
      { name: 'amount', sqlType: 'decimal(3,1)', nullable: false },
    ],
    target: { table: 'dbo.sales', mode: 'create' },
    mapping: [{ target: 'Amount', source: 'amount', sqlType: 'float', nullable: true, emptyAsNull: false }],
    options: { maxErrors: 3 },
  })
  const opened = await dispatch('template.open', { path: file, fileId })
  assert.ok(opened.ok)
  const back = (opened.result as { request: LoadRequest }).request
  assert.deepEqual(back.columns, [{ ...req.columns[0], sqlType: 'int' }, req.columns[1]])
  assert.equal(back.maxErrors, 3)
  assert.equal(back.template, file)
  assert.deepEqual((opened.result as { drift: unknown[] }).drift, [])
  fs.writeFileSync(file, '{"version":2}')
  const bad = await dispatch('template.open', { path: file })
  assert.equal(!bad.ok && bad.error.code, 'EINVALID')
  assert.match(!bad.ok ? bad.error.message : '', /is not a Sluice template \(version 1\)/)
})

test('opening a template on a changed file lists the core’s differences; a load passes the saved template itself, allowDrift only when asked', async () => {
  const template = path.join(dir, 'drift.sluice.json')
  fs.writeFileSync(
    template,
    JSON.stringify({
      version: 1,
      source: { format: 'csv' },
      columns: [
        { name: 'id', sqlType: 'int', nullable: false },
        { name: 'amount', sqlType: 'decimal(2,1)', nullable: false },
      ],
      target: { table: 'dbo.sales', mode: 'create' },
      mapping: [{ target: 'amount', source: 'amount', sqlType: 'float', nullable: false, emptyAsNull: true }],
    }),
  )
  const changed = path.join(dir, 'changed.csv')
  fs.writeFileSync(changed, 'id,total\n1,2.5\n')
  const loads: Record<string, unknown>[] = []
  const native = {
    templateDrift,
    loadFile: async (o: Record<string, unknown>) => {
      loads.push({ ...o, mapText: fs.readFileSync(o.map as string, 'utf8') })
      return { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, batches: 0, elapsedMs: 0, dryRun: true, files: [], notes: [] }
    },
  }
  const { dispatch, jobs } = setup(native)
  const added = await dispatch('files.add', { paths: [changed] })
  const fileId = (added.ok ? (added.result as { fileId: string }[]) : [])[0]!.fileId
  const opened = await dispatch('template.open', { path: template, fileId })
  assert.ok(opened.ok, JSON.stringify(opened))
  const { request: req, drift } = opened.result as { request: LoadRequest; drift: Record<string, unknown>[] }
  assert.deepEqual(
    drift.map(({ kind, from, to, blocks }) => ({ kind, from, to, blocks })),
    [{ kind: 'renamed', from: 'amount', to: 'total', blocks: true }],
  )
  const run = async (r: LoadRequest) => {
    const started = await dispatch('load.dryRun', { ...r, connectionId: 'c1', fileId })
    assert.ok(started.ok, JSON.stringify(started))
    const jobId = (started.result as { jobId: string }).jobId
    for (let i = 0; i < 200 && jobs.list().find((j) => j.jobId === jobId)?.state !== 'done'; i++) await sleep(5)
    return loads.at(-1) as Record<string, unknown>
  }
  const plain = await run(req)
  assert.equal(plain.map, template)
  assert.equal(plain.allowDrift, undefined)
  const anyway = await run({ ...req, allowDrift: true })
  assert.equal(anyway.allowDrift, true)
  // An edited mapping goes in a copy that keeps the saved expected columns, so drift is still judged against them.
  const edited = await run({ ...req, columns: req.columns.map((c) => ({ ...c, target: c.source === 'amount' ? 'Total' : c.target })) })
  assert.notEqual(edited.map, template)
  const copy = JSON.parse(edited.mapText as string)
  assert.deepEqual(copy.columns, JSON.parse(fs.readFileSync(template, 'utf8')).columns)
  assert.equal(copy.mapping[0].target, 'Total')
})

test('a YMD date order round-trips through a saved template, which the core reads', async () => {
  const dated = path.join(dir, 'dated.csv')
  fs.writeFileSync(dated, 'day\n2024/03/05\n')
  const native = {
    preview: async () => ({ format: 'csv', columns: [{ name: 'day', sqlType: 'date', nullable: false }] }),
    templateDrift,
  }
  const { dispatch } = setup(native)
  const added = await dispatch('files.add', { paths: [dated] })
  const fileId = (added.ok ? (added.result as { fileId: string }[]) : [])[0]!.fileId
  const req: LoadRequest = {
    ...request(fileId),
    columns: [{ source: 'day', include: true, target: 'day', sqlType: 'date', nullable: false, emptyAsNull: true, dateOrder: 'YMD' }],
  }
  const file = path.join(dir, 'ymd.sluice.json')
  assert.ok((await dispatch('template.save', { path: file, request: req })).ok)
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).mapping[0].dateOrder, 'ymd')
  // template.open runs the core's drift check, which reads and validates the template first.
  const opened = await dispatch('template.open', { path: file, fileId })
  assert.ok(opened.ok, JSON.stringify(opened))
  assert.equal((opened.result as { request: LoadRequest }).request.columns[0]?.dateOrder, 'YMD')
  assert.deepEqual((opened.result as { drift: unknown[] }).drift, [])
})
