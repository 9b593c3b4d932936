import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ColumnMapping } from '../../../../electron/contract'
import { type MappingState, mappingInitialState } from './initialState'
import { matchKey, mappingSelectors as sel } from './selectors'

const col = (source: string, p: Partial<ColumnMapping> = {}): ColumnMapping => ({
  source,
  include: true,
  target: source,
  sqlType: 'int',
  nullable: true,
  emptyAsNull: true,
  dateOrder: 'auto',
  ...p,
})
const ctx = { connectionId: 'c', fileId: 'f' }
const state = (p: Partial<MappingState>): MappingState => ({ ...mappingInitialState, ...p })

test('names match case- and punctuation-insensitively', () => {
  assert.equal(matchKey('Order_ID'), matchKey('order id'))
  assert.equal(matchKey('Straße-1'), 'straße1')
})

test('Load needs a connection, a file and a table name, and says which is missing', () => {
  assert.deepEqual(sel.problems(state({}), { connectionId: null, fileId: null }), [
    'Connect to a server first.',
    'Add a file first.',
    'Enter a table name.',
  ])
  assert.equal(sel.loadRequest(state({ table: ' ' }), ctx), null)
})

test('two columns mapped to the same name (after matching) are a problem', () => {
  const s = state({ table: 't', columns: [col('A b'), col('x', { target: 'a_B' })] })
  assert.deepEqual(sel.problems(s, ctx), ['Two columns map to the same name (ab).'])
  assert.deepEqual(sel.problems({ ...s, columns: [col('a', { include: false })] }, ctx), ['Include at least one column.'])
})

test('the load request carries the edited mapping and the reject limit', () => {
  const s = state({ table: ' dbo.sales ', mode: 'append', maxErrors: 5, columns: [col('id', { sqlType: 'bigint' })] })
  assert.deepEqual(sel.loadRequest(s, ctx), {
    connectionId: 'c',
    fileId: 'f',
    mode: 'append',
    table: 'dbo.sales',
    columns: [col('id', { sqlType: 'bigint' })],
    reader: {},
    maxErrors: 5,
  })
})

test('existing-table mismatches are the included columns no table column matches', () => {
  const s = state({ columns: [col('Order ID'), col('note'), col('skip', { include: false })] })
  assert.deepEqual(sel.unmatched(s, ['order_id', 'amount']), ['note'])
})

test('the inference’s proposed type is offered first when it is not a standard choice', () => {
  assert.equal(sel.typeChoices('varchar(37)')[0], 'varchar(37)')
  assert.equal(sel.typeChoices('int').filter((t) => t === 'int').length, 1)
  assert.deepEqual(sel.typeChoices(undefined, 'varchar(3)').slice(0, 2), ['varchar(3)', 'int'])
  assert.equal(sel.includedCount(state({ columns: [col('a'), col('b', { include: false })] })), 1)
})

test('against an existing table: unknown source columns and unmapped NOT NULL columns are flagged', () => {
  const target = [
    { name: 'order_id', sqlType: 'int', nullable: false },
    { name: 'amount', sqlType: 'decimal(10,2)', nullable: false },
    { name: 'note', sqlType: 'nvarchar(50)', nullable: true },
  ]
  const s = state({ columns: [col('Order ID'), col('comment'), col('amount', { include: false })] })
  assert.deepEqual(sel.targetMismatches(s, target), [
    'comment: no column of the table matches this name',
    'amount (decimal(10,2) NOT NULL): nothing is mapped to it',
  ])
  assert.deepEqual(sel.targetMismatches(state({}), target), [], 'nothing to flag before the file has columns')
})

test('existing table: a file column whose values cannot fit the table column is flagged, widening ones are not', () => {
  const s: MappingState = {
    ...mappingInitialState,
    columns: [
      { source: 'id', include: true, target: 'ID', sqlType: 'int', nullable: false, emptyAsNull: true, dateOrder: 'auto' },
      { source: 'name', include: true, target: 'Name', sqlType: 'nvarchar(12)', nullable: false, emptyAsNull: true, dateOrder: 'auto' },
    ],
  }
  const target = [
    { name: 'id', sqlType: 'decimal(10,0)', nullable: false },
    { name: 'name', sqlType: 'int', nullable: true },
  ]
  assert.deepEqual(sel.targetMismatches(s, target), ["Name: the file holds nvarchar(12) values, the table's name is int"])
})

test('each kind of drift reads as a few words, and only blocking ones stop the load', () => {
  const drift: MappingState['drift'] = [
    { kind: 'added', column: 'note', position: 4, message: 'm1', blocks: true },
    { kind: 'missing', column: 'name', position: 2, mapped: true, message: 'm2', blocks: true },
    { kind: 'renamed', from: 'amount', to: 'total', position: 3, message: 'm3', blocks: true },
    { kind: 'moved', column: 'id', from: 1, to: 3, message: 'm4', blocks: false },
    { kind: 'typeWidened', column: 'qty', expected: 'int', found: 'bigint', because: null, message: 'm5', blocks: true },
    { kind: 'nowNullable', column: 'day', targetNotNull: false, message: 'm6', blocks: false },
  ]
  assert.deepEqual(drift.map(sel.driftLine), [
    'note added (column 4)',
    'name missing (the mapping reads it)',
    'amount renamed to total',
    'id moved from column 1 to 3',
    'qty type widened from int to bigint',
    'day now nullable',
  ])
  assert.equal(sel.driftBlocks(state({ drift })), true)
  assert.equal(sel.driftBlocks(state({ drift: drift.filter((d) => !d.blocks) })), false)
})

test('the opened template (and Load anyway) go with loads of the file it was opened on, not another', () => {
  const s = state({ table: 't', columns: [col('a')], template: { path: '/x.sluice.json', fileId: 'f' }, allowDrift: true })
  const r = sel.loadRequest(s, ctx)
  assert.equal(r?.template, '/x.sluice.json')
  assert.equal(r?.allowDrift, true)
  const other = sel.loadRequest(s, { ...ctx, fileId: 'g' })
  assert.equal(other?.template, undefined)
  assert.equal(other?.allowDrift, undefined)
  assert.equal(sel.loadRequest({ ...s, allowDrift: false }, ctx)?.allowDrift, undefined)
})
