// Baseline: only generates the rows (the same lazy generator the JS clients consume) and
// drops them, so the cost of producing the data can be told apart from the cost of loading it.
const { rows } = require('../gen.js')
const { run, parseArgs, timed, report } = require('./common.js')

async function main() {
  const a = parseArgs([...process.argv.slice(2), '--gen-only'])
  const r = await timed(async () => {
    let n = 0
    for (const row of rows(a.rows)) if (row.length === 12) n++
    return { rows: n }
  })
  report({ client: 'gen-only-js', ...r })
}
run(main)
