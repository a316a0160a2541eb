/** Small measuring helpers: medians, wall time of a command, formatting. */
import { spawnSync } from 'node:child_process';
import { childrenCpuMs } from './rusage';

export interface Timing {
  wallMs: number;
  cpuMs: number;
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile of `values` (0.5: the median), linear between neighbours; NaN when there are none. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** Wall and CPU time of a command run to completion, output discarded. */
export function timeCommand(command: string, args: string[]): Timing {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  const wallMs = performance.now() - started;
  if (result.error) throw result.error;
  return { wallMs, cpuMs: childrenCpuMs() - cpuBefore };
}

/** Wall and CPU time (this process: user + system) of an in-process call. */
export function timeCall<T>(run: () => T): Timing & { value: T } {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const value = run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

export function medianTiming(timings: Timing[]): Timing {
  return { wallMs: median(timings.map((t) => t.wallMs)), cpuMs: median(timings.map((t) => t.cpuMs)) };
}

/** True when `command` can be run (lsof -v / ss -V style probe). */
export function available(command: string, versionFlag: string): boolean {
  const result = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  return !result.error;
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a';
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)}x` : 'n/a';
}

export function pad(text: string, width: number): string {
  return text.padEnd(width);
}

export function sleepMs(duration: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, duration));
}

/** Calls `tick` every 1000/`hz` ms for `seconds` of wall time; resolves with how many ticks ran. */
export async function tickFor(hz: number, seconds: number, tick: () => void): Promise<number> {
  const started = performance.now();
  let ticks = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      tick();
      ticks++;
      if (performance.now() - started >= seconds * 1000) {
        clearInterval(timer);
        done();
      }
    }, 1000 / hz);
  });
  return ticks;
}
