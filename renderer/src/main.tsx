import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createAppApi } from './api/app-api'
import { App } from './components/App'
import { createAppStore } from './store/app-store'
import { StoreContext } from './store-context'
import './styles.css'

// A file dropped outside the drop zone would otherwise replace the page with the file.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault())

const store = createAppStore(createAppApi())
void store.getState().refreshSaved()
void store.getState().loadHistory()
const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  )
}
