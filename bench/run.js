// The bulk-load benchmark: each client loads the same N generated rows into its own fresh
// `sluice serve --sink --encrypt off` on this machine, in its own process under /usr/bin/time -v,
// one after another. Writes bench/RESULTS.md (and prints the raw figures as JSON lines).
// Read bench/README.md. `node bench/run.js --help` lists the options.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const {
  ROOT,
  TIME,
  log,
  python,
  requireTime,
  procCpu,
  machineBusy,
  waitQuiet,
  startServer,
  timedRun,
  median,
  machine,
  fmtInt,
  fmt1,
  fmt2,
  mib,
} = require('./measure.js')

const BENCH = __dirname

const HELP = `usage: node bench/run.js [options]     (npm run bench -- [options])
  --rows N          rows per load (default 1000000)
  --flat-rows N     rows for the memory-flatness run of Sluice (default 5 × --rows; 0 skips it)
  --batch N         rows per batch for every client (default 100000)
  --repeat R        rounds; each round runs every client once, in turn (default 3); medians are reported
  --only LIST       comma-separated subset of: gen,sluice,sluice-columnar,tedious,mssql-python,prebuilt,flat
  --quiet-wait S    before each run, wait up to S seconds for the machine to be idle (other
                    processes using < 10 % of one core); default 30; 0 disables
  --prebuilt-repeat R  rounds of the pre-built variant (rows generated into memory before the clock
                    starts; default 1; 0 skips it)
  --out FILE        where to write the report (default bench/RESULTS.md; '-' = don't write)`

function parseArgs(argv) {
  const a = {
    rows: 1_000_000,
    flatRows: null,
    batch: 100_000,
    repeat: 3,
    only: null,
    prebuiltRepeat: 1,
    out: path.join(BENCH, 'RESULTS.md'),
  }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = () => argv[++i]
    if (k === '--rows') a.rows = Number(v())
    else if (k === '--flat-rows') a.flatRows = Number(v())
    else if (k === '--batch') a.batch = Number(v())
    else if (k === '--repeat') a.repeat = Number(v())
    else if (k === '--only') a.only = new Set(v().split(','))
    else if (k === '--prebuilt-repeat') a.prebuiltRepeat = Number(v())
    else if (k === '--quiet-wait') a.quietWait = Number(v())
    else if (k === '--out') a.out = v()
    else if (k === '--help' || k === '-h') {
      console.log(HELP)
      process.exit(0)
    } else {
      console.error(`unknown option ${k}\n${HELP}`)
      process.exit(2)
    }
  }
  if (a.flatRows === null) a.flatRows = 5 * a.rows
  return a
}

const CLIENT_ARGS = (a, rows, port, opts = {}) => [
  '--port',
  String(port),
  '--rows',
  String(rows),
  '--batch',
  String(a.batch),
  ...(opts.prebuilt ? ['--prebuilt'] : []),
]

/** The clients. `cmd(a, rows, port, opts)` is the argv of one load. */
const CLIENTS = {
  sluice: {
    label: 'Sluice (JS row arrays, lazy Iterable)',
    cmd: (a, n, p, o) => [process.execPath, 'bench/clients/sluice.js', ...CLIENT_ARGS(a, n, p, o)],
  },
  'sluice-columnar': {
    label: 'Sluice, columnar input (bulkCopyColumns, lazy batches of 1,000 rows)',
    cmd: (a, n, p, o) => [process.execPath, 'bench/clients/sluice-columnar.js', ...CLIENT_ARGS(a, n, p, o)],
  },
  tedious: {
    label: 'tedious 19 BulkLoad (same row arrays)',
    cmd: (a, n, p, o) => [process.execPath, 'bench/clients/tedious.js', ...CLIENT_ARGS(a, n, p, o)],
  },
  'mssql-python': {
    label: 'mssql-python 1.16 cursor.bulkcopy (tuples, lazy generator)',
    cmd: (a, n, p, o) => [python(), 'bench/clients/mssql_python_client.py', ...CLIENT_ARGS(a, n, p, o)],
  },
}

