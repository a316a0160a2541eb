/**
 * The Sampler hands out a process's previous description while it has not
 * run, and reads it again once it has (sampler-describe.ts); a whole-machine
 * sample lists /proc again once a PID was handed out (scope.ts AllPids).
 * Checked against what the kernel shows for real processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { closeFd, makePipe, native } from '../libc/libc';
import { processCpuNs } from '../libc/cpu-clock';
import type { ProcessInfo } from '../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';
import { lastPidCreated } from './scope';

const children: ChildProcess[] = [];
const fds: number[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const fd of fds.splice(0)) closeFd(fd);
});

const wchan = (pid: number): string => readFileSync(`/proc/${pid}/wchan`, 'latin1');
/** [fd, link target] of every open descriptor, as the kernel lists them. */
const kernelFds = (pid: number): [number, string][] =>
  readdirSync(`/proc/${pid}/fd`)
    .map(Number)
    .sort((a, b) => a - b)
    .map((fd) => [fd, readlinkSync(`/proc/${pid}/fd/${fd}`)]);

/** Bounded generously: on a loaded machine a process may wait seconds for a CPU. */
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('descriptions of processes that have not run', () => {
  it('are handed out again on the whole machine while objects elsewhere come and go', { timeout: 120_000 }, async () => {
    const [r, w] = makePipe();
    fds.push(w);
    const sleeper = spawn('sleep', ['60'], { stdio: [r, 'ignore', 'ignore'] });
    children.push(sleeper);
    closeFd(r);
    const pid = sleeper.pid!;
    await until('sleep asleep', () => wchan(pid) === 'hrtimer_nanosleep');
    const sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
    const described = (): { sleeper: ProcessInfo; self: ProcessInfo } => {
      const { processes } = sampler.sample({ all: true });
      return { sleeper: processes.find((p) => p.pid === pid)!, self: processes.find((p) => p.pid === process.pid)! };
    };
    try {
      const clock = processCpuNs(pid);
      const first = described().sleeper;
      expect(first.fds.map((fd) => fd.target)).toContain(readlinkSync(`/proc/${pid}/fd/0`));
      // a new pipe in this process: a new object in the sample, nothing new for the sleeper
      const [r2, w2] = makePipe();
      fds.push(r2, w2);
      const inode = readlinkSync(`/proc/self/fd/${r2}`);
      let now = described();
      await until('the new pipe in this process', () => (now = described()).self.fds.some((fd) => fd.target === inode));
      expect(processCpuNs(pid)).toBe(clock);
      expect(now.sleeper).toBe(first);
    } finally {
      sampler.close();
    }
  });

  it('are handed out again while the process sleeps, and read afresh once it wakes, takes a new descriptor and sleeps again', async () => {
    const [r, w] = makePipe();
    fds.push(w);
    // waits for a line, then keeps a second copy of the pipe on fd 3 and becomes `sleep`
    const shell = spawn('sh', ['-c', 'read line; exec 3<&0; exec sleep 60'], { stdio: [r, 'ignore', 'ignore'] });
    children.push(shell);
    closeFd(r);
    const pid = shell.pid!;
    await until('sh blocked reading the pipe', () => wchan(pid) === 'anon_pipe_read');
    // this process holds the write end: the snapshot is never reused whole, each sample is built again
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    try {
      const clock = processCpuNs(pid);
      const first = sampler.sample({ pids: [pid] }).processes[0]!;
      expect(first).toMatchObject({ comm: 'sh', blocked: { op: 'read', fd: 0 } });
      expect(first.fds.map((fd) => [fd.fd, fd.target])).toEqual(kernelFds(pid));
      for (let i = 0; i < 3; i++) {
        const again = sampler.sample({ pids: [pid] });
        // asleep in read, it has not run; identity, not only equality: nothing was described again
        expect(processCpuNs(pid)).toBe(clock);
        expect(again.processes[0]).toBe(first);
      }

      expect(native.write(w, Buffer.from('go\n'), 3)).toBe(3);
      await until('sh replaced by sleep', () => wchan(pid) === 'hrtimer_nanosleep');
      const after = sampler.sample({ pids: [pid] }).processes[0]!;
      expect(after).not.toBe(first);
      expect(after.comm).toBe('sleep');
      expect(after.blocked).toMatchObject({ op: 'sleep', wchan: 'hrtimer_nanosleep' });
      expect(after.fds.map((fd) => [fd.fd, fd.target])).toEqual(kernelFds(pid));
      expect(after.fds.map((fd) => fd.fd)).toContain(3);
      // both descriptors name the one pipe object
      const objectOf = (n: number): string | undefined => after.fds.find((fd) => fd.fd === n)?.object;
      expect(objectOf(3)).toBe(objectOf(0));
      expect(sampler.sample({ pids: [pid] }).processes[0]).toBe(after);
    } finally {
      sampler.close();
    }
  });
});

describe('the whole machine between PID allocations', () => {
  it('shows a process started after the last sample, and no longer one that has exited', async () => {
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, peekBytes: 0 });
    try {
      sampler.sample({ all: true });
      const before = lastPidCreated();
      expect(before).not.toBeNull();
      const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
      children.push(sleeper);
      const pid = sleeper.pid!;
      expect(lastPidCreated()).not.toBe(before);
      await until('sleep asleep', () => wchan(pid) === 'hrtimer_nanosleep');
      expect(sampler.sample({ all: true }).processes.find((p) => p.pid === pid)).toMatchObject({ comm: 'sleep', state: 'S' });

      sleeper.kill('SIGKILL');
      await until('sleep reaped', () => sleeper.exitCode !== null || sleeper.signalCode !== null);
      await until('its /proc entry gone', () => {
        try {
          readFileSync(`/proc/${pid}/stat`);
          return false;
        } catch {
          return true;
        }
      });
      expect(sampler.sample({ all: true }).processes.some((p) => p.pid === pid)).toBe(false);
    } finally {
      sampler.close();
    }
  });
});

describe('holders outside the scope, searched again and found the same', () => {
  it('still shows a holder that leaves: an unwatched writer that exits is no longer listed', async () => {
    const [r, w] = makePipe();
    const reader = spawn('sleep', ['60'], { stdio: [r, 'ignore', 'ignore'] });
    children.push(reader);
    const writer = spawn('sh', ['-c', 'read go'], { stdio: ['pipe', w, 'ignore'] });
    children.push(writer);
    closeFd(r);
    closeFd(w);
    const rpid = reader.pid!;
    const inode = Number(/pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/${rpid}/fd/0`))![1]);
    await until('sleep asleep', () => wchan(rpid) === 'hrtimer_nanosleep');
    // its stdin is a socketpair (Node's 'pipe'): asleep in read (syscall 0) on it
    await until('sh blocked reading', () => readFileSync(`/proc/${writer.pid}/syscall`, 'latin1').startsWith('0 '));
    // the search for other holders runs at every sample
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, holderRefreshMs: 0 });
    const holders = (): number[] =>
      (sampler.sample({ pids: [rpid] }).objects.find((o) => o.id === `pipe:${inode}`)?.holders ?? []).map((h) => h.pid).sort((a, b) => a - b);
    try {
      for (let i = 0; i < 3; i++) expect(holders()).toEqual([rpid, writer.pid!].sort((a, b) => a - b));
      writer.stdin!.end('go\n');
      await until('the writer to exit', () => writer.exitCode !== null);
      expect(holders()).toEqual([rpid]);
    } finally {
      sampler.close();
    }
  }, 120_000);
});
