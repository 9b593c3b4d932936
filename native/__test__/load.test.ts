// loadFile and `sluice load` against `sluice serve`: create, append, truncate, rejects with the
// reject file's exact bytes, dry run, hostile names, a hand-written file, cancel with an
// account that matches the table, and the CLI's JSON lines and exit codes.

import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { type Client, connect, inspect, loadFile, type SluiceError } from '@sluice/native'
import { SLUICE, startServer, type TestServer } from '../../test/helpers/server'

let server: TestServer
let slow: TestServer
let dir: string

before(async () => {
  ;[server, slow] = await Promise.all([startServer(), startServer(['--reply-delay-ms', '20'])])
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-load-'))
})
after(async () => {
  await Promise.all([server, slow].map((s) => s?.stop()))
  fs.rmSync(dir, { recursive: true, force: true })
})

const conn = (s: TestServer = server) => s.connectionString('Encrypt=False')

async function client(s: TestServer = server): Promise<Client> {
  return connect(conn(s))
}

async function count(c: Client, table: string): Promise<number> {
  return (await c.query(`SELECT COUNT(*) FROM ${table}`)).rows[0]![0] as number
}

function file(name: string, bytes: string | Buffer): string {
  const p = path.join(dir, name)
  fs.writeFileSync(p, bytes)
  return p
}

test('loadFile creates a table from a hand-written file and loads every row', async () => {
  const f = file('orders.csv', '\uFEFFid;when;amount;who\r\n1;31/01/2024;12.50;"Smith; J"\r\n2;01/02/2024;;Zoë\r\n')
  const seen: number[] = []
  const r = await loadFile({ file: f, connection: conn(), table: 'dbo.orders', create: true, onProgress: (p) => seen.push(p.rowsRead) })
  assert.deepEqual([r.rowsRead, r.rowsLoaded, r.rowsRejected, r.dryRun], [2, 2, 0, false])
  assert.equal(r.files.length, 1)
  assert.equal(seen.at(-1), 2)
  const c = await client()
  const rows = (await c.query('SELECT CONVERT(varchar(10), [when], 23), amount, who FROM dbo.orders ORDER BY id')).rows
  assert.deepEqual(rows, [
    ['2024-01-31', '12.50', 'Smith; J'],
    ['2024-02-01', null, 'Zoë'],
  ])
  await c.close()
})

test('append matches columns by name; truncate empties first', async () => {
  const c = await client()
  await c.query('CREATE TABLE ap (Label nvarchar(10) NULL, ID int NOT NULL)')
  const f = file('ap.csv', 'id,label\n1,a\n2,b\n')
  await loadFile({ file: f, connection: conn(), table: 'ap', append: true })
  await loadFile({ file: f, connection: conn(), table: 'ap', append: true })
  assert.equal(await count(c, 'ap'), 4)
  await loadFile({ file: f, connection: conn(), table: 'ap', truncate: true })
  assert.equal(await count(c, 'ap'), 2)
  await c.close()
})

test('skipped rows go to the reject file byte for byte, and the counts add up in the table', async () => {
  const c = await client()
  await c.query('CREATE TABLE rj (id int NOT NULL, v varchar(10) NULL)')
  const f = file('rj.csv', 'id,v\n1,a\n"two","x,y"\n3,c\n')
  const rejectFile = path.join(dir, 'rj.rejects.csv')
  const r = await loadFile({ file: f, connection: conn(), table: 'rj', append: true, maxErrors: 5, rejectFile })
  assert.deepEqual([r.rowsRead, r.rowsLoaded, r.rowsRejected], [3, 2, 1])
  assert.equal(await count(c, 'rj'), r.rowsLoaded)
  assert.equal(
    fs.readFileSync(rejectFile, 'latin1'),
    'id,v,sluice_row,sluice_column,sluice_value,sluice_error\n"two","x,y",3,"id","two","""two"" is not a valid int value"\n',
  )
  await c.close()
})

