// The file-load benchmark: the generated 1,000,000-row CSV (and 200,000-row xlsx) loaded into
// `sluice serve --sink` by the Sluice file path and its peers, side by side, round-robin, medians;
// plus the raw limits (reading the file, the csv crate splitting it, calamine reading the sheet),
// DuckDB's typed load as the yardstick, and the Sluice file path's peak memory on a 100 MB vs a
// 2 GB file. Writes its section of bench/RESULTS.md. Read bench/README.md; --help lists options.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const m = require('../measure.js')
const { PARTICIPANTS, connectionString } = require('./participants.js')
const { buildFlatFile, report, writeSection } = require('./load-report.js')

const DATA = path.join(__dirname, 'data')
const HELP = `usage: node bench/files/run-load.js [options]
  --rows N          rows of the CSV (default 1000000: bench/files/data/bench-N.csv, made if missing)
  --xlsx-rows N     rows of the workbook (default 200000: bench/files/data/bench-N.xlsx, made if missing)
  --batch N         rows per batch for every loader (default 100000)
  --repeat R        rounds, each running every participant once in turn (default 3); medians reported
  --only LIST       comma-separated subset of: ${Object.keys(PARTICIPANTS).join(',')},flat
  --quiet-wait S    before each run, wait up to S s for the machine to go idle (default 10; 0 = never)
  --flat-mb A,B     sizes in MB of the two CSVs for the Sluice file path's memory run (default 100,2000)
  --keep-flat       keep the memory run's CSVs (default: each deleted after its run; the big one is ~2 GB)
  --out FILE        the report (default bench/RESULTS.md, its file-load section only; '-' = don't write)
  --from FILE       run nothing: write the report from a run's JSON lines (its stdout) saved in FILE`

function parseArgs(argv) {
  const a = {
    rows: 1_000_000,
    xlsxRows: 200_000,
    batch: 100_000,
    repeat: 3,
    only: null,
    quietWait: 10,
    flatMb: [100, 2000],
    keepFlat: false,
  }
  a.out = path.join(__dirname, '..', 'RESULTS.md')
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = () => argv[++i]
    if (k === '--rows') a.rows = Number(v())
    else if (k === '--xlsx-rows') a.xlsxRows = Number(v())
    else if (k === '--batch') a.batch = Number(v())
    else if (k === '--repeat') a.repeat = Number(v())
    else if (k === '--only') a.only = new Set(v().split(','))
    else if (k === '--quiet-wait') a.quietWait = Number(v())
    else if (k === '--flat-mb') a.flatMb = v().split(',').map(Number)
    else if (k === '--keep-flat') a.keepFlat = true
    else if (k === '--out') a.out = v()
    else if (k === '--from') a.from = v()
    else if (k === '--help' || k === '-h') {
      console.log(HELP)
      process.exit(0)
    } else {
      console.error(`unknown option ${k}\n${HELP}`)
      process.exit(2)
    }
  }
  return a
}

/** Runs a setup command (not measured) and stops the benchmark if it fails. */
function mustRun(cmd, args, what, env = process.env) {
  m.log(what)
  const r = spawnSync(cmd, args, { cwd: m.ROOT, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] })
  if (r.status !== 0) throw new Error(`${what} failed: ${r.stderr || r.stdout}`)
  return r.stdout
}

/** The data files, made if missing; the freebcp copy's one-off conversion is timed. */
async function prepareFiles(a) {
  const csv = path.join(DATA, `bench-${a.rows}.csv`)
  const xlsx = path.join(DATA, `bench-${a.xlsxRows}.xlsx`)
  const tsv = path.join(DATA, `bench-${a.rows}.tsv`)
  if (!fs.existsSync(csv)) mustRun(process.execPath, [path.join(__dirname, 'make-csv.js'), '--rows', String(a.rows)], `making ${csv}`)
  if (!fs.existsSync(xlsx)) mustRun(m.python(), [path.join(__dirname, 'make-xlsx.py'), '--rows', String(a.xlsxRows)], `making ${xlsx}`)
  // The conversion's figures sit beside the copy, so a later run can reuse both.
  const convFile = `${tsv}.json`
  let conversion = null
  if (fs.existsSync(tsv) && fs.existsSync(convFile) && fs.statSync(tsv).mtimeMs > fs.statSync(csv).mtimeMs) {
    conversion = JSON.parse(fs.readFileSync(convFile, 'utf8'))
  } else {
    m.log(`writing freebcp's tab-separated copy ${tsv} (timed once)`)
    const argv = [m.python(), path.join(__dirname, 'to_tsv.py'), csv, tsv]
    const r = await m.timedRun(argv, 20 * 60_000)
    if (!r.ok) throw new Error(`to_tsv.py failed: ${r.errorText}`)
    conversion = { ...r, command: m.shownCommand(argv), date: new Date().toISOString() }
    fs.writeFileSync(convFile, JSON.stringify(conversion))
  }
  return { csv, xlsx, tsv, conversion }
}

