import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../paths';

/**
 * Makes sure renderer/dist holds a production build of the current renderer
 * sources, so `npm run web` works right after a checkout with no separate
 * build step, and serves the same bundle whoever started it (a test run
 * inherits NODE_ENV=test, which would otherwise give React's development
 * build: 508 KB against 289 KB, with its warnings).
 */

const BUILD_PREFIX = '.dist-build-';
const SKIP_DIRS = new Set(['dist', 'node_modules', 'fixtures']);
/** Written beside index.html by this build: a dist without it came from elsewhere (an older ipcscope, another mode). */
export const BUILD_STAMP = '.ipcscope-build.json';
const BUILD_NODE_ENV = 'production';

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

function builtForProduction(dist: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(dist, BUILD_STAMP), 'utf8')) as { nodeEnv?: unknown };
    return stamp.nodeEnv === BUILD_NODE_ENV;
  } catch {
    return false;
  }
}

/** True when dist/index.html is missing, not a production build of ours, or older than some renderer source. */
export function rendererBuildIsStale(projectRoot: string): boolean {
  const dist = join(projectRoot, 'renderer', 'dist');
  const index = join(dist, 'index.html');
  if (!existsSync(index) || !builtForProduction(dist)) return true;
  return statSync(index).mtimeMs < newestSourceMtime(join(projectRoot, 'renderer'));
}

/**
 * Readable by everyone, as a build under the usual umask would be: mkdtemp
 * makes the staging directory 0700, and once renamed to dist another user of
 * the same checkout could not read it.
 */
function makeReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeReadable(path);
    else if (entry.isFile()) chmodSync(path, 0o644);
  }
}

/** `vite build` in a child whose NODE_ENV is production, whatever this process's is. */
function viteBuild(rendererDir: string, outDir: string): Promise<void> {
  /* our own dependency, resolved from our package.json: this module may run from a bundle (paths.ts) */
  const vite = join(dirname(createRequire(join(PROJECT_ROOT, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [vite, 'build', '--config', join(rendererDir, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: rendererDir,
      env: { ...process.env, NODE_ENV: BUILD_NODE_ENV },
      // vite's warnings go to our stderr: our stdout carries the URL.
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pipe(process.stderr, { end: false });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build exited with ${code ?? signal}`));
    });
  });
}

/**
 * Builds into a private directory that then replaces dist by rename: a server
 * already serving dist (another `npm run web`, an e2e run) never sees it half
 * emptied, and two builds at once do not write into each other. Returns
 * whether a build ran.
 */
export async function ensureRendererBuilt(projectRoot: string, log: (line: string) => void): Promise<boolean> {
  if (!rendererBuildIsStale(projectRoot)) return false;
  log('ipcscope: building the renderer (vite build --config renderer/vite.config.ts, NODE_ENV=production) ...');
  const rendererDir = join(projectRoot, 'renderer');
  const dist = join(rendererDir, 'dist');
  const staging = mkdtempSync(join(rendererDir, BUILD_PREFIX));
  try {
    await viteBuild(rendererDir, staging);
    if (!existsSync(join(staging, 'index.html'))) throw new Error('the renderer build produced no index.html');
    writeFileSync(join(staging, BUILD_STAMP), `${JSON.stringify({ nodeEnv: BUILD_NODE_ENV })}\n`);
    makeReadable(staging);
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
