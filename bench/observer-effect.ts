/**
 * Does watching slow down what is watched? A writer and a reader (two real
 * `dd` processes) stream through a pipe or a Unix socketpair, and a Sampler
 * ticking at 60 Hz over both (as the app ticks: fill, peek 256 B, maps,
 * signal masks) is switched on and off in alternating windows. The bytes the
 * reader has read (`rchar` in /proc/PID/io, read at each window's edges)
 * give each window's throughput, and each observed window is compared with
 * the unobserved windows on either side of it.
 *
 * Why windows and not whole runs: a pipe's throughput drifts by a third from
 * one run to the next on this kind of machine (where the scheduler puts the
 * pair, cache state), which drowns a few percent of observer effect. Windows
 * a fraction of a second apart see the same drift.
 *
 * Two more arms run beside it:
 * - control: the same 60 Hz timer with nothing to do. Its ratio shows what
 *   the wake-ups alone cost, and how far the noise of one run reaches: on a
 *   quiet machine it reads ~0.98 to 1, on a noisy one it strays as far as
 *   the observed windows do.
 * - spin: the same timer spinning, without a syscall, for as long as an
 *   observed tick's sample took (the median so far). When it costs the pair
 *   as much as observing does, the observer's cost is its CPU time, not what
 *   it does to the kernel objects (locks, queues) while it reads them.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { makePipe } from '../native-bridge/libc/libc';
import { makeSocketPair } from '../native-bridge/libc/sockets';
import { Sampler, WATCH_SAMPLER_OPTIONS, type SamplerOptions } from '../native-bridge/probe/index';
import { closeTracked, killTracked, spawnTracked, trackFds } from './bench-children';
import { WARM_SAMPLES } from './tick-cost';
import { available, median, quantile, sleepMs } from './timing';

export type Channel = 'pipe' | 'socketpair';

export interface ObserverEffect {
  channel: Channel;
  /** Bytes the reader read during the measured windows, MiB. */
  mebibytes: number;
  /** Throughput, MiB/s, one per window. */
  unobserved: number[];
  observed: number[];
  /** Windows with the control running: the same 60 Hz timer with an empty callback. */
  control: number[];
  /** Windows with the timer spinning for as long as a sample takes. */
  spin: number[];
  windowMs: number;
  /** Observer ticks per second actually achieved during observed windows (target 60). */
  achievedHz: number;
  /** median(observed) / median(unobserved). */
  ratioOfMedians: number;
  /** Median over observed windows of observed / mean of the two unobserved windows around it. */
  ratio: number;
  /** The quartiles of those per-window ratios: how far one window's noise reaches. */
  ratioQuartiles: [number, number];
  /** The same median ratio for the control windows: what the timer alone, and the noise, make of it. */
  controlRatio: number;
  /** The same median ratio for the spin windows: what the observer's CPU time alone makes of it. */
  spinRatio: number;
  /** CPU time of this process per tick (µs) in the observed and the spin windows: how well they match. */
  cpuPerTickUs: { observed: number; spin: number };
}

const BLOCK = '64K';
/* the first windows warm dd, the caches and the sampler; they are not counted */
const WARM_WINDOWS = 2;

/* 1 TiB: the stream is stopped long before, but a writer left behind by a crash still ends */
const MAX_BLOCKS = 1 << 24;
/*
 * setpriv execs dd (same PID) after asking the kernel to kill it when this
 * process dies: the stream never outlives a benchmark killed with SIGKILL.
 */
const PDEATHSIG = available('setpriv', '--version');

function spawnDd(args: string[], stdio: Array<number | 'ignore'>): ChildProcess & { pid: number } {
  return PDEATHSIG ? spawnTracked('setpriv', ['--pdeathsig', 'KILL', 'dd', ...args], stdio) : spawnTracked('dd', args, stdio);
}

/** Bytes `pid` has read so far (read(2) and friends), from /proc/PID/io. */
function bytesRead(pid: number): number {
  const text = readFileSync(`/proc/${pid}/io`, 'latin1');
  const match = /^rchar: (\d+)$/m.exec(text);
  if (!match) throw new Error(`no rchar in /proc/${pid}/io`);
  return Number(match[1]);
}

/**
 * `pairs` observed windows, as many control and as many spin windows, each
 * between unobserved ones: U O U C U S U O ... U, every window `windowMs` long.
 */
