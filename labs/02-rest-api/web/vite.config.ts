// `npm run web --workspace @serverless-course/lab-02-rest-api` serves the page on http://localhost:5173;
// `npx vite build --config labs/02-rest-api/web/vite.config.ts` writes it to web/dist.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // This folder, wherever vite is started from: index.html and src/ are here, and dist/ goes here.
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { port: 5173, strictPort: true },
});
