// The `snapshot` and `watch` commands run from one JavaScript file bundled
// from the TypeScript sources with esbuild, kept in node_modules/.ipcscope:
// about 0.14 s a run here against 0.3 s through tsx, which compiles every
// module on each start. The bundle is rebuilt when any source is newer than
// it, and any failure (no esbuild, a read-only install) leaves the caller on
// tsx. `web` always runs through tsx: it finds the renderer and the actor
// entry next to its own sources.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/* two levels below the root, so that the CLI's `../../package.json` still names ours */
export const BUNDLE = join(ROOT, 'node_modules', '.ipcscope', 'cli.mjs');
const SOURCES = [join(ROOT, 'native-bridge'), join(ROOT, 'bin'), join(ROOT, 'package.json')];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function isFresh() {
  let built;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((source) => newestMtime(source) <= built);
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const partial = `${BUNDLE}.${process.pid}.tmp`;
  await esbuild({
    entryPoints: [join(ROOT, 'native-bridge', 'cli', 'main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  renameSync(partial, BUNDLE); // atomic: a CLI started meanwhile sees the old bundle or the new one
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
