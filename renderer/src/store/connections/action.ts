import type { ConnectionForm } from '../../../../electron/contract'
import type { AppApi } from '../../api/app-api'
import { busy, idle, settle } from '../outcome'
import type { StoreGet, StoreSet } from '../store-types'
import { type ConnectionsState, connectionsInitialState } from './initialState'

export interface ConnectionsActions {
  setConnectionString(text: string): void
  /** Turns the pasted string into the form; false when it could not be read. */
  parseConnectionString(): Promise<boolean>
  /** Clears the box once its string (with a secret) is in the form: the password is not left in view. */
  concealConnectionString(): void
  setForm(patch: Partial<ConnectionForm>): void
  testConnection(): Promise<void>
  connect(): Promise<void>
  disconnect(): Promise<void>
  startLocalServer(): Promise<void>
  refreshSaved(): Promise<void>
  saveConnection(name: string, saveSecret: boolean): Promise<void>
  useSaved(id: string): Promise<void>
  deleteSaved(id: string): Promise<void>
}

type Slice = { connections: ConnectionsState }

export function connectionsActions(set: StoreSet, get: StoreGet, api: AppApi): ConnectionsActions {
  const patch = (p: Partial<ConnectionsState>) => set((s: Slice) => ({ connections: { ...s.connections, ...p } }))
  const state = () => get().connections
  /** Parses a changed connection string first, so pasting one and pressing Connect is enough. */
  const ready = async () => {
    const ok =
      state().connectionString.trim() && state().connectionString !== state().parsedString ? await get().parseConnectionString() : true
    if (ok) get().concealConnectionString()
    return ok
  }
  const secret = () => (state().savedId ? { savedId: state().savedId as string } : {})

  return {
    setConnectionString: (text) => patch({ connectionString: text, parse: idle, ...(text ? { concealed: false } : {}) }),
    parseConnectionString: async () => {
      const text = state().connectionString
      if (text === state().parsedString) return true
      const reply = await api.call('connection.parse', { connectionString: text })
      if (!reply.ok) {
        patch({ parse: { status: 'error', error: reply.error } })
        return false
      }
      patch({
        form: reply.result.form,
        unsupported: reply.result.unsupported,
        parsedString: text,
        savedId: null,
        savedHasSecret: false,
        parse: { status: 'ok', value: null },
        test: idle,
      })
      return true
    },
    concealConnectionString: () => {
      const s = state()
      const hasSecret = s.form.password !== '' || s.form.accessToken !== ''
      if (s.connectionString === '' || s.connectionString !== s.parsedString || !hasSecret) return
      patch({ connectionString: '', parsedString: '', concealed: true })
    },
    setForm: (p) => patch({ form: { ...state().form, ...p }, test: idle }),
    testConnection: async () => {
      if (!(await ready())) return
      patch({ test: busy })
      patch({ test: settle(await api.call('connection.test', { form: state().form, ...secret() })) })
    },
    connect: async () => {
      if (!(await ready())) return
      patch({ open: busy })
      const reply = await api.call('connection.open', { form: state().form, ...secret() })
      patch({
        open: settle(reply),
        ...(reply.ok ? { test: { status: 'ok', value: { version: reply.result.version, database: reply.result.database } } } : {}),
      })
    },
    disconnect: async () => {
      const open = state().open
      if (open.status === 'ok') await api.call('connection.close', { connectionId: open.value.connectionId })
      patch({ open: idle })
    },
    startLocalServer: async () => {
      patch({ localServer: busy })
      const reply = await api.call('localServer.start', {})
      patch({ localServer: settle(reply) })
      if (!reply.ok) return
      patch({
        form: reply.result.form,
        connectionString: '',
        parsedString: '',
        concealed: false,
        savedId: null,
        savedHasSecret: false,
        unsupported: [],
        parse: idle,
      })
      await get().connect()
    },
    refreshSaved: async () => {
      const reply = await api.call('connection.listSaved', {})
      if (reply.ok) patch({ saved: reply.result })
    },
    saveConnection: async (name, saveSecret) => {
      const reply = await api.call('connection.save', { name, form: state().form, saveSecret })
      if (!reply.ok) patch({ parse: { status: 'error', error: reply.error } })
      await get().refreshSaved()
    },
    useSaved: async (id) => {
      const reply = await api.call('connection.getSaved', { id })
      if (reply.ok)
        patch({
          form: reply.result.form,
          savedId: id,
          savedHasSecret: reply.result.hasSecret,
          connectionString: '',
          parsedString: '',
          concealed: false,
          test: idle,
        })
    },
    deleteSaved: async (id) => {
      await api.call('connection.deleteSaved', { id })
      await get().refreshSaved()
    },
  }
}

export { connectionsInitialState }
