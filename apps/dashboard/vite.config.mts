import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the gateway at /_rosetta/ui/ (apps/gateway/src/dashboard.ts); `npm run dev` proxies the
// control API to a gateway on :8080 so the page talks to the same origin either way.
export default defineConfig({
  base: '/_rosetta/ui/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/_rosetta/events': { target: 'http://127.0.0.1:8080' }, '^/_rosetta/(?!ui)': { target: 'http://127.0.0.1:8080' } } },
});
