import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The management console: a single-page app served by the platform at /admin/.
 * `npm run build:admin` writes admin/dist; `npx vite --config admin/vite.config.ts` serves it
 * with hot reload, passing the API through to a running platform (JIYUE_API, default :3000).
 */
export default defineConfig({
  root,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // antd pages are large; every screen is its own chunk (React.lazy), the first screen only
    // loads the frame. The report script prints gzipped sizes.
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/api', '/media'].map((p) => [p, { target: process.env.JIYUE_API ?? 'http://127.0.0.1:3000', changeOrigin: false }])),
  },
});
