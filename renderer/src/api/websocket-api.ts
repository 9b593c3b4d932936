// The contract over the web transport's WebSocket (npm run web): the same envelopes Electron's
// IPC carries, paired by id. The token comes from the page's URL (the server also set it as a
// cookie on the first load) and is dropped from the address bar so it is not shared by accident.
import type { CallName, CallPayload, CallReply, EventMessage, FileEntry, SluiceApi } from '../../../electron/contract'

type Pending = (reply: CallReply) => void

export interface WebSocketApi extends SluiceApi {
  /** Streams a browser File to the local process, which then treats it as a dropped path. */
  upload(file: File): Promise<CallReply<'files.add'>>
}

export function createWebSocketApi(location: Location): WebSocketApi {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  if (token) history.replaceState(null, '', location.pathname)
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  const socket = new WebSocket(`ws://${location.host}/api/socket${query}`)
  const opened = new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => resolve(true), { once: true })
    socket.addEventListener('error', () => resolve(false), { once: true })
  })
  const pending = new Map<number, Pending>()
  const listeners = new Set<(m: EventMessage) => void>()
  let nextId = 1

  socket.addEventListener('message', (e) => {
    const message = JSON.parse(String(e.data)) as { id?: number; reply?: CallReply } | EventMessage
    if ('event' in message) {
      for (const l of listeners) l(message)
    } else if (typeof message.id === 'number' && message.reply) {
      pending.get(message.id)?.(message.reply)
      pending.delete(message.id)
    }
  })
  socket.addEventListener('close', () => {
    for (const resolve of pending.values())
      resolve({ ok: false, error: { code: 'ECLOSED', message: 'the connection to the Sluice process closed; reload the page' } })
    pending.clear()
  })

  return {
    async call<N extends CallName>(method: N, payload: CallPayload<N>): Promise<CallReply<N>> {
      if (!(await opened) || socket.readyState !== WebSocket.OPEN) {
        return {
          ok: false,
          error: { code: 'ECLOSED', message: 'cannot reach the Sluice process; reload the page from the URL npm run web printed' },
        }
      }
      const id = nextId++
      return new Promise<CallReply<N>>((resolve) => {
        pending.set(id, resolve as Pending)
        socket.send(JSON.stringify({ id, method, payload }))
      })
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    async upload(file) {
      const res = await fetch(`/api/files?name=${encodeURIComponent(file.name)}${token ? `&token=${encodeURIComponent(token)}` : ''}`, {
        method: 'POST',
        body: file,
        credentials: 'same-origin',
      })
      try {
        return (await res.json()) as { ok: true; result: FileEntry[] } | { ok: false; error: { code: string; message: string } }
      } catch {
        return { ok: false, error: { code: 'EUPLOAD', message: `upload failed: HTTP ${res.status}` } }
      }
    },
  }
}
