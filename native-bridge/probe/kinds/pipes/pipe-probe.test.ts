import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeFd, makePipe, native } from '../../../libc/libc';
import type { PipeObject, Snapshot } from '../../../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS, takeSnapshot } from '../../sampler';

const children: ChildProcess[] = [];
const openFds = new Set<number>();
const dirs: string[] = [];

function pipe(): [number, number] {
  const ends = makePipe();
  ends.forEach((fd) => openFds.add(fd));
  return ends;
}
function close(fd: number): void {
  if (openFds.delete(fd)) closeFd(fd);
}
function start(cmd: string, args: string[], stdio: Array<number | 'ignore' | 'pipe'>): ChildProcess {
  const child = spawn(cmd, args, { stdio });
  children.push(child);
  return child;
}
function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
function kernelWchan(pid: number): string {
  return readFileSync(`/proc/${pid}/wchan`, 'utf8');
}
async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
function pipeInode(pid: number, fd: number): number {
  const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
  return Number(/pipe:\[(\d+)\]/.exec(link)![1]);
}
function pipeObject(snapshot: Snapshot, id: string): PipeObject {
  const object = snapshot.objects.find((o) => o.id === id);
  expect(object, `object ${id} in snapshot`).toBeDefined();
  return object as PipeObject;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
  for (const fd of [...openFds]) close(fd);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pipe probe against the kernel', () => {
  it('sees a reader blocked in read on an empty pipe, and names the pipe', async () => {
    const [r, w] = pipe();
    const cat = start('cat', [], [r, 'ignore', 'ignore']);
    close(r);
    await until('cat asleep in anon_pipe_read', () => kernelWchan(cat.pid!) === 'anon_pipe_read');
    const inode = pipeInode(cat.pid!, 0);

    const snapshot = takeSnapshot({ pids: [cat.pid!] });
    const proc = snapshot.processes.find((p) => p.pid === cat.pid)!;
    expect(proc.comm).toBe('cat');
    expect(proc.state).toBe('S');
    expect(proc.blocked).toMatchObject({ op: 'read', syscall: 'read', fd: 0, wchan: 'anon_pipe_read', object: `pipe:${inode}` });
    expect(proc.fds.find((f) => f.fd === 0)).toMatchObject({ object: `pipe:${inode}`, access: 'r' });

    const object = pipeObject(snapshot, `pipe:${inode}`);
    expect(object).toMatchObject({ kind: 'pipe', capacity: 65536, queued: 0, readers: 1, writers: 1 });
    // the other end is ours: found among all processes although only cat was asked for
    expect(object.holders).toContainEqual({ pid: process.pid, fd: w, access: 'w' });
    expect(object.holders).toContainEqual({ pid: cat.pid, fd: 0, access: 'r' });
  });

  it('reports queued bytes and peeks them without consuming', async () => {
    const [r, w] = pipe();
    const [outR, outW] = pipe();
    // the reader waits on a second pipe before it reads, so the bytes stay queued
    const [goR, goW] = pipe();
    const reader = start('sh', ['-c', 'read _ <&3; exec cat'], [r, outW, 'ignore', goR]);
    close(r);
    close(outW);
    close(goR);
    const message = Buffer.from('hello world\n');
    expect(native.write(w, message, message.length)).toBe(12);
    const inode = pipeInode(process.pid, w);
    await until('the shell waiting on the go pipe', () => kernelWchan(reader.pid!) === 'anon_pipe_read');

    const sampler = new Sampler();
    try {
      for (let i = 0; i < 5; i++) {
        const object = pipeObject(sampler.sample({ pids: [reader.pid!] }), `pipe:${inode}`);
        expect(object.queued).toBe(12);
        expect(Buffer.from(object.peek!, 'base64').toString()).toBe('hello world\n');
      }
    } finally {
      sampler.close();
    }
    native.write(goW, Buffer.from('go\n'), 3);
    close(w);
    const out = Buffer.alloc(64);
    let got = 0;
    await until('cat to copy the bytes', () => {
      const n = native.read(outR, out.subarray(got), 64 - got);
      if (n > 0) got += n;
      return n === 0 || got >= 12;
    });
    expect(out.subarray(0, got).toString()).toBe('hello world\n');
    expect(await exited(reader)).toEqual({ code: 0, signal: null });
  });

  it('under 60 Hz observation a reader still gets EOF when the last writer closes', async () => {
    const [r, w] = pipe();
    const cat = start('cat', [], [r, 'ignore', 'ignore']);
    close(r);
    await until('cat blocked', () => kernelWchan(cat.pid!) === 'anon_pipe_read');
    const sampler = new Sampler({ peekBytes: 256 });
    const timer = setInterval(() => sampler.sample({ pids: [cat.pid!] }), 1000 / 60);
    try {
      await new Promise((res) => setTimeout(res, 100));
      close(w);
      expect(await exited(cat)).toEqual({ code: 0, signal: null });
    } finally {
      clearInterval(timer);
      sampler.close();
    }
  });

  it('under 60 Hz observation a writer still gets SIGPIPE when the last reader closes', async () => {
    const [r, w] = pipe();
    const yes = start('yes', [], ['ignore', w, 'ignore']);
    close(w);
    await until('yes blocked on the full pipe', () => kernelWchan(yes.pid!) === 'anon_pipe_write');
    const sampler = new Sampler({ peekBytes: 256 });
    const timer = setInterval(() => {
      const object = sampler.sample({ pids: [yes.pid!] }).objects.find((o) => o.kind === 'pipe' && o.holders.some((h) => h.pid === yes.pid));
      if (object && object.kind === 'pipe') expect(object.queued).toBe(object.capacity);
    }, 1000 / 60);
    try {
      await new Promise((res) => setTimeout(res, 100));
      close(r);
      expect(await exited(yes)).toEqual({ code: null, signal: 'SIGPIPE' });
    } finally {
      clearInterval(timer);
      sampler.close();
    }
  });

  it('shows a FIFO open() waiting for its other end, and observing does not release it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipcscope-fifo-'));
    dirs.push(dir);
    const path = join(dir, 'channel');
    expect(native.mkfifo(path, 0o600)).toBe(0);
    const inode = statSync(path).ino;
    const writer = start('sh', ['-c', `exec 3>${path}; echo sent >&3`], ['ignore', 'ignore', 'ignore']);
    await until('writer waiting in open', () => kernelWchan(writer.pid!) === 'wait_for_partner');
    const sampler = new Sampler();
    try {
      for (let i = 0; i < 20; i++) {
        const snapshot = sampler.sample({ pids: [writer.pid!] });
        const proc = snapshot.processes[0]!;
        expect(proc.blocked).toMatchObject({ op: 'open', wchan: 'wait_for_partner', object: `fifo:${inode}` });
        expect(pipeObject(snapshot, `fifo:${inode}`)).toMatchObject({ kind: 'fifo', path, holders: [] });
        await new Promise((res) => setTimeout(res, 1000 / 60));
      }
      expect(kernelWchan(writer.pid!)).toBe('wait_for_partner');
    } finally {
      sampler.close();
    }
    const [outR, outW] = pipe();
    const reader = start('cat', [path], ['ignore', outW, 'ignore']);
    close(outW);
    expect(await exited(writer)).toEqual({ code: 0, signal: null });
    expect(await exited(reader)).toEqual({ code: 0, signal: null });
    const out = Buffer.alloc(16);
    expect(out.subarray(0, native.read(outR, out, 16)).toString()).toBe('sent\n');
  });

  it('covers descendants with tree scope and whole-machine scope', async () => {
    const [r, w] = pipe();
    const shell = start('sh', ['-c', 'cat; exit 0'], [r, 'ignore', 'ignore']);
    close(r);
    let catPid = 0;
    await until('the shell to fork cat', () => {
      const text = readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim();
      catPid = Number(text.split(' ')[0] ?? 0);
      return catPid > 0 && kernelWchan(catPid) === 'anon_pipe_read';
    });
    const tree = takeSnapshot({ pids: [shell.pid!], tree: true });
    expect(tree.processes.map((p) => p.pid).sort()).toEqual([shell.pid, catPid].sort());
    const inode = pipeInode(catPid, 0);
    const all = takeSnapshot({ all: true });
    const object = pipeObject(all, `pipe:${inode}`);
    expect(object.holders.map((h) => h.pid).sort()).toEqual([process.pid, shell.pid, catPid].sort());
    expect(all.processes.find((p) => p.pid === catPid)?.blocked?.object).toBe(`pipe:${inode}`);
    close(w);
  });

  it('a watch Sampler reuses nothing stale: bytes written by any holder show at the next tick', async () => {
    const [r, w] = pipe();
    // sleep holds the read end and never runs again: it is "idle" between ticks
    const sleeper = start('sleep', ['30'], [r, 'ignore', 'ignore']);
    close(r);
    await until('sleep asleep', () => kernelWchan(sleeper.pid!) === 'hrtimer_nanosleep');
    const inode = pipeInode(process.pid, w);
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS });
    try {
      for (let i = 0; i < 3; i++) expect(pipeObject(sampler.sample({ pids: [sleeper.pid!] }), `pipe:${inode}`).queued).toBe(0);
      // the writer is this test process, outside the scope: the pipe must be read again
      native.write(w, Buffer.from('abc'), 3);
      expect(pipeObject(sampler.sample({ pids: [sleeper.pid!] }), `pipe:${inode}`).queued).toBe(3);
      native.write(w, Buffer.from('defg'), 4);
      const object = pipeObject(sampler.sample({ pids: [sleeper.pid!] }), `pipe:${inode}`);
      expect(object.queued).toBe(7);
      expect(Buffer.from(object.peek!, 'base64').toString()).toBe('abcdefg');
    } finally {
      sampler.close();
    }
  });

  it('names a PID that does not exist instead of failing', () => {
    const snapshot = takeSnapshot({ pids: [2 ** 22 + 12345] });
    expect(snapshot.processes).toEqual([]);
    expect(snapshot.problems).toEqual([{ pid: 2 ** 22 + 12345, reason: 'no such process' }]);
  });
});
