import type { JobSnapshot } from '../../../../electron/contract'
import type { AppApi } from '../../api/app-api'
import type { StoreGet, StoreSet } from '../store-types'
import { type JobsState, MAX_SAMPLES } from './initialState'

export interface JobsActions {
  applyJob(snapshot: JobSnapshot): void
  watchJob(jobId: string): void
  cancelJob(jobId: string): Promise<void>
  resumeJob(jobId: string): Promise<void>
}

type Slice = { jobs: JobsState }

export function jobsActions(set: StoreSet, get: StoreGet, api: AppApi): JobsActions {
  const patch = (p: Partial<JobsState>) => set((s: Slice) => ({ jobs: { ...s.jobs, ...p } }))
  return {
    applyJob: (snapshot) => {
      const s = get().jobs
      const rows = snapshot.progress.rowsCommitted ?? snapshot.progress.rowsSent
      const samples =
        rows === undefined
          ? s.samples
          : { ...s.samples, [snapshot.jobId]: [...(s.samples[snapshot.jobId] ?? []), { at: snapshot.updatedAt, rows }].slice(-MAX_SAMPLES) }
      patch({
        byId: { ...s.byId, [snapshot.jobId]: snapshot },
        order: s.byId[snapshot.jobId] ? s.order : [...s.order, snapshot.jobId],
        samples,
      })
      if (snapshot.state === 'done' || snapshot.state === 'failed' || snapshot.state === 'cancelled') get().recordHistory(snapshot)
      if (snapshot.kind === 'inspect' && snapshot.state === 'done') get().inspectionDone(snapshot.jobId, snapshot.result)
    },
    watchJob: (jobId) => patch({ watchedJobId: jobId }),
    cancelJob: async (jobId) => {
      await api.call('job.cancel', { jobId })
    },
    resumeJob: async (jobId) => {
      const reply = await api.call('load.resume', { jobId })
      if (reply.ok) get().watchJob(reply.result.jobId)
    },
  }
}
