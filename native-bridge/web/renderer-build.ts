import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes sure renderer/dist holds a build of the current renderer sources, so
 * `npm run web` works right after a checkout with no separate build step.
 */

const BUILD_PREFIX = '.dist-build-';
const SKIP_DIRS = new Set(['dist', 'node_modules', 'fixtures']);

/** Newest modification time (ms) of the renderer's sources, tests excluded. */
function newestSourceMtime(rendererDir: string): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(BUILD_PREFIX) || entry.name.startsWith('.dist-old-')) continue;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.isFile() && !/\.test\.tsx?$/.test(entry.name)) {
        newest = Math.max(newest, statSync(join(dir, entry.name)).mtimeMs);
      }
    }
  };
  walk(rendererDir);
  return newest;
}

/** True when dist/index.html is missing or older than some renderer source. */
export function rendererBuildIsStale(projectRoot: string): boolean {
  const index = join(projectRoot, 'renderer', 'dist', 'index.html');
  if (!existsSync(index)) return true;
  return statSync(index).mtimeMs < newestSourceMtime(join(projectRoot, 'renderer'));
}

/**
 * Builds with vite's JS API and the renderer's own config, into a private
 * directory that then replaces dist by rename: a server already serving dist
 * (another `npm run web`, an e2e run) never sees it half emptied, and two
 * builds at once do not write into each other. Returns whether a build ran.
 */
export async function ensureRendererBuilt(projectRoot: string, log: (line: string) => void): Promise<boolean> {
  if (!rendererBuildIsStale(projectRoot)) return false;
  log('ipcscope: building the renderer (vite build --config renderer/vite.config.ts) ...');
  const rendererDir = join(projectRoot, 'renderer');
  const dist = join(rendererDir, 'dist');
  const staging = mkdtempSync(join(rendererDir, BUILD_PREFIX));
  try {
    const { build } = await import('vite');
    await build({ configFile: join(rendererDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
    if (!existsSync(join(staging, 'index.html'))) throw new Error('the renderer build produced no index.html');
    const old = `${rendererDir}/.dist-old-${process.pid}`;
    try {
      renameSync(dist, old);
    } catch {
      /* no dist yet, or another build just moved it */
    }
    try {
      renameSync(staging, dist);
    } catch {
      /* another build put its dist in place first: it is just as fresh */
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  if (!existsSync(join(dist, 'index.html'))) throw new Error('renderer/dist/index.html is missing after the build');
  return true;
}
