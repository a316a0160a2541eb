import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a plain static page: Electron loads dist/index.html from
// disk and the web mode serves the same files, hence relative asset paths.
// import.meta.dirname (Node >= 20.11) keeps this independent of the cwd.
const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${root}/dist`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
