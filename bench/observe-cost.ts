/**
 * What observing the whole machine costs: a Sampler set up as the app's
 * observation is (WATCH_SAMPLER_OPTIONS, no peek, /proc/PID/io, diagnoses on)
 * sampling `{all: true}` at 10 Hz, with 1000 extra idle processes (`sleep`)
 * started for it and killed after. CPU time of this process (getrusage
 * RUSAGE_SELF through process.cpuUsage: every thread, user + system) over a
 * fixed wall-clock window, as a share of one core, against the 5% budget.
 * Also the diagnose pass alone on a snapshot of that machine (median), and
 * the cadence the frames said they used for cold processes
 * (native-bridge/probe/cold-cadence.ts): how many were cold, and how old the
 * states shown were.
 *
 * `npm run bench` runs it as part 4; alone: `node --import tsx bench/observe-cost.ts`.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { diagnose } from '../native-bridge/diagnose/index';
import { markInheritedCloexec } from '../native-bridge/libc/fd-hygiene';
import { Sampler, WATCH_SAMPLER_OPTIONS, type SamplerOptions } from '../native-bridge/probe/index';
import type { Snapshot } from '../native-bridge/model/snapshot-types';
import { cleanUpEverything, killTracked, spawnTracked, yieldToSignals } from './bench-children';
import { settle } from './tick-cost';
import { median, quantile, sleepMs } from './timing';

export const OBSERVE_BUDGET = 0.05;
const OBSERVE_HZ = 10;

/** The observation's own options (session/observation.ts), diagnoses included. */
const OBSERVE_OPTIONS: SamplerOptions = { ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readIo: true, diagnose: true };

export interface ObserveCost {
  extra: number;
  /** Processes in the last frame (the whole machine). */
  processes: number;
  objects: number;
  ticks: number;
  wallMs: number;
  cpuMs: number;
  /** CPU time / wall time: 1 = one full core. */
  coreShare: number;
  achievedHz: number;
  /** sample() wall time per tick, median and 95th percentile (ms). */
  sampleMs: number;
  sampleP95Ms: number;
  /** diagnose() alone on a snapshot of this machine, median CPU time (ms). */
  diagnoseMs: number;
  /** The cadence the frames carried (Snapshot.cadence): null when they had none. */
  cadence: Snapshot['cadence'] | null;
  /** Per measured frame, medians: processes cold (carrying checkedAt), and of those shown as last confirmed before the frame. */
  coldPerFrame: number;
  waitedPerFrame: number;
  /** The age of every state shown as last confirmed, over the measured frames (ms): median and largest. */
  ageMedianMs: number;
  ageMaxMs: number;
}

/** How many processes of `frame` are cold, how many shown as confirmed before it, and those states' ages (ms). */
function coldOf(frame: Snapshot, ages: number[]): { cold: number; waited: number } {
  let cold = 0;
  let waited = 0;
  for (const proc of frame.processes) {
    if (proc.checkedAt === undefined) continue;
    cold++;
    if (proc.checkedAt < frame.takenAt) {
      waited++;
      ages.push(frame.takenAt - proc.checkedAt);
    }
  }
  return { cold, waited };
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

/** Observes the whole machine at 10 Hz for `seconds`, after `warmSeconds` of the same ticking (held files opened, code optimized). */
export async function measureObserveCost(extra: number, seconds: number, warmSeconds = 3): Promise<ObserveCost> {
  const sleepers = await startSleepers(extra);
  const sampler = new Sampler(OBSERVE_OPTIONS);
  try {
    let last: Snapshot | null = null;
    await tickFor(warmSeconds, () => (last = sampler.sample({ all: true })));
    await settle();
    const durations: number[] = [];
    const frames: Snapshot[] = [];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const ticks = await tickFor(seconds, () => {
      const t = performance.now();
      last = sampler.sample({ all: true });
      durations.push(performance.now() - t);
      frames.push(last);
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const snapshot = last ?? sampler.sample({ all: true });
    const ages: number[] = [];
    const counts = frames.map((frame) => coldOf(frame, ages));
    // CPU time, not wall time: on a loaded machine a pass waits for a core as long as it runs
    const passes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const before = process.cpuUsage();
      diagnose(snapshot);
      const used = process.cpuUsage(before);
      passes.push((used.user + used.system) / 1000);
    }
    return {
      extra,
      processes: snapshot.processes.length,
      objects: snapshot.objects.length,
      ticks,
      wallMs,
      cpuMs,
      coreShare: cpuMs / wallMs,
      achievedHz: ticks / (wallMs / 1000),
      sampleMs: median(durations),
      sampleP95Ms: quantile(durations, 0.95),
      diagnoseMs: median(passes),
      cadence: snapshot.cadence ?? null,
      coldPerFrame: median(counts.map((c) => c.cold)),
      waitedPerFrame: median(counts.map((c) => c.waited)),
      ageMedianMs: ages.length > 0 ? median(ages) : 0,
      ageMaxMs: ages.length > 0 ? Math.max(...ages) : 0,
    };
  } finally {
    sampler.close();
    await killTracked(sleepers);
  }
}

async function tickFor(seconds: number, tick: () => void): Promise<number> {
  const started = performance.now();
  let ticks = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      tick();
      ticks++;
      if (performance.now() - started >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 1000 / OBSERVE_HZ);
  });
  return ticks;
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
      process.stdout.write(`${[...observeCostLines(base), ...observeCostLines(cost), observeCostVerdict(cost, base)].join('\n')}\n`);
    } finally {
      await cleanUpEverything();
    }
  })();
}
