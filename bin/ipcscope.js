#!/usr/bin/env node
// Entry point for `npx ipcscope`. The commands that observe (`snapshot`, and
// `watch`, `web` and `run`, which keep running) run from a bundle built on
// first use (bin/cli-bundle.js): no tsx loader thread and its heap in a
// process that samples the kernel ten times a second. Help and any trouble
// with the bundle (or IPCSCOPE_NO_BUNDLE=1) run the TypeScript CLI through
// tsx, so the command works right after `npm install` / `npm ci` with no
// build step.
import { freshCliBundle } from './cli-bundle.js';

const BUNDLED_COMMANDS = new Set(['snapshot', 'watch', 'web', 'run']);

const bundle = BUNDLED_COMMANDS.has(process.argv[2] ?? '') && !process.env.IPCSCOPE_NO_BUNDLE ? await freshCliBundle() : null;
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../native-bridge/cli/main.ts');
}
