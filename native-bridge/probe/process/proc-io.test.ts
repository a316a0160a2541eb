/**
 * /proc/PID/io on the snapshot: a Sampler asked for it shows the kernel's
 * counts of a real process, and a watch tick over a process that has not run
 * reads no io file (it did no I/O without CPU time): this process's own read
 * calls, counted by the kernel, stay flat over hundreds of idle ticks.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProcIo } from './proc-io';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../sampler';

const spawned: ReturnType<typeof spawn>[] = [];

afterEach(async () => {
  await Promise.all(
    spawned.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
});

function kernelIo(pid: number | 'self'): ReturnType<typeof parseProcIo> {
  return parseProcIo(readFileSync(`/proc/${pid}/io`, 'latin1'));
}

function wchanOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'latin1');
  } catch {
    return '';
  }
}

async function sleepingChild(): Promise<number> {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  spawned.push(child);
  const pid = child.pid!;
  const deadline = Date.now() + 10_000;
  while (wchanOf(pid) !== 'hrtimer_nanosleep') {
    if (Date.now() > deadline) throw new Error('sleep never slept');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return pid;
}

describe('/proc/PID/io', () => {
  it('parses the four counters and rejects a text without them', () => {
    expect(parseProcIo('rchar: 10\nwchar: 20\nsyscr: 3\nsyscw: 4\nread_bytes: 0\n')).toEqual({ rchar: 10, wchar: 20, syscr: 3, syscw: 4 });
    expect(parseProcIo('rchar: 10\nwchar: 20\n')).toBeNull();
    expect(parseProcIo('')).toBeNull();
  });

  it('a Sampler asked for io shows what the kernel counts for a sleeping process', async () => {
    const pid = await sleepingChild();
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readSignals: false, readIo: true });
    try {
      const info = sampler.sample({ pids: [pid] }).processes.find((p) => p.pid === pid);
      expect(info?.io).toEqual(kernelIo(pid));
    } finally {
      sampler.close();
    }
    const plain = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readSignals: false });
    try {
      expect(plain.sample({ pids: [pid] }).processes[0]?.io).toBeUndefined();
    } finally {
      plain.close();
    }
  });

  it('ticks over a process that has not run read no io file: our read calls stay flat', async () => {
    const pid = await sleepingChild();
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, readSignals: false, readMaps: false, readIo: true });
    try {
      const first = sampler.sample({ pids: [pid] });
      expect(first.processes[0]?.io).toEqual(kernelIo(pid));
      const TICKS = 300;
      const before = kernelIo('self')!;
      for (let i = 0; i < TICKS; i++) {
        const next = sampler.sample({ pids: [pid] });
        expect(next.processes[0]?.io).toEqual(first.processes[0]?.io);
      }
      const after = kernelIo('self')!;
      /*
       * The idle tick reads the process's CPU clock only; once a second its
       * stat is read again (a slow machine may take a few seconds for these
       * ticks). Reading io on every tick would add one read per tick.
       */
      expect(after.syscr - before.syscr).toBeLessThan(TICKS / 4);
    } finally {
      sampler.close();
    }
  });
});
