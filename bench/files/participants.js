// Who takes part in the file-load benchmark and how each is run: the argv of one run, how its
// output becomes { rows, seconds }, and what it needs first (a sink server, the table, the
// tab-separated copy for freebcp). bench/files/run-load.js runs them round-robin.
const path = require('node:path')
const { ROOT, SLUICE_BIN, python, lastLine } = require('../measure.js')
const { PASSWORD } = require('../clients/common.js')

const RELEASE_EXAMPLES = path.join(ROOT, 'target', 'release', 'examples')
const READ_CSV = path.join(RELEASE_EXAMPLES, 'read_csv')
const SHEET_BENCH = path.join(RELEASE_EXAMPLES, 'sheet_bench')

const connectionString = (port) => `Server=127.0.0.1,${port};User ID=sa;Password=${PASSWORD};Encrypt=False`

/** The last line of `sluice load --json`: `{ rowsRead, rowsLoaded, rowsRejected, batches, elapsedMs }`. */
function parseSluiceLoad(stdout) {
  const lines = stdout.split('\n').filter((l) => l.trim().startsWith('{'))
  for (const line of lines.reverse()) {
    const j = JSON.parse(line)
    if (j.rowsLoaded !== undefined) return { rows: j.rowsLoaded, rejected: j.rowsRejected, batches: j.batches, seconds: j.elapsedMs / 1000 }
  }
  return null
}

/** freebcp prints "N rows copied." and "Clock Time (ms.): total T …". */
function parseFreebcp(stdout) {
  const n = /^(\d+) rows copied/m.exec(stdout)
  if (!n) return null
  const t = /Clock Time \(ms\.\): total\s+(\d+)/.exec(stdout)
  return { rows: Number(n[1]), seconds: t ? Number(t[1]) / 1000 : undefined }
}

/** read_csv csv-crate: "N records, B field bytes in S s" (N counts the header line too). */
function parseCsvCrate(stdout) {
  const m = /(\d+) records, (\d+) field bytes in ([\d.]+) s/.exec(stdout)
  return m ? { rows: Number(m[1]) - 1, seconds: Number(m[3]) } : null
}

/**
 * sheet_bench: "MODE: N rows, C non-empty cells; wall S s = …" (older builds: "… cells in S s = …");
 * N counts the header row too.
 */
function parseSheetBench(stdout) {
  const m = /: (\d+) rows, (\d+) non-empty cells(?:; wall| in) ([\d.]+) s/.exec(stdout)
  return m ? { rows: Number(m[1]) - 1, seconds: Number(m[3]) } : null
}

/** `cat` prints nothing: its rows are the file's, its time the process's wall clock. */
const parseNothing = () => ({})

const fileClient = (script, ctx, port, file, rows) => [
  ...script,
  '--port',
  String(port),
  '--file',
  file,
  '--rows',
  String(rows),
  '--batch',
  String(ctx.batch),
]

/** `sluice load FILE … --append --json` into dbo.bench. */
const sluiceLoad = (ctx, port, file, extra = []) => [
  process.execPath,
  SLUICE_BIN,
  'load',
  file,
  '--connection',
  connectionString(port),
  '--table',
  'dbo.bench',
  '--append',
  '--batch-size',
  String(ctx.batch),
  '--json',
  ...extra,
]

/** A state directory of the participant's own (its inference cache), under the run's work directory. */
const stateEnv = (ctx, key) => ({ ...process.env, SLUICE_STATE_DIR: path.join(ctx.work, `state-${key}`) })

/**
 * Each participant: `input` (which file it reads: csv, xlsx or tsv), `server` (needs a fresh
 * sink server), `table` (the runner creates dbo.bench before the timed run), `argv(ctx, port)`,
 * `parse(stdout)`, optional `env(ctx, port)`, `prepare(ctx)` (an argv run untimed, with the same env, before
 * the timed run: `sluice inspect` for the inspected loads), `available(ctx)` (a reason string when it cannot run).
 */
