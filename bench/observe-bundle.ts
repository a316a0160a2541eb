/**
 * Builds the observation bench's child (observe-cost-child.ts) into one
 * JavaScript file, as the desktop app's engine is built (electron/engine,
 * bundled by Vite): the measured process then carries no TypeScript loader.
 * Under tsx a process also runs tsx's module-hooks thread and a bigger heap:
 * an empty 10 Hz timer costs ~0.3% of a core in plain Node and ~1.0% under
 * tsx on this VM (timerShare below measures both in every run).
 */
import { NODE_BUNDLE_OPTIONS } from '../bin/node-bundle.js';
import { spawnTracked } from './bench-children';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/* beside the actor and CLI bundles: packages (koffi) resolve from the project's node_modules */
export const OBSERVE_BUNDLE_PATH = join(resolve(here, '..'), 'node_modules', '.ipcscope', 'bench-observe.mjs');

interface EsbuildModule {
  buildSync(options: Record<string, unknown>): unknown;
}

/** Builds the bundle (every run: ~0.1 s) and returns its path. */
export async function buildObserveBundle(): Promise<string> {
  const esbuild = (await import('esbuild')) as EsbuildModule;
  mkdirSync(dirname(OBSERVE_BUNDLE_PATH), { recursive: true });
  esbuild.buildSync({
    stdin: {
      contents: "import { observeChildMain } from './observe-cost-child';\nawait observeChildMain(process.argv.slice(2));\n",
      resolveDir: here,
      loader: 'ts',
      sourcefile: 'observe-entry.ts',
    },
    outfile: OBSERVE_BUNDLE_PATH,
    ...NODE_BUNDLE_OPTIONS,
  });
  return OBSERVE_BUNDLE_PATH;
}

/** An empty callback every 100 ms for `seconds`, in a Node process of its own (plain, or with `--import tsx`): CPU time / wall time. */
export function timerShare(seconds: number, underTsx: boolean): Promise<number> {
  // measured from 2 s after start: what starting left behind is not the timer's
  const script = `await new Promise((r) => setTimeout(r, 2000));
const c0 = process.cpuUsage(); const t0 = performance.now(); let n = 0;
const t = setInterval(() => { if (++n === ${seconds * 10}) { clearInterval(t); const u = process.cpuUsage(c0); console.log((u.user + u.system) / 1000 / (performance.now() - t0)); } }, 100);`;
  const args = underTsx ? ['--import', 'tsx', '--input-type=module', '-e', script] : ['--input-type=module', '-e', script];
  return new Promise((resolvePromise, reject) => {
    const child = spawnTracked(process.execPath, args, ['ignore', 'pipe', 'inherit'], resolve(here, '..'));
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolvePromise(Number(out.trim())) : reject(new Error(`timer process exited with ${code}`))));
  });
}
