#!/usr/bin/env node
// The file benchmark (issue 9): in one run, side by side on the same files, each way in its own
// process under /usr/bin/time -v (wall time, peak RSS), median of --runs (default 3):
//   cat; the Rust csv crate splitting the file; Sluice preview (198 MB file and a ≥ 2 GB copy);
//   Sluice whole-file inference; DuckDB read_csv sniffing the whole file (sample_size=-1) and
//   its default sample; polars read_csv with try_parse_dates; papaparse with dynamicTyping;
//   for the xlsx, calamine's streaming cell reader alone vs Sluice's inference over it.
// Writes the table into bench/RESULTS.md between the files-bench markers (the bulk section stays).
//
//   node bench/files/make-csv.js && .venv/bin/python bench/files/make-xlsx.py   # data, once
//   cargo build --release -p sluice-files --example inspect_bench --example read_csv --example sheet_bench
//   node bench/files/run-inspect.js [--runs 3] [--csv F] [--xlsx F] [--big /dev/shm/F] [--no-write]

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync, execSync } = require('node:child_process')

const ROOT = path.resolve(__dirname, '..', '..')
function arg(name, dflt) {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : dflt
}
const RUNS = Number(arg('--runs', '3'))
const CSV = path.resolve(arg('--csv', path.join(__dirname, 'data', 'bench-1000000.csv')))
const XLSX = path.resolve(arg('--xlsx', path.join(__dirname, 'data', 'bench-200000.xlsx')))
// The ≥ 2 GB copy goes to tmpfs by default: it is deleted after the run, and the shared disk
// has little room.
const BIG = arg('--big', path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'sluice-bench-2g.csv'))
const EXAMPLES = path.join(ROOT, 'target', 'release', 'examples')
const PY = fs.existsSync(path.join(ROOT, '.venv/bin/python')) ? path.join(ROOT, '.venv/bin/python') : 'python3'
const rel = (p) => (p.startsWith(ROOT) ? path.relative(ROOT, p) : p)

for (const f of [CSV, XLSX]) if (!fs.existsSync(f)) throw new Error(`missing ${f}: see the header of this script`)
for (const x of ['inspect_bench', 'read_csv', 'sheet_bench']) {
  if (!fs.existsSync(path.join(EXAMPLES, x))) throw new Error(`missing target/release/examples/${x}: build it (see the header)`)
}
if (!fs.existsSync('/usr/bin/time')) throw new Error('needs GNU time at /usr/bin/time (apt-get install -y time)')

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.floor((s.length - 1) / 2)] : Number.NaN
}

