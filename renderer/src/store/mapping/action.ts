import type { PreviewColumn } from '../../../../electron/contract'
import type { AppApi } from '../../api/app-api'
import { busy, idle, settle } from '../outcome'
import type { StoreGet, StoreSet } from '../store-types'
import type { MappingState } from './initialState'
import { mappingSelectors } from './selectors'

export interface MappingActions {
  setMode(mode: MappingState['mode']): void
  /** Reads the existing table's columns (Existing table mode), to match and flag before loading. */
  loadTargetColumns(): Promise<void>
  setTable(table: string): void
  setMaxErrors(n: number): void
  setColumn(source: string, patch: Partial<MappingState['columns'][number]>): void
  columnsFromPreview(columns: PreviewColumn[]): void
  setTemplatePath(path: string): void
  /** "Load anyway": load despite the drift the opened template showed. */
  setAllowDrift(allow: boolean): void
  startLoad(dryRun: boolean): Promise<void>
  saveTemplate(): Promise<void>
  openTemplate(): Promise<void>
}

type Slice = { mapping: MappingState }

export function mappingActions(set: StoreSet, get: StoreGet, api: AppApi): MappingActions {
  const patch = (p: Partial<MappingState>) => set((s: Slice) => ({ mapping: { ...s.mapping, ...p } }))
  const context = () => {
    const open = get().connections.open
    const fileId = get().files.selectedFileId
    const reader = get().files.cards.find((c) => c.entry.fileId === fileId)?.reader ?? {}
    return { connectionId: open.status === 'ok' ? open.value.connectionId : null, fileId, reader }
  }
  const request = () => mappingSelectors.loadRequest(get().mapping, context())
  const fail = (message: string) => patch({ request: { status: 'error', error: { code: 'EINVALID', message } } })

  return {
    setMode: (mode) => {
      patch({ mode })
      if (mode === 'append') void get().loadTargetColumns()
    },
    loadTargetColumns: async () => {
      const { mode, table } = get().mapping
      const { connectionId } = context()
      if (mode !== 'append' || !table.trim() || !connectionId) return patch({ targetColumns: idle, targetTable: '' })
      patch({ targetColumns: busy, targetTable: table.trim() })
      const reply = await api.call('connection.columns', { connectionId, table: table.trim() })
      if (get().mapping.targetTable === table.trim()) patch({ targetColumns: settle(reply) })
    },
    setTable: (table) => patch({ table }),
    setMaxErrors: (n) => patch({ maxErrors: Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0 }),
    setColumn: (source, p) => patch({ columns: get().mapping.columns.map((c) => (c.source === source ? { ...c, ...p } : c)) }),
    columnsFromPreview: (columns) => {
      // A template opened on this file keeps its mapping when the whole-file read lands after it.
      const t = get().mapping.template
      if (t && t.fileId === get().files.selectedFileId) return
      patch({
        template: null,
        drift: [],
        allowDrift: false,
        columns: columns.map((c) => ({
          source: c.name,
          include: true,
          target: c.name,
          sqlType: c.sqlType ?? 'nvarchar(max)',
          nullable: c.nullable ?? true,
          emptyAsNull: true,
          dateOrder: 'auto',
        })),
      })
    },
    setTemplatePath: (templatePath) => patch({ templatePath }),
    setAllowDrift: (allowDrift) => patch({ allowDrift }),
    startLoad: async (dryRun) => {
      const r = request()
      if (!r) return fail(mappingSelectors.problems(get().mapping, context()).join(' '))
      patch({ request: busy, lastRequest: r })
      const reply = await api.call(dryRun ? 'load.dryRun' : 'load.start', r)
      if (!reply.ok) return patch({ request: { status: 'error', error: reply.error } })
      get().watchJob(reply.result.jobId)
      patch({ request: { status: 'ok', value: dryRun ? 'Dry run started.' : 'Load started.' } })
    },
    saveTemplate: async () => {
      const r = request()
      const path = get().mapping.templatePath.trim()
      if (!r || !path) return fail(!path ? 'Enter the template file path.' : mappingSelectors.problems(get().mapping, context()).join(' '))
      patch({ request: busy })
      const reply = await api.call('template.save', { path, request: r })
      patch({
        request: reply.ok ? { status: 'ok', value: `Template saved to ${reply.result.path}.` } : { status: 'error', error: reply.error },
      })
    },
    openTemplate: async () => {
      const path = get().mapping.templatePath.trim()
      if (!path) return fail('Enter the template file path.')
      patch({ request: busy })
      const fileId = context().fileId
      const reply = await api.call('template.open', fileId ? { path, fileId } : { path })
      if (!reply.ok) return patch({ request: { status: 'error', error: reply.error } })
      const t = reply.result.request
      patch({
        mode: t.mode === 'create' ? 'create' : 'append',
        table: t.table,
        columns: t.columns,
        maxErrors: t.maxErrors,
        template: { path, fileId },
        drift: reply.result.drift,
        allowDrift: false,
        request: { status: 'ok', value: 'Template opened.' },
      })
    },
  }
}
