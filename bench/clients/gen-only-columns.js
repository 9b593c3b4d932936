// Baseline for the columnar client: only generates the columnar batches (the same lazy
// generator sluice-columnar.js consumes) and drops them.
const { columns } = require('../gen.js')
const { run, parseArgs, timed, report } = require('./common.js')

async function main() {
  const a = parseArgs([...process.argv.slice(2), '--gen-only'])
  const r = await timed(async () => {
    let n = 0
    for (const batch of columns(a.rows)) n += batch[0].length
    return { rows: n }
  })
  report({ client: 'gen-only-js-columns', ...r })
}
run(main)
