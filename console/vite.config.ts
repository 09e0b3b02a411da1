/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the backend under /console (see libs/nest/console); `npm run dev` proxies the API to a local server.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 700 },
  server: {
    proxy: Object.fromEntries(['/auth', '/api', '/ops', '/users', '/health'].map((p) => [p, 'http://127.0.0.1:8000'])),
  },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'] },
});