const PARTICIPANTS = {
  'sluice-csv': {
    label: 'Sluice file path, CSV (`sluice load`, never inspected: inference pass + load pass)',
    input: 'csv',
    server: true,
    table: true,
    argv: (ctx, port) => sluiceLoad(ctx, port, ctx.csv, ['--no-cache']),
    parse: parseSluiceLoad,
    available: (ctx) => ctx.sluiceLoad,
  },
  'sluice-csv-inspected': {
    label: 'Sluice file path, CSV, after `sluice inspect` (types from the inference cache: one pass)',
    input: 'csv',
    server: true,
    table: true,
    prepare: (ctx) => [process.execPath, SLUICE_BIN, 'inspect', ctx.csv, '--json'],
    env: (ctx) => stateEnv(ctx, 'sluice-csv-inspected'),
    argv: (ctx, port) => sluiceLoad(ctx, port, ctx.csv),
    parse: parseSluiceLoad,
    available: (ctx) => ctx.sluiceLoad,
  },
  'sluice-xlsx': {
    label: 'Sluice file path, xlsx (`sluice load`, never inspected: inference pass + load pass)',
    input: 'xlsx',
    server: true,
    table: true,
    argv: (ctx, port) => sluiceLoad(ctx, port, ctx.xlsx, ['--no-cache']),
    parse: parseSluiceLoad,
    available: (ctx) => ctx.sluiceLoad,
  },
  'sluice-xlsx-inspected': {
    label: 'Sluice file path, xlsx, after `sluice inspect` (types from the inference cache: one pass)',
    input: 'xlsx',
    server: true,
    table: true,
    prepare: (ctx) => [process.execPath, SLUICE_BIN, 'inspect', ctx.xlsx, '--json'],
    env: (ctx) => stateEnv(ctx, 'sluice-xlsx-inspected'),
    argv: (ctx, port) => sluiceLoad(ctx, port, ctx.xlsx),
    parse: parseSluiceLoad,
    available: (ctx) => ctx.sluiceLoad,
  },
  papaparse: {
    label: 'Sluice `bulkCopy` fed by papaparse (streaming, typed values)',
    input: 'csv',
    server: true,
    argv: (ctx, port) =>
      fileClient([process.execPath, path.join(__dirname, 'clients', 'papaparse-bulkcopy.js')], ctx, port, ctx.csv, ctx.rows),
  },
  tedious: {
    label: 'tedious 19 BulkLoad fed by csv-parse (streaming, typed values)',
    input: 'csv',
    server: true,
    argv: (ctx, port) =>
      fileClient([process.execPath, path.join(__dirname, 'clients', 'csv-parse-tedious.js')], ctx, port, ctx.csv, ctx.rows),
  },
  'mssql-python': {
    label: "mssql-python `bulkcopy` fed by Python's `csv` module",
    input: 'csv',
    server: true,
    argv: (ctx, port) => fileClient([python(), path.join(__dirname, 'clients', 'mssql_python_csv.py')], ctx, port, ctx.csv, ctx.rows),
  },
  freebcp: {
    label: 'freebcp (FreeTDS) from the tab-separated copy (`-c -t \\t`)',
    input: 'tsv',
    server: true,
    table: true,
    argv: (ctx) => [
      'freebcp',
      'dbo.bench',
      'in',
      ctx.tsv,
      '-S',
      'sluice',
      '-U',
      'sa',
      '-P',
      PASSWORD,
      '-c',
      '-t',
      '\\t',
      '-r',
      '\\n',
      '-b',
      String(ctx.batch),
      '-h',
      'TABLOCK',
    ],
    parse: parseFreebcp,
    env: (ctx, port) => ctx.freetdsEnv(port),
    available: (ctx) => ctx.freebcp,
  },
  duckdb: {
    label: 'DuckDB `CREATE TABLE t AS SELECT * FROM read_csv(…)` (in memory, no network)',
    input: 'csv',
    server: false,
    argv: (ctx) => [python(), path.join(__dirname, 'clients', 'duckdb_load.py'), '--file', ctx.csv, '--rows', String(ctx.rows)],
  },
  cat: {
    label: 'raw limit: `cat FILE > /dev/null` (page cache warm)',
    input: 'csv',
    server: false,
    argv: (ctx) => ['sh', '-c', 'cat "$0" > /dev/null', ctx.csv],
    parse: parseNothing,
  },
  'csv-crate': {
    label: 'raw limit: the Rust `csv` crate merely splitting the CSV (ByteRecord)',
    input: 'csv',
    server: false,
    argv: (ctx) => [READ_CSV, 'csv-crate', ctx.csv],
    parse: parseCsvCrate,
    available: (ctx) => ctx.examples,
  },
  calamine: {
    label: "raw limit, xlsx: calamine's streaming cell reader alone",
    input: 'xlsx',
    server: false,
    argv: (ctx) => [SHEET_BENCH, 'calamine-stream', ctx.xlsx],
    parse: parseSheetBench,
    available: (ctx) => ctx.examples,
  },
  'sheet-reader': {
    label: "xlsx: Sluice's SheetReader alone (every cell converted to a field, no load)",
    input: 'xlsx',
    server: false,
    argv: (ctx) => [SHEET_BENCH, 'sluice', ctx.xlsx],
    parse: parseSheetBench,
    available: (ctx) => ctx.examples,
  },
}

module.exports = { PARTICIPANTS, connectionString, parseSluiceLoad, parseFreebcp, parseSheetBench, lastLine }