/** What this build and machine can run: `sluice load`, freebcp, the Rust examples. */
function probe(ctx) {
  const help = spawnSync(process.execPath, [m.SLUICE_BIN, 'load', '--help'], { encoding: 'utf8' })
  ctx.sluiceLoad = help.status === 0 ? true : 'not available in this build (`sluice load` does not exist yet)'
  ctx.freebcp = spawnSync('freebcp', ['-v'], { encoding: 'utf8' }).error ? 'freebcp is not installed (apt-get install freetds-bin)' : true
  const examples = ['read_csv', 'sheet_bench'].every((e) => fs.existsSync(path.join(m.ROOT, 'target', 'release', 'examples', e)))
  ctx.examples = examples
    ? true
    : 'the Rust examples are not built: cargo build --release -p sluice-files --example read_csv --example sheet_bench'
}

/** A freetds.conf of its own per server (TDS 7.4, no TLS, UTF-8), so no user configuration takes part. */
function freetdsEnv(work, port) {
  const dir = path.join(work, `freetds-${port}`)
  fs.mkdirSync(dir, { recursive: true })
  const conf = path.join(dir, 'freetds.conf')
  fs.writeFileSync(
    conf,
    `[sluice]\n\thost = 127.0.0.1\n\tport = ${port}\n\ttds version = 7.4\n\tencryption = off\n\tclient charset = UTF-8\n`,
  )
  return { ...process.env, FREETDSCONF: conf, HOME: dir, TDSVER: '7.4' }
}

/** One run of one participant, against its own fresh sink server when it needs one. */
async function runOnce(a, ctx, key, input = null) {
  const p = PARTICIPANTS[key]
  const file = input ?? ctx[p.input]
  const server = p.server ? await m.startServer() : null
  try {
    const port = server?.port
    if (p.table) {
      const schema = fs.readFileSync(path.join(__dirname, '..', 'schema.sql'), 'utf8')
      mustRun(process.execPath, [m.SLUICE_BIN, 'query', '--connection', connectionString(port), schema], 'CREATE TABLE dbo.bench')
    }
    const argv = p.argv({ ...ctx, [p.input]: file }, port)
    if (p.prepare) {
      const [cmd, ...args] = p.prepare({ ...ctx, [p.input]: file })
      mustRun(
        cmd,
        args,
        `${key}: ${p
          .prepare({ ...ctx, [p.input]: file })
          .slice(1, 3)
          .join(' ')}`,
        p.env?.(ctx, port),
      )
    }
    if (a.quietWait > 0) await m.waitQuiet(a.quietWait)
    const s0 = server ? m.procCpu(server.pid) : 0
    const b0 = m.machineBusy()
    const r = await m.timedRun(argv, 30 * 60_000, { parse: p.parse, env: p.env?.(ctx, port) })
    const busyS = m.machineBusy() - b0
    const serverCpuS = server ? m.procCpu(server.pid) - s0 : 0
    const otherCpuS = busyS - (r.userS + r.sysS) - serverCpuS
    const expected = p.input === 'xlsx' ? a.xlsxRows : a.rows
    if (r.ok) {
      if (r.result.seconds === undefined) r.result.seconds = r.spawnS
      if (r.result.rows === undefined) r.result.rows = expected
      if (r.result.rows !== expected && input === null) {
        r.ok = false
        r.errorText = `read or loaded ${r.result.rows} rows, expected ${expected}`
      }
    }
    const bytes = fs.statSync(file).size
    return { key, ...r, bytes, serverCpuS, otherCpuS, command: m.shownCommand(argv, port) }
  } finally {
    await server?.stop()
  }
}

async function runLogged(a, ctx, key, label, input) {
  m.log(`${label}: ${key}`)
  const r = await runOnce(a, ctx, key, input)
  if (!r.ok) m.log(`${key}: FAILED (exit ${r.code}): ${r.errorText}`)
  else
    m.log(
      `${key}: ${m.fmtInt(r.result.rows / r.result.seconds)} rows/s, ${m.fmt1(r.bytes / r.result.seconds / 1e6)} MB/s, ` +
        `${m.fmt2(r.userS + r.sysS)} s client CPU, ${m.mib(r.maxRssKB)} MiB peak RSS, server ${m.fmt2(r.serverCpuS)} s, other ${m.fmt2(r.otherCpuS)} s CPU`,
    )
  console.log(JSON.stringify({ phase: input ? 'memory' : 'round', input: input ?? undefined, ...r }))
  return r
}

/** Medians over one participant's runs (or its failure). */
function summarise(key, runs) {
  const bad = runs.find((r) => !r.ok)
  if (bad) return { key, ok: false, runs, error: bad.errorText }
  const pick = (f) => m.median(runs.map(f))
  return {
    key,
    ok: true,
    runs,
    rows: runs[0].result.rows,
    bytes: runs[0].bytes,
    seconds: pick((r) => r.result.seconds),
    rowsPerSec: pick((r) => r.result.rows / r.result.seconds),
    cpuS: pick((r) => r.userS + r.sysS),
    maxRssKB: pick((r) => r.maxRssKB),
    serverCpuS: pick((r) => r.serverCpuS),
    otherCpuS: pick((r) => r.otherCpuS),
    command: runs[0].command,
  }
}

