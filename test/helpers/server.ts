// Starts `sluice serve` as a child process on a free loopback port and stops it after the test.
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const REPO = path.resolve(__dirname, '..', '..')
export const SLUICE = path.join(REPO, 'bin', 'sluice.js')
export const PASSWORD = 'Sluice_Test_1'

export interface TestServer {
  host: string
  port: number
  /** An ADO.NET connection string for this server, with `extra` appended. */
  connectionString(extra?: string): string
  /** Path of the server's self-signed certificate (PEM), for clients that must trust it. */
  certificatePath: string
  /** The SQL Browser stand-in's UDP port, when started with `--instance`. */
  browserPort?: number
  stop(): Promise<void>
}

export async function startServer(args: string[] = []): Promise<TestServer> {
  const certificatePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cert-')), 'server.pem')
  const child: ChildProcess = spawn(process.execPath, [SLUICE, 'serve', '--port', '0', '--cert-out', certificatePath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const addr = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice serve did not start within 20 s: ${out}`)), 20_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /^listening on (.+):(\d+)$/m.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(`${m[1]}:${m[2]}`)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`sluice serve exited with ${code}: ${out}`))
    })
  })
  const i = addr.lastIndexOf(':')
  const host = addr.slice(0, i)
  const port = Number(addr.slice(i + 1))
  const browser = /^SQL Browser on udp .+:(\d+)$/m.exec(out)
  return {
    host,
    port,
    browserPort: browser ? Number(browser[1]) : undefined,
    connectionString: (extra = '') => `Server=${host},${port};User ID=sa;Password=${PASSWORD};${extra}`,
    certificatePath,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
