import { defineConfig } from 'vitest/config';

// Component tests for the app's pure modules (parsing, rules, dictionaries, the admission loop),
// run in Node: they need no browser, so nothing is downloaded. The browser tests (Java, Selenium)
// cover what needs one.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each file gets fresh globals: tests stub fetch, EventSource and window.
    unstubGlobals: true,
  },
});
