import { entryOf } from '../../../../electron/history/entry'
import type { HistoryEntry, HistoryState } from './initialState'

export const historySelectors = {
  entryOf,
  loads: (s: HistoryState) => s.entries.filter((e) => e.kind === 'load'),
  /** Rows per second over the whole load, or null for an instant one. */
  rate: (e: HistoryEntry) => (e.durationMs > 0 ? Math.round((e.rowsLoaded * 1000) / e.durationMs) : null),
  totalRowsLoaded: (s: HistoryState) => s.entries.filter((e) => e.kind === 'load').reduce((n, e) => n + e.rowsLoaded, 0),
}