/** Loads `rows` rows with one client against a fresh sink server; returns one run's figures. */
async function runOnce(a, name, rows, opts = {}) {
  const server = await startServer()
  try {
    const argv = CLIENTS[name].cmd(a, rows, server.port, opts)
    if (a.quietWait > 0) await waitQuiet(a.quietWait)
    const s0 = procCpu(server.pid)
    const b0 = machineBusy()
    const r = await timedRun(argv, 20 * 60_000)
    const busyS = machineBusy() - b0
    const serverCpuS = procCpu(server.pid) - s0
    // CPU used meanwhile by everything else on the machine (other users' work skews the figures).
    const otherCpuS = busyS - (r.userS + r.sysS) - serverCpuS
    const command = `${TIME} -v ${argv
      .map((x) => (x === process.execPath ? 'node' : path.isAbsolute(x) ? path.relative(ROOT, x) : x))
      .join(' ')
      .replace(`--port ${server.port}`, '--port PORT')}`
    return { name, rows, prebuilt: !!opts.prebuilt, ...r, serverCpuS, otherCpuS, command }
  } finally {
    await server.stop()
  }
}

/** One run, logged; `label` names it in the log. */
async function runLogged(a, name, rows, opts, label) {
  log(`${label}: ${rows} rows`)
  const r = await runOnce(a, name, rows, opts)
  if (!r.ok) log(`${name}: FAILED (exit ${r.code}): ${r.errorText}`)
  else {
    log(
      `${name}${opts.prebuilt ? ' (pre-built)' : ''}: ${Math.round(r.result.rowsPerSec)} rows/s, ${(r.userS + r.sysS).toFixed(2)} s client CPU, ` +
        `${Math.round(r.maxRssKB / 1024)} MiB peak RSS, server ${r.serverCpuS.toFixed(2)} s CPU, other processes ${r.otherCpuS.toFixed(2)} s CPU`,
    )
  }
  console.log(JSON.stringify({ client: name, ...r }))
  return r
}

/** The medians over one client's runs (or the failure). */
function summarise(name, runs) {
  const bad = runs.find((r) => !r.ok)
  if (bad) return { name, ok: false, runs, error: bad.errorText }
  const pick = (f) => median(runs.map(f))
  return {
    name,
    ok: true,
    runs,
    rows: runs[0].rows,
    rowsPerSec: pick((r) => r.result.rowsPerSec),
    rowsPerSecMin: Math.min(...runs.map((r) => r.result.rowsPerSec)),
    rowsPerSecMax: Math.max(...runs.map((r) => r.result.rowsPerSec)),
    seconds: pick((r) => r.result.seconds),
    cpuS: pick((r) => r.userS + r.sysS),
    loadCpuS: pick((r) => r.result.loadCpuUser + r.result.loadCpuSys),
    maxRssKB: pick((r) => r.maxRssKB),
    serverCpuS: pick((r) => r.serverCpuS),
    otherCpuS: pick((r) => r.otherCpuS),
    command: runs[0].command,
  }
}

/**
 * Runs `jobs` round-robin, `repeat` rounds (A B C, A B C, …) so that whatever else the machine
 * is doing meanwhile is spread over every client instead of landing on one. A job that fails
 * is not run again.
 */
async function roundRobin(a, jobs, repeat) {
  const runs = new Map(jobs.map((j) => [j.key, []]))
  for (let i = 0; i < repeat; i++) {
    for (const j of jobs) {
      const done = runs.get(j.key)
      if (done.some((r) => !r.ok)) continue
      done.push(await runLogged(a, j.name, j.rows ?? a.rows, j.opts ?? {}, `round ${i + 1}/${repeat}, ${j.key}`))
    }
  }
  return Object.fromEntries(jobs.map((j) => [j.key, summarise(j.name, runs.get(j.key))]))
}

