import { jobsSelectors } from '../store/jobs/selectors'
import { useApp } from '../store-context'

const W = 240
const H = 40

/** The last ~30 s of rows per second, as a small line. */
export function ThroughputChart({ jobId }: { jobId: string }) {
  const samples = useApp((s) => jobsSelectors.samplesOf(s.jobs, jobId))
  const series = jobsSelectors.throughput(samples)
  const points = jobsSelectors.sparkline(series, W, H)
  if (!points) return null
  const peak = Math.round(Math.max(...series)).toLocaleString('en-US')
  return (
    <figure className="throughput">
      <svg
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Throughput over the last samples, peak ${peak} rows per second`}
      >
        <polyline points={points} fill="none" stroke="currentColor" strokeWidth="2" />
      </svg>
      <figcaption className="hint">rows/s (peak {peak})</figcaption>
    </figure>
  )
}
