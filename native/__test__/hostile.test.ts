// Hostile callers against the binding, both bulk lanes and the query/connect arguments:
// getters, Proxies (revoked, or with throwing traps), detached and shared buffers, re-entrant
// pushes and loads, thrown undefined/Symbols/frozen errors, huge sparse arrays, objects whose
// toString/valueOf throw, a Date subclass whose getTime throws, absurd options. Each group runs
// in a child process (hostile-cases.ts): a crash or a hang fails the test rather than killing
// the runner. Every case must end in a clear error (or a load), and after it the connection must
// answer and the account reported (rowsCommitted / rowsCopied) must equal SELECT COUNT(*).

import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startServer, type TestServer } from '../../test/helpers/server'
import { ending, runGroup } from './hostile-run'

let server: TestServer

before(async () => {
  server = await startServer(['--encrypt', 'optional'])
})
after(async () => {
  await server?.stop()
})

const GROUPS: [string, string, string?][] = [
  ['rows', 'bulkCopy rows: throwing getters and sources, Proxies, Symbols, odd objects and arrays fail cleanly with the account intact'],
  ['columns', 'bulkCopyColumns: buffer tricks, throwing getters, Proxies and sparse columns fail cleanly with the account intact'],
  ['raw', 'the native session: re-entrant pushes, cancels and buffer tricks inside its own reads neither crash nor deadlock'],
  ['options', 'connect, query and bulk options refuse hostile arguments with a TypeError and leave the connection usable'],
  [
    'cancel',
    'the abort and progress wiring: a throwing signal or onProgress, a getter that aborts — no crash, no held connection, the account intact',
  ],
]

for (const [group, title, todo] of GROUPS) {
  test(title, { todo }, async () => {
    const r = await runGroup(group, server.connectionString('Encrypt=True;TrustServerCertificate=True'))
    assert.ok(!r.timedOut && r.signal === null && r.code === 0, ending(r))
    assert.ok(r.names.length > 0, 'the child listed no cases')
    assert.deepEqual(
      r.cases.map((k) => k.name),
      r.names,
      'every case reported',
    )
    assert.deepEqual(
      r.cases.filter((k) => k.problems.length > 0),
      [],
    )
  })
}
