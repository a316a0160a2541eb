// What every esbuild bundle of ours for plain Node shares: the CLI and its
// scan worker (bin/cli-bundle.js), the lesson actors
// (native-bridge/actor/actor-bundle.ts) and the observation bench's child
// (bench/observe-bundle.ts). Plain JavaScript, so that bin/ can use it before
// any TypeScript loader runs; node-bundle.d.ts types it for the TypeScript
// side, which imports it too.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One ES module file for Node 20; packages (koffi, ws) stay in node_modules,
 * resolved from the bundle's folder, node_modules/.ipcscope; esbuild prints
 * nothing: a failed build throws and the caller falls back to tsx.
 */
export const NODE_BUNDLE_OPTIONS = Object.freeze({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'silent',
});

/** The newest modification time (ms) of `path` or of anything below it: a bundle older than it is built again. */
export function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}
