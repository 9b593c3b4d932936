// The store, composed of the five slices (state under its slice's key, actions flat), lobe-chat
// style. Actions reach each other through get(); state stays plain and serialisable.
import { createStore } from 'zustand/vanilla'
import type { AppApi } from '../api/app-api'
import { type ConnectionsActions, connectionsActions } from './connections/action'
import { type ConnectionsState, connectionsInitialState } from './connections/initialState'
import { type FilesActions, filesActions } from './files/action'
import { type FilesState, filesInitialState } from './files/initialState'
import { type HistoryActions, historyActions } from './history/action'
import { type HistoryState, historyInitialState } from './history/initialState'
import { type JobsActions, jobsActions } from './jobs/action'
import { type JobsState, jobsInitialState } from './jobs/initialState'
import { type MappingActions, mappingActions } from './mapping/action'
import { type MappingState, mappingInitialState } from './mapping/initialState'

export interface AppState {
  transport: AppApi['transport']
  connections: ConnectionsState
  files: FilesState
  mapping: MappingState
  jobs: JobsState
  history: HistoryState
}

export type AppStore = AppState & ConnectionsActions & FilesActions & MappingActions & JobsActions & HistoryActions

export function createAppStore(api: AppApi) {
  const store = createStore<AppStore>()((set, get) => ({
    transport: api.transport,
    connections: connectionsInitialState,
    files: filesInitialState,
    mapping: mappingInitialState,
    jobs: jobsInitialState,
    history: historyInitialState,
    ...connectionsActions(set, get, api),
    ...filesActions(set, get, api),
    ...mappingActions(set, get, api),
    ...jobsActions(set, get, api),
    ...historyActions(set, get, api),
  }))
  api.onEvent((m) => {
    if (m.event === 'job') store.getState().applyJob(m.payload)
    if (m.event === 'localServer.exited') store.setState((s) => ({ connections: { ...s.connections, localServer: { status: 'idle' } } }))
  })
  return store
}
