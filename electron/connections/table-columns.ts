// The columns of an existing table, for "Existing table": names, types spelled as SQL Server
// spells them, nullability. Read from INFORMATION_SCHEMA.COLUMNS (SQL Server and the test
// server both answer it). The table name is split into schema and name here and passed as
// string literals with quotes doubled, so a name is only ever data.
import { AppError } from '../dispatcher'

export interface TableColumn {
  name: string
  sqlType: string
  nullable: boolean
}

/** `[dbo].[my.table]`, `dbo.t` or `t` (schema dbo) → [schema, name]; `]]` inside brackets is `]`. */
export function splitTableName(text: string): [string, string] {
  const parts: string[] = []
  let i = 0
  const s = text.trim()
  while (i <= s.length) {
    let part = ''
    if (s[i] === '[') {
      i++
      for (;;) {
        if (i >= s.length) throw new AppError('EINVALID', `table name: unclosed [ in ${JSON.stringify(text)}`)
        if (s[i] === ']') {
          if (s[i + 1] === ']') {
            part += ']'
            i += 2
            continue
          }
          i++
          break
        }
        part += s[i]
        i++
      }
      if (i < s.length && s[i] !== '.') throw new AppError('EINVALID', `table name: text after ] in ${JSON.stringify(text)}`)
    } else {
      const dot = s.indexOf('.', i)
      part = (dot < 0 ? s.slice(i) : s.slice(i, dot)).trim()
      i = dot < 0 ? s.length : dot
    }
    parts.push(part)
    i++
  }
  if (parts.length > 2 || parts.some((p) => p === ''))
    throw new AppError('EINVALID', `table name must be name or schema.name, not ${JSON.stringify(text)}`)
  return parts.length === 2 ? [parts[0]!, parts[1]!] : ['dbo', parts[0]!]
}

const literal = (s: string) => `N'${s.replaceAll("'", "''")}'`

export function tableColumnsSql(schema: string, name: string): string {
  return (
    'SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE ' +
    `FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ${literal(schema)} AND TABLE_NAME = ${literal(name)} ORDER BY ORDINAL_POSITION`
  )
}

const LENGTH_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary'])
const SCALE_TYPES = new Set(['datetime2', 'time', 'datetimeoffset'])

/** One INFORMATION_SCHEMA.COLUMNS row as name, spelled type and nullability. */
export function columnOf(row: unknown[]): TableColumn {
  const [name, type, length, precision, scale, timeScale, nullable] = row
  const t = String(type)
  let sqlType = t
  if (LENGTH_TYPES.has(t)) sqlType = `${t}(${length === -1 ? 'max' : String(length)})`
  else if (t === 'decimal' || t === 'numeric') sqlType = `${t}(${String(precision)},${String(scale)})`
  else if (SCALE_TYPES.has(t) && typeof timeScale === 'number') sqlType = `${t}(${timeScale})`
  return { name: String(name), sqlType, nullable: nullable === 'YES' }
}
