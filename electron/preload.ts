// The preload: exposes the contract's API as `window.sluice`, nothing more. Sandboxed preloads
// may require only `electron`, so the contract is imported for its types alone and the two
// channel names are checked against it by the compiler.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { CALL_CHANNEL, EVENT_CHANNEL, EventMessage, SluiceApi } from './contract'

const CALL: typeof CALL_CHANNEL = 'sluice:call'
const EVENT: typeof EVENT_CHANNEL = 'sluice:event'

const api: SluiceApi = {
  call: (method, payload) => ipcRenderer.invoke(CALL, method, payload),
  onEvent: (listener) => {
    const wrapped = (_e: Electron.IpcRendererEvent, message: EventMessage) => listener(message)
    ipcRenderer.on(EVENT, wrapped)
    return () => {
      ipcRenderer.removeListener(EVENT, wrapped)
    }
  },
  pathForFile: (file) => webUtils.getPathForFile(file as File),
}

contextBridge.exposeInMainWorld('sluice', api)
