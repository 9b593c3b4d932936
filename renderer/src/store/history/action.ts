import type { JobSnapshot } from '../../../../electron/contract'
import type { StoreGet, StoreSet } from '../store-types'
import type { HistoryState } from './initialState'
import { historySelectors } from './selectors'

export interface HistoryActions {
  recordHistory(job: JobSnapshot): void
}

type Slice = { history: HistoryState }

export function historyActions(set: StoreSet, _get: StoreGet): HistoryActions {
  return {
    recordHistory: (job) => {
      const entry = historySelectors.entryOf(job)
      if (!entry) return
      set((s: Slice) => ({ history: { entries: [entry, ...s.history.entries.filter((e) => e.jobId !== entry.jobId)] } }))
    },
  }
}
