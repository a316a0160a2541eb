/**
 * The system map's speed, on real frames: start N real processes (a bash
 * whose N `cat`s each read their own pipe, bash holding the write ends),
 * sample them with the engine's Sampler as the app does, keep the frames,
 * then replay them at 30 Hz into the built renderer in headless Chromium
 * (through the preload API the Electron shell would give it) and read the
 * map's own `map-paint` events. Prints measured against budget; asserts
 * nothing. Run alone: `node --import tsx bench/map-frames.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium-launch';
import type { Frame } from '../native-bridge/model/frame-types';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../native-bridge/probe/index';
import { defaultStaticRoot, serveStatic } from '../native-bridge/web/static-files';
import { ensureRendererBuilt } from '../native-bridge/web/renderer-build';
import { median, sleepMs } from './timing';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MAP_SIZES = [10, 100, 1000];
const FRAMES_KEPT = 24;
const REPLAY_HZ = 30;
const REPLAY_SECONDS = 6;

export interface MapRun {
  label: string;
  processes: number;
  objects: number;
  paints: number;
  framesSent: number;
  /** Frames never painted because a newer one arrived first (drawing the latest only). */
  skipped: number;
  /** requestAnimationFrame intervals while frames streamed in: what the eye sees. */
  intervalMedian: number;
  intervalP95: number;
  /** Work of one paint (layout of a new frame + drawing), ms. */
  workMedian: number;
  workP95: number;
  /** Frame handed to the page -> end of the first paint showing it, ms. */
  latencyMedian: number;
  latencyP95: number;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function childrenOf(ppid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) found.push(Number(name));
    } catch {
      /* exited while listed */
    }
  }
  return found;
}

function wchan(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
}

/** Pools alive now, for Ctrl-C (bench/run.ts calls stopMapPools). */
const livePools = new Set<ChildProcess & { pid: number }>();

export function stopMapPools(): void {
  for (const pool of livePools) stopPool(pool);
}

/** A bash with n cats, each asleep in read on its own pipe (anon_pipe_read); resolves once /proc shows them all so. */
async function startPool(n: number): Promise<ChildProcess & { pid: number }> {
  // Each cat closes the write ends bash made before its own pipe (it would inherit them otherwise).
  const script = `ulimit -n 4096 2>/dev/null; closes=''; for i in $(seq ${n}); do eval "exec {fd}> >(exec $closes cat)"; closes="$closes $fd>&-"; done; exec sleep 1000`;
  const child = spawn('bash', ['-c', script], { stdio: 'ignore', detached: true });
  if (child.pid === undefined) throw new Error('could not start bash');
  const pool = child as ChildProcess & { pid: number };
  livePools.add(pool);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const cats = childrenOf(pool.pid).filter((pid) => wchan(pid) === 'anon_pipe_read');
    if (cats.length >= n) return pool;
    await sleepMs(100);
  }
  stopPool(pool);
  throw new Error(`the pool of ${n} did not settle in read within 120 s`);
}

