// `sluice load --resume` and loadFile({ resume: true }) against `sluice serve` fault knobs: the
// load stopped by a dropped connection or an unanswered COMMIT (the in-doubt batch) is resumed
// by the same command plus --resume, and the table holds every row of the file exactly once;
// a load of three files resumed after an in-doubt batch straddling two of them, likewise.

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { connect, loadFile, type SluiceError } from '@sluice/native'
import { SLUICE, startServer, type TestServer } from '../../test/helpers/server'

const ROWS = 3000
let inDoubt: TestServer
let dropping: TestServer
let severalInDoubt: TestServer
let dir: string

before(async () => {
  ;[inDoubt, dropping, severalInDoubt] = await Promise.all([
    startServer(['--drop-after-commit', '2']),
    startServer(['--drop-after-rows', '1500']),
    startServer(['--drop-after-commit', '3']),
  ])
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-resume-'))
})
after(async () => {
  await Promise.all([inDoubt, dropping, severalInDoubt].map((s) => s?.stop()))
  fs.rmSync(dir, { recursive: true, force: true })
})

function csv(name: string): string {
  const lines = ['id,item']
  for (let i = 0; i < ROWS; i++) lines.push(`${i},item ${i}`)
  const p = path.join(dir, name)
  fs.writeFileSync(p, `${lines.join('\n')}\n`)
  return p
}

/** COUNT(*), SUM(id), SUM(id²): every row (ids 0 … rows-1) once. */
async function assertWholeFile(s: TestServer, table: string, rows = ROWS) {
  const c = await connect(s.connectionString('Encrypt=False'))
  const r = await c.query(`SELECT COUNT(*), SUM(CAST(id AS bigint)), SUM(CAST(id AS bigint) * CAST(id AS bigint)) FROM ${table}`)
  await c.close()
  const n = BigInt(rows)
  assert.deepEqual(
    r.rows[0]!.map((v) => BigInt(v as number | bigint)),
    [n, (n * (n - 1n)) / 2n, ((n - 1n) * n * (2n * n - 1n)) / 6n],
  )
}

function cli(args: string[], s: TestServer) {
  return spawnSync(process.execPath, [SLUICE, 'load', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SLUICE_CONNECTION: s.connectionString('Encrypt=False'), SLUICE_STATE_DIR: path.join(dir, 'state') },
  })
}

test('sluice load --resume settles the in-doubt batch and loads the rest, each row once', async () => {
  const f = csv('in-doubt.csv')
  const args = [f, '--table', 'dbo.doubt', '--create', '--batch-size', '1000', '--json']
  const first = cli(args, inDoubt)
  assert.equal(first.status, 4, `the COMMIT of batch 2 is never answered: ${first.stderr}`)
  assert.match(first.stderr + first.stdout, /in doubt/)
  assert.match(first.stderr + first.stdout, /--resume/)
  const again = cli([...args, '--resume'], inDoubt)
  assert.equal(again.status, 0, again.stderr)
  const last = JSON.parse(again.stdout.trim().split('\n').at(-1)!)
  assert.equal(last.rowsLoaded, 1000, 'batches 1 and 2 had committed: only the third is loaded')
  await assertWholeFile(inDoubt, 'dbo.doubt')
  // Nothing is left to resume: a usage error, and nothing changes.
  assert.equal(cli([...args, '--resume'], inDoubt).status, 2)
  await assertWholeFile(inDoubt, 'dbo.doubt')
})

test('loadFile({ resume: true }) goes on after a dropped connection', async () => {
  const f = csv('dropped.csv')
  process.env.SLUICE_STATE_DIR = path.join(dir, 'state-js')
  const opts = { file: f, connection: dropping.connectionString('Encrypt=False'), table: 'dbo.dropped', create: true, batchSize: 1000 }
  await assert.rejects(loadFile(opts), (e: SluiceError) => {
    assert.equal(e.rowsCommitted, 1000, String(e))
    assert.match(e.message, /--resume/)
    return true
  })
  const r = await loadFile({ ...opts, resume: true })
  assert.equal(r.rowsLoaded, ROWS - 1000)
  await assertWholeFile(dropping, 'dbo.dropped')
})

test('sluice load a b c --resume settles an in-doubt batch straddling two files and loads the rest of c', async () => {
  // Ids run on across the files; batches of 1000 end inside b and inside c.
  const sizes = [1200, 1300, 800]
  let next = 0
  const files = sizes.map((n, i) => {
    const lines = ['id,item']
    for (let id = next; id < next + n; id++) lines.push(`${id},item ${id}`)
    next += n
    const p = path.join(dir, `part-${'abc'[i]}.csv`)
    fs.writeFileSync(p, `${lines.join('\n')}\n`)
    return p
  })
  const args = [...files, '--table', 'dbo.parts', '--create', '--batch-size', '1000', '--json']
  const first = cli(args, severalInDoubt)
  assert.equal(first.status, 4, `the COMMIT of batch 3 is never answered: ${first.stderr}`)
  assert.match(first.stderr + first.stdout, /in doubt/)
  // The same files in another order are not that load: refused, naming the recorded order.
  const swapped = cli([files[1]!, files[0]!, files[2]!, ...args.slice(3), '--resume'], severalInDoubt)
  assert.equal(swapped.status, 2, swapped.stderr)
  assert.match(swapped.stderr + swapped.stdout, /the same files in the same order/)
  const again = cli([...args, '--resume'], severalInDoubt)
  assert.equal(again.status, 0, again.stderr)
  const last = JSON.parse(again.stdout.trim().split('\n').at(-1)!)
  assert.equal(last.rowsLoaded, 300, 'batch 3 had committed: only the rest of c is loaded')
  assert.deepEqual(
    last.files.map((f: { rowsRead: number; rowsLoaded?: number; rowsLoadedBefore?: number }) => [f.rowsRead, f.rowsLoadedBefore ?? 0]),
    [
      [0, 1200],
      [0, 1300],
      [300, 500],
    ],
    'a and b are not read again; c goes on after its 500th row',
  )
  await assertWholeFile(severalInDoubt, 'dbo.parts', 3300)
})
