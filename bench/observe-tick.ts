/**
 * One measurement for bench/observe-ab.ts, in a process of its own: a Sampler
 * of the checkout named on the command line (its native-bridge/, imported
 * from there), set up as the app's observation is, samples `{all: true}` at
 * 10 Hz for a warm-up and then for a measured window. Prints one JSON line:
 * CPU time of this process (every thread, user + system) over the window, per
 * tick and as a share of one core.
 *
 * `node --import tsx bench/observe-tick.ts <checkout> <seconds>`
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type * as ProbeModule from '../native-bridge/probe/index';
import { tickFor } from './timing';

export interface TickMeasure {
  checkout: string;
  ticks: number;
  processes: number;
  cpuMs: number;
  wallMs: number;
  /** CPU ms per tick. */
  perTickMs: number;
  /** CPU time / wall time: 1 = one full core. */
  coreShare: number;
  load: number;
}

const HZ = 10;

async function measure(checkout: string, seconds: number): Promise<TickMeasure> {
  const bridge = resolve(checkout, 'native-bridge');
  const hygiene = (await import(`${bridge}/libc/fd-hygiene.ts`)) as { markInheritedCloexec(): void };
  const probe = (await import(`${bridge}/probe/index.ts`)) as typeof ProbeModule;
  hygiene.markInheritedCloexec();
  const sampler = new probe.Sampler({ ...probe.WATCH_SAMPLER_OPTIONS, peekBytes: 0, readIo: true, diagnose: true });
  try {
    let processes = 0;
    await tickFor(HZ, 3, () => void sampler.sample({ all: true }));
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const ticks = await tickFor(HZ, seconds, () => (processes = sampler.sample({ all: true }).processes.length));
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return { checkout, ticks, processes, cpuMs, wallMs, perTickMs: cpuMs / ticks, coreShare: cpuMs / wallMs, load: loadavg()[0]! };
  } finally {
    sampler.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [checkout, seconds] = process.argv.slice(2);
  void measure(checkout ?? '.', Number(seconds ?? 5)).then((m) => process.stdout.write(`${JSON.stringify(m)}\n`));
}
