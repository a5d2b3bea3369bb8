// The SPA's build: root is web/, output in web/dist, which the server serves with an
// index.html fallback. In dev, /api and /consent-api go to the backend on 8080.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const backend = process.env.CPOR_BACKEND_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The build script reads the manifest to measure what the browser downloads first.
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': backend,
      '/consent-api': backend,
    },
  },
});
