import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes sure renderer/dist holds a build of the current renderer sources, so
 * `npm run web` works right after a checkout with no separate build step.
 */

const SKIP_DIRS = new Set(['dist', 'node_modules', 'fixtures']);

/** Newest modification time (ms) of the renderer's sources, tests excluded. */
export function newestSourceMtime(rendererDir: string): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
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

/** Builds with vite's JS API and the renderer's own config; returns whether a build ran. */
export async function ensureRendererBuilt(projectRoot: string, log: (line: string) => void): Promise<boolean> {
  if (!rendererBuildIsStale(projectRoot)) return false;
  log('ipcscope: building the renderer (vite build --config renderer/vite.config.ts) ...');
  const { build } = await import('vite');
  await build({ configFile: join(projectRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  if (!existsSync(join(projectRoot, 'renderer', 'dist', 'index.html'))) {
    throw new Error('the renderer build did not produce renderer/dist/index.html');
  }
  return true;
}
