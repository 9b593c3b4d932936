// Arguments of the file-load clients: the bulk clients' (--port, --batch, …) plus the file.
const { parseArgs } = require('../../clients/common.js')

/** `--file PATH` and `--rows N` (the expected count, checked after the load) plus common.js's. */
function parseFileArgs(argv) {
  const i = argv.indexOf('--file')
  if (i < 0 || !argv[i + 1]) throw new Error('--file is required')
  const file = argv[i + 1]
  return { ...parseArgs([...argv.slice(0, i), ...argv.slice(i + 2)]), file }
}

module.exports = { parseFileArgs }
