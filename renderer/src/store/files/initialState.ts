import type { CallError, FileEntry, FilePreview, PreviewColumn } from '../../../../electron/contract'
import type { Outcome } from '../outcome'

export interface FileCard {
  entry: FileEntry
  preview: Outcome<FilePreview>
  /** The whole-file inspection: its job, why it could not start, and its columns once done. */
  inspectJobId: string | null
  inspectError: CallError | null
  inspected: PreviewColumn[] | null
}

export interface FilesState {
  cards: FileCard[]
  selectedFileId: string | null
  adding: boolean
  addError: CallError | null
}

export const filesInitialState: FilesState = { cards: [], selectedFileId: null, adding: false, addError: null }
