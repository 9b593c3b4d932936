import type { PreviewColumn } from '../../../../electron/contract'
import type { FilesState } from './initialState'

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB']

/** 1,536 → "1.5 KB" (powers of 1024, as file managers show sizes). */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`
}

/**
 * The columns of a finished inspection's result (`{ columns: [{ name, sqlType, nullable, evidence }] }`,
 * issue 9), read defensively: the result crosses from the native side as plain data.
 */
function inspectedColumns(result: Record<string, unknown> | undefined): PreviewColumn[] | null {
  const columns = result?.columns
  if (!Array.isArray(columns)) return null
  const out: PreviewColumn[] = []
  for (const c of columns) {
    if (!c || typeof c !== 'object' || typeof (c as { name?: unknown }).name !== 'string') return null
    const { name, sqlType, nullable, evidence } = c as Record<string, unknown>
    out.push({
      name: name as string,
      ...(typeof sqlType === 'string' ? { sqlType } : {}),
      ...(typeof nullable === 'boolean' ? { nullable } : {}),
      ...(evidence !== undefined ? { evidence } : {}),
    })
  }
  return out
}

export const filesSelectors = {
  inspectedColumns,
  /** The card whose inspection job this is. */
  cardOfInspection: (s: FilesState, jobId: string) => s.cards.find((c) => c.inspectJobId === jobId) ?? null,
  formatSize,
  selected: (s: FilesState) => s.cards.find((c) => c.entry.fileId === s.selectedFileId) ?? null,
  count: (s: FilesState) => s.cards.length,
  totalBytes: (s: FilesState) => s.cards.reduce((n, c) => n + c.entry.size, 0),
  /** The preview's columns of the selected file, or [] until a preview arrived. */
  selectedColumns: (s: FilesState) => {
    const card = s.cards.find((c) => c.entry.fileId === s.selectedFileId)
    return card?.inspected ?? (card?.preview.status === 'ok' ? card.preview.value.columns : [])
  },
  /** "CSV · UTF-8 · ';'" from the preview's detected settings. */
  describeDetected: (card: FilesState['cards'][number]): string => {
    if (card.preview.status !== 'ok') return ''
    const p = card.preview.value
    const delimiter = p.delimiter === '\t' ? 'tab' : p.delimiter ? `'${p.delimiter}'` : null
    // The quote is said only when it is not the usual double quote (null: quotes read as data).
    const quote = !p.delimiter || p.quote === undefined || p.quote === '"' ? null : p.quote === null ? 'no quoting' : `quote ${p.quote}`
    return [p.format.toUpperCase(), p.encoding, delimiter, quote, p.hasHeader === false ? 'no header' : null].filter(Boolean).join(' · ')
  },
}
