// Sluice: `bulkCopy` fed by the lazy generator (rows are produced as the encoder pulls them, up
// to 1,024 at a time — nothing holds the whole data set), or with --prebuilt from an array built
// before the clock starts.
const { rows } = require('../gen.js')
const { sluiceClient } = require('./sluice-load.js')

sluiceClient(
  'sluice',
  (n) => rows(n),
  (c, table, source, options) => c.bulkCopy(table, source, options),
)
