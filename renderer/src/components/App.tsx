import { ConnectionPanel } from './ConnectionPanel'
import { FilesPanel } from './FilesPanel'
import { HistoryPanel } from './HistoryPanel'
import { LoadPanel } from './LoadPanel'
import { MappingPanel } from './MappingPanel'

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <img src="./icon.svg" alt="" width="32" height="32" />
        <h1>Sluice</h1>
        <p className="tagline">Load CSV files and spreadsheets into SQL Server</p>
      </header>
      <main className="app-main">
        <ConnectionPanel />
        <FilesPanel />
        <MappingPanel />
        <LoadPanel />
        <HistoryPanel />
      </main>
    </div>
  )
}
