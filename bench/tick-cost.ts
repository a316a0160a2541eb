/**
 * What watching costs: one Sampler ticking at 60 Hz over a watched set of
 * processes, as CPU time of this process (process.cpuUsage: user + system)
 * over wall time, i.e. a share of one core. Includes the timer's own cost.
 */
import { Sampler, type SamplerOptions } from '../native-bridge/probe/index';
import { median } from './timing';

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
  /** Wall time of sample() itself, median (ms). */
  sampleMs: number;
}

export async function measureTicks(label: string, pids: number[], options: SamplerOptions, seconds: number, hz = 60): Promise<TickCost> {
  const sampler = new Sampler(options);
  try {
    for (let i = 0; i < 5; i++) sampler.sample({ pids }); /* warm: open the held /proc files and pidfds */
    const durations: number[] = [];
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const tickStarted = performance.now();
        sampler.sample({ pids });
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
  } finally {
    sampler.close();
  }
}