/** Generation-only baselines (no server): the cost of producing the rows in each language. */
async function runGen(a, lang) {
  const argv = {
    js: [process.execPath, 'bench/clients/gen-only.js', '--rows', String(a.rows)],
    'js-columns': [process.execPath, 'bench/clients/gen-only-columns.js', '--rows', String(a.rows)],
    py: [python(), 'bench/clients/mssql_python_client.py', '--gen-only', '--rows', String(a.rows)],
  }[lang]
  log(`gen-only ${lang}: ${a.rows} rows`)
  if (a.quietWait > 0) await waitQuiet(a.quietWait)
  const r = await timedRun(argv, 10 * 60_000)
  if (!r.ok) return { name: `gen-${lang}`, ok: false, error: r.errorText }
  const command = `${TIME} -v ${argv.map((x) => (x === process.execPath ? 'node' : path.isAbsolute(x) ? path.relative(ROOT, x) : x)).join(' ')}`
  return {
    name: `gen-${lang}`,
    ok: true,
    rowsPerSec: r.result.rowsPerSec,
    seconds: r.result.seconds,
    loadCpuS: r.result.loadCpuUser + r.result.loadCpuSys,
    cpuS: r.userS + r.sysS,
    maxRssKB: r.maxRssKB,
    command,
  }
}

/**
 * The generators (JS rows, JS columns, Python) must produce identical canonical text;
 * otherwise nothing is comparable.
 */
function checkGenerators() {
  const js = spawnSync(process.execPath, [path.join(BENCH, 'gen.js'), '--digest', '20000'], { encoding: 'utf8' })
  const cols = spawnSync(process.execPath, [path.join(BENCH, 'gen.js'), '--digest-columns', '20000'], { encoding: 'utf8' })
  const py = spawnSync(python(), [path.join(BENCH, 'gen.py'), '--digest', '20000'], { encoding: 'utf8' })
  const a = js.stdout.trim()
  const b = py.stdout.trim()
  const c = cols.stdout.trim()
  if (!a || a !== b) throw new Error(`bench/gen.js and bench/gen.py disagree: ${a || js.stderr} vs ${b || py.stderr}`)
  if (a !== c) throw new Error(`bench/gen.js rows and columns disagree: ${a} vs ${c || cols.stderr}`)
  return a
}

