// The one API the UI talks to: Electron's preload (`window.sluice`) when it is there, else the
// web transport. Adding files differs only in how a browser File becomes a path.
import type { CallReply, SluiceApi } from '../../../electron/contract'
import { createWebSocketApi } from './websocket-api'

declare global {
  interface Window {
    sluice?: SluiceApi
  }
}

export interface AppApi extends SluiceApi {
  /** Where this UI runs: the desktop app (secrets in the OS keychain) or a browser. */
  transport: 'electron' | 'web'
  addFiles(files: File[]): Promise<CallReply<'files.add'>>
}

export function createAppApi(): AppApi {
  const electron = window.sluice
  if (electron) {
    return {
      transport: 'electron',
      call: electron.call,
      onEvent: electron.onEvent,
      addFiles: (files) => electron.call('files.add', { paths: files.map((f) => electron.pathForFile?.(f) ?? f.name) }),
    }
  }
  const web = createWebSocketApi(window.location)
  return {
    transport: 'web',
    call: web.call,
    onEvent: web.onEvent,
    addFiles: async (files) => {
      const added = []
      for (const f of files) {
        const reply = await web.upload(f)
        if (!reply.ok) return reply
        added.push(...reply.result)
      }
      return { ok: true, result: added }
    },
  }
}
