/**
 * Does watching slow down what is watched? A writer and a reader (two real
 * `dd` processes) move a fixed volume through a pipe or a Unix socketpair,
 * once with nobody looking and once with a Sampler ticking at 60 Hz over
 * both, peeking queued bytes and reading fill; runs alternate so drift in
 * machine load hits both sides.
 */
import type { ChildProcess } from 'node:child_process';
import { makePipe } from '../native-bridge/libc/libc';
import { makeSocketPair } from '../native-bridge/libc/sockets';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../native-bridge/probe/index';
import { closeTracked, exited, spawnTracked, trackFds } from './bench-children';
import { median } from './timing';

export type Channel = 'pipe' | 'socketpair';

export interface ObserverEffect {
  channel: Channel;
  mebibytes: number;
  /** Throughput, MiB/s, one per run. */
  unobserved: number[];
  observed: number[];
  ticksPerRun: number;
  /** Observer ticks per second actually achieved during observed runs (target 60). */
  achievedHz: number;
  /** median(observed) / median(unobserved). */
  ratioOfMedians: number;
  /** Median over pairs of observed / unobserved: cancels load drift between pairs. */
  ratio: number;
}

const BLOCK = '64K';
const BLOCK_BYTES = 64 * 1024;

async function transfer(channel: Channel, blocks: number, observe: boolean): Promise<{ mibPerSecond: number; ticks: number; seconds: number }> {
  const [readEnd, writeEnd] = channel === 'pipe' ? makePipe() : makeSocketPair('stream');
  trackFds(readEnd, writeEnd);
  let writer: ChildProcess & { pid: number };
  let reader: ChildProcess & { pid: number };
  const started = performance.now();
  try {
    reader = spawnTracked('dd', ['of=/dev/null', `bs=${BLOCK}`, 'status=none'], [readEnd, 'ignore', 'ignore']);
    writer = spawnTracked('dd', ['if=/dev/zero', `bs=${BLOCK}`, `count=${blocks}`, 'status=none'], ['ignore', writeEnd, 'ignore']);
  } finally {
    /* only the two dd processes may hold the ends, or the reader never sees EOF */
    closeTracked(readEnd, writeEnd);
  }
  let ticks = 0;
  let sampler: Sampler | null = null;
  let timer: NodeJS.Timeout | null = null;
  if (observe) {
    /* as the app and `ipcscope watch` observe: WATCH_SAMPLER_OPTIONS, with peek, maps and signal masks on */
    sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 256, readMaps: true, readSignals: true });
    const scope = { pids: [writer.pid, reader.pid] };
    const watching = sampler;
    timer = setInterval(() => {
      watching.sample(scope);
      ticks++;
    }, 1000 / 60);
  }
  try {
    await Promise.all([exited(writer), exited(reader)]);
  } finally {
    if (timer) clearInterval(timer);
    sampler?.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { mibPerSecond: (blocks * BLOCK_BYTES) / (1024 * 1024) / seconds, ticks, seconds };
}

/** Each run moves as much as one unobserved second carries (measured first), 128 MiB to 8 GiB. */
export async function measureObserverEffect(channel: Channel, secondsPerRun: number, pairs: number): Promise<ObserverEffect> {
  const probe = await transfer(channel, 2048, false); /* 128 MiB: warms dd, sizes the runs */
  const mebibytes = Math.max(128, Math.min(8192, Math.round((probe.mibPerSecond * secondsPerRun) / 64) * 64));
  const blocks = Math.round((mebibytes * 1024 * 1024) / BLOCK_BYTES);
  const unobserved: number[] = [];
  const observed: number[] = [];
  const ticks: number[] = [];
  const rates: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    /* alternate which side goes first, so neither always runs on a warmer machine */
    const order = pair % 2 === 0 ? [false, true] : [true, false];
    for (const observe of order) {
      const run = await transfer(channel, blocks, observe);
      (observe ? observed : unobserved).push(run.mibPerSecond);
      if (observe) {
        ticks.push(run.ticks);
        rates.push(run.ticks / run.seconds);
      }
    }
  }
  const paired = observed.map((value, i) => value / (unobserved[i] ?? NaN));
  return {
    channel,
    mebibytes,
    unobserved,
    observed,
    ticksPerRun: median(ticks),
    achievedHz: median(rates),
    ratioOfMedians: median(observed) / median(unobserved),
    ratio: median(paired),
  };
}
