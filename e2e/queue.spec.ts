// Several files queued: two CSVs added, each mapped to its own new table and loaded; the second
// load waits in the queue while the first runs (one native job at a time), then runs, and each
// table holds exactly its file's rows (counted in the server with a query of its own).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { addFile, connectTo, query } from './app-flow'
import { expect, screenshot, test } from './fixtures'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-queue-'))
test.afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

test('two files loaded one after the other through the queue, each into its table with its own count', async ({ openApp, tds }) => {
  const cs = tds.connectionString('Encrypt=Optional')
  // Big enough that the first load is still running when the second is started.
  const big = path.join(tmp, 'first.csv')
  const rows = 2_000_000
  const fd = fs.openSync(big, 'w')
  fs.writeSync(fd, 'id,amount\n')
  for (let start = 1; start <= rows; start += 100_000) {
    let chunk = ''
    for (let i = start; i < start + 100_000; i++) chunk += `${i},${i % 1000}.5\n`
    fs.writeSync(fd, chunk)
  }
  fs.closeSync(fd)
  const page = await openApp()
  await connectTo(page, cs)
  await page.getByLabel('Add files', { exact: true }).setInputFiles(big)
  const first = page.getByRole('listitem', { name: 'first.csv' })
  await expect(first).toContainText('Whole file read: 2,000,000 rows', { timeout: 60_000 })
  const second = await addFile(page, 'second.csv', Buffer.from('code,label\nA,one\nB,two\nC,three\n'))
  await expect(second).toContainText('Whole file read: 3 rows')

  // The first file: its own table, Load.
  await first.getByRole('button', { name: 'Use this file' }).click()
  await page.getByRole('radio', { name: 'New table' }).check()
  await page.getByRole('textbox', { name: 'Table name' }).fill('dbo.e2e_queue_first')
  await expect(page.getByRole('combobox', { name: 'Type of amount' })).toHaveValue('decimal(4,1)')
  await page.getByRole('button', { name: 'Load', exact: true }).click()
  const status = page.getByRole('status', { name: 'Load status' })
  await expect(status).toContainText('first.csv')

  // The second file while the first loads: it waits its turn.
  await second.getByRole('button', { name: 'Use this file' }).click()
  await expect(page.getByRole('combobox', { name: 'Type of label' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Table name' }).fill('dbo.e2e_queue_second')
  await page.getByRole('button', { name: 'Load', exact: true }).click()
  // The panel keeps showing the load that moves; the queue lists the one that waits.
  await expect(status).toContainText('first.csv')
  await expect(page.getByRole('list', { name: 'Queue' }).getByRole('listitem')).toHaveText([
    'Load: first.csv → dbo.e2e_queue_first: running',
    'Load: second.csv → dbo.e2e_queue_second: queued',
  ])
  await screenshot(page, '15-queued')
  await expect(status).toHaveText('3 rows loaded', { timeout: 120_000 })

  // History lists both, newest first: the second finished after the first.
  const history = page.getByRole('table').filter({ hasText: 'Import' })
  await expect(history.getByRole('row').nth(1)).toContainText('Load: second.csv → dbo.e2e_queue_seconddone3')
  await expect(history.getByRole('row').nth(2)).toContainText('Load: first.csv → dbo.e2e_queue_firstdone2,000,000')
  expect(await query(cs, 'SELECT COUNT(*), SUM(CAST(id AS bigint)) FROM dbo.e2e_queue_first')).toEqual([
    [rows, BigInt((rows * (rows + 1)) / 2)],
  ])
  expect(await query(cs, 'SELECT code, label FROM dbo.e2e_queue_second ORDER BY code')).toEqual([
    ['A', 'one'],
    ['B', 'two'],
    ['C', 'three'],
  ])
})