/** The medians, skips and memory run, from the JSON lines of runs (this run's or a saved one's). */
function results(a, ctx, keys, runs, memoryRuns) {
  const skipped = {}
  for (const [k, p] of Object.entries(PARTICIPANTS)) {
    const why = p.available ? p.available(ctx) : true
    if (why !== true && !runs.get(k)?.length) skipped[k] = why
  }
  const res = Object.fromEntries(keys.filter((k) => runs.get(k)?.length).map((k) => [k, summarise(k, runs.get(k))]))
  let flat = null
  if (memoryRuns.length) flat = { runs: memoryRuns.map((r) => ({ path: r.input, bytes: r.bytes, run: r })) }
  else if (ctx.sluiceLoad === true && (!a.only || a.only.has('flat'))) flat = { runs: [] }
  else if (!a.only || a.only.has('flat')) flat = ctx.sluiceLoad === true ? null : { skipped: ctx.sluiceLoad }
  return { res, skipped, flat }
}

/** --from: the report of a saved run. */
function fromLines(a, ctx, machineNow) {
  const lines = fs
    .readFileSync(a.from, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
  const machine = lines.find((l) => l.phase === 'machine') ?? {
    ...machineNow,
    date: `${machineNow.date} (report date; the run's was not recorded)`,
  }
  a.runArgv = machine.argv ?? null
  const rounds = lines.filter((l) => l.key && l.phase !== 'memory')
  const runs = new Map()
  for (const r of rounds) runs.set(r.key, [...(runs.get(r.key) ?? []), r])
  a.repeat = Math.max(0, ...[...runs.values()].map((x) => x.length))
  const { res, skipped, flat } = results(
    a,
    ctx,
    Object.keys(PARTICIPANTS),
    runs,
    lines.filter((l) => l.phase === 'memory'),
  )
  finish(a, machine, ctx, res, skipped, flat)
}

function finish(a, machine, ctx, res, skipped, flat) {
  const text = report(a, machine, ctx, res, skipped, flat)
  if (a.out !== '-') {
    writeSection(a.out, text)
    m.log(`wrote the file-load section of ${path.relative(process.cwd(), a.out)}`)
  }
  process.stderr.write(`\n${text}\n`)
}

async function main() {
  const argv = process.argv.slice(2)
  const a = parseArgs(argv)
  a.argv = argv
  m.requireTime()
  const t0 = Date.now()
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-loadbench-'))
  const ctx = { work, batch: a.batch, rows: a.rows, xlsxRows: a.xlsxRows, freetdsEnv: (port) => freetdsEnv(work, port) }
  try {
    Object.assign(ctx, await prepareFiles(a))
    probe(ctx)
    const machine = m.machine()
    console.log(JSON.stringify({ phase: 'machine', argv, ...machine }))
    if (a.from) return fromLines(a, ctx, machine)
    for (const f of [ctx.csv, ctx.xlsx, ctx.tsv]) spawnSync('sh', ['-c', 'cat "$0" > /dev/null', f]) // warm the page cache
    const want = (k) => !a.only || a.only.has(k)
    const keys = []
    for (const [k, p] of Object.entries(PARTICIPANTS)) {
      if (!want(k)) continue
      const why = p.available ? p.available(ctx) : true
      if (why === true) keys.push(k)
      else m.log(`${p.label}: ${why}`)
    }
    const runs = new Map(keys.map((k) => [k, []]))
    for (let i = 0; i < a.repeat; i++) {
      for (const k of keys) {
        const done = runs.get(k)
        if (done.some((r) => !r.ok)) continue
        done.push(await runLogged(a, ctx, k, `round ${i + 1}/${a.repeat}`))
      }
    }
    const memoryRuns = []
    let memoryError = null
    if (want('flat') && ctx.sluiceLoad === true) {
      // One file at a time, each deleted after its run: the disk here has little room.
      for (const mb of a.flatMb) {
        let f = null
        try {
          f = buildFlatFile(ctx.csv, mb, DATA)
          memoryRuns.push({ ...(await runLogged(a, ctx, 'sluice-csv', `memory, ${mb} MB`, f.path)), input: f.path })
        } catch (e) {
          memoryError = e.message
          m.log(memoryError)
          break
        } finally {
          if (f && !a.keepFlat) fs.rmSync(f.path, { force: true })
        }
      }
    }
    const after = m.machine()
    if (after.addon !== machine.addon) machine.addonChanged = after.addon
    const { res, skipped, flat } = results(a, ctx, keys, runs, memoryRuns)
    if (memoryError) Object.assign(flat, { error: memoryError })
    finish(a, machine, ctx, res, skipped, flat)
    m.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
