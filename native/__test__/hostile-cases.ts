// Hostile inputs for the binding, run in a child process (see hostile.test.ts and
// bulk-columns.test.ts): a crash (SIGSEGV, an abort on a panic) or a hang must not take the test
// runner with it, so the parent forks this file once per group, asserts it exits cleanly in
// time, and checks what each case reported.
//
// Usage: node --import tsx hostile-cases.ts <group> [name filter], with SLUICE_TEST_CS set to a connection
// string. Prints one line `CASE <json>` per case: its name and the problems found (none = pass).
// Every case loads into a table of its own, and after every case the child checks that the
// connection still answers and that what the load reported committed (rowsCommitted on a
// failure, rowsCopied on success) is exactly what the table holds (SELECT COUNT(*)).

import { type Client, connect, type SluiceError } from '@sluice/native'
import { bufferCases, columnCases } from './hostile/columns'
import { optionCases, rawCases } from './hostile/native'
import { cancelCases, rowCases } from './hostile/rows'
import { CASE_TIMEOUT_MS, type Case, type Outcome, TABLE } from './hostile/shared'

const GROUPS: Record<string, () => Case[]> = {
  buffers: bufferCases,
  raw: rawCases,
  rows: rowCases,
  cancel: cancelCases,
  columns: columnCases,
  options: optionCases,
}

function settle(p: Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ settled: 'hung' }), CASE_TIMEOUT_MS)
  })
  const done = p.then(
    (value): Outcome => ({ settled: 'resolved', value }),
    (error): Outcome => ({ settled: 'rejected', error }),
  )
  return Promise.race([done, hung]).finally(() => clearTimeout(timer))
}

function describe(e: unknown): string {
  try {
    return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)
  } catch {
    return typeof e
  }
}

async function count(c: Client, table: string): Promise<number> {
  const { rows } = await c.query(`SELECT COUNT(*) FROM ${table}`)
  return rows[0]?.[0] as number
}

/** What is wrong with how `k` ended; empty when it behaved. */
function judge(k: Case, o: Outcome, held: number): string[] {
  const p: string[] = []
  const want = k.expect
  if (o.settled === 'hung') return [`did not settle within ${CASE_TIMEOUT_MS} ms`]
  if (o.settled === 'resolved') {
    if (want.outcome !== 'resolve' && want.outcome !== 'any') p.push(`resolved; expected ${want.outcome}`)
    const copied = (o.value as { rowsCopied?: number } | undefined)?.rowsCopied
    if (copied !== undefined && copied !== held) p.push(`rowsCopied ${copied} but the table holds ${held}`)
  } else {
    const e = o.error as SluiceError
    if (e === null || typeof e !== 'object') return [`rejected with a non-object: ${describe(e)}`]
    if (want.outcome === 'resolve') p.push(`rejected: ${describe(e)}`)
    else if (want.outcome !== 'any' && e.constructor?.name !== want.outcome && e.code !== want.outcome) {
      p.push(`rejected with ${describe(e)} (code ${String(e.code)}); expected ${want.outcome}`)
    }
    if (typeof e.message !== 'string' || e.message === '') p.push('the error has no message')
    if (want.message && !want.message.test(e.message)) p.push(`message ${JSON.stringify(e.message)} does not match ${want.message}`)
    if (want.same !== undefined && e !== want.same) p.push(`the error thrown was replaced: ${describe(e)}`)
    if (want.row !== undefined && e.row !== want.row) p.push(`row ${e.row}; expected ${want.row}`)
    if (want.column !== undefined && e.column !== want.column) p.push(`column ${e.column}; expected ${want.column}`)
    if (e.rowsCommitted !== undefined && e.rowsCommitted !== held) p.push(`rowsCommitted ${e.rowsCommitted} but the table holds ${held}`)
    if (e.rowsCommitted === undefined && held !== 0) p.push(`no rowsCommitted on the error, and the table holds ${held}`)
  }
  if (want.rows !== undefined && held !== want.rows) p.push(`the table holds ${held} rows; expected ${want.rows}`)
  return p
}

async function main(): Promise<void> {
  const group = process.argv[2] ?? ''
  const make = GROUPS[group]
  const cs = process.env.SLUICE_TEST_CS
  if (!make || !cs) throw new Error(`usage: hostile-cases.ts <${Object.keys(GROUPS).join('|')}> with SLUICE_TEST_CS set`)
  // An optional second argument keeps only the cases whose name contains it (for debugging).
  const only = process.argv[3]
  const cases = make().filter((k) => only === undefined || k.name.includes(only))
  console.log(`CASES ${JSON.stringify(cases.map((k) => k.name))}`)
  let c = await connect(cs)
  for (const [i, k] of cases.entries()) {
    const table = `dbo.hostile_${group}_${i}`
    console.log(`START ${JSON.stringify(k.name)}`)
    await c.query(`CREATE TABLE ${table} ${k.table ?? TABLE}`)
    let outcome: Outcome
    try {
      outcome = await settle(k.run(c, table))
    } catch (error) {
      outcome = { settled: 'rejected', error }
    }
    const problems: string[] = []
    if (outcome.settled === 'hung') {
      // The connection may be stuck behind the hung call: count on a fresh one.
      c = await connect(cs)
    }
    let held = -1
    try {
      held = await count(c, table)
    } catch (e) {
      problems.push(`the connection no longer answers: ${describe(e)}`)
      c = await connect(cs)
      held = await count(c, table)
    }
    problems.push(...judge(k, outcome, held))
    console.log(`CASE ${JSON.stringify({ name: k.name, problems })}`)
  }
  await c.close()
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(describe(e))
    process.exit(2)
  },
)
