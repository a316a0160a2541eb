import { defineConfig } from 'vite';

/**
 * The preload runs sandboxed: Electron evaluates it as a plain script with a
 * small `require` that knows only 'electron' (and a few others), so it is one
 * self-contained CommonJS file (Forge's preload defaults) with nothing external
 * but electron.
 */
export default defineConfig({
  build: { target: 'chrome130', sourcemap: 'inline' },
});
