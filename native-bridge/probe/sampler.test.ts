import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { closeFd, makePipe } from '../libc/libc';
import type { PipeObject, UnixSocketObject } from '../model/snapshot-types';
import { bindTo, connectTo, listenOn, socketInode, unixAddress, unixSocket } from '../libc/sockets';
import { posix } from '../libc/posix-ipc';
import { IPC_RMID, sysv } from '../libc/sysv';
import { spawnScript, stopChild, waitForLine } from './testing/ipc-test-children';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function kernelState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}
/**
 * Asleep for good, not on its way: the kernel shows S from the moment a task
 * sets its state, while it still runs on a CPU up to schedule() (a loaded
 * machine may preempt it there); until it is off the CPU its wchan reads
 * empty and its syscall "running".
 */
function asleep(pid: number): boolean {
  const wchan = readFileSync(`/proc/${pid}/wchan`, 'latin1');
  return kernelState(pid) === 'S' && wchan !== '' && wchan !== '0' && !readFileSync(`/proc/${pid}/syscall`, 'latin1').startsWith('running');
}
/** Bounded generously: on a loaded machine a process may wait seconds for a CPU. */
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the watch Sampler between full refreshes', () => {
  it('follows state changes the kernel shows at once (S -> T -> S), though it skips re-reading processes that did not run', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(sleeper);
    const pid = sleeper.pid!;
    await until('sleep asleep', () => readFileSync(`/proc/${pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
    // a long refresh period: every tick below goes through the CPU-time fast path
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    try {
      const first = sampler.sample({ pids: [pid] }).processes[0]!;
      expect(first.blocked).toMatchObject({ op: 'sleep', wchan: 'hrtimer_nanosleep' });
      for (let i = 0; i < 5; i++) expect(sampler.sample({ pids: [pid] }).processes[0]!.state).toBe('S');

      process.kill(pid, 'SIGSTOP');
      await until('the kernel to show it stopped', () => kernelState(pid) === 'T');
      expect(sampler.sample({ pids: [pid] }).processes[0]!.state).toBe('T');

      process.kill(pid, 'SIGCONT');
      // after SIGCONT it sleeps again in restart_syscall (219), wchan do_syscall_64 here
      await until('the kernel to show it asleep again', () => asleep(pid));
      const again = sampler.sample({ pids: [pid] }).processes[0]!;
      expect(again.state).toBe('S');
      expect(again.blocked?.wchan).toBe(readFileSync(`/proc/${pid}/wchan`, 'latin1'));
    } finally {
      sampler.close();
    }
  });
});

describe('the watch Sampler and multi-threaded processes', () => {
  it('sees bytes a worker thread writes while the main thread sleeps (the CPU clock counts every thread)', async () => {
    const [r, w] = makePipe();
    // the reader only sleeps; the writer is Node: its main thread waits on a futex, a worker writes
    const reader = spawn('sleep', ['30'], { stdio: [r, 'ignore', 'ignore'] });
    const script = `
      const { Worker } = require('node:worker_threads');
      new Worker("setTimeout(() => require('node:fs').writeSync(1, 'abc'), 700); setTimeout(() => {}, 30000)", { eval: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);`;
    children.push(reader);
    const inode = Number(/pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/self/fd/${w}`))![1]);
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    try {
      await until('sleep asleep', () => readFileSync(`/proc/${reader.pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
      const writer = spawn(process.execPath, ['-e', script], { stdio: ['ignore', w, 'ignore'] });
      children.push(writer);
      closeFd(r);
      closeFd(w);
      const queued = (): number | null | undefined =>
        (sampler.sample({ pids: [reader.pid!, writer.pid!] }).objects.find((o) => o.id === `pipe:${inode}`) as PipeObject | undefined)?.queued;
      // the main thread parks in a futex before the worker has even started
      await until('the main thread parked', () => readFileSync(`/proc/${writer.pid}/wchan`, 'latin1').startsWith('futex'));
      for (let i = 0; i < 3; i++) expect(queued()).toBe(0); // before the worker writes
      let seen = queued();
      for (let i = 0; i < 300 && seen !== 3; i++) {
        await new Promise((res) => setTimeout(res, 10));
        seen = queued();
      }
      expect(seen).toBe(3);
    } finally {
      sampler.close();
    }
  });
});

function statusMask(pid: number, field: string): bigint {
  const line = readFileSync(`/proc/${pid}/status`, 'latin1').split('\n').find((l) => l.startsWith(`${field}:`))!;
  return BigInt(`0x${line.split(':')[1]!.trim()}`);
}

describe('what changes while a watched process does not run', () => {
  it('a signal left pending on a stopped process shows within the idle refresh, though the process never ran', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(sleeper);
    const pid = sleeper.pid!;
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000, idleRefreshMs: 100 });
    try {
      process.kill(pid, 'SIGSTOP');
      await until('the kernel to show it stopped', () => kernelState(pid) === 'T');
      for (let i = 0; i < 3; i++) sampler.sample({ pids: [pid] });
      expect(sampler.sample({ pids: [pid] }).processes[0]!.signals?.sharedPending).toEqual([]);
      process.kill(pid, 'SIGHUP');
      // the kernel holds it for the stopped process: ShdPnd bit 0 (SIGHUP), and the process stays stopped
      await until('SIGHUP pending in /proc', () => (statusMask(pid, 'ShdPnd') & 1n) === 1n);
      expect(kernelState(pid)).toBe('T');
      let pending: string[] = [];
      await until('the sampler to show SIGHUP pending', () => {
        pending = sampler.sample({ pids: [pid] }).processes[0]!.signals?.sharedPending ?? [];
        return pending.includes('SIGHUP');
      });
      expect(pending).toContain('SIGHUP');
    } finally {
      sampler.close();
    }
  });

  it('a new parent after the old one died shows within the idle refresh', async () => {
    // sh starts a sleep and waits for it; killing sh leaves the sleep to be adopted
    const shell = spawn('sh', ['-c', 'sleep 30 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(shell);
    const pid = Number(await new Promise<string>((resolve) => shell.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))));
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000, idleRefreshMs: 100 });
    try {
      await until('sleep asleep', () => readFileSync(`/proc/${pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
      expect(sampler.sample({ pids: [pid] }).processes[0]!.ppid).toBe(shell.pid);
      shell.kill('SIGKILL');
      const kernelPpid = (): number => Number(readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[1]);
      await until('the kernel to reparent the sleep', () => kernelPpid() !== shell.pid);
      let ppid = 0;
      await until('the sampler to show the new parent', () => {
        ppid = sampler.sample({ pids: [pid] }).processes[0]!.ppid;
        return ppid !== shell.pid;
      });
      expect(ppid).toBe(kernelPpid());
    } finally {
      sampler.close();
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });

  it('watching the whole machine, a new parent after the old one died shows at the next tick, with no periodic refresh', { timeout: 120_000 }, async () => {
    const shell = spawn('sh', ['-c', 'sleep 60 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(shell);
    const pid = Number(await new Promise<string>((resolve) => shell.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))));
    // no idle refresh within the test: only the parent's exit can bring the sleep's stat to be read again. Nothing
    // turns cold either: a cold parent is rechecked only every coldRecheckMs, and on a loaded machine sh, asleep in
    // wait for over coldAfterMs (2 s) before the kill, kept its last scan (S) while a zombie, so the sleep kept its ppid
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, idleRefreshMs: 600_000, coldAfterMs: 600_000 });
    const ppidSeen = (): number | undefined => sampler.sample({ all: true }).processes.find((p) => p.pid === pid)?.ppid;
    const kernelPpid = (): number => Number(readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[1]);
    try {
      await until('sleep asleep', () => readFileSync(`/proc/${pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
      expect(ppidSeen()).toBe(shell.pid);
      expect(ppidSeen()).toBe(shell.pid);
      shell.kill('SIGKILL');
      await until('the kernel to reparent the sleep', () => kernelPpid() !== shell.pid);
      expect(ppidSeen()).toBe(kernelPpid());
      expect(readFileSync(`/proc/${pid}/wchan`, 'latin1')).toBe('hrtimer_nanosleep');
    } finally {
      sampler.close();
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });

  it('bytes an unwatched writer puts into a pipe a watched sleeper holds show at the next tick', async () => {
    const [r, w] = makePipe();
    const reader = spawn('sleep', ['30'], { stdio: [r, 'ignore', 'ignore'] });
    children.push(reader);
    const writer = spawn('sh', ['-c', 'read go; printf hello'], { stdio: ['pipe', w, 'ignore'] });
    children.push(writer);
    closeFd(r);
    closeFd(w);
    const inode = Number(/pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/${reader.pid}/fd/0`))![1]);
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    const queued = (): number | null | undefined =>
      (sampler.sample({ pids: [reader.pid!] }).objects.find((o) => o.id === `pipe:${inode}`) as PipeObject | undefined)?.queued;
    try {
      await until('sleep asleep', () => readFileSync(`/proc/${reader.pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
      for (let i = 0; i < 5; i++) expect(queued()).toBe(0);
      writer.stdin!.end('go\n');
      await until('the writer to exit', () => writer.exitCode !== null);
      expect(queued()).toBe(5);
    } finally {
      sampler.close();
    }
  });
});

describe('a listener held by a watched process that does not run', () => {
  it('shows a client that an unwatched process connects at the next tick (the snapshot is not reused)', async () => {
    const name = `\0ipcscope-idle-listener-${process.pid}`;
    const listener = unixSocket('stream');
    bindTo(listener, unixAddress(name));
    listenOn(listener, 4);
    const inode = socketInode(listener);
    // the sleep holds the listener and never accepts: connecting does not wake it
    const holder = spawn('sleep', ['30'], { stdio: [listener, 'ignore', 'ignore'] });
    children.push(holder);
    closeFd(listener);
    const client = unixSocket('stream');
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    const pending = (): number | undefined =>
      (sampler.sample({ pids: [holder.pid!] }).objects.find((o) => o.id === `unix:${inode}`) as UnixSocketObject | undefined)?.pending;
    try {
      await until('sleep asleep', () => readFileSync(`/proc/${holder.pid}/wchan`, 'latin1') === 'hrtimer_nanosleep');
      for (let i = 0; i < 5; i++) expect(pending()).toBe(0);
      expect(connectTo(client, unixAddress(name))).toBe(0);
      expect(pending()).toBe(1);
    } finally {
      sampler.close();
      closeFd(client);
    }
  });
});

describe('the probes a watch tick does not ask', () => {
  it('a watched process that held only pipes opens POSIX shm, a System V segment and a TCP listener: each shows within the next samples', async () => {
    const name = `/ipcscope-reach-${process.pid}`;
    const child = await spawnScript(`
      const shmOpen = lib.func('int shm_open(const char *name, int oflag, unsigned int mode)');
      const shmget = lib.func('int shmget(int key, size_t size, int flags)');
      const shmat = lib.func('void *shmat(int id, void *addr, int flags)');
      const net = await import('node:net');
      process.on('SIGUSR1', () => {
        const fd = shmOpen(${JSON.stringify(name)}, 0o100 | 0o2 | 0o2000000, 0o600);
        const shmid = shmget(0, 4096, 0o1000 | 0o600);
        shmat(shmid, null, 0);
        const server = net.createServer().listen(0, '127.0.0.1', () => console.log('opened ' + fd + ' ' + shmid));
      });
      keepAlive();
      console.log('ready');
    `);
    const sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
    const kinds = (): Set<string> => new Set(sampler.sample({ pids: [child.pid] }).objects.map((o) => o.kind));
    let shmid = -1;
    try {
      // its stdio only (pipes, perhaps a socket): the POSIX, System V and inet probes have nothing to look at
      const added = ['posix_shm', 'shm', 'tcp'];
      for (let i = 0; i < 5; i++) expect([...kinds()].filter((kind) => added.includes(kind))).toEqual([]);
      child.process.kill('SIGUSR1');
      shmid = Number((await waitForLine(child, 'opened')).split(' ')[2]);
      let seen = kinds();
      for (let i = 0; i < 500 && !added.every((kind) => seen.has(kind)); i++) {
        await new Promise((r) => setTimeout(r, 10));
        seen = kinds();
      }
      expect(added.filter((kind) => seen.has(kind))).toEqual(added);
    } finally {
      sampler.close();
      await stopChild(child);
      posix.shmUnlink(name);
      if (shmid >= 0) sysv.shmctl(shmid, IPC_RMID, null);
    }
  });
});
