#!/usr/bin/env node
// Entry point for `npx ipcscope`. `snapshot` and `watch` run from a bundle
// built on first use (bin/cli-bundle.js); everything else, or any trouble with
// the bundle, runs the TypeScript CLI through tsx, so the command works right
// after `npm install` / `npm ci` with no build step.
import { freshCliBundle } from './cli-bundle.js';

const BUNDLED_COMMANDS = new Set(['snapshot', 'watch']);

const bundle = BUNDLED_COMMANDS.has(process.argv[2] ?? '') && !process.env.IPCSCOPE_NO_BUNDLE ? await freshCliBundle() : null;
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../native-bridge/cli/main.ts');
}
