import type { CallError, FileEntry, FilePreview } from '../../../../electron/contract'
import type { Outcome } from '../outcome'

export interface FileCard {
  entry: FileEntry
  preview: Outcome<FilePreview>
}

export interface FilesState {
  cards: FileCard[]
  selectedFileId: string | null
  adding: boolean
  addError: CallError | null
}

export const filesInitialState: FilesState = { cards: [], selectedFileId: null, adding: false, addError: null }
