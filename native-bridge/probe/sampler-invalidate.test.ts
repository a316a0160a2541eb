/**
 * What a Sampler reads again after invalidate() (a lesson step returned), and
 * what a process's first scan may take from the holder search. A process
 * found off a CPU whose clock has not moved keeps its scan; one that ran is
 * read in full, even when its descriptor count is unchanged; a process the
 * search read and that has not run since is scanned from those links. Every
 * descriptor is checked against the kernel's links and their modes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { closeFd, makePipe, native } from '../libc/libc';
import type { FdEntry } from '../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';

const children: ChildProcess[] = [];
const fds: number[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const fd of fds.splice(0)) closeFd(fd);
});

const wchan = (pid: number): string => readFileSync(`/proc/${pid}/wchan`, 'latin1');

/**
 * [fd, link target, access from the link's mode] of every open descriptor, as the kernel shows them. A running
 * shell may close a descriptor between the listing and its lstat (dash's `exec 5</dev/null` opens fd 3, dup2s it
 * to 5 and closes 3): such a descriptor is gone and left out.
 */
function kernelFds(pid: number): [number, string, string][] {
  return readdirSync(`/proc/${pid}/fd`)
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((fd): [number, string, string][] => {
      const path = `/proc/${pid}/fd/${fd}`;
      try {
        const mode = lstatSync(path).mode;
        const access = (mode & 0o400 ? 'r' : '') + (mode & 0o200 ? 'w' : '');
        return [[fd, readlinkSync(path), access]];
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    });
}

/* a socket's file is always read-write (sock_alloc_file: O_RDWR), whatever its link's mode */
const shown = (entries: FdEntry[]): [number, string, string][] => entries.map((e) => [e.fd, e.target, e.access]);
const kernelShown = (pid: number): [number, string, string][] =>
  kernelFds(pid).map(([fd, target, access]) => [fd, target, target.startsWith('socket:[') ? 'rw' : access]);

/** Bounded generously: on a loaded machine a process may wait seconds for a CPU. */
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** dash's read takes fd 0 a byte at a time: asleep in anon_pipe_read once it waits for the next line */
function shellReading(script: string, stdout: number | 'ignore' = 'ignore'): { child: ChildProcess; input: number } {
  const [readEnd, writeEnd] = makePipe();
  const child = spawn('sh', ['-c', script], { stdio: [readEnd, stdout, 'ignore'] });
  children.push(child);
  closeFd(readEnd);
  fds.push(writeEnd);
  return { child, input: writeEnd };
}

function send(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  expect(native.write(fd, bytes, bytes.length)).toBe(bytes.length);
}

describe('after invalidate()', () => {
  it('keeps the scan of a process that has not run and reads in full one that ran, though its descriptor count did not change', async () => {
    const sleeper = shellReading('read a');
    // fd 4 is replaced by another file after the first line: the same count of descriptors
    const changer = shellReading('exec 4</dev/null; read a; exec 4</etc/hostname; read b');
    const [sleeperPid, changerPid] = [sleeper.child.pid!, changer.child.pid!];
    await until('both asleep in read', () => wchan(sleeperPid) === 'anon_pipe_read' && wchan(changerPid) === 'anon_pipe_read');
    await until('fd 4 on /dev/null', () => kernelFds(changerPid).some(([fd, target]) => fd === 4 && target === '/dev/null'));
    // full refreshes far apart: only invalidate() can make the changer's table be read again
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    try {
      const first = sampler.sample({ pids: [sleeperPid, changerPid] });
      const sleeperFds = first.processes.find((p) => p.pid === sleeperPid)!.fds;
      expect(shown(sleeperFds)).toEqual(kernelShown(sleeperPid));
      expect(shown(first.processes.find((p) => p.pid === changerPid)!.fds)).toEqual(kernelShown(changerPid));
      const count = readdirSync(`/proc/${changerPid}/fd`).length;

      send(changer.input, 'go\n');
      await until('fd 4 on /etc/hostname, the changer asleep again', () =>
        kernelFds(changerPid).some(([fd, target]) => fd === 4 && target === '/etc/hostname') && wchan(changerPid) === 'anon_pipe_read');
      expect(readdirSync(`/proc/${changerPid}/fd`).length).toBe(count);
      sampler.invalidate();
      const after = sampler.sample({ pids: [sleeperPid, changerPid] });
      expect(shown(after.processes.find((p) => p.pid === changerPid)!.fds)).toEqual(kernelShown(changerPid));
      // the sleeper has not run: its description is the one handed out before, and still what the kernel shows
      const sleeperAfter = after.processes.find((p) => p.pid === sleeperPid)!;
      expect(sleeperAfter.fds).toBe(sleeperFds);
      expect(shown(sleeperAfter.fds)).toEqual(kernelShown(sleeperPid));
      expect(sleeperAfter.blocked?.wchan).toBe(wchan(sleeperPid));
    } finally {
      sampler.close();
    }
  });
});

describe("a process's first scan", () => {
  it('takes the links the holder search read while the process has not run, and reads afresh one that ran since', async () => {
    // the watched reader's pipe is written by two unwatched shells: the search finds them as its other holders
    const [readEnd, writeEnd] = makePipe();
    fds.push(writeEnd);
    const reader = spawn('sleep', ['30'], { stdio: [readEnd, 'ignore', 'ignore'] });
    children.push(reader);
    const still = shellReading('read a', writeEnd);
    const mover = shellReading('read a; exec 5</dev/null; read b', writeEnd);
    closeFd(readEnd);
    const [readerPid, stillPid, moverPid] = [reader.pid!, still.child.pid!, mover.child.pid!];
    await until('the writers asleep in read', () => wchan(stillPid) === 'anon_pipe_read' && wchan(moverPid) === 'anon_pipe_read');
    const pipe = readlinkSync(`/proc/${readerPid}/fd/0`);
    const sampler = new Sampler(WATCH_SAMPLER_OPTIONS);
    try {
      const alone = sampler.sample({ pids: [readerPid] });
      const holders = alone.objects.find((o) => o.id === `pipe:${/\d+/.exec(pipe)![0]}`)!.holders.map((h) => h.pid);
      expect(holders).toEqual(expect.arrayContaining([readerPid, stillPid, moverPid]));

      send(mover.input, 'go\n');
      await until('fd 5 open in the mover, asleep again', () => kernelFds(moverPid).some(([fd]) => fd === 5) && wchan(moverPid) === 'anon_pipe_read');
      const joined = sampler.sample({ pids: [readerPid, stillPid, moverPid] });
      for (const pid of [stillPid, moverPid]) expect(shown(joined.processes.find((p) => p.pid === pid)!.fds)).toEqual(kernelShown(pid));
      expect(joined.processes.find((p) => p.pid === moverPid)!.fds.some((f) => f.fd === 5 && f.target === '/dev/null')).toBe(true);
    } finally {
      sampler.close();
    }
  });
});
