// A small promise wrapper over tedious, the independent Node.js TDS client used to keep the
// test server (and so Sluice) honest.
import fs from 'node:fs'
import { Connection, type ConnectionConfiguration, Request } from 'tedious'
import { PASSWORD, type TestServer } from '../helpers/server'

export type Encrypt = boolean | 'strict'

export interface TediousResult {
  columns: { name: string; type: string }[]
  rows: unknown[][]
  rowCount: number
}

export function tediousConnect(server: TestServer, encrypt: Encrypt, database?: string): Promise<Connection> {
  const config: ConnectionConfiguration = {
    server: server.host,
    authentication: { type: 'default', options: { userName: 'sa', password: PASSWORD } },
    options: {
      port: server.port,
      encrypt,
      trustServerCertificate: true,
      database,
      connectTimeout: 10_000,
      // Under TDS 8.0 tedious always validates the certificate (trustServerCertificate is
      // ignored), so it is given the test server's own certificate to trust.
      ...(encrypt === 'strict' ? { cryptoCredentialsDetails: { ca: fs.readFileSync(server.certificatePath) } } : {}),
    },
  }
  return new Promise((resolve, reject) => {
    const c = new Connection(config)
    c.on('connect', (err) => (err ? reject(err) : resolve(c)))
    c.connect()
  })
}

/** Runs a SQL batch (not sp_executesql: the test server answers SQL batches). */
export function tediousBatch(c: Connection, sql: string): Promise<TediousResult> {
  return new Promise((resolve, reject) => {
    const out: TediousResult = { columns: [], rows: [], rowCount: 0 }
    const req = new Request(sql, (err, rowCount) => {
      if (err) return reject(err)
      out.rowCount = rowCount ?? 0
      resolve(out)
    })
    req.on('columnMetadata', (cols) => {
      const list = Array.isArray(cols) ? cols : Object.values(cols)
      out.columns = list.map((m) => ({ name: m.colName, type: m.type.name }))
    })
    req.on('row', (cols) => {
      const list = Array.isArray(cols) ? cols : Object.values(cols)
      out.rows.push(list.map((col) => col.value))
    })
    c.execSqlBatch(req)
  })
}

export function tediousClose(c: Connection): Promise<void> {
  return new Promise((resolve) => {
    c.on('end', () => resolve())
    c.close()
  })
}
