import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Everything is emitted as same-origin files under target/classes/web, which the server jar serves
// at "/": no CDN, no inline script (the server's CSP is script-src 'self'). The app is index.html
// (the server also answers meeting paths with it); the meeting screen is a lazily loaded chunk.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'target/classes/web',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // livekit-client alone is ~580 kB minified (150 kB gzipped): one file is fine.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, 'index.html'),
        livekit: resolve(import.meta.dirname, 'e2e/livekit.html'),
        stage: resolve(import.meta.dirname, 'e2e/stage.html'),
      },
    },
  },
});
