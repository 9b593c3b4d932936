import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import type { StoreApi } from 'zustand/vanilla'
import type { AppStore } from './store/app-store'

export const StoreContext = createContext<StoreApi<AppStore> | null>(null)

/** Selects the smallest piece a component needs (shallow-compared). */
export function useApp<T>(selector: (s: AppStore) => T): T {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useApp outside StoreContext')
  return useStore(store, useShallow(selector))
}
