/**
 * What observing the whole machine costs: a Sampler set up as the app's
 * observation (WATCH_SAMPLER_OPTIONS, no peek, /proc/PID/io, diagnoses on)
 * sampling `{all: true}` at 10 Hz, with 1000 extra idle processes (`sleep`)
 * started for it and killed after. The sampling runs in a process of its own
 * from a bundle, as the desktop app runs its engine (observe-cost-child.ts,
 * observe-bundle.ts); its CPU time (every thread, user + system) over a fixed
 * wall-clock window, as a share of one core, against the 5% budget. Also the
 * diagnose pass alone on a snapshot of that machine (median), the cadences the
 * frames said they used for cold processes (native-bridge/probe/cold-cadence.ts)
 * and for kernel-wide sources (kind-cadence.ts), and what an empty 10 Hz timer
 * costs in plain Node and under tsx (the browser mode runs through tsx).
 *
 * `npm run bench` runs it as part 4; alone: `node --import tsx bench/observe-cost.ts`.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { markInheritedCloexec } from '../native-bridge/libc/fd-hygiene';
import { cleanUpEverything, killTracked, spawnTracked, yieldToSignals } from './bench-children';
import { OBSERVE_HZ, type ObserveChildReport } from './observe-cost-child';
import { buildObserveBundle, timerShare } from './observe-bundle';
import { sleepMs } from './timing';

export const OBSERVE_BUDGET = 0.05;

export interface ObserveCost extends ObserveChildReport {
  extra: number;
  /** CPU time / wall time: 1 = one full core. */
  coreShare: number;
  achievedHz: number;
}

/** Starts `count` idle `sleep` processes and resolves once the kernel shows each asleep (state S). */
export async function startSleepers(count: number): Promise<ChildProcess[]> {
  if (count === 0) return [];
  const children: (ChildProcess & { pid: number })[] = [];
  for (let i = 0; i < count; i++) {
    children.push(spawnTracked('sleep', ['100000'], 'ignore'));
    if (i % 50 === 49) await yieldToSignals();
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const waking = children.filter((child) => !/\) S /.test(statOf(child.pid)));
    if (waking.length === 0) return children;
    if (Date.now() > deadline) throw new Error(`${waking.length} sleep processes never went to sleep`);
    await sleepMs(100);
  }
}

function statOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return '';
  }
}

/** Observes the whole machine at 10 Hz for `seconds` in the bundled child, after `warmSeconds` of the same ticking (held files opened, code optimized). */
export async function measureObserveCost(extra: number, seconds: number, warmSeconds = 3): Promise<ObserveCost> {
  const bundle = await buildObserveBundle();
  const sleepers = await startSleepers(extra);
  try {
    const report = await runChild(bundle, warmSeconds, seconds);
    return { ...report, extra, coreShare: report.cpuMs / report.wallMs, achievedHz: report.ticks / (report.wallMs / 1000) };
  } finally {
    await killTracked(sleepers);
  }
}

function runChild(bundle: string, warmSeconds: number, seconds: number): Promise<ObserveChildReport> {
  const child = spawnTracked(process.execPath, [bundle, String(warmSeconds), String(seconds)], ['ignore', 'pipe', 'inherit']);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ObserveChildReport);
      else reject(new Error(`the observing process ended with ${code ?? signal}`));
    });
  });
}

/** An empty 10 Hz timer, in plain Node and under tsx: the floor of any 10 Hz observer, and what tsx adds to it. */
export async function measureTimerFloor(seconds = 10): Promise<{ plain: number; tsx: number }> {
  return { plain: await timerShare(seconds, false), tsx: await timerShare(seconds, true) };
}

export function observeCostLines(cost: ObserveCost): string[] {
  const pct = (share: number): string => `${(share * 100).toFixed(2)}%`;
  return [
    `   +${cost.extra} idle sleep processes: ${cost.processes} processes and ${cost.objects} objects in a frame`,
    `   ${cost.ticks} ticks in ${(cost.wallMs / 1000).toFixed(1)} s (${cost.achievedHz.toFixed(1)} Hz): ${cost.cpuMs.toFixed(0)} ms of CPU = ${pct(cost.coreShare)} of one core`,
    `   sample() median ${cost.sampleMs.toFixed(2)} ms, 95th percentile ${cost.sampleP95Ms.toFixed(2)} ms; the diagnose pass alone ${cost.diagnoseMs.toFixed(2)} ms of CPU (median)`,
    cost.cadence
      ? `   cold processes (CPU clock still for ${cost.cadence.coldAfterMs / 1000} s) re-checked every ${cost.cadence.recheckMs / 1000} s: per frame ${cost.coldPerFrame} cold, ${cost.waitedPerFrame} shown as last confirmed (state age median ${(cost.ageMedianMs / 1000).toFixed(2)} s, largest ${(cost.ageMaxMs / 1000).toFixed(2)} s)`
      : '   every process checked at every tick (no cadence)',
    `   kernel-wide sources (socket dumps, /proc/locks, /dev/shm, System V) read again when a process that can change them ran: per frame ${cost.objectsWaitedPerFrame} objects shown as read earlier (largest age ${(cost.objectAgeMaxMs / 1000).toFixed(2)} s)`,
    ...(cost.achievedHz < OBSERVE_HZ * 0.9 ? [`   NOTE: only ${cost.achievedHz.toFixed(1)} of ${OBSERVE_HZ} ticks a second: the engine waited for a core (machine load ${loadavg()[0]!.toFixed(1)}); its share is of the ticks it got`] : []),
  ];
}

/** The verdict at +1000; with the same machine measured at +0 (`base`), what the idle processes themselves add. */
export function observeCostVerdict(cost: ObserveCost, base: ObserveCost | null = null): string {
  const met = cost.coreShare < OBSERVE_BUDGET;
  const verdict = `   ${met ? 'met   ' : 'MISSED'} observing the whole machine at ${OBSERVE_HZ} Hz with +${cost.extra} idle processes: ${(cost.coreShare * 100).toFixed(2)}% of a core, ${(cost.coreShare / OBSERVE_BUDGET).toFixed(2)}x the budget (target < ${OBSERVE_BUDGET * 100}%)`;
  if (!base) return verdict;
  const added = cost.coreShare - base.coreShare;
  return `${verdict}\n          (the machine alone, +0: ${(base.coreShare * 100).toFixed(2)}%; the ${cost.extra} idle processes add ${(added * 100).toFixed(2)}% of a core)`;
}

export function timerFloorLine(floor: { plain: number; tsx: number }): string {
  return `   an empty ${OBSERVE_HZ} Hz timer alone: ${(floor.plain * 100).toFixed(2)}% of a core in plain Node (the bundled engine above, the desktop app), ${(floor.tsx * 100).toFixed(2)}% under tsx (the browser mode today)`;
}

/** How many processes the machine has now (for the report). */
export function processCount(): number {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  markInheritedCloexec();
  const stop = (): void => void cleanUpEverything().then(() => process.exit(130));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`4. Observing the whole machine (${processCount()} processes before)\n`);
  void (async () => {
    try {
      const base = await measureObserveCost(0, 10);
      const cost = await measureObserveCost(1000, 10);
      const floor = await measureTimerFloor();
      process.stdout.write(`${[...observeCostLines(base), ...observeCostLines(cost), timerFloorLine(floor), observeCostVerdict(cost, base)].join('\n')}\n`);
    } finally {
      await cleanUpEverything();
    }
  })();
}
