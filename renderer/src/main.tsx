import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createAppApi } from './api/app-api'
import { App } from './components/App'
import { createAppStore } from './store/app-store'
import { StoreContext } from './store-context'
import './styles.css'

const store = createAppStore(createAppApi())
void store.getState().refreshSaved()
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
