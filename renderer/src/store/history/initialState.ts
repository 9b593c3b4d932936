export interface HistoryEntry {
  jobId: string
  label: string
  kind: 'load' | 'dryRun' | 'inspect'
  state: 'done' | 'failed' | 'cancelled'
  rowsLoaded: number
  rowsRejected: number
  durationMs: number
  endedAt: number
}

export interface HistoryState {
  /** Newest first; kept for this session (the desktop app will keep it with the templates). */
  entries: HistoryEntry[]
}

export const historyInitialState: HistoryState = { entries: [] }
