import type { ColumnMapping, LoadRequest, TableColumn } from '../../../../electron/contract'
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
  /** Drift reported when a template was opened on a changed file. */
  drift: string[]
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
  drift: [],
  lastRequest: null,
  targetTable: '',
  targetColumns: idle,
}