test('loadFile reads with the quote it is given; a bad quote is a usage error', async () => {
  const f = file('quoted.csv', 'name,n\n"x, y",1\n\'z\',2\n')
  await loadFile({ file: f, connection: conn(), table: 'dbo.quote_off', create: true, quote: 'none', delimiter: ';' })
  await loadFile({ file: f, connection: conn(), table: 'dbo.quote_single', create: true, quote: "'", delimiter: ';' })
  const c = await client()
  const off = (await c.query('SELECT * FROM dbo.quote_off')).rows
  const single = (await c.query('SELECT * FROM dbo.quote_single')).rows
  await c.close()
  assert.deepEqual(off, [['"x, y",1'], ["'z',2"]])
  assert.deepEqual(single, [['"x, y",1'], ['z,2']])
  const e = (await loadFile({ file: f, connection: conn(), table: 't', create: true, quote: 'ab' }).catch((x) => x)) as SluiceError
  assert.equal(e.code, 'EUSAGE')
})

test('a dry run sends nothing and changes nothing', async () => {
  const c = await client()
  const f = file('dry.csv', 'a,b\n1,x\n2,y\n')
  const r = await loadFile({ file: f, connection: conn(), table: 'never_made', create: true, dryRun: true })
  assert.deepEqual([r.dryRun, r.rowsLoaded, r.batches], [true, 2, 0])
  await assert.rejects(c.query('SELECT * FROM never_made'))
  await c.close()
})

test('a hostile table name is just a name', async () => {
  const c = await client()
  await c.query('CREATE TABLE victim (v int); INSERT INTO victim VALUES (1)')
  const f = file('hostile.csv', 'v\n1\n')
  await loadFile({ file: f, connection: conn(), table: '[a]]; DROP TABLE victim;--]', create: true })
  assert.equal(await count(c, 'victim'), 1)
  assert.equal(await count(c, '[a]]; DROP TABLE victim;--]'), 1)
  await c.close()
})

test('an AbortSignal cancels mid-load with an account equal to COUNT(*)', async () => {
  const lines = ['id,label']
  for (let i = 0; i < 60_000; i++) lines.push(`${i},row ${i}`)
  const f = file('big.csv', `${lines.join('\n')}\n`)
  const ac = new AbortController()
  const e = (await loadFile({
    file: f,
    connection: conn(slow),
    table: 'cancelled',
    create: true,
    batchSize: 1000,
    signal: ac.signal,
    onProgress: (p) => {
      if (p.rowsCommitted >= 1000) ac.abort()
    },
  }).then(
    () => assert.fail('should be cancelled'),
    (err) => err,
  )) as SluiceError
  assert.equal(e.code, 'ECANCEL', e.message)
  const c = await client(slow)
  assert.equal(await count(c, 'cancelled'), e.rowsCommitted)
  assert.ok((e.rowsCommitted as number) >= 1000 && (e.rowsCommitted as number) < 60_000)
  await c.close()
})

test('a table that cannot hold the file is refused with the column and the row', async () => {
  const c = await client()
  await c.query('CREATE TABLE narrow2 (id int NOT NULL, price decimal(5,2) NULL)')
  const f = file('narrow.csv', 'id,price\n1,1.25\n2,12345.67\n')
  const e = (await loadFile({ file: f, connection: conn(), table: 'narrow2', append: true }).catch((err) => err)) as SluiceError
  assert.equal(e.code, 'EINPUT')
  assert.match(e.message, /column "price" \(decimal\(5,2\)\).*row 3 has 5 digits before the point/)
  assert.equal(await count(c, 'narrow2'), 0)
  await c.close()
})

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [SLUICE, 'load', ...args], { encoding: 'utf8', env: { ...process.env, ...env } })
}

