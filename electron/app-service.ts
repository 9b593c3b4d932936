// Everything behind the contract, independent of the transport: the connection service, the
// file registry, the job queue and the handlers over them. Electron's main process and the web
// server each create one and feed its `dispatch` from their own transport.

import { ConnectionService } from './connections/connection-handlers'
import { SavedConnectionStore, type SecretVault } from './connections/saved-connections'
import type { EventMessage } from './contract'
import { createDispatcher, type Dispatch } from './dispatcher'
import { fileHandlers } from './files/file-handlers'
import { FileRegistry } from './files/file-registry'
import { ImportHistory } from './history/import-history'
import { JobManager } from './jobs/job-manager'

export interface AppServiceOptions {
  /** Delivers a main → renderer event to every connected UI. */
  emit(message: EventMessage): void
  /** Electron's safeStorage when available; null in the browser (no secret is stored). */
  vault: SecretVault | null
  /** Where saved connections are written; null keeps them in memory only. */
  savedConnectionsFile: string | null
  /** Where the import history is kept across restarts; null keeps it for this process only. */
  historyFile?: string | null
  nativeModule?: object
}

export interface AppService {
  dispatch: Dispatch
  files: FileRegistry
  dispose(): Promise<void>
}

export function createAppService(options: AppServiceOptions): AppService {
  const files = new FileRegistry()
  const history = new ImportHistory(options.historyFile ?? null)
  const jobs = new JobManager((payload) => {
    history.record(payload)
    options.emit({ event: 'job', payload })
  })
  const connections = new ConnectionService(new SavedConnectionStore(options.vault, options.savedConnectionsFile), (code) =>
    options.emit({ event: 'localServer.exited', payload: { code } }),
  )
  const dispatch = createDispatcher({
    ...connections.handlers(),
    'history.list': async () => history.list(),
    ...fileHandlers({
      files,
      jobs,
      connectionString: (id) => connections.connectionString(id),
      ...(options.nativeModule ? { nativeModule: options.nativeModule } : {}),
    }),
  })
  return {
    dispatch,
    files,
    dispose: async () => {
      await jobs.shutdown()
      await connections.dispose()
      files.dispose()
    },
  }
}
