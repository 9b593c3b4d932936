import type { JobSnapshot } from '../../../../electron/contract'

export interface JobsState {
  byId: Record<string, JobSnapshot>
  /** Job ids, oldest first. */
  order: string[]
  /** The load or dry run the progress view follows. */
  watchedJobId: string | null
  /** Per job, the last MAX_SAMPLES (time, rows committed) pairs, for the throughput chart. */
  samples: Record<string, ThroughputSample[]>
}

export interface ThroughputSample {
  at: number
  rows: number
}

/** About 30 s of progress at ~10 events a second. */
export const MAX_SAMPLES = 300

export const jobsInitialState: JobsState = { byId: {}, order: [], watchedJobId: null, samples: {} }
