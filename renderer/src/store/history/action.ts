import type { JobSnapshot } from '../../../../electron/contract'
import type { AppApi } from '../../api/app-api'
import type { StoreGet, StoreSet } from '../store-types'
import type { HistoryState } from './initialState'
import { historySelectors } from './selectors'

export interface HistoryActions {
  recordHistory(job: JobSnapshot): void
  /** Reads the history main keeps (past sessions' imports too). */
  loadHistory(): Promise<void>
}

type Slice = { history: HistoryState }

export function historyActions(set: StoreSet, _get: StoreGet, api: AppApi): HistoryActions {
  return {
    loadHistory: async () => {
      const reply = await api.call('history.list', {})
      if (!reply.ok) return
      // Entries of this session already seen win; the rest come from the kept history.
      set((s: Slice) => {
        const seen = new Set(s.history.entries.map((e) => e.jobId))
        const kept = reply.result.filter((e) => !seen.has(e.jobId))
        return { history: { entries: [...s.history.entries, ...kept].sort((a, b) => b.endedAt - a.endedAt) } }
      })
    },
    recordHistory: (job) => {
      const entry = historySelectors.entryOf(job)
      if (!entry) return
      set((s: Slice) => ({ history: { entries: [entry, ...s.history.entries.filter((e) => e.jobId !== entry.jobId)] } }))
    },
  }
}
