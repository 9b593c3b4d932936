// The files the user added, by id. The UI refers to files by id only; the path stays here, and
// the native reader opens it itself. Pasted cells and browser uploads become temporary files,
// so they are read by the same native reader as a dropped file (a paste loads exactly as it
// previews), and are deleted when removed or at shutdown.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FileEntry } from '../contract'
import { AppError } from '../dispatcher'

export class FileRegistry {
  private readonly files = new Map<string, FileEntry>()
  private tempDir: string | null = null

  addPaths(paths: string[]): FileEntry[] {
    return paths.map((p) => {
      const resolved = path.resolve(p)
      let stat: fs.Stats
      try {
        stat = fs.statSync(resolved)
      } catch (err) {
        throw new AppError('ENOTFOUND', `cannot open ${resolved}: ${(err as Error).message}`)
      }
      if (!stat.isFile()) throw new AppError('EINVALID', `${resolved} is not a file`)
      return this.register({ name: path.basename(resolved), path: resolved, size: stat.size, origin: 'path' })
    })
  }

  /** Tab-separated cells as a spreadsheet puts them on the clipboard. */
  addPaste(text: string): FileEntry {
    const target = path.join(this.temp(), `pasted-${randomUUID()}.tsv`)
    fs.writeFileSync(target, text, { mode: 0o600 })
    const count = [...this.files.values()].filter((f) => f.origin === 'paste').length + 1
    return this.register({ name: `Pasted cells ${count}.tsv`, path: target, size: Buffer.byteLength(text), origin: 'paste' })
  }

  /** A file streamed from the browser (web transport), kept under its own name's extension. */
  async addUpload(name: string, body: Readable, maxBytes: number): Promise<FileEntry> {
    const safe =
      path
        .basename(name)
        .replace(/[^\w.\- ]/g, '_')
        .slice(-120) || 'upload'
    const dir = fs.mkdtempSync(path.join(this.temp(), 'upload-'))
    const target = path.join(dir, safe)
    let size = 0
    body.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) body.destroy(new AppError('EINVALID', `upload larger than ${maxBytes} bytes`))
    })
    await pipeline(body, fs.createWriteStream(target, { mode: 0o600 }))
    return this.register({ name: safe, path: target, size, origin: 'upload' })
  }

  get(fileId: string): FileEntry {
    const f = this.files.get(fileId)
    if (!f) throw new AppError('ENOTFOUND', 'no file with that id (was it removed?)')
    return f
  }

  remove(fileId: string): boolean {
    const f = this.files.get(fileId)
    if (!f) return false
    this.files.delete(fileId)
    if (f.origin !== 'path') fs.rmSync(f.path, { force: true })
    return true
  }

  dispose(): void {
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true })
    this.tempDir = null
    this.files.clear()
  }

  private register(f: Omit<FileEntry, 'fileId'>): FileEntry {
    const entry: FileEntry = { fileId: randomUUID(), ...f }
    this.files.set(entry.fileId, entry)
    return entry
  }

  private temp(): string {
    this.tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-files-'))
    return this.tempDir
  }
}