export async function measureObserverEffect(
  channel: Channel,
  windowMs: number,
  pairs: number,
  /* as the app ticks: peek 256 B, maps and signals are the Sampler's defaults (DEFAULT_PROBE_OPTIONS) */
  options: SamplerOptions = WATCH_SAMPLER_OPTIONS,
): Promise<ObserverEffect> {
  const [readEnd, writeEnd] = channel === 'pipe' ? makePipe() : makeSocketPair('stream');
  trackFds(readEnd, writeEnd);
  let reader: ChildProcess & { pid: number };
  let writer: ChildProcess & { pid: number };
  try {
    reader = spawnDd(['of=/dev/null', `bs=${BLOCK}`, 'status=none'], [readEnd, 'ignore', 'ignore']);
    writer = spawnDd(['if=/dev/zero', `bs=${BLOCK}`, `count=${MAX_BLOCKS}`, 'status=none'], ['ignore', writeEnd, 'ignore']);
  } finally {
    /* only the two dd processes may hold the ends */
    closeTracked(readEnd, writeEnd);
  }
  const sampler = new Sampler(options);
  const scope = { pids: [writer.pid, reader.pid] };
  // as a watching app's sampler after its first minute (before the warm windows, which are not counted)
  for (let i = 0; i < WARM_SAMPLES; i++) sampler.sample(scope);
  const windows: Array<{ arm: Arm; mibPerSecond: number }> = [];
  const sampleMs: number[] = [];
  const cpu = { observed: { us: 0, ticks: 0 }, spin: { us: 0, ticks: 0 } };
  let observedMs = 0;
  let total = 0;
  try {
    const count = WARM_WINDOWS * 2 + pairs * ARMS.length * 2 + 1;
    for (let i = 0; i < count; i++) {
      const arm: Arm = i % 2 === 0 ? 'unobserved' : ARMS[((i - 1) / 2) % ARMS.length]!;
      const spinMs = arm === 'spin' ? median(sampleMs) : 0;
      let armTicks = 0;
      const timer =
        arm === 'unobserved'
          ? null
          : setInterval(() => {
              if (arm === 'observed') {
                sampleMs.push(sampler.sample(scope).durationMs);
              } else if (arm === 'spin') {
                spin(spinMs);
              }
              armTicks++;
            }, 1000 / 60);
      const cpuBefore = process.cpuUsage();
      const before = bytesRead(reader.pid);
      const started = performance.now();
      await sleepMs(windowMs);
      const after = bytesRead(reader.pid);
      const elapsed = performance.now() - started;
      if (timer) clearInterval(timer);
      const used = process.cpuUsage(cpuBefore);
      if (i < WARM_WINDOWS * 2) continue;
      if (arm === 'observed' || arm === 'spin') {
        cpu[arm].us += used.user + used.system;
        cpu[arm].ticks += armTicks;
      }
      if (arm === 'observed') observedMs += elapsed;
      total += after - before;
      windows.push({ arm, mibPerSecond: (after - before) / (1024 * 1024) / (elapsed / 1000) });
    }
  } finally {
    sampler.close();
    await killTracked([writer, reader]);
  }
  const ratios = (arm: Arm): number[] => {
    const list: number[] = [];
    for (let i = 1; i < windows.length - 1; i++) {
      if (windows[i]!.arm !== arm) continue;
      const around = (windows[i - 1]!.mibPerSecond + windows[i + 1]!.mibPerSecond) / 2;
      list.push(windows[i]!.mibPerSecond / around);
    }
    return list;
  };
  const rates = (arm: Arm): number[] => windows.filter((w) => w.arm === arm).map((w) => w.mibPerSecond);
  const observedRatios = ratios('observed');
  const unobserved = rates('unobserved');
  const observed = rates('observed');
  return {
    channel,
    mebibytes: Math.round(total / (1024 * 1024)),
    unobserved,
    observed,
    control: rates('control'),
    spin: rates('spin'),
    windowMs,
    achievedHz: cpu.observed.ticks / (observedMs / 1000),
    ratioOfMedians: median(observed) / median(unobserved),
    ratio: median(observedRatios),
    ratioQuartiles: [quantile(observedRatios, 0.25), quantile(observedRatios, 0.75)],
    controlRatio: median(ratios('control')),
    spinRatio: median(ratios('spin')),
    cpuPerTickUs: { observed: cpu.observed.us / cpu.observed.ticks, spin: cpu.spin.us / cpu.spin.ticks },
  };
}

const ARMS = ['observed', 'control', 'spin'] as const;
type Arm = 'unobserved' | (typeof ARMS)[number];

/** Keeps this thread on the CPU for `ms` without a syscall (performance.now is read from the vDSO). */
function spin(ms: number): number {
  const end = performance.now() + ms;
  let turns = 0;
  while (performance.now() < end) turns++;
  return turns;
}
