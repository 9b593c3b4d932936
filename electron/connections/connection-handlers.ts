// Connection calls: parse a pasted string, test (SELECT @@VERSION, or the server's own error
// text), open (remember the connection for loads, list its tables), saved connections and the
// local test server. The connection string of an open connection stays in this process: later
// calls name it by id, so the password crosses from the UI once.
import { randomUUID } from 'node:crypto'
import * as native from '@sluice/native'
import type { ConnectionForm, OpenConnection, ServerInfo } from '../contract'
import { AppError, type Handlers } from '../dispatcher'
import { buildConnectionString, describeConnection, parseConnectionString } from './connection-form'
import { type RunningTestServer, startLocalTestServer } from './local-test-server'
import type { SavedConnectionStore } from './saved-connections'
import { columnOf, splitTableName, tableColumnsSql } from './table-columns'

// INFORMATION_SCHEMA rather than sys.tables JOIN sys.schemas: both SQL Server and the test
// server's engine answer it.
const TABLES_SQL =
  "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME"

function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value ?? '')
}

async function withClient<T>(form: ConnectionForm, work: (client: native.Client) => Promise<T>): Promise<T> {
  if (form.auth === 'sql' && !form.user) throw new AppError('ECONFIG', 'User name is required for a SQL login')
  if (form.auth === 'accessToken' && !form.accessToken) throw new AppError('ECONFIG', 'Paste an Entra ID access token')
  const client = await native.connect(buildConnectionString(form))
  try {
    return await work(client)
  } finally {
    await client.close().catch(() => undefined)
  }
}

async function serverInfo(client: native.Client): Promise<ServerInfo> {
  const r = await client.query('SELECT @@VERSION, DB_NAME()')
  const row = r.rows[0] ?? []
  return { version: text(row[0]), database: text(row[1]) }
}

export class ConnectionService {
  private readonly open = new Map<string, { connectionString: string; label: string }>()
  private localServer: RunningTestServer | null = null

  constructor(
    private readonly saved: SavedConnectionStore,
    private readonly onLocalServerExit: (code: number | null) => void,
  ) {}

  connectionString(connectionId: string): string {
    const c = this.open.get(connectionId)
    if (!c) throw new AppError('ENOTFOUND', 'that connection is closed; connect again')
    return c.connectionString
  }

  /** The form with a saved connection's secret (from the vault) when the form has none. */
  private withSecret(form: ConnectionForm, savedId: string | undefined): ConnectionForm {
    return savedId === undefined ? form : this.saved.withSecret(savedId, form)
  }

  handlers(): Pick<
    Handlers,
    | 'connection.parse'
    | 'connection.test'
    | 'connection.open'
    | 'connection.close'
    | 'connection.columns'
    | 'connection.listSaved'
    | 'connection.save'
    | 'connection.getSaved'
    | 'connection.deleteSaved'
    | 'localServer.start'
    | 'localServer.stop'
  > {
    return {
      'connection.parse': async ({ connectionString }) => parseConnectionString(connectionString),
      'connection.test': async ({ form, savedId }) => withClient(this.withSecret(form, savedId), serverInfo),
      'connection.open': async ({ form: given, savedId }) => {
        const form = this.withSecret(given, savedId)
        return withClient(form, async (client): Promise<OpenConnection> => {
          const info = await serverInfo(client)
          const tables = (await client.query(TABLES_SQL)).rows.map((r) => `${text(r[0])}.${text(r[1])}`)
          const connectionId = randomUUID()
          const label = describeConnection(form)
          this.open.set(connectionId, { connectionString: buildConnectionString(form), label })
          return { ...info, connectionId, label, tables }
        })
      },
      'connection.close': async ({ connectionId }) => ({ closed: this.open.delete(connectionId) }),
      'connection.columns': async ({ connectionId, table }) => {
        const [schema, name] = splitTableName(table)
        const client = await native.connect(this.connectionString(connectionId))
        try {
          const columns = (await client.query(tableColumnsSql(schema, name))).rows.map(columnOf)
          if (columns.length === 0) throw new AppError('ENOTFOUND', `no table ${schema}.${name} in this database`)
          return columns
        } finally {
          await client.close().catch(() => undefined)
        }
      },
      'connection.listSaved': async () => this.saved.list(),
      'connection.save': async ({ name, form, saveSecret }) => this.saved.save(name, form, saveSecret),
      'connection.getSaved': async ({ id }) => this.saved.get(id),
      'connection.deleteSaved': async ({ id }) => ({ deleted: this.saved.delete(id) }),
      'localServer.start': async () => {
        if (!this.localServer) {
          const server = await startLocalTestServer()
          this.localServer = server
          void server.exited.then((code) => {
            if (this.localServer === server) this.localServer = null
            this.onLocalServerExit(code)
          })
        }
        return {
          form: this.localServer.form,
          port: this.localServer.port,
          note: "Sluice's own TDS test server on this machine: an in-memory database that is emptied when it stops.",
        }
      },
      'localServer.stop': async () => {
        const server = this.localServer
        this.localServer = null
        await server?.stop()
        return { stopped: server !== null }
      },
    }
  }

  async dispose(): Promise<void> {
    this.open.clear()
    const server = this.localServer
    this.localServer = null
    await server?.stop()
  }
}
