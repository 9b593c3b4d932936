// Public types of @sluice/native. Data shapes come from the generated index.d.ts (the Rust
// side is their source); this file only adds the error type the JS wrapper rebuilds.
import type { QueryResult, ColumnInfo, ResultSet } from './index'

export type { QueryResult, ColumnInfo, ResultSet }

/** Stable error codes. Server errors (EREQUEST, ELOGIN) also carry the server's details. */
export type SluiceErrorCode =
  | 'ECONFIG'
  | 'EUNSUPPORTED'
  | 'ECONNECT'
  | 'ETIMEOUT'
  | 'ETLS'
  | 'EENCRYPT'
  | 'ELOGIN'
  | 'EREQUEST'
  | 'EPROTOCOL'
  | 'ESOCKET'
  | 'ECANCEL'
  | 'ECLOSED'

export declare class SluiceError extends Error {
  code: SluiceErrorCode
  number?: number
  state?: number
  class?: number
  lineNumber?: number
  serverName?: string
  procName?: string
}

export declare class Client {
  private constructor()
  /** Runs a SQL batch; requests on one client run one at a time. */
  query(sql: string): Promise<QueryResult>
  close(): Promise<void>
}

/** Connects with an ADO.NET connection string (`Server=…;User ID=…;Password=…;Encrypt=…`). */
export declare function connect(connectionString: string): Promise<Client>

/** Runs the `sluice` command line; resolves to its exit code. */
export declare function runCli(args: string[]): Promise<number>
