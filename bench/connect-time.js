#!/usr/bin/env node
// Measures how long Sluice takes to connect and log in to the test server in each encryption
// mode (median of N connects, each a fresh TCP connection + PRELOGIN + TLS + LOGIN7).
// Usage: node bench/connect-time.js [N=50]

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { connect } = require('@sluice/native')

const N = Number(process.argv[2] ?? 50)

function serve(encrypt) {
  // Encrypt=Strict always validates the certificate, so the client pins the server's own.
  const cert = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-')), 'server.pem')
  const child = spawn(process.execPath, [
    path.join(__dirname, '..', 'bin', 'sluice.js'),
    'serve',
    '--port',
    '0',
    '--encrypt',
    encrypt,
    '--cert-out',
    cert,
  ])
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error('server did not start')), 20000)
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on (.+):(\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ port: Number(m[2]), cert, stop: () => child.kill() })
      }
    })
  })
}

async function main() {
  const modes = [
    ['off', 'Encrypt=Optional', 'plain'],
    ['optional', 'Encrypt=False', 'TLS for LOGIN7 only'],
    ['mandatory', 'Encrypt=True;TrustServerCertificate=True', 'TLS (TDS 7.4)'],
    ['strict', 'Encrypt=Strict;ServerCertificate={cert}', 'TLS first (TDS 8.0)'],
  ]
  console.log(`| mode | median ms | p90 ms | (n=${N}) |`)
  console.log('|---|---|---|---|')
  for (const [serverMode, extra, label] of modes) {
    const s = await serve(serverMode)
    const cs = `Server=127.0.0.1,${s.port};User ID=sa;Password=Sluice_Test_1;${extra.replace('{cert}', s.cert)}`
    const times = []
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint()
      const c = await connect(cs)
      times.push(Number(process.hrtime.bigint() - t0) / 1e6)
      await c.close()
    }
    s.stop()
    times.sort((a, b) => a - b)
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2)
    console.log(`| ${label} | ${q(0.5)} | ${q(0.9)} | |`)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
