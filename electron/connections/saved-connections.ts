// Saved connections. The form is kept without its secrets; a password or access token is kept
// only when a `SecretVault` (Electron's safeStorage, backed by the OS keychain) encrypts it, and
// then only as that ciphertext. Without a vault — the browser transport — secrets are never
// stored, and the list lives only as long as the process unless a file is given.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ConnectionForm, SavedConnection, SavedConnections } from '../contract'
import { AppError } from '../dispatcher'

/** Electron's `safeStorage`, narrowed to what is used (so this module never imports electron). */
export interface SecretVault {
  encrypt(plain: string): Buffer
  decrypt(cipher: Buffer): string
}

interface StoredConnection {
  id: string
  name: string
  form: ConnectionForm
  /** base64 of the vault's ciphertext of `{ password, accessToken }`. */
  secret?: string
}

function withoutSecrets(form: ConnectionForm): ConnectionForm {
  return { ...form, password: '', accessToken: '' }
}

export class SavedConnectionStore {
  private items: StoredConnection[] = []

  constructor(
    private readonly vault: SecretVault | null,
    private readonly file: string | null,
  ) {
    if (file && fs.existsSync(file)) {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
      if (Array.isArray(parsed)) this.items = parsed as StoredConnection[]
    }
  }

  list(): SavedConnections {
    return {
      secretStorage: this.vault ? 'safeStorage' : 'none',
      connections: this.items.map((c): SavedConnection => ({ id: c.id, name: c.name, form: c.form, hasSecret: c.secret !== undefined })),
    }
  }

  save(name: string, form: ConnectionForm, saveSecret: boolean): SavedConnection {
    const hasSecret = form.password !== '' || form.accessToken !== ''
    let secret: string | undefined
    if (saveSecret && hasSecret) {
      if (!this.vault)
        throw new AppError('ENOTAVAILABLE', 'secrets are not stored in the browser: the connection is saved without its password or token')
      secret = this.vault.encrypt(JSON.stringify({ password: form.password, accessToken: form.accessToken })).toString('base64')
    }
    const existing = this.items.find((c) => c.name === name)
    const item: StoredConnection = { id: existing?.id ?? randomUUID(), name, form: withoutSecrets(form), ...(secret ? { secret } : {}) }
    this.items = [...this.items.filter((c) => c.id !== item.id), item]
    this.persist()
    return { id: item.id, name, form: item.form, hasSecret: secret !== undefined }
  }

  /** The saved form as the renderer gets it: without its secret, which stays in main. */
  get(id: string): { name: string; form: ConnectionForm; hasSecret: boolean } {
    const item = this.find(id)
    return { name: item.name, form: withoutSecrets(item.form), hasSecret: item.secret !== undefined && this.vault !== null }
  }

  /** `form` with the saved connection's secret filled in where the form has none (main only:
   * the secret never goes back to the renderer). */
  withSecret(id: string, form: ConnectionForm): ConnectionForm {
    const item = this.find(id)
    if (!item.secret || !this.vault || form.password !== '' || form.accessToken !== '') return form
    const secret = JSON.parse(this.vault.decrypt(Buffer.from(item.secret, 'base64'))) as { password?: string; accessToken?: string }
    return { ...form, password: secret.password ?? '', accessToken: secret.accessToken ?? '' }
  }

  private find(id: string): StoredConnection {
    const item = this.items.find((c) => c.id === id)
    if (!item) throw new AppError('ENOTFOUND', 'no saved connection with that id')
    return item
  }

  delete(id: string): boolean {
    const before = this.items.length
    this.items = this.items.filter((c) => c.id !== id)
    this.persist()
    return this.items.length < before
  }

  private persist(): void {
    if (!this.file) return
    fs.mkdirSync(path.dirname(this.file), { recursive: true })
    const tmp = `${this.file}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(this.items, null, 2), { mode: 0o600 })
    fs.renameSync(tmp, this.file)
  }
}
