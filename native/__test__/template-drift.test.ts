// templateDrift and parseConnectionString: the core's drift check and connection-string parser as
// sluice.js hands them to the app.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { inspect } from 'node:util'
import { parseConnectionString, templateDrift } from '@sluice/native'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-template-drift-'))
after(() => fs.rmSync(dir, { recursive: true, force: true }))

const template = {
  version: 1,
  source: { format: 'csv' },
  columns: [
    { name: 'id', sqlType: 'int', nullable: false },
    { name: 'amount', sqlType: 'decimal(3,2)', nullable: false },
  ],
  target: { table: 'dbo.sales', mode: 'create' },
  mapping: [{ target: 'amount', source: 'amount', sqlType: 'float', nullable: false }],
}

test('templateDrift takes the template as a path, its JSON text or the object, and lists the differences', async () => {
  const file = path.join(dir, 'next.csv')
  fs.writeFileSync(file, 'id,total\n1,2.5\n')
  const saved = path.join(dir, 't.sluice.json')
  fs.writeFileSync(saved, JSON.stringify(template))
  const expected = [{ kind: 'renamed', from: 'amount', to: 'total', position: 2, blocks: true }]
  for (const t of [saved, { path: saved }, { json: JSON.stringify(template) }, template]) {
    const d = await templateDrift(t, file)
    assert.deepEqual(
      d.map(({ message, ...rest }) => rest),
      expected,
    )
    assert.match(d[0]?.message ?? '', /column 2 was "amount" and is now "total"/)
  }
})

test('templateDrift refuses a template that is not one (ETEMPLATE) and a file it cannot read (EFILE)', async () => {
  await assert.rejects(templateDrift({ json: '{"version":1}' }, path.join(dir, 'x.csv')), { code: 'ETEMPLATE' })
  await assert.rejects(templateDrift(template, path.join(dir, 'missing.csv')), { code: 'EFILE', message: /missing\.csv/ })
  await assert.rejects(templateDrift(template, []), TypeError)
})

test('parseConnectionString reads a string as connect does and keeps the secret out of logs and JSON', () => {
  const p = parseConnectionString('Data Source=tcp:db.example,1500;Initial Catalog=sales;uid=ann;PWD={p;w}}x};Encrypt=no;App=Nightly')
  assert.equal(p.server, 'db.example,1500')
  assert.equal(p.database, 'sales')
  assert.equal(p.user, 'ann')
  assert.equal(p.encrypt, 'Optional')
  assert.deepEqual(p.extra, [['Application Name', 'Nightly']])
  assert.equal(p.password, 'p;w}x')
  assert.equal(p.accessToken, null)
  assert.doesNotMatch(JSON.stringify(p), /p;w/)
  assert.doesNotMatch(inspect(p), /p;w/)
  assert.match(p.redacted, /Password=\*\*\*/)
  assert.throws(
    () => parseConnectionString('Server=a;Password=s3cret;Encrypt=sometimes'),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ECONFIG')
      assert.doesNotMatch(e.message, /s3cret/)
      return true
    },
  )
})
