// The form as the core's parser reads a pasted string (native/tds/src/conn_string through
// `parseConnectionString`), and the form written back as a string the core reads the same way.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildConnectionString, describeConnection, parseConnectionString } from './connection-form'

test('a pasted Azure-style string fills every field of the form, synonyms and case ignored', () => {
  const { form, unsupported } = parseConnectionString(
    'Server=tcp:x.database.windows.net,1433;Initial Catalog=sales;Persist Security Info=False;uid=ann;PWD={p;a}}ss};encrypt=strict;TrustServerCertificate=False;Connection Timeout=30;',
  )
  assert.equal(form.server, 'x.database.windows.net')
  assert.equal(form.database, 'sales')
  assert.equal(form.user, 'ann')
  assert.equal(form.password, 'p;a}ss')
  assert.equal(form.encrypt, 'Strict')
  assert.equal(form.trustServerCertificate, false)
  assert.deepEqual(form.extra, [['Connect Timeout', '30']])
  assert.deepEqual(unsupported, [])
})

test('Encrypt True/False map to Mandatory/Optional, no Encrypt key means Mandatory, and a bad value is the core’s ECONFIG', () => {
  assert.equal(parseConnectionString('Server=a;Encrypt=True').form.encrypt, 'Mandatory')
  assert.equal(parseConnectionString('Server=a;Encrypt=no').form.encrypt, 'Optional')
  assert.equal(parseConnectionString('Server=a').form.encrypt, 'Mandatory')
  assert.throws(() => parseConnectionString('Server=a;Encrypt=sometimes'), { code: 'ECONFIG', message: /Encrypt/ })
})

test('an access token switches the form to token authentication', () => {
  const { form } = parseConnectionString('Server=a;AccessToken=eyJ0eXAi.x.y')
  assert.equal(form.auth, 'accessToken')
  assert.equal(form.accessToken, 'eyJ0eXAi.x.y')
})

test('interactive Entra ID modes are reported as unsupported, with how to get a token', () => {
  const { unsupported } = parseConnectionString('Server=a;Authentication=Active Directory Interactive')
  assert.equal(unsupported.length, 1)
  assert.match(unsupported[0]!, /only SQL logins and an Entra ID access token/)
  assert.match(unsupported[0]!, /get-access-token/)
})

test('a malformed string is refused with the core’s words, which name the place and never the secret', () => {
  assert.throws(
    () => parseConnectionString('Server=a;Password="secret'),
    (e: Error & { code?: string }) => e.code === 'ECONFIG' && /unterminated quoted value/.test(e.message) && !e.message.includes('secret'),
  )
  assert.throws(() => parseConnectionString('Server=a;Colour=blue'), { code: 'ECONFIG', message: /unknown connection string key 'Colour'/ })
})

test('the form written back as a string parses to the same form', () => {
  const { form } = parseConnectionString(
    `Server=h,1;Database=d b;User ID=u;Password= p w ;Encrypt=Optional;TrustServerCertificate=True;App=x;Packet Size=4096`,
  )
  assert.deepEqual(form.extra, [
    ['Application Name', 'x'],
    ['Packet Size', '4096'],
  ])
  const again = parseConnectionString(buildConnectionString(form)).form
  assert.deepEqual(again, form)
  // Unquoted values are trimmed, as SqlClient trims them.
  assert.equal(form.password, 'p w')
})

test('a password with separators and braces survives the round trip', () => {
  const form = { ...parseConnectionString('Server=h;User ID=u').form, password: ' a;b}c{"\' ' }
  assert.equal(parseConnectionString(buildConnectionString(form)).form.password, form.password)
})

test('the description of a connection never contains the secret', () => {
  const { form } = parseConnectionString('Server=h;User ID=u;Password=topsecret;Database=d')
  assert.equal(describeConnection(form), 'u @ h / d')
})