function report(a, m, digest, res) {
  const L = []
  const p = (s = '') => L.push(s)
  const { sluice, sluiceColumnar, tedious, mssql } = res
  p('# Bulk-load benchmark results')
  p()
  p(
    "Generated by `bench/run.js` (see `bench/README.md`); re-running rewrites this file up to its Raw runs and keeps the sections after them (the other runners' figures, e.g. bench/files/run-load.js).",
  )
  p()
  p('## Machine and run')
  p()
  p(`- Date: ${m.date}`)
  p(`- CPU: ${m.cpu}; \`nproc\` = ${m.nproc}; memory ${m.memGiB} GiB; Linux ${m.kernel}; load average at start ${m.loadavg}`)
  p(`- Node.js ${m.node}; ${m.python} (\`${m.pythonPath}\`); tedious ${m.tedious}; mssql-python ${m.mssqlPython}`)
  p(
    `- Sluice ${m.sluice} at commit ${m.commit}${m.dirty ? ' (native/ has uncommitted changes)' : ''}; ` +
      `addon native/sluice.linux-x64-gnu.node (release build) dated ${m.addon}`,
  )
  p(
    `- ${fmtInt(a.rows)} rows per load, batches of ${fmtInt(a.batch)} rows, TABLOCK; ` +
      `median of ${a.repeat} run(s) per client, each client in its own process against its own fresh ` +
      '`sluice serve --sink --encrypt off` (validates every row, stores nothing; no TLS), all on this machine',
  )
  if (m.addonChanged) p(`- **Warning: the addon was replaced during the run (now dated ${m.addonChanged}); the figures mix two builds.**`)
  p(
    `- Same data for every client: generator digest (first 20,000 rows) \`${digest.slice(0, 16)}…\` from bench/gen.js rows, ` +
      'bench/gen.js columns and bench/gen.py alike',
  )
  p(
    `- Command: \`npm run bench${a.argv.length ? ` -- ${a.argv.join(' ')}` : ''}\` (= \`node bench/run.js${a.argv.length ? ` ${a.argv.join(' ')}` : ''}\`)`,
  )
  p()
  p('## Side by side')
  p()
  p('rows/s = rows ÷ wall time of the load call (from starting the bulk copy to its summary), rows generated lazily inside it.')
  p('Client CPU = user + sys of the whole client process (`/usr/bin/time -v`, all threads, start-up included);')
  p('load CPU = the same for the load call alone (in-process). Peak RSS = "Maximum resident set size". Server CPU = the sink')
  p('server process during the load. Other CPU = what the rest of the machine used meanwhile (see Raw runs).')
  p()
  p(
    '| client | rows/s (median) | min–max rows/s | load s | client CPU s | load CPU s | CPU µs/row (load) | peak RSS MiB | server CPU s | other CPU s |',
  )
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  const row = (label, r) => {
    if (!r) return
    if (!r.ok) {
      p(`| ${label} | failed: ${r.error} | | | | | | | | |`)
      return
    }
    p(
      `| ${label} | **${fmtInt(r.rowsPerSec)}** | ${fmtInt(r.rowsPerSecMin)}–${fmtInt(r.rowsPerSecMax)} | ${fmt2(r.seconds)} | ${fmt2(r.cpuS)} | ` +
        `${fmt2(r.loadCpuS)} | ${fmt1((r.loadCpuS / r.rows) * 1e6)} | ${mib(r.maxRssKB)} | ${fmt2(r.serverCpuS)} | ${fmt2(r.otherCpuS)} |`,
    )
  }
  row(CLIENTS.sluice.label, sluice)
  row(CLIENTS['sluice-columnar'].label, sluiceColumnar)
  row(CLIENTS.tedious.label, tedious)
  row(CLIENTS['mssql-python'].label, mssql)
  p()
  const genName = { 'gen-js': 'JS rows', 'gen-js-columns': 'JS columns', 'gen-py': 'Python' }
  for (const g of [res.genJs, res.genJsColumns, res.genPy]) {
    if (!g) continue
    if (!g.ok) {
      p(`- ${g.name}: failed: ${g.error}`)
      continue
    }
    p(
      `- Generating the rows alone (no client, no server), ${genName[g.name]}: ${fmtInt(g.rowsPerSec)} rows/s, ` +
        `${fmt2(g.loadCpuS)} s CPU (${fmt1((g.loadCpuS / a.rows) * 1e6)} µs/row), peak RSS ${mib(g.maxRssKB)} MiB — \`${g.command}\``,
    )
  }
  p()
  p('### Ratios and targets')
  p()
  const ratio = (x, y) => (x?.ok && y?.ok ? x.rowsPerSec / y.rowsPerSec : Number.NaN)
  const rt = ratio(sluice, tedious)
  const rm = ratio(sluice, mssql)
  const rtc = ratio(sluiceColumnar, tedious)
  const rmc = ratio(sluiceColumnar, mssql)
  const verdict = (r, target) =>
    Number.isFinite(r) ? (r >= target ? `**met** (${fmt2(r)}× ≥ ${target}×)` : `**missed** (${fmt2(r)}× < ${target}×)`) : 'not measured'
  p(`| ratio (rows/s) | value | target | verdict |`)
  p('|---|---:|---:|---|')
  p(`| Sluice (row arrays) / tedious | ${fmt2(rt)}× | ≥ 5× | ${verdict(rt, 5)} |`)
  p(`| Sluice (row arrays) / mssql-python | ${fmt2(rm)}× | ≥ 2× | ${verdict(rm, 2)} |`)
  p(`| Sluice columnar / tedious | ${fmt2(rtc)}× | ≥ 5× | ${verdict(rtc, 5)} |`)
  p(`| Sluice columnar / mssql-python | ${fmt2(rmc)}× | ≥ 2× | ${verdict(rmc, 2)} |`)
  p()
  if (res.genJs?.ok && res.genPy?.ok && sluice?.ok && tedious?.ok && mssql?.ok) {
    // Net of generation: load CPU minus the generator's own CPU, per row — what the client itself costs.
    const net = (r, g) => ((r.loadCpuS - g.loadCpuS) / r.rows) * 1e6
    const col = sluiceColumnar?.ok && res.genJsColumns?.ok ? `Sluice columnar ${fmt1(net(sluiceColumnar, res.genJsColumns))} µs, ` : ''
    p(
      'Client CPU per row net of generating the rows (load CPU − generator-only CPU): ' +
        `Sluice ${fmt1(net(sluice, res.genJs))} µs, ${col}tedious ${fmt1(net(tedious, res.genJs))} µs, ` +
        `mssql-python ${fmt1(net(mssql, res.genPy))} µs. (Approximate: generating interleaved with loading costs more than alone.)`,
    )
    p()
  }
  if (res.sluicePre || res.sluiceColumnarPre || res.tediousPre || res.mssqlPre) {
    p('### Variant: rows pre-built in memory (generation outside the clock)')
    p()
    p(
      `Each client first generates all ${fmtInt(a.rows)} rows into an array/list, then the clock starts: rows/s and load CPU are the ` +
        "client alone. Peak RSS here includes the whole data set, so it says nothing about the client's own memory. " +
        `${a.prebuiltRepeat} round(s).`,
    )
    p()
    p('| client | rows/s | load CPU µs/row | peak RSS MiB (incl. data) | server CPU s | other CPU s |')
    p('|---|---:|---:|---:|---:|---:|')
    for (const [label, r] of [
      ['Sluice', res.sluicePre],
      ['Sluice columnar', res.sluiceColumnarPre],
      ['tedious', res.tediousPre],
      ['mssql-python', res.mssqlPre],
    ]) {
      if (!r) continue
      if (!r.ok) p(`| ${label} | failed: ${r.error} | | | | |`)
      else
        p(
          `| ${label} | **${fmtInt(r.rowsPerSec)}** | ${fmt1((r.loadCpuS / r.rows) * 1e6)} | ${mib(r.maxRssKB)} | ${fmt2(r.serverCpuS)} | ${fmt2(r.otherCpuS)} |`,
        )
    }
    p()
    const rt2 = ratio(res.sluicePre, res.tediousPre)
    const rm2 = ratio(res.sluicePre, res.mssqlPre)
    p(
      `Pre-built ratios: Sluice / tedious ${fmt2(rt2)}× (target ≥ 5×: ${verdict(rt2, 5)}); Sluice / mssql-python ${fmt2(rm2)}× (target ≥ 2×: ${verdict(rm2, 2)}).`,
    )
    p()
  }
  p('## Memory flatness (Sluice)')
  p()
  if (res.flat?.ok && sluice?.ok) {
    const f = res.flat.maxRssKB / sluice.maxRssKB
    const ok = f <= 1.2 && f >= 1 / 1.2
    p(`| rows | rows/s | peak RSS MiB |`)
    p('|---:|---:|---:|')
    p(`| ${fmtInt(sluice.rows)} | ${fmtInt(sluice.rowsPerSec)} | ${mib(sluice.maxRssKB)} |`)
    p(`| ${fmtInt(res.flat.rows)} | ${fmtInt(res.flat.rowsPerSec)} | ${mib(res.flat.maxRssKB)} |`)
    p()
    p(
      `Peak RSS at ${fmtInt(res.flat.rows)} rows is ${fmt2(f)}× that at ${fmtInt(sluice.rows)}: ${ok ? '**within 20 % — flat**' : '**not within 20 %**'}.`,
    )
    p(`Command: \`${res.flat.command}\``)
  } else p(res.flat ? `Flatness run failed: ${res.flat.error}` : 'Not run (`--flat-rows 0` or `--only`).')
  p()
  p('## Exact commands')
  p()
  p('Each load ran against a fresh server started with `node bin/sluice.js serve --port 0 --sink --encrypt off`')
  p('(it prints `listening on 127.0.0.1:PORT`; PORT below is that port). To reproduce one figure by hand:')
  p()
  p('```sh')
  for (const r of [sluice, sluiceColumnar, tedious, res.flat]) if (r?.ok) p(r.command)
  if (mssql?.ok) {
    p(mssql.command)
  }
  p('```')
  p()
  p('## Raw runs')
  p()
  p('"other CPU" = CPU the rest of the machine used during the run (busy time from /proc/stat minus client and server);')
  p('well above zero means something else was running and the run is suspect.')
  p()
  p('| client | rows | rows/s | load s | client CPU s | peak RSS MiB | server CPU s | other CPU s |')
  p('|---|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of [sluice, sluiceColumnar, tedious, mssql, res.sluicePre, res.sluiceColumnarPre, res.tediousPre, res.mssqlPre, res.flat]) {
    if (!r?.ok) continue
    for (const x of r.runs) {
      p(
        `| ${x.name}${x.prebuilt ? ' (pre-built)' : ''} | ${fmtInt(x.rows)} | ${fmtInt(x.result.rowsPerSec)} | ${fmt2(x.result.seconds)} | ` +
          `${fmt2(x.userS + x.sysS)} | ${mib(x.maxRssKB)} | ${fmt2(x.serverCpuS)} | ${fmt2(x.otherCpuS)} |`,
      )
    }
  }
  p()
  return L.join('\n')
}

