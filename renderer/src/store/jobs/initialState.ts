import type { JobSnapshot } from '../../../../electron/contract'

export interface JobsState {
  byId: Record<string, JobSnapshot>
  /** Job ids, oldest first. */
  order: string[]
  /** The load or dry run the progress view follows. */
  watchedJobId: string | null
}

export const jobsInitialState: JobsState = { byId: {}, order: [], watchedJobId: null }
