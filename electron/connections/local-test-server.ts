// The "Local test server" connection: the project's own TDS server (`sluice serve`, Rust, an
// in-memory SQL engine) started as a child process on a free loopback port, so a new user can
// load a file with no SQL Server at hand. A child rather than `runCli` in-process because `serve`
// runs until its process is stopped. Its password is random per start and reaches the child
// through the environment (not the process list); the client pins the server's self-signed
// certificate (`ServerCertificate=`), so no "trust any certificate" is needed.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ConnectionForm } from '../contract'
import { AppError } from '../dispatcher'

const START_TIMEOUT_MS = 20_000

export interface RunningTestServer {
  port: number
  form: ConnectionForm
  stop(): Promise<void>
  /** Resolves with the exit code once the child has exited, for whatever reason. */
  exited: Promise<number | null>
}

export async function startLocalTestServer(): Promise<RunningTestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-local-server-'))
  const certificate = path.join(dir, 'server.pem')
  const password = `Local_${randomBytes(12).toString('base64url')}`
  const entry = require.resolve('@sluice/native')
  // `-e` so the same code runs under Node and under Electron (ELECTRON_RUN_AS_NODE), wherever the
  // package sits; process.argv after `-e SCRIPT` is [execPath, ...args].
  const script = `require(${JSON.stringify(entry)}).runCli(process.argv.slice(1)).then((c) => { process.exitCode = c })`
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', script, 'serve', '--host', '127.0.0.1', '--port', '0', '--cert-out', certificate, '--name', 'sluice-local'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', SLUICE_SERVE_PASSWORD: password } },
  )
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new AppError('ECONNECT', `the local test server did not start within ${START_TIMEOUT_MS / 1000} s`))
    }, START_TIMEOUT_MS)
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString()
      const m = /^listening on .+:(\d+)$/m.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString()
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new AppError('ECONNECT', `the local test server exited with ${code}: ${output.trim().slice(-500)}`))
    })
  })
  const form: ConnectionForm = {
    server: `127.0.0.1,${port}`,
    database: '',
    auth: 'sql',
    user: 'sa',
    password,
    accessToken: '',
    encrypt: 'Mandatory',
    trustServerCertificate: false,
    serverCertificate: certificate,
    extra: [],
  }
  return {
    port,
    form,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
