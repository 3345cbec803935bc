import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Background effects' segmentation (see src/effects/segmenter.ts) loads its script, wasm, graph
 * and .tflite model at run time by file name: they are copied from the npm package, unchanged,
 * into the build under effects/selfie/, so our server serves them and no CDN is ever asked.
 */
function selfieSegmentationFiles(): Plugin {
  const dir = resolve(import.meta.dirname, 'node_modules/@mediapipe/selfie_segmentation');
  return {
    name: 'visio-selfie-segmentation-files',
    apply: 'build',
    generateBundle() {
      for (const file of readdirSync(dir)) {
        if (/\.(js|wasm|data|binarypb|tflite)$/.test(file)) {
          this.emitFile({ type: 'asset', fileName: `effects/selfie/${file}`, source: readFileSync(resolve(dir, file)) });
        }
      }
    },
  };
}

// Everything is emitted as same-origin files under target/classes/web, which the server jar serves
// at "/": no CDN, no inline script (the server's CSP is script-src 'self'). The app is index.html
// (the server also answers meeting paths with it); the meeting screen is a lazily loaded chunk.
export default defineConfig({
  base: '/',
  plugins: [selfieSegmentationFiles()],
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
