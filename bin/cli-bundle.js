// The CLI runs from one JavaScript file bundled from the TypeScript sources
// with esbuild, kept in node_modules/.ipcscope: about 0.14 s a start here
// against 0.3 s through tsx, which compiles every module on each start, and
// a long-running command (watch, web, run) carries no tsx module-hooks
// thread: an idle 10 Hz timer costs ~0.3% of a core against ~1.2% under tsx.
// The scan pool's worker is bundled beside it in the same build
// (native-bridge/paths.ts finds it there). Both are rebuilt when any source
// is newer, and any failure (no esbuild, a read-only install) leaves the
// caller on tsx.
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE_BUNDLE_OPTIONS, newestMtime } from './node-bundle.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/* the bundled code finds the root by walking up to our package.json (native-bridge/paths.ts) */
export const BUNDLE = join(ROOT, 'node_modules', '.ipcscope', 'cli.mjs');
/* beside the CLI: a bundle finds its worker next to itself (native-bridge/paths.ts SCAN_WORKER_ENTRY) */
export const SCAN_WORKER_BUNDLE = join(dirname(BUNDLE), 'scan-worker.mjs');
const SOURCES = [join(ROOT, 'native-bridge'), join(ROOT, 'bin'), join(ROOT, 'package.json')];

function isFresh() {
  let built;
  try {
    built = Math.min(statSync(BUNDLE).mtimeMs, statSync(SCAN_WORKER_BUNDLE).mtimeMs);
  } catch {
    return false;
  }
  return SOURCES.every((source) => newestMtime(source) <= built);
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const staging = mkdtempSync(join(dirname(BUNDLE), `build-${process.pid}-`));
  try {
    await esbuild({
      entryPoints: {
        cli: join(ROOT, 'native-bridge', 'cli', 'main.ts'),
        'scan-worker': join(ROOT, 'native-bridge', 'probe', 'pool', 'scan-worker.ts'),
      },
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      ...NODE_BUNDLE_OPTIONS,
    });
    // each rename is atomic: a CLI started meanwhile sees the old file or the new one; the
    // worker goes first, so a new CLI never starts an old worker (an old CLI may briefly
    // start a new one: the calling thread scans whatever a worker fails to deliver)
    renameSync(join(staging, 'scan-worker.mjs'), SCAN_WORKER_BUNDLE);
    renameSync(join(staging, 'cli.mjs'), BUNDLE);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The bundle's URL, built or rebuilt first when needed; null when it cannot be had. */
export async function freshCliBundle() {
  try {
    if (!isFresh()) await build();
    return pathToFileURL(BUNDLE).href;
  } catch {
    return null;
  }
}
