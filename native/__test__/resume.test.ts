// `sluice load --resume` and loadFile({ resume: true }) against `sluice serve` fault knobs: the
// load stopped by a dropped connection or an unanswered COMMIT (the in-doubt batch) is resumed
// by the same command plus --resume, and the table holds every row of the file exactly once.

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
let dir: string

before(async () => {
  ;[inDoubt, dropping] = await Promise.all([startServer(['--drop-after-commit', '2']), startServer(['--drop-after-rows', '1500'])])
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-resume-'))
})
after(async () => {
  await Promise.all([inDoubt, dropping].map((s) => s?.stop()))
  fs.rmSync(dir, { recursive: true, force: true })
})

function csv(name: string): string {
  const lines = ['id,item']
  for (let i = 0; i < ROWS; i++) lines.push(`${i},item ${i}`)
  const p = path.join(dir, name)
  fs.writeFileSync(p, `${lines.join('\n')}\n`)
  return p
}

/** COUNT(*), SUM(id), SUM(id²): every row once. */
async function assertWholeFile(s: TestServer, table: string) {
  const c = await connect(s.connectionString('Encrypt=False'))
  const r = await c.query(`SELECT COUNT(*), SUM(CAST(id AS bigint)), SUM(CAST(id AS bigint) * CAST(id AS bigint)) FROM ${table}`)
  await c.close()
  const n = BigInt(ROWS)
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
