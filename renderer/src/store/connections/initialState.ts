import type { ConnectionForm, LocalTestServer, OpenConnection, SavedConnections, ServerInfo } from '../../../../electron/contract'
import { idle, type Outcome } from '../outcome'

export interface ConnectionsState {
  /** The "Connection string" box, as typed or pasted. */
  connectionString: string
  /** The text last turned into the form, so Connect knows whether to parse again. */
  parsedString: string
  form: ConnectionForm
  /** The parsed string held a password or token: once read into the form, the box is cleared
   * (the secret stays only in the hidden Password / Access token box). */
  concealed: boolean
  /** A saved connection in use: main fills in its secret, which never comes back here. */
  savedId: string | null
  savedHasSecret: boolean
  /** Keys of the pasted string this app cannot honour, with why. */
  unsupported: string[]
  parse: Outcome<null>
  test: Outcome<ServerInfo>
  open: Outcome<OpenConnection>
  localServer: Outcome<LocalTestServer>
  saved: SavedConnections | null
}

export const emptyForm: ConnectionForm = {
  server: '',
  database: '',
  auth: 'sql',
  user: '',
  password: '',
  accessToken: '',
  encrypt: 'Mandatory',
  trustServerCertificate: false,
  serverCertificate: '',
  extra: [],
}

export const connectionsInitialState: ConnectionsState = {
  connectionString: '',
  parsedString: '',
  form: emptyForm,
  concealed: false,
  savedId: null,
  savedHasSecret: false,
  unsupported: [],
  parse: idle,
  test: idle,
  open: idle,
  localServer: idle,
  saved: null,
}
