/**
 * Where ipcscope's own files are, whether this code runs from the TypeScript
 * sources (tsx, vitest) or from a bundle: bin/cli-bundle.js puts the CLI in
 * node_modules/.ipcscope/cli.mjs, Vite puts the desktop engine in .vite/build.
 * In a bundle, import.meta.url is the bundle's own file, so every path that
 * was `../..` from a source file is derived from here instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE_NAME = 'ipcscope';
const here = fileURLToPath(import.meta.url);

/** True under tsx or vitest (this very file runs), false inside any bundle. */
export const RUN_FROM_SOURCES = basename(here) === 'paths.ts';

/** The folder of the running code: native-bridge/ from the sources, the bundle's folder from a bundle. */
export const RUNNING_DIR = dirname(here);

function namesUs(packageJson: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The nearest folder above `start` whose package.json is ours; the sources' layout when there is none. */
function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const packageJson = join(dir, 'package.json');
    if (existsSync(packageJson) && namesUs(packageJson)) return dir;
    if (dirname(dir) === dir) return resolve(start, '..');
  }
}

/** The folder holding our package.json (the checkout, or the installed package). */
export const PROJECT_ROOT = findProjectRoot(RUNNING_DIR);

/** The engine's TypeScript sources: present in a checkout or an npm install, absent from a packaged app. */
export const SOURCE_DIR = join(PROJECT_ROOT, 'native-bridge');

/** Where the esbuild bundles built on first use are kept (bin/cli-bundle.js, actor/actor-bundle.ts). */
export const BUNDLE_DIR = join(PROJECT_ROOT, 'node_modules', '.ipcscope');

/**
 * The scan pool's worker (probe/pool/scan-pool.ts). From the sources, a plain
 * module that registers tsx for its thread; from a bundle, the worker that
 * bin/cli-bundle.js bundles beside cli.mjs in the same build. A bundle built
 * without one (the desktop app's) finds no file and scans on one thread.
 */
export const SCAN_WORKER_ENTRY = pathToFileURL(
  RUN_FROM_SOURCES ? join(SOURCE_DIR, 'probe', 'pool', 'scan-worker-entry.mjs') : join(RUNNING_DIR, 'scan-worker.mjs'),
);
