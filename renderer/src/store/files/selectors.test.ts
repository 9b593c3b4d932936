import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FileEntry } from '../../../../electron/contract'
import { type FileCard, type FilesState, filesInitialState } from './initialState'
import { filesSelectors as sel } from './selectors'

const entry = (fileId: string, size: number): FileEntry => ({
  fileId,
  name: `${fileId}.csv`,
  path: `/tmp/${fileId}.csv`,
  size,
  origin: 'path',
})
const card = (fileId: string, size: number, preview: FileCard['preview'] = { status: 'busy' }): FileCard => ({
  entry: entry(fileId, size),
  preview,
  inspectJobId: null,
  inspectError: null,
  inspected: null,
  reader: {},
})

test('sizes read as a file manager shows them', () => {
  assert.equal(sel.formatSize(0), '0 bytes')
  assert.equal(sel.formatSize(1), '1 byte')
  assert.equal(sel.formatSize(1536), '1.5 KB')
  assert.equal(sel.formatSize(3 * 1024 ** 3), '3.0 GB')
  assert.equal(sel.formatSize(150 * 1024 ** 2), '150 MB')
})

test('the selected card and its preview columns', () => {
  const preview = { status: 'ok' as const, value: { format: 'csv', columns: [{ name: 'id', sqlType: 'int' }], rows: [] } }
  const s: FilesState = { ...filesInitialState, cards: [card('a', 10), card('b', 20, preview)], selectedFileId: 'b' }
  assert.equal(sel.selected(s)?.entry.fileId, 'b')
  assert.deepEqual(sel.selectedColumns(s), [{ name: 'id', sqlType: 'int' }])
  assert.deepEqual(sel.selectedColumns({ ...s, selectedFileId: 'a' }), [], 'no columns before the preview')
  assert.equal(sel.totalBytes(s), 30)
  assert.equal(sel.count(s), 2)
})

test('the detected settings read as one line', () => {
  const c = card('a', 1, {
    status: 'ok',
    value: { format: 'csv', encoding: 'UTF-8', delimiter: '\t', hasHeader: false, columns: [], rows: [] },
  })
  assert.equal(sel.describeDetected(c), 'CSV · UTF-8 · tab · no header')
  assert.equal(sel.describeDetected(card('b', 1)), '')
  const quoted = (quote: string | null) =>
    sel.describeDetected(
      card('q', 1, { status: 'ok', value: { format: 'csv', encoding: 'UTF-8', delimiter: ',', quote, columns: [], rows: [] } }),
    )
  assert.equal(quoted('"'), "CSV · UTF-8 · ','")
  assert.equal(quoted("'"), "CSV · UTF-8 · ',' · quote '")
  assert.equal(quoted(null), "CSV · UTF-8 · ',' · no quoting")
})

test('an inspection result gives typed columns with their evidence; anything malformed gives none', () => {
  const result = {
    rowCount: 3,
    columns: [{ name: 'zip', sqlType: 'varchar(5)', nullable: false, evidence: { maxLength: 5 } }, { name: 'n' }],
  }
  assert.deepEqual(sel.inspectedColumns(result), [
    { name: 'zip', sqlType: 'varchar(5)', nullable: false, evidence: { maxLength: 5 } },
    { name: 'n' },
  ])
  assert.equal(sel.inspectedColumns({ columns: [{ sqlType: 'int' }] }), null)
  assert.equal(sel.inspectedColumns({}), null)
  assert.equal(sel.inspectedColumns(undefined), null)
})

test('once inspected, the whole-file columns win over the preview’s', () => {
  const preview = { status: 'ok' as const, value: { format: 'csv', columns: [{ name: 'zip', sqlType: 'int' }], rows: [] } }
  const c = { ...card('a', 1, preview), inspectJobId: 'j', inspected: [{ name: 'zip', sqlType: 'varchar(5)' }] }
  const s: FilesState = { ...filesInitialState, cards: [c], selectedFileId: 'a' }
  assert.deepEqual(sel.selectedColumns(s), [{ name: 'zip', sqlType: 'varchar(5)' }])
  assert.equal(sel.cardOfInspection(s, 'j')?.entry.fileId, 'a')
  assert.equal(sel.cardOfInspection(s, 'k'), null)
})
