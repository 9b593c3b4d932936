// `npm run web`: the renderer and the same contract over a WebSocket, for machines without a
// display (and for the e2e suite). Loopback only; a random token, from the printed URL, on every
// request and socket (the first page load moves it into a SameSite=Strict cookie so the page's
// own assets and socket carry it); `Host` must name this loopback address and port and `Origin`,
// when sent (always, for sockets and fetches), must be this page's origin — together they close
// DNS rebinding and cross-site use. Calls go through the same `dispatch` as Electron IPC, so
// every payload is validated by the same zod schemas. Nothing secret is stored (no vault).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { WebSocket, WebSocketServer } from 'ws'
import { type AppService, createAppService } from '../app-service'
import type { EventMessage } from '../contract'
import { toCallError } from '../dispatcher'

const COOKIE = 'sluice_token'
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024 * 1024
const MAX_MESSAGE_BYTES = 80 * 1024 * 1024

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
}

export interface WebServerOptions {
  /** 0 picks a free port. */
  port: number
  /** The built renderer (vite's outDir). */
  staticDir: string
  /** For tests: a service other than the real one. */
  service?: (emit: (m: EventMessage) => void) => AppService
}

export interface WebServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

function sameSecret(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieToken(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, v] = part.trim().split('=')
    if (k === COOKIE && v) return v
  }
  return null
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = randomBytes(32).toString('base64url')
  const sockets = new Set<WebSocket>()
  const emit = (m: EventMessage) => {
    const data = JSON.stringify(m)
    for (const s of sockets) if (s.readyState === WebSocket.OPEN) s.send(data)
  }
  const service = (options.service ?? ((e) => createAppService({ emit: e, vault: null, savedConnectionsFile: null })))(emit)
  let port = 0
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])

  /** Why a request is refused (status and text), or null when it may go on. */
  function refusal(req: http.IncomingMessage, url: URL, requireOrigin: boolean): [number, string] | null {
    if (!hosts().has(req.headers.host ?? '')) return [421, 'unexpected Host header']
    const origin = req.headers.origin
    if (origin !== undefined ? !origins().has(origin) : requireOrigin) return [403, 'foreign or missing Origin']
    if (!sameSecret(url.searchParams.get('token'), token) && !sameSecret(cookieToken(req.headers.cookie), token)) {
      return [401, 'missing or wrong token: open the URL printed by npm run web']
    }
    return null
  }

  function headers(contentType: string): http.OutgoingHttpHeaders {
    return {
      'Content-Type': contentType,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const refused = refusal(req, url, req.method !== 'GET')
    if (refused) {
      res.writeHead(refused[0], { 'Content-Type': 'text/plain; charset=utf-8' }).end(refused[1])
      return
    }
    if (req.method === 'POST' && url.pathname === '/api/files') {
      service.files.addUpload(url.searchParams.get('name') ?? 'upload', req, MAX_UPLOAD_BYTES).then(
        (entry) => res.writeHead(200, headers('application/json')).end(JSON.stringify({ ok: true, result: [entry] })),
        (err: unknown) => res.writeHead(400, headers('application/json')).end(JSON.stringify({ ok: false, error: toCallError(err) })),
      )
      return
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed')
      return
    }
    let relative: string
    try {
      relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '')
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('malformed path')
      return
    }
    const file = path.resolve(options.staticDir, relative)
    if (!file.startsWith(path.resolve(options.staticDir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }
    const h = headers(TYPES[path.extname(file)] ?? 'application/octet-stream')
    if (url.searchParams.has('token')) h['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
    res.writeHead(200, h)
    fs.createReadStream(file).pipe(res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const refused = url.pathname === '/api/socket' ? refusal(req, url, true) : ([404, 'not found'] as [number, string])
    if (refused) {
      socket.end(
        `HTTP/1.1 ${refused[0]} ${http.STATUS_CODES[refused[0]]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refused[1]}`,
      )
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data) => {
        let message: { id?: unknown; method?: unknown; payload?: unknown }
        try {
          message = JSON.parse(data.toString()) as typeof message
        } catch {
          ws.send(JSON.stringify({ id: null, reply: { ok: false, error: { code: 'EINVALID', message: 'not JSON' } } }))
          return
        }
        void service.dispatch(message.method, message.payload).then((reply) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id: message.id ?? null, reply }))
        })
      })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const s of sockets) s.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await service.dispose()
    },
  }
}
