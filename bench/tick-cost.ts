/**
 * What watching costs: one Sampler ticking at 60 Hz over a watched set of
 * processes, as CPU time of this process (process.cpuUsage: user + system)
 * over wall time, i.e. a share of one core. Includes the timer's own cost,
 * which is also measured alone (an empty callback at the same rate): on a VM
 * each wake-up from idle costs far more than on bare metal.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Sampler, type SamplerOptions } from '../native-bridge/probe/index';
import { median, sleepMs } from './timing';

export interface TickCost {
  label: string;
  ticks: number;
  wallMs: number;
  cpuMs: number;
  /** CPU time / wall time, 1 = one full core. */
  coreShare: number;
  /** Ticks per second actually achieved (below 60 when a tick takes longer than 16.7 ms). */
  achievedHz: number;
  /** CPU time per tick x 60: the share one core would need to really tick at 60 Hz. */
  projectedShare: number;
  /** Wall time of the callback itself (sample()), median (ms). */
  sampleMs: number;
}

/**
 * Lets what earlier parts of the run left behind finish before a
 * measurement: garbage from thousands of benchmark processes is collected
 * by V8's helper threads, whose CPU time process.cpuUsage counts too.
 */
export async function settle(): Promise<void> {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  await sleepMs(1000);
}

/**
 * Samples taken back to back before a measurement: they open the held /proc
 * files and pidfds, and let V8 optimize the sampling code. At 60 Hz a few
 * hundred ticks still run it unoptimized (baseline code: ~1.4x the wall time
 * per tick in a one-off comparison here); a watching app gets there within
 * its first minute.
 */
export const WARM_SAMPLES = 2000;

export async function measureTicks(label: string, pids: number[], options: SamplerOptions, seconds: number, hz = 60): Promise<TickCost> {
  const sampler = new Sampler(options);
  try {
    for (let i = 0; i < WARM_SAMPLES; i++) sampler.sample({ pids });
    return await measureInterval(label, () => sampler.sample({ pids }), seconds, hz);
  } finally {
    sampler.close();
  }
}

/** The same timer with nothing to do: the floor under every tick's share. */
export function measureTimerAlone(seconds: number, hz = 60): Promise<TickCost> {
  return measureInterval('the timer alone (an empty callback)', () => undefined, seconds, hz);
}

async function measureInterval(label: string, tick: () => void, seconds: number, hz: number): Promise<TickCost> {
  const durations: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let ticks = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const tickStarted = performance.now();
      tick();
      durations.push(performance.now() - tickStarted);
      ticks++;
      if (performance.now() - started >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 1000 / hz);
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    label,
    ticks,
    wallMs,
    cpuMs,
    coreShare: cpuMs / wallMs,
    achievedHz: ticks / (wallMs / 1000),
    projectedShare: ((cpuMs / ticks) * hz) / 1000,
    sampleMs: median(durations),
  };
}
