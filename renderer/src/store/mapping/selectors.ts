import type { LoadRequest, TableColumn } from '../../../../electron/contract'
import type { MappingState } from './initialState'

/** SQL Server types offered per column; the inference's own proposal is added when it differs. */
export const SQL_TYPES = [
  'int',
  'bigint',
  'smallint',
  'tinyint',
  'bit',
  'decimal(18,2)',
  'float',
  'date',
  'datetime2(3)',
  'datetimeoffset(7)',
  'time(0)',
  'uniqueidentifier',
  'varchar(255)',
  'nvarchar(255)',
  'nvarchar(max)',
] as const

/** Lower-case with punctuation and spaces removed: how "existing table" matches column names. */
export function matchKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

function problems(s: MappingState, ctx: { connectionId: string | null; fileId: string | null }): string[] {
  const out: string[] = []
  if (!ctx.connectionId) out.push('Connect to a server first.')
  if (!ctx.fileId) out.push('Add a file first.')
  if (!s.table.trim()) out.push('Enter a table name.')
  const targets = s.columns.filter((c) => c.include).map((c) => matchKey(c.target))
  const dup = targets.find((t, i) => targets.indexOf(t) !== i)
  if (dup !== undefined) out.push(`Two columns map to the same name (${dup}).`)
  if (s.columns.length > 0 && targets.length === 0) out.push('Include at least one column.')
  return out
}

export const mappingSelectors = {
  problems,
  /** The request Load and Dry run send, or null while something is missing. */
  loadRequest: (s: MappingState, ctx: { connectionId: string | null; fileId: string | null }): LoadRequest | null => {
    if (problems(s, ctx).length > 0 || !ctx.connectionId || !ctx.fileId) return null
    return {
      connectionId: ctx.connectionId,
      fileId: ctx.fileId,
      mode: s.mode,
      table: s.table.trim(),
      columns: s.columns,
      reader: {},
      maxErrors: s.maxErrors,
    }
  },
  /** For "Existing table": the mapped columns that match none of the table's, by matchKey. */
  unmatched: (s: MappingState, tableColumns: string[]) => {
    const keys = new Set(tableColumns.map(matchKey))
    return s.columns.filter((c) => c.include && !keys.has(matchKey(c.target))).map((c) => c.target)
  },
  /**
   * What does not line up with the existing table before anything loads: source columns that
   * match no table column, and NOT NULL table columns nothing is mapped to. (Whether the values
   * fit the types is the native load's check, made before any row is sent.)
   */
  targetMismatches: (s: MappingState, target: TableColumn[]): string[] => {
    const included = new Set(s.columns.filter((c) => c.include).map((c) => matchKey(c.target)))
    const keys = new Set(target.map((c) => matchKey(c.name)))
    const out = s.columns
      .filter((c) => c.include && !keys.has(matchKey(c.target)))
      .map((c) => `${c.target}: no column of the table matches this name`)
    if (s.columns.length > 0) {
      for (const t of target)
        if (!t.nullable && !included.has(matchKey(t.name))) out.push(`${t.name} (${t.sqlType} NOT NULL): nothing is mapped to it`)
    }
    return out
  },
  typeChoices: (proposed: string | undefined): string[] =>
    proposed && !SQL_TYPES.includes(proposed as never) ? [proposed, ...SQL_TYPES] : [...SQL_TYPES],
  includedCount: (s: MappingState) => s.columns.filter((c) => c.include).length,
}
