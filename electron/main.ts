// Electron's main process: one window, locked down, and the contract bound to ipcMain. All the
// work sits in the transport-agnostic app service; this file only creates the window, checks
// who is calling, and carries envelopes (the e2e suite drives the same service over the web
// transport, so keep this thin).
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, safeStorage, session, shell } from 'electron'
import { type AppService, createAppService } from './app-service'
import { CALL_CHANNEL, EVENT_CHANNEL, type EventMessage } from './contract'

const RENDERER_INDEX = path.resolve(__dirname, '..', 'renderer', 'index.html')
const RENDERER_URL = pathToFileURL(RENDERER_INDEX).href
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

let window: BrowserWindow | null = null
let service: AppService | null = null

function emit(message: EventMessage): void {
  if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, message)
}

/** Only our own page, in our own window, may call. */
function trusted(event: Electron.IpcMainInvokeEvent): boolean {
  return window !== null && event.sender === window.webContents && event.senderFrame?.url === RENDERER_URL
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1200,
    height: 820,
    title: 'Sluice',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window?.show())
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (e) => e.preventDefault())
  window.on('closed', () => {
    window = null
  })
  void window.loadFile(RENDERER_INDEX)
}

app.enableSandbox()
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault())
})

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  service = createAppService({
    emit,
    vault: safeStorage.isEncryptionAvailable()
      ? { encrypt: (s) => safeStorage.encryptString(s), decrypt: (b) => safeStorage.decryptString(b) }
      : null,
    savedConnectionsFile: path.join(app.getPath('userData'), 'connections.json'),
    historyFile: path.join(app.getPath('userData'), 'history.json'),
  })
  ipcMain.handle(CALL_CHANNEL, (event, method: unknown, payload: unknown) => {
    if (!trusted(event)) return { ok: false, error: { code: 'EFORBIDDEN', message: 'untrusted sender' } }
    return service?.dispatch(method, payload)
  })
  createWindow()
})

app.on('window-all-closed', () => {
  void (service?.dispose() ?? Promise.resolve()).finally(() => app.quit())
})
