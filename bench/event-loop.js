// How long the JS thread goes without an event-loop turn during a bulk load, and what the
// wrapper's yielding costs: loads the benchmark's rows (lazy generator, as bench/clients/sluice.js)
// into a `sluice serve --sink` several times, alternating wrappers, and prints per run the rows
// per second and the longest gap between turns of a 1 ms interval.
//
//   node bench/event-loop.js [--rows 300000] [--repeat 3] [--wrapper native/sluice.js ...]
//
// Several --wrapper paths compare wrappers over the same addon (e.g. a copy of an older
// native/sluice.js placed beside it, since it requires './index.js').
const { spawn } = require('node:child_process')
const path = require('node:path')
const fs = require('node:fs')
const { rows } = require('./gen.js')

const REPO = path.resolve(__dirname, '..')
const SCHEMA = fs.readFileSync(path.join(__dirname, 'schema.sql'), 'utf8')

function args(argv) {
  const a = { rows: 300_000, repeat: 3, batch: 100_000, wrappers: [] }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    if (k === '--rows') a.rows = Number(argv[++i])
    else if (k === '--repeat') a.repeat = Number(argv[++i])
    else if (k === '--batch') a.batch = Number(argv[++i])
    else if (k === '--wrapper') a.wrappers.push(path.resolve(argv[++i]))
    else throw new Error(`unknown argument ${k}`)
  }
  if (a.wrappers.length === 0) a.wrappers.push(path.join(REPO, 'native', 'sluice.js'))
  return a
}

function serve() {
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'sluice.js'), 'serve', '--port', '0', '--sink', '--encrypt', 'off'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on .+:(\d+)/.exec(out)
      if (m) resolve({ port: Number(m[1]), stop: () => child.kill('SIGTERM') })
    })
    child.on('exit', (code) => reject(new Error(`sluice serve exited with ${code}`)))
  })
}

async function once(wrapper, port, a) {
  const { connect } = require(wrapper)
  const c = await connect(`Server=127.0.0.1,${port};User ID=sa;Password=Sluice_Test_1;Encrypt=False`)
  await c.query('DROP TABLE IF EXISTS dbo.bench')
  await c.query(SCHEMA)
  let last = performance.now()
  let maxGap = 0
  const tick = setInterval(() => {
    const now = performance.now()
    maxGap = Math.max(maxGap, now - last)
    last = now
  }, 1)
  const t0 = performance.now()
  const s = await c.bulkCopy('dbo.bench', rows(a.rows), { batchSize: a.batch, tableLock: true })
  const seconds = (performance.now() - t0) / 1000
  clearInterval(tick)
  maxGap = Math.max(maxGap, performance.now() - last)
  await c.close()
  return { rows: s.rowsCopied, rowsPerSec: Math.round(s.rowsCopied / seconds), maxGapMs: Math.round(maxGap) }
}

async function main() {
  const a = args(process.argv.slice(2))
  const server = await serve()
  try {
    const results = new Map(a.wrappers.map((w) => [w, []]))
    for (let r = 0; r < a.repeat; r++) {
      for (const w of a.wrappers) {
        const out = await once(w, server.port, a)
        results.get(w).push(out)
        console.log(JSON.stringify({ wrapper: path.relative(REPO, w), run: r + 1, ...out }))
      }
    }
    for (const [w, rs] of results) {
      const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]
      console.log(
        `${path.relative(REPO, w)}: median ${median(rs.map((x) => x.rowsPerSec))} rows/s, ` +
          `longest gap median ${median(rs.map((x) => x.maxGapMs))} ms, worst ${Math.max(...rs.map((x) => x.maxGapMs))} ms`,
      )
    }
  } finally {
    server.stop()
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
