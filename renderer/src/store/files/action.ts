import type { AppApi } from '../../api/app-api'
import { busy, settle } from '../outcome'
import type { StoreGet, StoreSet } from '../store-types'
import type { FileCard, FilesState } from './initialState'
import { filesSelectors } from './selectors'

export interface FilesActions {
  addFiles(files: File[]): Promise<void>
  pasteCells(text: string): Promise<void>
  removeFile(fileId: string): Promise<void>
  selectFile(fileId: string): void
  previewFile(fileId: string): Promise<void>
  /** Starts the whole-file inspection behind the preview (a job with progress). */
  inspectFile(fileId: string): Promise<void>
  /** A finished inspection job: keeps its columns on the card and proposes them to the mapping. */
  inspectionDone(jobId: string, result: Record<string, unknown> | undefined): void
}

type Slice = { files: FilesState }

export function filesActions(set: StoreSet, get: StoreGet, api: AppApi): FilesActions {
  const patch = (p: Partial<FilesState>) => set((s: Slice) => ({ files: { ...s.files, ...p } }))
  const updateCard = (fileId: string, p: Partial<FileCard>) =>
    set((s: Slice) => ({ files: { ...s.files, cards: s.files.cards.map((c) => (c.entry.fileId === fileId ? { ...c, ...p } : c)) } }))

  const added = async (reply: Awaited<ReturnType<AppApi['addFiles']>>) => {
    if (!reply.ok) {
      patch({ adding: false, addError: reply.error })
      return
    }
    const cards: FileCard[] = reply.result.map((entry) => ({
      entry,
      preview: busy,
      inspectJobId: null,
      inspectError: null,
      inspected: null,
    }))
    patch({
      adding: false,
      addError: null,
      cards: [...get().files.cards, ...cards],
      selectedFileId: cards[0]?.entry.fileId ?? get().files.selectedFileId,
    })
    await Promise.all(cards.map((c) => get().previewFile(c.entry.fileId)))
  }

  return {
    addFiles: async (files) => {
      if (files.length === 0) return
      patch({ adding: true, addError: null })
      await added(await api.addFiles(files))
    },
    pasteCells: async (text) => {
      if (!text.trim()) return
      patch({ adding: true, addError: null })
      const reply = await api.call('files.paste', { text })
      await added(reply.ok ? { ok: true, result: [reply.result] } : reply)
    },
    removeFile: async (fileId) => {
      await api.call('files.remove', { fileId })
      const cards = get().files.cards.filter((c) => c.entry.fileId !== fileId)
      patch({
        cards,
        selectedFileId: get().files.selectedFileId === fileId ? (cards[0]?.entry.fileId ?? null) : get().files.selectedFileId,
      })
    },
    selectFile: (fileId) => {
      patch({ selectedFileId: fileId })
      const card = get().files.cards.find((c) => c.entry.fileId === fileId)
      const columns = card ? filesSelectors.selectedColumns({ ...get().files, selectedFileId: fileId }) : []
      if (columns.length > 0) get().columnsFromPreview(columns)
    },
    previewFile: async (fileId) => {
      updateCard(fileId, { preview: busy })
      const preview = settle(await api.call('files.preview', { fileId, options: {} }))
      updateCard(fileId, { preview })
      if (preview.status !== 'ok') return
      if (get().files.selectedFileId === fileId) get().columnsFromPreview(preview.value.columns)
      await get().inspectFile(fileId)
    },
    inspectFile: async (fileId) => {
      const reply = await api.call('files.inspect', { fileId, options: {} })
      updateCard(fileId, reply.ok ? { inspectJobId: reply.result.jobId, inspectError: null } : { inspectError: reply.error })
    },
    inspectionDone: (jobId, result) => {
      const card = filesSelectors.cardOfInspection(get().files, jobId)
      const inspected = filesSelectors.inspectedColumns(result)
      if (!card || !inspected) return
      updateCard(card.entry.fileId, { inspected })
      if (get().files.selectedFileId === card.entry.fileId) get().columnsFromPreview(inspected)
    },
  }
}
