import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { SavedConnectionStore, type SecretVault } from './saved-connections'
import { emptyFormFor } from './saved-connections.fixture'

/** A reversible stand-in for the OS keychain (safeStorage itself needs Electron). */
const vault: SecretVault = {
  encrypt: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
}

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-saved-')), 'connections.json')
}

test('with a vault, the password is written only as the vault’s ciphertext, never given back by get, and filled in main only', () => {
  const file = tempFile()
  const store = new SavedConnectionStore(vault, file)
  const saved = store.save('prod', emptyFormFor('db.example', 'ann', 'Hunter2!secret'), true)
  assert.equal(saved.hasSecret, true)
  assert.equal(saved.form.password, '')
  const onDisk = fs.readFileSync(file, 'utf8')
  assert.ok(!onDisk.includes('Hunter2!secret'), 'no plain password on disk')
  assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600')
  const again = new SavedConnectionStore(vault, file)
  assert.equal(again.list().connections[0]?.form.password, '', 'lists carry no secret')
  const got = again.get(saved.id)
  assert.equal(got.form.password, '', 'get (what the renderer receives) carries no secret')
  assert.equal(got.hasSecret, true)
  assert.ok(!JSON.stringify(got).includes('Hunter2!secret'))
  assert.equal(again.withSecret(saved.id, got.form).password, 'Hunter2!secret')
  // A password typed into the form wins over the saved one.
  assert.equal(again.withSecret(saved.id, { ...got.form, password: 'typed' }).password, 'typed')
})

test('without saveSecret, or without a vault, no secret is kept', () => {
  const withVault = new SavedConnectionStore(vault, null)
  const s = withVault.save('a', emptyFormFor('h', 'u', 'pw'), false)
  assert.equal(withVault.get(s.id).form.password, '')
  assert.equal(withVault.get(s.id).hasSecret, false)
  assert.equal(withVault.withSecret(s.id, withVault.get(s.id).form).password, '')
  const browser = new SavedConnectionStore(null, null)
  assert.equal(browser.list().secretStorage, 'none')
  assert.throws(() => browser.save('b', emptyFormFor('h', 'u', 'pw'), true), { code: 'ENOTAVAILABLE' })
  const kept = browser.save('b', emptyFormFor('h', 'u', 'pw'), false)
  assert.equal(browser.get(kept.id).form.password, '')
})

test('saving under an existing name replaces it; delete removes it', () => {
  const store = new SavedConnectionStore(null, null)
  const a = store.save('x', emptyFormFor('h1', 'u', ''), false)
  const b = store.save('x', emptyFormFor('h2', 'u', ''), false)
  assert.equal(a.id, b.id)
  assert.deepEqual(
    store.list().connections.map((c) => c.form.server),
    ['h2'],
  )
  assert.equal(store.delete(a.id), true)
  assert.equal(store.delete(a.id), false)
  assert.throws(() => store.get(a.id), { code: 'ENOTFOUND' })
})