test('sluice load --json prints progress lines and the summary last; exit codes tell the outcome', async () => {
  const f = file('cli.csv', 'id,name\n1,a\n2,b\nx,c\n')
  const env = { SLUICE_CONNECTION: conn() }
  const ok = cli([f, '--table', 'cli_t', '--create', '--json'], env)
  assert.equal(ok.status, 0, ok.stderr)
  const last = JSON.parse(ok.stdout.trim().split('\n').at(-1)!)
  assert.deepEqual(
    { rowsRead: last.rowsRead, rowsLoaded: last.rowsLoaded, rowsRejected: last.rowsRejected, dryRun: last.dryRun },
    { rowsRead: 3, rowsLoaded: 3, rowsRejected: 0, dryRun: false },
  )
  // x into an int column: refused up front (2), or rejected within the limit (3).
  const c = await client()
  await c.query('CREATE TABLE cli_i (id int NOT NULL, name varchar(5) NULL)')
  await c.close()
  assert.equal(cli([f, '--table', 'cli_i', '--append'], env).status, 2)
  const rej = cli([f, '--table', 'cli_i', '--append', '--max-errors', '1', '--json'], env)
  assert.equal(rej.status, 3, rej.stderr)
  assert.equal(JSON.parse(rej.stdout.trim().split('\n').at(-1)!).rowsRejected, 1)
  // Usage, connection failure.
  assert.equal(cli([f, '--table', 't'], env).status, 2)
  assert.equal(
    cli([f, '--table', 't', '--create', '--connection', 'Server=127.0.0.1,1;User ID=sa;Password=x;Connect Timeout=2'], {}).status,
    4,
  )
})

test('a load after an inspection reads the file once: its types come from the inference cache', async () => {
  const f = file('cached.csv', 'id,placed,amount\n1,31/01/2024,12.50\n2,01/02/2024,7.25\n')
  const inspection = await inspect(f)
  assert.equal(inspection.rowCount, 2)
  const r = await loadFile({ file: f, connection: conn(), table: 'dbo.cached', create: true })
  assert.ok(
    r.notes.some((n) => n.includes('inference cache') && n.includes('inspect() from JavaScript')),
    r.notes.join('\n'),
  )
  const again = await loadFile({ file: f, connection: conn(), table: 'dbo.cached2', create: true, inferCache: false })
  assert.ok(!again.notes.some((n) => n.includes('inference cache')), again.notes.join('\n'))
  const c = await client()
  const q = (t: string) => `SELECT id, CONVERT(varchar(10), placed, 23), amount FROM ${t} ORDER BY id`
  assert.deepEqual((await c.query(q('dbo.cached'))).rows, (await c.query(q('dbo.cached2'))).rows)
  assert.deepEqual((await c.query(q('dbo.cached'))).rows[0], [1, '2024-01-31', '12.50'])
  await c.close()

  // The command line: `sluice inspect` then `sluice load`, in a state directory of their own.
  const env = { SLUICE_CONNECTION: conn(), SLUICE_STATE_DIR: path.join(dir, 'state-cache') }
  const g = file('cached-cli.csv', 'a,b\n1,x\n2,y\n')
  const ins = spawnSync(process.execPath, [SLUICE, 'inspect', g, '--json'], { encoding: 'utf8', env: { ...process.env, ...env } })
  assert.equal(ins.status, 0, ins.stderr)
  assert.ok(fs.readdirSync(path.join(dir, 'state-cache', 'inferred')).length === 1)
  const ld = cli([g, '--table', 'cached_cli', '--create', '--json'], env)
  assert.equal(ld.status, 0, ld.stderr)
  const last = JSON.parse(ld.stdout.trim().split('\n').at(-1)!)
  assert.equal(last.rowsLoaded, 2)
  assert.ok(
    last.notes.some((n: string) => n.includes('inference cache') && n.includes('sluice inspect')),
    JSON.stringify(last.notes),
  )
  // SLUICE_INFER_CACHE=0 turns it off.
  const off = cli([g, '--table', 'cached_cli2', '--create', '--json'], { ...env, SLUICE_INFER_CACHE: '0' })
  assert.equal(off.status, 0, off.stderr)
  assert.ok(!(JSON.parse(off.stdout.trim().split('\n').at(-1)!).notes ?? []).some((n: string) => n.includes('inference cache')))
})
