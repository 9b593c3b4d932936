// Builds the renderer into dist/renderer with relative asset paths, so the same files load from
// file:// in Electron and from the web transport's server.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    sourcemap: true,
    // One chunk, no module preload polyfill (it would need an inline script the CSP forbids).
    modulePreload: false,
  },
})
