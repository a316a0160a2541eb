/**
 * The measured side of bench/observe-cost.ts, run in a process of its own
 * from a bundle (observe-bundle.ts), as the desktop app runs its engine
 * (electron/engine: one JavaScript file built by Vite, no TypeScript loader
 * in the process). A Sampler set up as the app's observation samples the
 * whole machine at 10 Hz for `warm` seconds, then for `seconds` measured; the
 * CPU time of this process (every thread) over that window, and what the
 * frames said, go to stdout as one JSON line (ObserveChildReport).
 *
 * argv: warm seconds, measured seconds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { diagnose } from '../native-bridge/diagnose/index';
import { markInheritedCloexec } from '../native-bridge/libc/fd-hygiene';
import type { Snapshot } from '../native-bridge/model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS, type SamplerOptions } from '../native-bridge/probe/index';
import { median, quantile, sleepMs, tickFor } from './timing';

export const OBSERVE_HZ = 10;

/** The observation's own options (session/observation.ts), diagnoses included. */
const OBSERVE_OPTIONS: SamplerOptions = { ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readIo: true, diagnose: true };

export interface ObserveChildReport {
  /** Processes and objects in the last frame (the whole machine). */
  processes: number;
  objects: number;
  ticks: number;
  wallMs: number;
  cpuMs: number;
  /** sample() wall time per tick, median and 95th percentile (ms). */
  sampleMs: number;
  sampleP95Ms: number;
  /** diagnose() alone on a snapshot of this machine, median CPU time (ms). */
  diagnoseMs: number;
  cadence: Snapshot['cadence'] | null;
  /** Per measured frame, medians: processes cold (carrying checkedAt), and of those shown as last confirmed before the frame. */
  coldPerFrame: number;
  waitedPerFrame: number;
  /** The age of every process state shown as last confirmed (ms): median and largest. */
  ageMedianMs: number;
  ageMaxMs: number;
  /** Objects listed from kernel-wide sources (IpcObject.checkedAt): per frame, the median count shown as read before it, and the largest age. */
  objectsWaitedPerFrame: number;
  objectAgeMaxMs: number;
}

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

function objectsWaited(frame: Snapshot): { waited: number; maxAge: number } {
  let waited = 0;
  let maxAge = 0;
  for (const object of frame.objects) {
    if (object.checkedAt === undefined || object.checkedAt >= frame.takenAt) continue;
    waited++;
    maxAge = Math.max(maxAge, frame.takenAt - object.checkedAt);
  }
  return { waited, maxAge };
}

async function measure(warmSeconds: number, seconds: number): Promise<ObserveChildReport> {
  const sampler = new Sampler(OBSERVE_OPTIONS);
  try {
    let last: Snapshot | null = null;
    await tickFor(OBSERVE_HZ, warmSeconds, () => (last = sampler.sample({ all: true })));
    // what the warm-up left behind is collected before the window, not in it
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    await sleepMs(1000);
    const durations: number[] = [];
    const frames: Snapshot[] = [];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const ticks = await tickFor(OBSERVE_HZ, seconds, () => {
      const t = performance.now();
      last = sampler.sample({ all: true });
      durations.push(performance.now() - t);
      frames.push(last);
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const snapshot = last ?? sampler.sample({ all: true });
    const ages: number[] = [];
    const counts = frames.map((frame) => coldOf(frame, ages));
    const objectCounts = frames.map(objectsWaited);
    // CPU time, not wall time: on a loaded machine a pass waits for a core as long as it runs
    const passes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const before = process.cpuUsage();
      diagnose(snapshot);
      const used = process.cpuUsage(before);
      passes.push((used.user + used.system) / 1000);
    }
    return {
      processes: snapshot.processes.length,
      objects: snapshot.objects.length,
      ticks,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      sampleMs: median(durations),
      sampleP95Ms: quantile(durations, 0.95),
      diagnoseMs: median(passes),
      cadence: snapshot.cadence ?? null,
      coldPerFrame: median(counts.map((c) => c.cold)),
      waitedPerFrame: median(counts.map((c) => c.waited)),
      ageMedianMs: ages.length > 0 ? median(ages) : 0,
      ageMaxMs: ages.length > 0 ? Math.max(...ages) : 0,
      objectsWaitedPerFrame: median(objectCounts.map((c) => c.waited)),
      objectAgeMaxMs: Math.max(0, ...objectCounts.map((c) => c.maxAge)),
    };
  } finally {
    sampler.close();
  }
}

/** Run as the bundle's entry: measures and prints the report. */
export async function observeChildMain(argv: string[]): Promise<void> {
  markInheritedCloexec();
  const report = await measure(Number(argv[0] ?? 3), Number(argv[1] ?? 10));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
