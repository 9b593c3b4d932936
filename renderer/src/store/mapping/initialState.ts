import type { ColumnMapping, LoadRequest, TableColumn, TemplateDrift } from '../../../../electron/contract'
import { idle, type Outcome } from '../outcome'

export interface MappingState {
  mode: 'create' | 'append'
  table: string
  columns: ColumnMapping[]
  /** 0 = stop at the first bad row. */
  maxErrors: number
  templatePath: string
  /** The outcome of the last Load / Dry run / template request (a started job is followed in jobs). */
  request: Outcome<string>
  /** The template the mapping was opened from, and the file it was opened on: loads of that
   * file pass the template itself to the core, which refuses a drifted file. */
  template: { path: string; fileId: string | null } | null
  /** The core's drift list when the template was opened on the file. */
  drift: TemplateDrift[]
  /** "Load anyway": the user has seen the drift and loads despite it. */
  allowDrift: boolean
  lastRequest: LoadRequest | null
  /** For "Existing table": the columns of `targetTable`, read from the database. */
  targetTable: string
  targetColumns: Outcome<TableColumn[]>
}

export const mappingInitialState: MappingState = {
  mode: 'create',
  table: '',
  columns: [],
  maxErrors: 0,
  templatePath: '',
  request: idle,
  template: null,
  drift: [],
  allowDrift: false,
  lastRequest: null,
  targetTable: '',
  targetColumns: idle,
}