function stopPool(pool: ChildProcess & { pid: number }): void {
  livePools.delete(pool);
  try {
    // The group: bash and its cats (bash -c has no job control, so they share it); the cats would also see EOF.
    process.kill(-pool.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Real frames of a pool of n, as the engine streams them while observing (pid + tree). */
export async function recordFrames(n: number): Promise<Frame[]> {
  const pool = await startPool(n);
  const sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
  const frames: Frame[] = [];
  try {
    for (let seq = 1; seq <= FRAMES_KEPT; seq += 1) {
      const snapshot = sampler.sample({ pids: [pool.pid], tree: true });
      frames.push({ ...snapshot, seq, rateHz: REPLAY_HZ, events: [], lesson: null, observing: { pids: [pool.pid], tree: true, gone: [] } });
      await sleepMs(1000 / REPLAY_HZ);
    }
  } finally {
    sampler.close();
    stopPool(pool);
  }
  return frames;
}

function serveRenderer(): Promise<Server> {
  const root = defaultStaticRoot(PROJECT_ROOT);
  const server = createServer((req, res) => serveStatic(root, req, res, (server.address() as AddressInfo).port));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Installed before the page's scripts: the preload API the renderer talks to inside Electron, fed by the bench. */
const FAKE_PRELOAD = `
  // tsx (esbuild keepNames) wraps named functions in __name(); page.evaluate ships them as source.
  globalThis.__name = (fn) => fn;
  window.__mapBench = { listeners: [], sentAt: new Map(), paints: [] };
  window.ipcscope = {
    send: async (command) => (command.type === 'lessons.list' ? { ok: true, data: [] } : { ok: true }),
    onFrame: (listener) => { window.__mapBench.listeners.push(listener); return () => {}; },
    onStatus: () => () => {},
    askFullFrame: async () => ({ ok: true }),
  };
`;

async function replay(page: Page, frames: Frame[], label: string, expandFans: boolean): Promise<MapRun> {
  await page.reload();
  await page.evaluate((all) => ((window as unknown as { __frames: Frame[] }).__frames = all), frames);
  // The first frame: the map mounts (observing), then optionally every fan is opened.
  await page.evaluate(() => {
    const bench = (window as unknown as { __mapBench: { listeners: ((update: { type: 'frame'; frame: Frame }) => void)[] }; __frames: Frame[] }).__mapBench;
    const first = (window as unknown as { __frames: Frame[] }).__frames[0]!;
    bench.listeners.forEach((l) => l({ type: 'frame', frame: { ...first, seq: 1 } }));
  });
  // A small observation keeps the detailed picture by itself: the header switch asks for the map whatever the size.
  await page.getByTestId('view-map').click();
  await page.getByTestId('map-canvas').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="map-canvas"]')?.getAttribute('data-painted-seq') === '1');
  if (expandFans) {
    for (const button of await page.locator('[data-testid^="map-fan-"] button').all()) await button.evaluate((b) => (b as HTMLButtonElement).click());
    await page.getByTestId('map-fit').evaluate((b) => (b as HTMLButtonElement).click());
  }
  const result = await page.evaluate(
    async ({ hz, seconds }) => {
      type Paint = { seq: number; paintedAt: number; buildMs: number; drawMs: number };
      const w = window as unknown as { __mapBench: { listeners: ((update: { type: 'frame'; frame: Frame }) => void)[] }; __frames: Frame[] };
      const canvas = document.querySelector('[data-testid="map-canvas"]')!;
      const paints: Paint[] = [];
      canvas.addEventListener('map-paint', (e) => paints.push((e as CustomEvent<Paint>).detail));
      const sentAt = new Map<number, number>();
      const intervals: number[] = [];
      let last = 0;
      let running = true;
      const onRaf = (time: number) => {
        if (last) intervals.push(time - last);
        last = time;
        if (running) requestAnimationFrame(onRaf);
      };
      requestAnimationFrame(onRaf);
      const total = hz * seconds;
      for (let i = 0; i < total; i += 1) {
        const seq = 2 + i;
        const frame = { ...w.__frames[i % w.__frames.length]!, seq };
        sentAt.set(seq, performance.now());
        w.__mapBench.listeners.forEach((l) => l({ type: 'frame', frame }));
        await new Promise((resolve) => setTimeout(resolve, 1000 / hz));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      running = false;
      const painted = paints.filter((p) => sentAt.has(p.seq));
      const latencies: number[] = [];
      // Each frame sent counts until the first paint of it or of a newer one (a skipped frame is shown by the next).
      for (const [seq, at] of sentAt) {
        const first = painted.find((p) => p.seq >= seq);
        if (first) latencies.push(first.paintedAt - at);
      }
      return {
        intervals,
        work: painted.map((p) => p.buildMs + p.drawMs),
        latencies,
        paints: painted.length,
        framesSent: total,
        skipped: total - new Set(painted.map((p) => p.seq)).size,
      };
    },
    { hz: REPLAY_HZ, seconds: REPLAY_SECONDS },
  );
  const frame = frames[0]!;
  return {
    label,
    processes: frame.processes.length,
    objects: frame.objects.length,
    paints: result.paints,
    framesSent: result.framesSent,
    skipped: result.skipped,
    intervalMedian: median(result.intervals),
    intervalP95: quantile(result.intervals, 0.95),
    workMedian: median(result.work),
    workP95: quantile(result.work, 0.95),
    latencyMedian: median(result.latencies),
    latencyP95: quantile(result.latencies, 0.95),
  };
}

/** Records frames at each size, then replays each into the built renderer. */
export async function measureMapFrames(log: (line: string) => void): Promise<MapRun[]> {
  await ensureRendererBuilt(PROJECT_ROOT, log);
  const recorded = new Map<number, Frame[]>();
  for (const n of MAP_SIZES) {
    log(`bench: map: recording ${FRAMES_KEPT} frames of ${n} cats...`);
    recorded.set(n, await recordFrames(n));
  }
  const server = await serveRenderer();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const runs: MapRun[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(FAKE_PRELOAD);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    for (const n of MAP_SIZES) {
      log(`bench: map: replaying ${n}...`);
      runs.push(await replay(page, recorded.get(n)!, `${n} cats, fan closed`, false));
    }
    runs.push(await replay(page, recorded.get(1000)!, '1000 cats, fan open, fitted (1000 cells drawn)', true));
  } finally {
    await browser.close();
    server.close();
  }
  return runs;
}

const f = (ms: number): string => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '-');

export function printMapRuns(runs: MapRun[], say: (line: string) => void): void {
  say(`6. System map in headless Chromium (1280x720, software canvas), real frames replayed at ${REPLAY_HZ} Hz for ${REPLAY_SECONDS} s`);
  say('   frame time = requestAnimationFrame interval while frames stream in; work = layout + paint of one frame;');
  say('   latency = frame handed to the page -> end of the first paint showing it (or a newer frame)');
  const load = loadavg()[0]!;
  if (load > availableParallelism()) {
    say(`   NOTE: load ${load.toFixed(1)} on ${availableParallelism()} cores: the page's main thread waits for the CPU, so frame`);
    say('   times and latencies here measure the run queue as much as the map; "work" (CPU spent per paint) is the steadier guide.');
  }
  for (const r of runs) {
    say(`   ${r.label}: ${r.processes} processes, ${r.objects} objects; ${r.paints} paints for ${r.framesSent} frames (${r.skipped} superseded before painting)`);
    say(`     frame time median ${f(r.intervalMedian)}, p95 ${f(r.intervalP95)}; work median ${f(r.workMedian)}, p95 ${f(r.workP95)}; latency median ${f(r.latencyMedian)}, p95 ${f(r.latencyP95)}`);
  }
}

export function mapVerdicts(runs: MapRun[], say: (line: string) => void): void {
  const verdict = (ok: boolean) => (ok ? 'met   ' : 'MISSED');
  for (const r of runs.filter((run) => run.processes > 900)) {
    say(`   ${verdict(r.intervalMedian <= 16.7)} map frame time median at ${r.label}: ${f(r.intervalMedian)} (budget 16.7 ms)`);
    say(`   ${verdict(r.intervalP95 < 25)} map frame time p95 at ${r.label}: ${f(r.intervalP95)} (budget 25 ms)`);
    say(`   ${verdict(r.latencyP95 < 50)} map arrival-to-paint p95 at ${r.label}: ${f(r.latencyP95)} (budget 50 ms)`);
  }
  for (const r of runs.filter((run) => run.processes <= 20)) {
    say(`   ${verdict(r.latencyP95 < 25)} map arrival-to-paint p95 at ${r.label}: ${f(r.latencyP95)} (budget 25 ms)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  measureMapFrames((line) => process.stderr.write(`${line}\n`))
    .then((runs) => {
      printMapRuns(runs, say);
      say('Targets');
      mapVerdicts(runs, say);
    })
    .catch((error: unknown) => {
      process.stderr.write(`bench: map: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
