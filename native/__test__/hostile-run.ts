// Runs one group of hostile-cases.ts in a child process and collects what it reported, so that
// a crash or a deadlock in the binding fails a test instead of killing the test runner.

import { spawn } from 'node:child_process'
import path from 'node:path'
import { REPO } from '../../test/helpers/server'

export interface GroupRun {
  /** Exit code and signal of the child (a segfault shows as signal SIGSEGV). */
  code: number | null
  signal: NodeJS.Signals | null
  /** True when the child was killed for taking longer than the limit. */
  timedOut: boolean
  /** Every case of the group, in order. */
  names: string[]
  /** The cases that finished, with the problems each found (none = pass). */
  cases: { name: string; problems: string[] }[]
  /** The case running when the child died or hung, if any. */
  lastStarted: string | undefined
  stderr: string
}

export function runGroup(group: string, connectionString: string, limitMs = 120_000): Promise<GroupRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'hostile-cases.ts'), group], {
    cwd: REPO,
    env: { ...process.env, SLUICE_TEST_CS: connectionString },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, limitMs)
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const run: GroupRun = { code, signal, timedOut, names: [], cases: [], lastStarted: undefined, stderr }
      for (const line of out.split('\n')) {
        const sp = line.indexOf(' ')
        const [tag, json] = [line.slice(0, sp), line.slice(sp + 1)]
        if (tag === 'CASES') run.names = JSON.parse(json)
        else if (tag === 'START') run.lastStarted = JSON.parse(json)
        else if (tag === 'CASE') run.cases.push(JSON.parse(json))
      }
      resolve(run)
    })
  })
}

/** A one-line account of how the child ended, for assertion messages. */
export function ending(r: GroupRun): string {
  const how = r.timedOut ? 'was killed after hanging' : r.signal ? `died of ${r.signal}` : `exited with ${r.code}`
  return `the child ${how} during ${JSON.stringify(r.lastStarted)}; stderr: ${r.stderr.slice(-2000)}`
}
