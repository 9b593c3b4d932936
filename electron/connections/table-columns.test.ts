import assert from 'node:assert/strict'
import { test } from 'node:test'
import { columnOf, splitTableName, tableColumnsSql } from './table-columns'

test('table names split into schema and name, brackets and their escapes undone; dbo by default', () => {
  assert.deepEqual(splitTableName('sales'), ['dbo', 'sales'])
  assert.deepEqual(splitTableName('stage.sales'), ['stage', 'sales'])
  assert.deepEqual(splitTableName('[my schema].[a.b]]c]'), ['my schema', 'a.b]c'])
  assert.throws(() => splitTableName('a.b.c'), { code: 'EINVALID' })
  assert.throws(() => splitTableName('[open'), { code: 'EINVALID' })
  assert.throws(() => splitTableName('.x'), { code: 'EINVALID' })
})

test('a hostile table name is only ever a string literal in the query', () => {
  const sql = tableColumnsSql('dbo', "a'; DROP TABLE x;--")
  assert.match(sql, /TABLE_NAME = N'a''; DROP TABLE x;--'/)
})

test('types are spelled as SQL Server spells them', () => {
  assert.deepEqual(columnOf(['id', 'int', null, 10, 0, null, 'NO']), { name: 'id', sqlType: 'int', nullable: false })
  assert.equal(columnOf(['n', 'nvarchar', 20, null, null, null, 'YES']).sqlType, 'nvarchar(20)')
  assert.equal(columnOf(['n', 'varchar', -1, null, null, null, 'YES']).sqlType, 'varchar(max)')
  assert.equal(columnOf(['d', 'decimal', null, 12, 2, null, 'YES']).sqlType, 'decimal(12,2)')
  assert.equal(columnOf(['t', 'datetime2', null, null, null, 3, 'YES']).sqlType, 'datetime2(3)')
  assert.equal(columnOf(['t', 'date', null, null, null, 0, 'YES']).sqlType, 'date')
})
