import type { AppStore } from './app-store'

export type StoreGet = () => AppStore
export type StoreSet = (update: (state: AppStore) => Partial<AppStore>) => void