/** Runs cmd under /usr/bin/time -v; returns wall s, peak RSS MiB, and the program's own figures. */
function once(cmd, args, parse, env) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', parse ? 'pipe' : 'ignore', 'pipe'],
  })
  const err = r.stderr ?? ''
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${err.slice(-2000)}`)
  const wallText = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(err)
  const wall = wallText ? Number(wallText[1] ?? 0) * 3600 + Number(wallText[2]) * 60 + Number(wallText[3]) : Number.NaN
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1]) / 1024
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(err)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(err)?.[1])
  const own = parse ? parse(r.stdout ?? '') : {}
  return { wall, rss, cpu, ...own }
}

const jsonLine = (out) => JSON.parse(out.trim().split('\n').at(-1))
const results = []
function measure(label, file, cmd, args, parse, { runs = RUNS, rows, env } = {}) {
  const all = []
  for (let i = 0; i < runs; i++) all.push(once(cmd, args, parse, env))
  const wall = median(all.map((r) => r.wall))
  const inner = median(all.map((r) => r.seconds ?? r.wall))
  const rss = median(all.map((r) => r.rss))
  const cpu = median(all.map((r) => r.cpu))
  const n = all.at(-1).rows ?? rows
  const bytes = fs.statSync(file).size
  const row = {
    label,
    command: `${
      env
        ? `${Object.entries(env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')} `
        : ''
    }/usr/bin/time -v ${[rel(cmd), ...args.map(rel)].join(' ')}`,
    wall,
    inner,
    cpu,
    mbps: bytes / 1e6 / inner,
    rowsPerSec: n ? n / inner : null,
    rss,
    runs: all.map((r) => (r.seconds ?? r.wall).toFixed(3)),
    columns: all.at(-1).columns,
    rows: n,
  }
  results.push(row)
  console.error(`${label}: ${inner.toFixed(3)} s, ${row.mbps.toFixed(0)} MB/s, ${rss.toFixed(0)} MiB [${row.runs.join(', ')}]`)
  return row
}

const loadBefore = os.loadavg()
const csvRows = 1_000_000
const ex = (name) => path.join(EXAMPLES, name)
const csvCrate = (out) => {
  const m = /(\d+) records, \d+ field bytes in ([\d.]+) s/.exec(out)
  return { rows: Number(m[1]) - 1, seconds: Number(m[2]) }
}
const sheetBench = (out) => {
  // Both forms sheet_bench has printed: "… cells in S s" and "… cells; wall S s …".
  const m = /(\d+) rows, \d+ non-empty cells(?:; wall| in) ([\d.]+) s/.exec(out)
  if (!m) throw new Error(`sheet_bench printed no timing line:\n${out}`)
  return { rows: Number(m[1]), seconds: Number(m[2]) }
}

fs.readFileSync(CSV) // warm the page cache
// cat into a pipe (wc -c reads it): cat straight into /dev/null may never copy the bytes.
measure('cat (read the file, into a pipe)', CSV, '/bin/sh', ['-c', `cat '${CSV}' | wc -c > /dev/null`], null, { rows: csvRows })
const csvc = measure('Rust csv crate, split only (ByteRecord)', CSV, ex('read_csv'), ['csv-crate', CSV], csvCrate)
const prev = measure('Sluice preview (open, detect, first 100 rows)', CSV, ex('inspect_bench'), ['preview', CSV], jsonLine)
// One core (SLUICE_READ_AHEAD=0): the "MB/s on one core" figure. Default: a second thread reads
// and splits while the first infers (sluice_files::read_ahead) — two threads, as DuckDB uses.
const infer1 = measure('Sluice whole-file inference, 1 core (SLUICE_READ_AHEAD=0)', CSV, ex('inspect_bench'), ['inspect', CSV], jsonLine, {
  env: { SLUICE_READ_AHEAD: '0' },
})
const infer = measure('Sluice whole-file inference (read-ahead: 2 threads)', CSV, ex('inspect_bench'), ['inspect', CSV], jsonLine)
const duckFull = measure(
  'DuckDB read_csv sniff, sample_size=-1',
  CSV,
  PY,
  ['bench/files/duckdb_polars_read.py', 'duckdb-full', CSV],
  jsonLine,
  { rows: csvRows },
)
measure('DuckDB read_csv sniff, default sample', CSV, PY, ['bench/files/duckdb_polars_read.py', 'duckdb-default', CSV], jsonLine, {
  rows: csvRows,
})
const polars = measure('polars read_csv(try_parse_dates=True)', CSV, PY, ['bench/files/duckdb_polars_read.py', 'polars', CSV], jsonLine, {
  runs: 1,
})
measure('papaparse (stream, header, dynamicTyping)', CSV, process.execPath, ['bench/files/papaparse-read.js', CSV], jsonLine, {
  runs: 1,
})

// The ≥ 2 GB file: the CSV's header once, then its body 11 times.
execSync(`set -e; cat '${CSV}' > '${BIG}'; for i in $(seq 10); do tail -n +2 '${CSV}' >> '${BIG}'; done`, { shell: '/bin/bash' })
let bigPrev
let bigInfer
try {
  fs.readFileSync(BIG, { flag: 'r' }).length // noop read to warm (tmpfs is memory anyway)
} catch {}
try {
  bigPrev = measure('Sluice preview, ≥ 2 GB file', BIG, ex('inspect_bench'), ['preview', BIG], jsonLine)
  bigInfer = measure('Sluice whole-file inference, ≥ 2 GB file', BIG, ex('inspect_bench'), ['inspect', BIG], jsonLine, { runs: 1 })
} finally {
  fs.rmSync(BIG, { force: true })
}

const cal = measure('xlsx: calamine streaming cell reader alone', XLSX, ex('sheet_bench'), ['calamine-stream', XLSX], sheetBench)
const sxl1 = measure(
  'xlsx: Sluice whole-sheet inference, 1 core (SLUICE_READ_AHEAD=0)',
  XLSX,
  ex('inspect_bench'),
  ['inspect', XLSX],
  jsonLine,
  {
    env: { SLUICE_READ_AHEAD: '0' },
  },
)
const sxl = measure('xlsx: Sluice whole-sheet inference (read-ahead: 2 threads)', XLSX, ex('inspect_bench'), ['inspect', XLSX], jsonLine)
const loadAfter = os.loadavg()

// ---- the report
const f = (x, d = 2) =>
  x == null || Number.isNaN(x) ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const i0 = (x) => (x == null || Number.isNaN(x) ? '—' : Math.round(x).toLocaleString('en-US'))
const verdict = (ok) => (ok ? '**met**' : '**missed**')
const lines = []
lines.push('<!-- files-bench:start -->')
lines.push('## Files: reading and type inference (issue 9)')
lines.push('')
lines.push(
  `Generated by \`node bench/files/run-inspect.js\` on ${new Date().toISOString().slice(0, 19)}Z; re-running replaces this section.`,
)
lines.push(
  `CPU: ${os.cpus()[0]?.model} × ${os.cpus().length}; load average ${loadBefore.map((x) => x.toFixed(1)).join(' ')} at start, ${loadAfter.map((x) => x.toFixed(1)).join(' ')} at the end${loadBefore[0] > 2 ? ' — **the machine was busy** (shared with other jobs on 2 cores): figures are slower and noisier than on an idle machine' : ''}.`,
)
lines.push(
  `Files: \`${rel(CSV)}\` (${(fs.statSync(CSV).size / 1e6).toFixed(1)} MB, ${csvRows.toLocaleString('en-US')} rows × 12 columns, from \`bench/files/make-csv.js\`); \`${rel(XLSX)}\` (${(fs.statSync(XLSX).size / 1e6).toFixed(1)} MB, 200,000 rows, from \`bench/files/make-xlsx.py\`); the ≥ 2 GB file is the CSV's body 11 times (${(bigInfer ? (bigInfer.mbps * bigInfer.inner * 1e6) / 1e9 : 0).toFixed(2)} GB) on tmpfs. Warm cache; median of ${RUNS} (polars, papaparse and the 2 GB inference: 1 run).`,
)
lines.push(
  '"s" is the work itself as the program times it (process start-up and imports excluded; cat: the whole process); "wall" is the whole process. Peak RSS from `/usr/bin/time -v`.',
)
lines.push('')
lines.push('| what | s | wall s | CPU s (user+sys) | MB/s | rows/s | peak RSS MiB | runs (s) |')
lines.push('|---|---:|---:|---:|---:|---:|---:|---|')
for (const r of results) {
  lines.push(
    `| ${r.label} | ${f(r.inner, 3)} | ${f(r.wall)} | ${f(r.cpu)} | ${i0(r.mbps)} | ${i0(r.rowsPerSec)} | ${i0(r.rss)} | ${r.runs.join(', ')} |`,
  )
}
lines.push('')
lines.push('### Targets')
lines.push('')
lines.push('| target | measured | verdict |')
lines.push('|---|---|---|')
lines.push(
  `| whole-file inference ≥ 400 MB/s on one core | ${i0(infer1.mbps)} MB/s with SLUICE_READ_AHEAD=0 (${i0(fs.statSync(CSV).size / 1e6 / infer1.cpu)} MB per CPU second); ${i0(infer.mbps)} MB/s with the read-ahead thread | ${verdict(infer1.mbps >= 400)} |`,
)
const vsDuck = duckFull.inner / infer.inner
lines.push(
  `| ≥ 3× DuckDB's full-file sniff (sample_size=-1) | ${f(vsDuck)}× (${f(duckFull.inner, 3)} s vs ${f(infer.inner, 3)} s, both on two threads: ${f(duckFull.cpu)} CPU s vs ${f(infer.cpu)}); on one core ${f(duckFull.inner / infer1.inner)}× | ${verdict(vsDuck >= 3)} |`,
)
const xr = sxl.rowsPerSec / cal.rowsPerSec
lines.push(
  `| xlsx inference ≥ 80% of calamine's streaming reader | ${(xr * 100).toFixed(0)}% (${i0(sxl.rowsPerSec)} vs ${i0(cal.rowsPerSec)} rows/s, calamine on the read-ahead thread); on one core ${((sxl1.rowsPerSec / cal.rowsPerSec) * 100).toFixed(0)}%; by CPU time ${((cal.cpu / sxl.cpu) * 100).toFixed(0)}% (${f(cal.cpu)} vs ${f(sxl.cpu)} CPU s, start-up included) | ${verdict(xr >= 0.8)} |`,
)
lines.push(`| xlsx inference < 50 MiB for 200,000 rows | ${i0(sxl.rss)} MiB | ${verdict(sxl.rss < 50)} |`)
lines.push(
  `| preview of 100 rows of a ≥ 2 GB file < 100 ms | ${f(bigPrev.inner * 1000, 1)} ms (process wall ${f(bigPrev.wall * 1000, 0)} ms) | ${verdict(bigPrev.inner < 0.1)} |`,
)
const flat = bigInfer.rss / infer.rss
lines.push(
  `| peak memory flat (within 20%) from 198 MB to ≥ 2 GB | inference ${i0(infer.rss)} → ${i0(bigInfer.rss)} MiB (${((flat - 1) * 100).toFixed(0)}%); preview ${i0(prev.rss)} → ${i0(bigPrev.rss)} MiB | ${verdict(flat <= 1.2 && bigPrev.rss <= prev.rss * 1.2)} |`,
)
lines.push('')
lines.push(
  `Sluice's whole-file inference takes ${f(infer1.inner / csvc.inner)}× the time of the csv crate merely splitting the same file on one core, ${f(infer.inner / csvc.inner)}× with the read-ahead thread.`,
)
lines.push('')
lines.push(
  'Schemas proposed (same file): Sluice `' +
    (infer.columns ?? []).map((c) => `${c[0]} ${c[1]}`).join(', ') +
    '`; DuckDB (full) `' +
    (duckFull.columns ?? []).map((c) => `${c[0]} ${c[1]}`).join(', ') +
    '`; polars `' +
    (polars.columns ?? []).map((c) => `${c[0]} ${c[1]}`).join(', ') +
    '`.',
)
lines.push('')
lines.push('Commands:')
lines.push('')
for (const r of results) lines.push(`- ${r.label}: \`${r.command}\``)
lines.push('<!-- files-bench:end -->')
const section = `${lines.join('\n')}\n`
console.log(section)

if (!process.argv.includes('--no-write')) {
  const out = path.join(ROOT, 'bench', 'RESULTS.md')
  const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : ''
  const re = /<!-- files-bench:start -->[\s\S]*<!-- files-bench:end -->\n?/
  fs.writeFileSync(out, re.test(old) ? old.replace(re, section) : `${old.trimEnd()}\n\n${section}`)
  console.error(`wrote ${rel(out)}`)
}
