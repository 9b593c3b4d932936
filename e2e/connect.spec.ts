// The connection manager against the TDS test server: success (with the server's version),
// wrong password (the server's own error text), a TLS failure, the pasted-string path, the
// form path, the local test server, and keyboard-only use.
import { expect, screenshot, test } from './fixtures'

test('the start screen shows the connection manager and the file drop zone', async ({ openApp }) => {
  const page = await openApp()
  await expect(page.getByRole('textbox', { name: 'Connection string' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Local test server' })).toBeVisible()
  await expect(page.getByLabel('Add files')).toBeAttached()
  await screenshot(page, '01-start')
})

test('pasting a connection string and pressing Connect connects and shows the server version', async ({ openApp, tds }) => {
  const page = await openApp()
  await page.getByRole('textbox', { name: 'Connection string' }).fill(tds.connectionString('Encrypt=Mandatory;TrustServerCertificate=True'))
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  const connection = page.getByRole('region', { name: 'Connection' })
  await expect(connection).toContainText('Connected')
  await expect(connection).toContainText('Microsoft SQL Server 2022')
  await expect(connection).toContainText('sa @ 127.0.0.1')
  await screenshot(page, '02-connected')
})

test('Test connection fills the form from the string, warns about trusting the certificate and shows the version', async ({
  openApp,
  tds,
}) => {
  const page = await openApp()
  await page
    .getByRole('textbox', { name: 'Connection string' })
    .fill(tds.connectionString('Encrypt=Mandatory;TrustServerCertificate=True;Database=master'))
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(page.getByText(/^Connected to Microsoft SQL Server 2022/)).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Server', exact: true })).toHaveValue(`127.0.0.1,${tds.port}`)
  await expect(page.getByRole('textbox', { name: 'Database' })).toHaveValue('master')
  await expect(page.getByRole('checkbox', { name: /Trust the server certificate/ })).toBeChecked()
  await expect(page.getByRole('alert').filter({ hasText: 'will not be checked' })).toBeVisible()
  await screenshot(page, '03-test-connection')
})

test('a pasted connection string with a password fills the form and leaves the password nowhere in view', async ({ openApp, tds }) => {
  const page = await openApp()
  const box = page.getByRole('textbox', { name: 'Connection string' })
  const pasted = tds.connectionString('Encrypt=Mandatory;TrustServerCertificate=True')
  const password = /Password=([^;]+)/.exec(pasted)?.[1] ?? ''
  expect(password).not.toBe('')
  await box.fill(pasted)
  await box.dispatchEvent('paste')
  await expect(box).toHaveValue('')
  await expect(page.getByRole('note')).toContainText('its password stays hidden in the Password box')
  const secret = page.getByLabel('Password', { exact: true })
  await expect(secret).toHaveAttribute('type', 'password')
  await expect(secret).toHaveValue(password)
  await expect(page.getByRole('textbox', { name: 'User name' })).toHaveValue('sa')
  await expect(page.locator('body')).not.toContainText(password)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('Connected')
  await expect(page.locator('body')).not.toContainText(password)
})

test('a wrong password shows the server’s own error text', async ({ openApp, tds }) => {
  const page = await openApp()
  await page
    .getByRole('textbox', { name: 'Connection string' })
    .fill(`Server=127.0.0.1,${tds.port};User ID=sa;Password=wrong;TrustServerCertificate=True`)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  const alert = page.getByRole('alert').filter({ hasText: 'Connect:' })
  await expect(alert).toContainText("Login failed for user 'sa'.")
  await expect(alert).toContainText('ELOGIN 18456')
  await expect(page.getByRole('region', { name: 'Connection' })).toHaveCount(0)
  await screenshot(page, '04-wrong-password')
})

test('an untrusted certificate is refused with the TLS error, and pinning the certificate connects', async ({ openApp, tds }) => {
  const page = await openApp()
  await page.getByRole('textbox', { name: 'Connection string' }).fill(tds.connectionString('Encrypt=Mandatory'))
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  const alert = page.getByRole('alert').filter({ hasText: 'Connect:' })
  await expect(alert).toContainText('invalid peer certificate')
  await expect(alert).toContainText('ETLS')
  await expect(alert).toContainText("does not trust the server's certificate")
  await screenshot(page, '05-tls-error')
  await page.getByRole('textbox', { name: 'Server certificate file (optional)' }).fill(tds.certificatePath)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('Connected')
})

test('filling the form by hand (Optional encryption) connects', async ({ openApp, tds }) => {
  const page = await openApp()
  await page.getByRole('textbox', { name: 'Server', exact: true }).fill(`127.0.0.1,${tds.port}`)
  await page.getByRole('textbox', { name: 'User name' }).fill('sa')
  await page.getByLabel('Password', { exact: true }).fill('Sluice_Test_1')
  await page.getByRole('combobox', { name: 'Encryption' }).selectOption('Optional')
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('Connected')
})

test('interactive Entra ID modes are refused with a way to get a token', async ({ openApp }) => {
  const page = await openApp()
  await page
    .getByRole('textbox', { name: 'Connection string' })
    .fill('Server=x.database.windows.net;Authentication=Active Directory Interactive')
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'only SQL logins and an Entra ID access token are supported' })).toBeVisible()
})

test('Local test server starts Sluice’s own server and connects to it', async ({ openApp }) => {
  const page = await openApp()
  await page.getByRole('button', { name: 'Local test server' }).click()
  const connection = page.getByRole('region', { name: 'Connection' })
  await expect(connection).toContainText('Connected')
  await expect(connection).toContainText('Sluice test server')
  await expect(connection).toContainText('Local test server: ')
  await screenshot(page, '06-local-test-server')
})

test('the connect flow works with the keyboard alone, with a visible focus ring', async ({ openApp, tds }) => {
  const page = await openApp()
  await page.locator('body').focus()
  const box = page.getByRole('textbox', { name: 'Connection string' })
  for (let i = 0; i < 20 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(box).toBeFocused()
  const outline = await box.evaluate((el) => getComputedStyle(el).outlineStyle)
  expect(outline).not.toBe('none')
  await page.keyboard.insertText(tds.connectionString('Encrypt=Mandatory;TrustServerCertificate=True'))
  const connect = page.getByRole('button', { name: 'Connect', exact: true })
  for (let i = 0; i < 40 && !(await connect.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
  await expect(connect).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('region', { name: 'Connection' })).toContainText('Connected')
})
