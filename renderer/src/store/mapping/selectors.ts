import type { LoadRequest, ReaderOptions, TableColumn, TemplateDrift } from '../../../../electron/contract'
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

/** The kind of values a SQL Server type holds, to flag a file column whose values cannot fit a table column. */
function family(sqlType: string): string {
  const base = sqlType.toLowerCase().replace(/\(.*$/, '').trim()
  if (['bit', 'tinyint', 'smallint', 'int', 'bigint'].includes(base)) return 'integer'
  if (['decimal', 'numeric', 'money', 'smallmoney', 'float', 'real'].includes(base)) return 'number'
  if (['date', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset'].includes(base)) return 'date'
  if (['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext'].includes(base)) return 'text'
  return base
}

/** Whether values inferred as `from` always fit a column of type `to` (widening only; text takes anything). */
function fits(from: string, to: string): boolean {
  const [f, t] = [family(from), family(to)]
  return f === t || t === 'text' || (f === 'integer' && t === 'number')
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

/** A difference in a few words a person reads at a glance (the core's full sentence goes beside it). */
function driftLine(d: TemplateDrift): string {
  switch (d.kind) {
    case 'added':
      return `${d.column} added (column ${d.position})`
    case 'missing':
      return `${d.column} missing${d.mapped ? ' (the mapping reads it)' : ''}`
    case 'renamed':
      return `${d.from} renamed to ${d.to}`
    case 'moved':
      return `${d.column} moved from column ${d.from} to ${d.to}`
    case 'typeWidened':
      return `${d.column} type widened from ${d.expected} to ${d.found}`
    case 'nowNullable':
      return `${d.column} now nullable${d.targetNotNull ? ' (its target column is NOT NULL)' : ''}`
  }
}

export const mappingSelectors = {
  problems,
  driftLine,
  /** Whether the opened template's drift would make a load refuse the file. */
  driftBlocks: (s: MappingState) => s.drift.some((d) => d.blocks),
  /** The request Load and Dry run send, or null while something is missing. */
  loadRequest: (
    s: MappingState,
    ctx: { connectionId: string | null; fileId: string | null; reader?: ReaderOptions },
  ): LoadRequest | null => {
    if (problems(s, ctx).length > 0 || !ctx.connectionId || !ctx.fileId) return null
    return {
      connectionId: ctx.connectionId,
      fileId: ctx.fileId,
      mode: s.mode,
      table: s.table.trim(),
      columns: s.columns,
      reader: ctx.reader ?? {},
      maxErrors: s.maxErrors,
      // The opened template goes with loads of the file it was opened on (and only those).
      ...(s.template && s.template.fileId === ctx.fileId ? { template: s.template.path } : {}),
      ...(s.template && s.template.fileId === ctx.fileId && s.allowDrift ? { allowDrift: true } : {}),
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
    const byKey = new Map(target.map((t) => [matchKey(t.name), t]))
    for (const c of s.columns) {
      const t = c.include ? byKey.get(matchKey(c.target)) : undefined
      if (t && !fits(c.sqlType, t.sqlType))
        out.push(`${c.target}: the file holds ${c.sqlType} values, the table's ${t.name} is ${t.sqlType}`)
    }
    if (s.columns.length > 0) {
      for (const t of target)
        if (!t.nullable && !included.has(matchKey(t.name))) out.push(`${t.name} (${t.sqlType} NOT NULL): nothing is mapped to it`)
    }
    return out
  },
  /** The standard types, after the inference's proposal and the column's current type (from a template) when they are not among them. */
  typeChoices: (proposed: string | undefined, current?: string): string[] => {
    const extra = [proposed, current].filter((t): t is string => !!t && !SQL_TYPES.includes(t as never))
    return [...new Set([...extra, ...SQL_TYPES])]
  },
  includedCount: (s: MappingState) => s.columns.filter((c) => c.include).length,
}