/** The text of `file` from the first "## " heading after "## Raw runs" on, or ''. */
function sectionsAfterOurs(file) {
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  const raw = old.indexOf('\n## Raw runs')
  const next = raw < 0 ? -1 : old.slice(raw + 1).search(/\n(## |<!-- )/)
  return next < 0 ? '' : old.slice(raw + 1 + next + 1)
}

async function main() {
  const argv = process.argv.slice(2)
  const a = parseArgs(argv)
  a.argv = argv
  const want = (k) => !a.only || a.only.has(k)
  requireTime()
  const t0 = Date.now()
  const digest = checkGenerators()
  log(`generators agree (digest ${digest.slice(0, 16)}…)`)
  const m = machine()
  const res = {}
  if (want('gen')) {
    res.genJs = await runGen(a, 'js')
    res.genJsColumns = await runGen(a, 'js-columns')
    res.genPy = await runGen(a, 'py')
  }
  const jobs = []
  if (want('sluice')) jobs.push({ key: 'sluice', name: 'sluice' })
  if (want('sluice-columnar')) jobs.push({ key: 'sluiceColumnar', name: 'sluice-columnar' })
  if (want('tedious')) jobs.push({ key: 'tedious', name: 'tedious' })
  if (want('mssql-python')) jobs.push({ key: 'mssql', name: 'mssql-python' })
  Object.assign(res, await roundRobin(a, jobs, a.repeat))
  if (want('prebuilt') && a.prebuiltRepeat > 0) {
    const pre = jobs.map((j) => ({ key: `${j.key}Pre`, name: j.name, opts: { ...j.opts, prebuilt: true } }))
    Object.assign(res, await roundRobin(a, pre, a.prebuiltRepeat))
  }
  if (want('flat') && a.flatRows > 0) res.flat = summarise('sluice', [await runLogged(a, 'sluice', a.flatRows, {}, 'flatness')])
  const after = machine()
  if (after.addon !== m.addon) m.addonChanged = after.addon
  const text = report(a, m, digest, res)
  if (a.out !== '-') {
    // Other runners' sections follow this runner's last one ("## Raw runs"): the journal cost,
    // the file load (bench/files/run-load.js). Keep them as they are.
    const others = sectionsAfterOurs(a.out)
    fs.writeFileSync(a.out, others ? `${text.trimEnd()}\n\n${others}` : text)
    log(`wrote ${path.relative(process.cwd(), a.out)}`)
  }
  process.stderr.write(`\n${text}\n`)
  log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
