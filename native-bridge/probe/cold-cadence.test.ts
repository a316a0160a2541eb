/**
 * The whole-machine cadence for cold processes (cold-cadence.ts), against
 * what the kernel shows: a cold reader woken by a write is seen within the
 * re-check period and then checked at every sample; a frame never claims a
 * confirmation later than the change it misses; a PID that exits, or is
 * reused, while cold is not shown as the old process; PID and tree scopes
 * still read every process at every sample.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeFd, makePipe } from '../libc/libc';
import type { ProcessInfo, Snapshot } from '../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS, type Scope } from './sampler';
import { closedAfterEach } from './testing/closed-after-each';
import { reapChild } from './testing/reap-child';
import { until } from './testing/until';

const COLD_AFTER_MS = 1500;
const RECHECK_MS = 500;
/** The app's observation options, with a shorter cadence so that a test turns a process cold in seconds. */
const OPTIONS = { ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readIo: true, coldAfterMs: COLD_AFTER_MS, coldRecheckMs: RECHECK_MS };

const { children, samplers, fds: writeEnds } = closedAfterEach();

/** A child whose stdin is a pipe (Node's own 'pipe' is a socket pair); `write` puts a line into it. */
function started(command: string, args: string[]): ChildProcess & { pid: number; write(line: string): void } {
  const [r, w] = makePipe();
  const child = spawn(command, args, { stdio: [r, 'ignore', 'ignore'] });
  closeFd(r);
  writeEnds.push(w);
  children.push(child);
  return Object.assign(child as ChildProcess & { pid: number }, { write: (line: string) => void writeSync(w, line) });
}

function kernelRchar(pid: number): number {
  return Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))![1]);
}

/** Asleep in a read of its pipe for good: state S, off the CPU (the wchan of a pipe read). */
function asleepInRead(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat[stat.lastIndexOf(')') + 2] === 'S' && readFileSync(`/proc/${pid}/wchan`, 'latin1').includes('pipe_read');
  } catch {
    return false;
  }
}

/** Samples `scope`, keeping every frame, and checks the age each frame claims against the cadence. */
function recorder(sampler: Sampler, scope: Scope) {
  const frames: Snapshot[] = [];
  return {
    frames,
    sample(): Snapshot {
      const frame = sampler.sample(scope);
      for (const proc of frame.processes) {
        if (proc.checkedAt === undefined) continue;
        // never fresher than the frame, never older than the re-check period
        expect(proc.checkedAt).toBeLessThanOrEqual(frame.takenAt);
        expect(frame.takenAt - proc.checkedAt).toBeLessThan(RECHECK_MS);
      }
      frames.push(frame);
      return frame;
    },
  };
}

const find = (frame: Snapshot, pid: number): ProcessInfo | undefined => frame.processes.find((p) => p.pid === pid);

