// Files against the real native readers: a CSV and a workbook preview the moment they are
// added, the whole-file inference runs behind the preview and its evidence is one click away;
// pasted cells and dropped files get cards too.
import fs from 'node:fs'
import path from 'node:path'
import { REPO } from '../test/helpers/server'
import { addFile } from './app-flow'
import { expect, screenshot, test } from './fixtures'

const CSV = Buffer.from('id,name,amount\n1,Ann,2.50\n2,Bob,3.75\n')
const XLSX = fs.readFileSync(path.join(REPO, 'native', 'files', 'testdata', 'sample.xlsx'))

test('Add files previews a CSV at once, then reads the whole file for types; "Why int?" shows the evidence', async ({ openApp }) => {
  const page = await openApp()
  const card = await addFile(page, 'sales.csv', CSV)
  await expect(card).toContainText(`${CSV.length} bytes · uploaded · CSV · UTF-8 · ','`)
  const grid = card.getByRole('region', { name: 'Preview of sales.csv' })
  await expect(grid.getByRole('columnheader')).toHaveText(['idint', 'namevarchar(3)', 'amountdecimal(3,2)'])
  await expect(grid.getByRole('row').nth(2)).toHaveText('2Bob3.75')
  await expect(card).toContainText('Whole file read: 2 rows; the types below cover every row.')
  await page.getByText('Why int?').click()
  await expect(page.locator('details.evidence[open]')).toContainText('"rows": 2')
  await expect(page.getByRole('combobox', { name: 'Type of amount' })).toHaveValue('decimal(3,2)')
  await screenshot(page, '07-file-added')
})

test('an xlsx shows its sheets to pick from; picking another sheet previews that sheet', async ({ openApp }) => {
  const page = await openApp()
  const card = await addFile(page, 'sample.xlsx', XLSX, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  await expect(card).toContainText('XLSX')
  const sheet = card.getByRole('combobox', { name: 'Sheet of sample.xlsx' })
  await expect(sheet).toHaveValue('Orders')
  await expect(sheet.getByRole('option')).toHaveText(['Cover', 'Orders', 'Hidden', 'Empty'])
  const grid = card.getByRole('region', { name: 'Preview of sample.xlsx' })
  await expect(grid).toContainText('Ada Lovelace')
  await screenshot(page, '08-workbook')
  await sheet.selectOption('Cover')
  await expect(sheet).toHaveValue('Cover')
  await expect(grid).not.toContainText('Ada Lovelace')
})

test('a dropped file and pasted cells get cards with previews; Remove takes a card away', async ({ openApp }) => {
  const page = await openApp()
  await page.getByRole('region', { name: 'Drop files here' }).evaluate((zone) => {
    const dt = new DataTransfer()
    dt.items.add(new File(['a;b\n1;2\n'], 'dropped.csv', { type: 'text/csv' }))
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
  })
  await expect(page.getByRole('listitem', { name: 'dropped.csv' })).toContainText("8 bytes · uploaded · CSV · UTF-8 · ';'")
  await page.getByText('Paste cells from a spreadsheet').click()
  await page.getByRole('textbox', { name: 'Pasted cells' }).fill('city\tpeople\nOslo\t700000\n')
  await page.getByRole('button', { name: 'Add pasted cells' }).click()
  const pasted = page.getByRole('listitem', { name: 'Pasted cells 1.tsv' })
  await expect(pasted).toContainText('pasted')
  await expect(pasted.getByRole('region', { name: 'Preview of Pasted cells 1.tsv' })).toContainText('Oslo700000')
  await page.getByRole('button', { name: 'Remove dropped.csv' }).click()
  await expect(page.getByRole('listitem', { name: 'dropped.csv' })).toHaveCount(0)
  await expect(page.getByRole('list', { name: 'Files' }).getByRole('listitem')).toHaveCount(1)
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
