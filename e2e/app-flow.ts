// Steps the file and load specs share: connect to the worker's TDS test server, add a file
// through the Add files input, query the server behind the app's back to check what landed.

import type { Locator, Page } from '@playwright/test'
import { connect } from '@sluice/native'
import { expect } from './fixtures'

export async function connectTo(page: Page, connectionString: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Connection string' }).fill(connectionString)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('Connected')
}

export async function addFile(page: Page, name: string, buffer: Buffer, mimeType = 'text/csv'): Promise<Locator> {
  await page.getByLabel('Add files', { exact: true }).setInputFiles({ name, mimeType, buffer })
  const card = page.getByRole('listitem', { name })
  await expect(card.getByRole('region', { name: `Preview of ${name}` })).toBeVisible()
  return card
}

/** Runs SQL on the test server with its own connection (not the app's). */
export async function query(connectionString: string, sql: string): Promise<unknown[][]> {
  const c = await connect(connectionString)
  try {
    return (await c.query(sql)).rows
  } finally {
    await c.close()
  }
}

/** Presses Tab until `target` has focus (at most 80 times): how a keyboard user gets there. */
export async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  await expect(target).toBeFocused()
}
