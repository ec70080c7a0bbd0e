// Renderer build (GUIDE §5): one static bundle that both Electron (file://) and `spikedock serve`
// (http://127.0.0.1:<port>/) load, hence the relative base. No web workers in the renderer: heavy
// work runs in the backend's worker pool (GUIDE §4).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: false },
});
