// The file side as far as this build's core goes: files reach the local process (upload, drop,
// paste) and get cards; preview and load are the native readers' and loader's (issues 9 and 11),
// and until those land the UI says so plainly instead of pretending. When they land, these
// expectations of "not available" turn into the preview grid and the load flow.
import { connect } from '@sluice/native'
import { expect, screenshot, test } from './fixtures'

const CSV = Buffer.from('id,name,amount\n1,Ann,2.50\n2,Bob,3.75\n')

test('Add files uploads a CSV, shows its card with name and size, and says the preview is not in this build', async ({ openApp }) => {
  const page = await openApp()
  await page.getByLabel('Add files', { exact: true }).setInputFiles({ name: 'sales.csv', mimeType: 'text/csv', buffer: CSV })
  const card = page.getByRole('listitem', { name: 'sales.csv' })
  await expect(card).toContainText('sales.csv')
  await expect(card).toContainText(`${CSV.length} bytes · uploaded`)
  await expect(card).toContainText('Selected for loading')
  await expect(card.getByRole('alert')).toContainText(
    'preview is not available in this build of Sluice: it arrives with the file readers (issue 9)',
  )
  await screenshot(page, '07-file-added')
})

test('a dropped file and pasted cells get cards too; Remove takes a card away', async ({ openApp }) => {
  const page = await openApp()
  await page.getByRole('region', { name: 'Drop files here' }).evaluate((zone) => {
    const dt = new DataTransfer()
    dt.items.add(new File(['a;b\n1;2\n'], 'dropped.csv', { type: 'text/csv' }))
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
  })
  await expect(page.getByRole('listitem', { name: 'dropped.csv' })).toContainText('8 bytes')
  await page.getByText('Paste cells from a spreadsheet').click()
  await page.getByRole('textbox', { name: 'Pasted cells' }).fill('city\tpeople\nOslo\t700000\n')
  await page.getByRole('button', { name: 'Add pasted cells' }).click()
  await expect(page.getByRole('listitem', { name: 'Pasted cells 1.tsv' })).toContainText('pasted')
  await page.getByRole('button', { name: 'Remove dropped.csv' }).click()
  await expect(page.getByRole('listitem', { name: 'dropped.csv' })).toHaveCount(0)
  await expect(page.getByRole('list', { name: 'Files' }).getByRole('listitem')).toHaveCount(1)
})

test('mapping to a new table and pressing Load reports that the file load is not in this build, with no job started', async ({
  openApp,
  tds,
}) => {
  const page = await openApp()
  await page.getByRole('textbox', { name: 'Connection string' }).fill(tds.connectionString('Encrypt=Mandatory;TrustServerCertificate=True'))
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('Connected')
  await page.getByLabel('Add files', { exact: true }).setInputFiles({ name: 'sales.csv', mimeType: 'text/csv', buffer: CSV })
  await expect(page.getByRole('listitem', { name: 'sales.csv' })).toBeVisible()
  const load = page.getByRole('button', { name: 'Load', exact: true })
  await expect(load).toBeDisabled()
  await page.getByRole('radio', { name: 'New table' }).check()
  await page.getByRole('textbox', { name: 'Table name' }).fill('dbo.sales')
  await page.getByRole('spinbutton', { name: 'Max rejected rows' }).fill('5')
  await expect(load).toBeEnabled()
  await load.click()
  await expect(page.getByRole('alert').filter({ hasText: 'loadFile is not available in this build of Sluice' })).toBeVisible()
  await expect(page.getByRole('status', { name: 'Load status' })).toHaveText('Nothing is loading.')
  await expect(page.getByRole('status')).toHaveCount(1)
  await expect(page.getByRole('progressbar')).toHaveCount(0)
  await page.getByRole('button', { name: 'Dry run' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'loadFile is not available' })).toBeVisible()
  await screenshot(page, '08-mapping')
})

test('Existing table offers the database’s tables; templates say they are not in this build', async ({ openApp, tds }) => {
  const c = await connect(tds.connectionString('Encrypt=Optional'))
  await c.query('CREATE TABLE dbo.e2e_orders (id int, amount decimal(10,2))')
  await c.close()
  const page = await openApp()
  await page.getByRole('textbox', { name: 'Connection string' }).fill(tds.connectionString('Encrypt=Optional'))
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('Connected')
  await page.getByRole('radio', { name: 'Existing table' }).check()
  await page.getByRole('combobox', { name: 'Tables in the database' }).selectOption('dbo.e2e_orders')
  await expect(page.getByRole('textbox', { name: 'Table name' })).toHaveValue('dbo.e2e_orders')
  await expect(page.getByText('Columns of dbo.e2e_orders:')).toBeVisible()
  await expect(page.locator('.target-columns')).toContainText('id int, amount decimal(10,2)')
  await page.getByRole('textbox', { name: 'Template file' }).fill('/tmp/sluice-e2e-template.json')
  await page.getByRole('button', { name: 'Open template' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'openTemplate is not available in this build' })).toBeVisible()
})

test('keyboard only: Tab reaches Add files with a visible focus ring, and Space opens the file chooser', async ({ openApp }) => {
  const page = await openApp()
  const input = page.getByLabel('Add files', { exact: true })
  for (let i = 0; i < 40 && !(await input.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(input).toBeFocused()
  const ring = await page.locator('label.file-button').evaluate((el) => getComputedStyle(el).outlineStyle)
  expect(ring).not.toBe('none')
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')])
  await chooser.setFiles({ name: 'typed.csv', mimeType: 'text/csv', buffer: CSV })
  await expect(page.getByRole('listitem', { name: 'typed.csv' })).toBeVisible()
  // The next stops are the card's controls, in reading order.
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Remove typed.csv' })).toBeFocused()
})
