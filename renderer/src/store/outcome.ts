// The state of one request as the UI shows it: not asked, in flight, its value, or its error.
import type { CallError, CallReply } from '../../../electron/contract'

export type Outcome<T> = { status: 'idle' } | { status: 'busy' } | { status: 'ok'; value: T } | { status: 'error'; error: CallError }

export const idle = { status: 'idle' } as const
export const busy = { status: 'busy' } as const

export function settle<T>(reply: CallReply & ({ ok: true; result: T } | { ok: false; error: CallError })): Outcome<T> {
  return reply.ok ? { status: 'ok', value: reply.result } : { status: 'error', error: reply.error }
}
