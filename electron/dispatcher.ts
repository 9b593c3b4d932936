// Turns a call as it arrives from any transport (method name + unknown payload) into a validated
// handler call and a reply envelope. The only way into the handlers: Electron IPC and the
// WebSocket both go through `dispatch`, so both validate the same way.
import { type CallArgs, type CallError, type CallName, type CallReply, type CallResult, callSchemas } from './contract'

export type Handlers = { [N in CallName]: (args: CallArgs<N>) => Promise<CallResult<N>> }

/** An error a handler throws on purpose, with a stable code for the UI. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly number?: number,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

const CODE = /^E[A-Z]+$/

/** The reply's error: a native error keeps its code and the server's number; anything else is EINTERNAL. */
export function toCallError(err: unknown): CallError {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; number?: unknown }
    const message = typeof e.message === 'string' ? e.message : String(err)
    if (typeof e.code === 'string' && CODE.test(e.code)) {
      return typeof e.number === 'number' ? { code: e.code, message, number: e.number } : { code: e.code, message }
    }
    return { code: 'EINTERNAL', message }
  }
  return { code: 'EINTERNAL', message: String(err) }
}

function isCallName(method: unknown): method is CallName {
  return typeof method === 'string' && Object.hasOwn(callSchemas, method)
}

export function createDispatcher(handlers: Handlers) {
  return async function dispatch(method: unknown, payload: unknown): Promise<CallReply> {
    if (!isCallName(method)) {
      return { ok: false, error: { code: 'EUNKNOWNCALL', message: `unknown call ${JSON.stringify(String(method)).slice(0, 80)}` } }
    }
    const parsed = callSchemas[method].safeParse(payload ?? {})
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ')
      return { ok: false, error: { code: 'EINVALID', message: `${method}: ${issues}` } }
    }
    try {
      const handler = handlers[method] as (args: unknown) => Promise<unknown>
      const result = await handler(parsed.data)
      return { ok: true, result } as CallReply
    } catch (err) {
      return { ok: false, error: toCallError(err) }
    }
  }
}

export type Dispatch = ReturnType<typeof createDispatcher>
