// What the benchmark runners share: starting a fresh `sluice serve --sink`, running one client
// under /usr/bin/time -v, waiting for the shared machine to go quiet, CPU accounting from /proc,
// medians and the machine's description. Used by bench/run.js and bench/files/run-load.js.
const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')
const SLUICE_BIN = path.join(ROOT, 'bin', 'sluice.js')
const TIME = '/usr/bin/time'
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100

const log = (...m) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...m)

function python() {
  const venv = path.join(ROOT, '.venv', 'bin', 'python')
  return fs.existsSync(venv) ? venv : 'python3'
}

/** Stops with a hint when GNU time is missing (it is not part of a minimal Debian). */
function requireTime() {
  if (!fs.existsSync(TIME)) {
    console.error(`${TIME} is missing: install it with \`apt-get install -y time\` (Debian/Ubuntu).`)
    process.exit(1)
  }
}

/** CPU seconds (user + sys, all threads) a live process has used so far. */
function procCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) / CLK_TCK // utime, stime (fields 14 and 15)
  } catch {
    return Number.NaN
  }
}

/** CPU seconds the whole machine has been busy (all cores, all processes) so far. */
function machineBusy() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const total = f.slice(0, 8).reduce((x, y) => x + y, 0)
  return (total - f[3] - f[4]) / CLK_TCK // minus idle and iowait
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Waits (up to `seconds`) until the machine has been idle for a whole second: this is a shared
 * 2-core box, and a compile running next to a client halves its speed. Returns the seconds waited.
 */
async function waitQuiet(seconds) {
  const t0 = Date.now()
  let said = false
  while ((Date.now() - t0) / 1000 < seconds) {
    const b0 = machineBusy()
    await sleep(1000)
    if (machineBusy() - b0 < 0.1) return (Date.now() - t0) / 1000
    if (!said) log(`waiting up to ${seconds} s for other processes to go quiet…`)
    said = true
  }
  log(`the machine did not go quiet within ${seconds} s; running anyway (see "other CPU")`)
  return (Date.now() - t0) / 1000
}

/** Starts a child that prints `listening on HOST:PORT`; resolves with { port, pid, stop }. */
function startListening(cmd, args, name) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s: ${out}`)), 20_000)
    child.stdout.on('data', (d) => {
      out += d
      const m = /^listening on (.+):(\d+)$/m.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({
          port: Number(m[2]),
          pid: child.pid,
          log: () => out,
          stop: () =>
            new Promise((r) => {
              if (child.exitCode !== null) return r()
              child.once('exit', () => r())
              child.kill('SIGTERM')
            }),
        })
      }
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code}: ${out}`))
    })
  })
}

/** A fresh `sluice serve --sink --encrypt off` on a free port (validates every row, stores none). */
const startServer = () =>
  startListening(process.execPath, [SLUICE_BIN, 'serve', '--port', '0', '--sink', '--encrypt', 'off'], 'sluice serve')

const lastLine = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? ''

/** The `RESULT {json}` line every benchmark client prints, or null. */
function resultLine(stdout) {
  const m = /^RESULT (.*)$/m.exec(stdout)
  return m ? JSON.parse(m[1]) : null
}

/** "h:mm:ss" or "m:ss.ss" from time -v's "Elapsed (wall clock) time" line, in seconds. */
function wallSeconds(stderr) {
  const m = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(stderr)
  if (!m) return Number.NaN
  return m[1].split(':').reduce((acc, part) => acc * 60 + Number(part), 0)
}

/**
 * Runs `argv` under /usr/bin/time -v. `parse(stdout)` turns the client's output into its result
 * (default: the RESULT line); the run is ok when the command exits 0 and parse gives a result.
 * Resolves with the result and time's figures (peak RSS, user, sys, wall), and `spawnS`, the wall
 * time from spawning to exit measured here (includes time's own start, ~1 ms).
 */