describe('whole-machine frames re-check cold processes on a slower cadence, and say how old each state is', () => {
  it('a cold reader woken by a write is seen within the re-check period, then checked at every sample', { timeout: 120_000 }, async () => {
    const reader = started('sh', ['-c', 'while read line; do :; done']);
    await until('sh asleep in read', () => asleepInRead(reader.pid));
    const sampler = new Sampler(OPTIONS);
    samplers.push(sampler);
    const watch = recorder(sampler, { all: true });
    const cold = await until('the reader shown as cold', () => {
      const frame = watch.sample();
      expect(frame.cadence).toEqual({ coldAfterMs: COLD_AFTER_MS, recheckMs: RECHECK_MS });
      const proc = find(frame, reader.pid);
      return proc?.checkedAt !== undefined && proc;
    });
    const before = cold.io!.rchar;
    expect(kernelRchar(reader.pid)).toBe(before);

    reader.write('one\n');
    // the kernel shows the read done by `changedBy`: a frame still showing the old count confirmed it before then
    await until('the kernel to show the read', () => kernelRchar(reader.pid) > before);
    const changedBy = Date.now();
    const seen = await until('a frame showing the read', () => {
      const proc = find(watch.sample(), reader.pid)!;
      if (proc.io!.rchar > before) return proc;
      expect(proc.checkedAt).toBeLessThan(changedBy);
      return undefined;
    });
    // read at that frame (its clock moved): no older confirmation claimed
    expect(seen.checkedAt).toBeUndefined();

    // hot now: the next write shows at the first sample after the kernel shows it
    const seenAt = watch.frames.at(-1)!.takenAt;
    reader.write('two\n');
    const after = seen.io!.rchar;
    await until('the kernel to show the second read', () => kernelRchar(reader.pid) > after);
    // off the CPU again first: a running process's clock is brought up to date only at a tick or a switch
    await until('sh asleep in read again', () => asleepInRead(reader.pid));
    const next = watch.sample();
    if (next.takenAt - seenAt < COLD_AFTER_MS) {
      expect(find(next, reader.pid)!.io!.rchar).toBeGreaterThan(after);
      expect(find(next, reader.pid)!.checkedAt).toBeUndefined();
    }
  });

  it('a cold process that exits is shown only with a confirmation from before its exit, and is gone within the period', { timeout: 120_000 }, async () => {
    const sleeper = started('sleep', ['1000']);
    await until('sleep asleep', () => readFileSync(`/proc/${sleeper.pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
    const sampler = new Sampler(OPTIONS);
    samplers.push(sampler);
    const watch = recorder(sampler, { all: true });
    await until('the sleep shown as cold', () => find(watch.sample(), sleeper.pid)?.checkedAt !== undefined);
    await reapChild(sleeper);
    const reapedAt = Date.now();
    await until('the sleep gone from the frames', () => {
      const proc = find(watch.sample(), sleeper.pid);
      if (proc) expect(proc.checkedAt).toBeLessThan(reapedAt);
      return proc === undefined;
    });
  });

  // Reusing a PID on purpose: /proc/sys/kernel/ns_last_pid names the PID handed out last (root only).
  const canSetLastPid = ((): boolean => {
    try {
      accessSync('/proc/sys/kernel/ns_last_pid', constants.W_OK);
      return process.getuid?.() === 0;
    } catch {
      return false;
    }
  })();

  it.skipIf(!canSetLastPid)('a PID reused while its process was cold shows the new process at the next sample', { timeout: 120_000 }, async () => {
    const sampler = new Sampler(OPTIONS);
    samplers.push(sampler);
    const watch = recorder(sampler, { all: true });
    // other processes on the machine may take the PID first: try a few times
    for (let attempt = 0; attempt < 10; attempt++) {
      const old = started('sleep', ['1000']);
      // A PID comes round again only after the cursor went past it (and round pid_max): one more process moves
      // it past, as any would. (Rewound to exactly the cursor the last frame saw, by ns_last_pid alone, the new
      // process is found at the old one's next check instead: its clock differs.)
      await reapChild(started('true', []));
      await until('sleep asleep', () => readFileSync(`/proc/${old.pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
      await until('the sleep shown as cold', () => find(watch.sample(), old.pid)?.checkedAt !== undefined);
      await reapChild(old);
      writeFileSync('/proc/sys/kernel/ns_last_pid', String(old.pid - 1));
      const reused = started('cat', []);
      if (reused.pid !== old.pid) {
        await reapChild(reused);
        continue;
      }
      const spawnedAt = Date.now();
      const proc = find(watch.sample(), old.pid);
      // the new process, read afresh (or not listed yet if it has not reached /proc's listing): never the old sleep
      if (proc) {
        expect(proc.comm).not.toBe('sleep');
        expect(proc.checkedAt === undefined || proc.checkedAt >= spawnedAt).toBe(true);
      }
      await until('cat asleep in read', () => asleepInRead(reused.pid));
      const shown = await until('the new process in the frames', () => find(watch.sample(), old.pid));
      expect(shown.comm).toBe('cat');
      return;
    }
    throw new Error('the PID was taken by other processes ten times');
  });

  for (const scope of ['pids', 'tree'] as const) {
    it(`a ${scope} scope reads every process at every sample: no cadence, a write shows at the next sample`, { timeout: 120_000 }, async () => {
      const reader = started('sh', ['-c', 'while read line; do :; done']);
      await until('sh asleep in read', () => asleepInRead(reader.pid));
      const sampler = new Sampler(OPTIONS);
      samplers.push(sampler);
      const watch = recorder(sampler, { pids: [reader.pid], tree: scope === 'tree' });
      // sample past the point where the whole machine would call the reader cold
      const from = Date.now();
      await until('longer than the cold threshold', () => {
        const frame = watch.sample();
        expect(frame.cadence).toBeUndefined();
        expect(find(frame, reader.pid)!.checkedAt).toBeUndefined();
        return Date.now() - from > COLD_AFTER_MS + RECHECK_MS;
      });
      const before = kernelRchar(reader.pid);
      reader.write('one\n');
      await until('the kernel to show the read', () => kernelRchar(reader.pid) > before);
      // and the reader off the CPU again: the CPU clock of a process running on another CPU counts its run only up
      // to the last scheduler tick or switch (thread_group_cputime), so a sample taken while it still runs may see
      // its clock unmoved and show its last scan; the switch into sleep brings the clock up to date
      await until('sh asleep in read again', () => asleepInRead(reader.pid));
      const proc = find(watch.sample(), reader.pid)!;
      expect(proc.io!.rchar).toBeGreaterThan(before);
      expect(proc.checkedAt).toBeUndefined();
    });
  }
});
