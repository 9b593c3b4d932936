// Import templates (version 1): the same JSON `sluice load --map` reads (native/load/template.schema.json,
// native/load/src/template.rs). The binding has no template read/write call, so main writes and
// reads the file itself; the zod schema below mirrors the JSON Schema, and every check beyond its
// shape (sources that exist, type spellings, drift against a file) stays the core's, made when a
// load runs with the template.
import fs from 'node:fs'
import { z } from 'zod'
import type { ColumnMapping, LoadRequest } from '../contract'
import { AppError } from '../dispatcher'

const nullTokens = z.array(z.string())

export const templateSchema = z
  .object({
    version: z.literal(1),
    source: z
      .object({
        format: z.enum(['csv', 'xlsx', 'xlsm', 'xlsb', 'xls', 'ods']).optional(),
        sheet: z.string().optional(),
        range: z.string().optional(),
        headerRow: z.number().int().min(0).optional(),
        delimiter: z.string().length(1).optional(),
        encoding: z.string().min(1).optional(),
        nullTokens: nullTokens.optional(),
      })
      .strict(),
    columns: z.array(z.object({ name: z.string().min(1), sqlType: z.string().min(1), nullable: z.boolean() }).strict()).min(1),
    target: z
      .object({
        table: z.string().min(1),
        mode: z.enum(['create', 'append', 'truncate']),
        primaryKey: z.array(z.string().min(1)).optional(),
      })
      .strict(),
    mapping: z
      .array(
        z
          .object({
            target: z.string().min(1).max(128),
            source: z.string().min(1).optional(),
            constant: z.string().optional(),
            sqlType: z.string().min(1),
            nullable: z.boolean(),
            emptyAsNull: z.boolean().optional(),
            dateOrder: z.enum(['dmy', 'mdy', 'ymd']).optional(),
            nullTokens: nullTokens.optional(),
          })
          .strict()
          .refine((m) => (m.source === undefined) !== (m.constant === undefined), 'a mapping has either source or constant'),
      )
      .min(1),
    options: z
      .object({
        batchSize: z.number().int().min(1).max(4294967295).optional(),
        maxErrors: z.number().int().min(0).optional(),
        tableLock: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type LoadTemplate = z.infer<typeof templateSchema>

/** A source column as the template expects it: the inference's type, not the user's edits. */
export interface ExpectedColumn {
  name: string
  sqlType: string
  nullable: boolean
}

const DATE_ORDER: Record<ColumnMapping['dateOrder'], 'dmy' | 'mdy' | 'ymd' | undefined> = {
  auto: undefined,
  DMY: 'dmy',
  MDY: 'mdy',
  YMD: 'ymd',
}
const DATE_ORDER_BACK = { dmy: 'DMY', mdy: 'MDY', ymd: 'YMD' } as const

/** The template of a load request; `expected` is the file's columns as inferred (all of them, skipped ones too). */
export function templateOf(request: LoadRequest, expected: ExpectedColumn[], format?: string): LoadTemplate {
  const r = request.reader
  const source: LoadTemplate['source'] = {}
  if (format && ['csv', 'xlsx', 'xlsm', 'xlsb', 'xls', 'ods'].includes(format))
    source.format = format as NonNullable<LoadTemplate['source']['format']>
  if (typeof r.sheet === 'string') source.sheet = r.sheet
  if (r.range !== undefined) source.range = r.range
  if (r.hasHeader === false) source.headerRow = 0
  else if (r.headerRow !== undefined) source.headerRow = r.headerRow
  if (r.delimiter !== undefined && r.delimiter.length === 1) source.delimiter = r.delimiter
  if (r.encoding !== undefined) source.encoding = r.encoding
  const mapping = request.columns
    .filter((c) => c.include)
    .map((c) => {
      const order = DATE_ORDER[c.dateOrder]
      return {
        target: c.target,
        source: c.source,
        sqlType: c.sqlType,
        nullable: c.nullable,
        emptyAsNull: c.emptyAsNull,
        ...(order ? { dateOrder: order } : {}),
      }
    })
  if (mapping.length === 0) throw new AppError('EINVALID', 'include at least one column')
  const columns =
    expected.length > 0 ? expected : request.columns.map((c) => ({ name: c.source, sqlType: c.sqlType, nullable: c.nullable }))
  return {
    version: 1,
    source,
    columns,
    target: { table: request.table, mode: request.mode },
    mapping,
    options: { maxErrors: request.maxErrors, ...(request.batchSize !== undefined ? { batchSize: request.batchSize } : {}) },
  }
}

/** A template as the contract's load request for this file and connection (skipped columns come back unticked). */
export function requestOf(t: LoadTemplate, ids: { connectionId: string; fileId: string }): LoadRequest {
  const bySource = new Map(t.mapping.filter((m) => m.source !== undefined).map((m) => [m.source as string, m]))
  const columns: ColumnMapping[] = t.columns.map((c) => {
    const m = bySource.get(c.name)
    return {
      source: c.name,
      include: m !== undefined,
      target: m?.target ?? c.name,
      sqlType: m?.sqlType ?? c.sqlType,
      nullable: m?.nullable ?? c.nullable,
      emptyAsNull: m?.emptyAsNull ?? true,
      dateOrder: m?.dateOrder ? DATE_ORDER_BACK[m.dateOrder] : 'auto',
    }
  })
  const reader: LoadRequest['reader'] = {}
  if (t.source.sheet !== undefined) reader.sheet = t.source.sheet
  if (t.source.range !== undefined) reader.range = t.source.range
  if (t.source.headerRow === 0) reader.hasHeader = false
  else if (t.source.headerRow !== undefined) reader.headerRow = t.source.headerRow
  if (t.source.delimiter !== undefined) reader.delimiter = t.source.delimiter
  if (t.source.encoding !== undefined) reader.encoding = t.source.encoding
  return {
    ...ids,
    mode: t.target.mode,
    table: t.target.table,
    columns,
    reader,
    maxErrors: t.options?.maxErrors ?? 0,
    ...(t.options?.batchSize !== undefined ? { batchSize: t.options.batchSize } : {}),
  }
}

export function writeTemplate(path: string, t: LoadTemplate): void {
  fs.writeFileSync(path, `${JSON.stringify(t, null, 2)}\n`)
}

export function readTemplate(path: string): LoadTemplate {
  let text: string
  try {
    text = fs.readFileSync(path, 'utf8')
  } catch (err) {
    throw new AppError('ENOTFOUND', `cannot open the template ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new AppError('EINVALID', `${path} is not JSON: ${(err as Error).message}`)
  }
  const parsed = templateSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    throw new AppError(
      'EINVALID',
      `${path} is not a Sluice template (version 1): ${first?.path.join('.') || 'top level'}: ${first?.message}`,
    )
  }
  return parsed.data
}
