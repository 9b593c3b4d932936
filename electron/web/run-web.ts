// Entry of `npm run web`: serves the built renderer and the contract on 127.0.0.1, port from
// SLUICE_WEB_PORT (else a free one), and prints `ready at URL` once it listens.
import fs from 'node:fs'
import path from 'node:path'
import { startWebServer } from './web-server'

/** dist/renderer beside the compiled main (dist/main/web → dist/renderer), or SLUICE_WEB_ROOT. */
function rendererDir(): string {
  const dir = process.env.SLUICE_WEB_ROOT ?? path.resolve(__dirname, '..', '..', 'renderer')
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`no built renderer at ${dir}: run npm run build:app first`)
  }
  return dir
}

async function main(): Promise<void> {
  const raw = process.env.SLUICE_WEB_PORT ?? '0'
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SLUICE_WEB_PORT must be a port number, not ${raw}`)
  const server = await startWebServer({ port, staticDir: rendererDir() })
  console.log(`ready at ${server.url}`)
  let closing = false
  const stop = () => {
    if (closing) return
    closing = true
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
