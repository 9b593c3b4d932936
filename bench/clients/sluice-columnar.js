// Sluice, columnar input: `bulkCopyColumns` fed by the lazy columnar generator (batches of
// 1,000 rows, typed arrays where the type allows; see gen.js `columns`), or with --prebuilt
// from batches built before the clock starts. The same values as the row clients load.
const { columns } = require('../gen.js')
const { sluiceClient } = require('./sluice-load.js')

sluiceClient(
  'sluice-columnar',
  (n) => columns(n),
  (c, table, source, options) => c.bulkCopyColumns(table, source, options),
)
