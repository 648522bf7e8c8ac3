import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** In `npm run dev:web`, the same page URLs as the service: /console(/…) and /embed. */
function pageUrls(): Plugin {
  return {
    name: 'switchboard-page-urls',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = (req.url ?? '').split('?')[0]!;
        const query = (req.url ?? '').slice(path.length);
        if (path === '/console' || path.startsWith('/console/')) req.url = `/console.html${query}`;
        else if (path === '/embed') req.url = `/index.html${query}`;
        next();
      });
    },
  };
}

/** The customer chat (index.html, also framed at /embed) and the staff console (console.html). */
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), pageUrls()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { chat: `${root}index.html`, console: `${root}console.html` },
    },
  },
  server: {
    // `npm run dev:web`: the Vite dev server in front of `npm start` on :3000.
    port: 5173,
    proxy: {
      '/api': 'http://localhost:3000',
      '/ws': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
