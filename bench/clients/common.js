// What the JS clients share: argument parsing, the schema, and the one-line JSON report.
const fs = require('node:fs')
const path = require('node:path')

const SCHEMA = fs.readFileSync(path.join(__dirname, '..', 'schema.sql'), 'utf8')
const TABLE = 'dbo.bench'
const DROP = `DROP TABLE IF EXISTS ${TABLE}`
const PASSWORD = 'Sluice_Test_1'

function parseArgs(argv) {
  const a = { host: '127.0.0.1', port: 0, rows: 1_000_000, batch: 100_000, encrypt: 'off', genOnly: false, prebuilt: false }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = () => argv[++i]
    if (k === '--host') a.host = v()
    else if (k === '--port') a.port = Number(v())
    else if (k === '--rows') a.rows = Number(v())
    else if (k === '--batch') a.batch = Number(v())
    else if (k === '--encrypt') a.encrypt = v()
    else if (k === '--gen-only') a.genOnly = true
    else if (k === '--prebuilt') a.prebuilt = true
    else throw new Error(`unknown argument ${k}`)
  }
  if (!a.genOnly && !a.port) throw new Error('--port is required')
  return a
}

/** Runs `load` timed: wall clock (performance.now) and this process's CPU (all threads). */
async function timed(load) {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const out = await load()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  return { ...out, seconds, loadCpuUser: cpu.user / 1e6, loadCpuSys: cpu.system / 1e6 }
}

function report(obj) {
  const r = { ...obj, rowsPerSec: obj.rows / obj.seconds, maxRssKB: process.resourceUsage().maxRSS }
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`)
}

/** Runs main(); any failure ends the process with exit code 1 (open sockets would keep it alive). */
function run(main) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e)
      process.exit(1)
    },
  )
}

module.exports = { run, DROP, SCHEMA, TABLE, PASSWORD, parseArgs, timed, report }
