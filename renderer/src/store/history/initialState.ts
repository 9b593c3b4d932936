import type { HistoryEntry } from '../../../../electron/contract'

export type { HistoryEntry }

export interface HistoryState {
  /** Newest first: past sessions' imports (kept by main in the app's data directory) and this one's. */
  entries: HistoryEntry[]
}

export const historyInitialState: HistoryState = { entries: [] }