function timedRun(argv, timeoutMs, { parse = resultLine, env } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const child = spawn(TIME, ['-v', ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code) => {
      // time -v's own wall clock has 10 ms steps: too coarse for a command as short as `cat`.
      const spawnS = (performance.now() - t0) / 1000
      clearTimeout(timer)
      const num = (re) => {
        const m = re.exec(stderr)
        return m ? Number(m[1]) : Number.NaN
      }
      let result = null
      try {
        result = parse(stdout)
      } catch {
        result = null
      }
      const own = stderr.split(/\n\s*Command (?:exited|terminated)|\n\s*Command being timed/)[0]
      resolve({
        ok: code === 0 && !!result,
        code,
        result,
        maxRssKB: num(/Maximum resident set size \(kbytes\): (\d+)/),
        userS: num(/User time \(seconds\): ([\d.]+)/),
        sysS: num(/System time \(seconds\): ([\d.]+)/),
        wallS: wallSeconds(stderr),
        spawnS,
        errorText: code === 0 && result ? '' : lastLine(own) || lastLine(stdout) || `exit ${code}`,
      })
    })
  })
}

/** One argument as the shell needs it: single-quoted unless it is plainly safe. */
const shellWord = (x) => (/^[\w@%+=:,./-]+$/.test(x) ? x : `'${x.replaceAll("'", "'\\''")}'`)

/** `argv` as a command to paste: node for this node, repo-relative paths, PORT for the port. */
function shownCommand(argv, port) {
  let s = `${TIME} -v ${argv
    .map((x) => (x === process.execPath ? 'node' : path.isAbsolute(x) && x.startsWith(ROOT) ? path.relative(ROOT, x) : x))
    .map(shellWord)
    .join(' ')}`
  if (port) s = s.replaceAll(`--port ${port}`, '--port PORT').replaceAll(`,${port};`, ',PORT;')
  return s
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y)
  const n = s.length
  return n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

/** The version field of a package.json, or '?'. */
function pkgVersion(p) {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8')).version
  } catch {
    return '?'
  }
}

/** The machine, the tools and the build the figures come from. */
function machine() {
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' })
    return r.status === 0 ? (r.stdout || r.stderr).trim() : '?'
  }
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8')
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? '?'
  const mhz = /^cpu MHz\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: sh('nproc', []),
    cpu: model + (mhz ? ` (${Math.round(Number(mhz))} MHz reported)` : ''),
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
    kernel: os.release(),
    node: process.version,
    python: sh(python(), ['--version']),
    pythonPath: path.relative(ROOT, python()) || python(),
    mssqlPython: sh(python(), ['-c', "import importlib.metadata as m; print(m.version('mssql-python'))"]),
    tedious: pkgVersion(path.join(ROOT, 'node_modules', 'tedious', 'package.json')),
    sluice: pkgVersion(path.join(ROOT, 'native', 'package.json')),
    commit: sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    dirty: sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'native']).length > 0,
    addon: (() => {
      try {
        return fs
          .statSync(path.join(ROOT, 'native', 'sluice.linux-x64-gnu.node'))
          .mtime.toISOString()
          .replace(/\.\d+Z$/, 'Z')
      } catch {
        return '?'
      }
    })(),
  }
}

const marks = (name) => [`<!-- ${name}:begin -->`, `<!-- ${name}:end -->`]

/** The text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in `file` (markers included), or ''. */
function readSection(file, name) {
  const [begin, end] = marks(name)
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  const i = text.indexOf(begin)
  const j = text.indexOf(end, i)
  return i >= 0 && j > i ? text.slice(i, j + end.length) : ''
}

/**
 * Puts `body` into `file` between NAME's markers: replaces the section if it is there, appends it
 * otherwise, and leaves the rest of the file as it was (RESULTS.md holds several runners' figures).
 */
function writeSection(file, name, body) {
  const [begin, end] = marks(name)
  const section = `${begin}\n${body.trimEnd()}\n${end}`
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  const old = readSection(file, name)
  const next = old ? text.replace(old, () => section) : `${text.trimEnd()}\n\n${section}\n`
  fs.writeFileSync(file, next)
}

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—')
const fmt1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '—')
const fmt2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '—')
const mib = (kb) => (Number.isFinite(kb) ? `${Math.round(kb / 1024)}` : '—')

module.exports = {
  ROOT,
  SLUICE_BIN,
  TIME,
  log,
  python,
  requireTime,
  procCpu,
  machineBusy,
  waitQuiet,
  startListening,
  startServer,
  lastLine,
  resultLine,
  timedRun,
  shownCommand,
  median,
  pkgVersion,
  machine,
  readSection,
  writeSection,
  fmtInt,
  fmt1,
  fmt2,
  mib,
}
