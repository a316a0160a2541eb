/**
 * This process's descriptors read by fstat on their numbers, against the
 * links the kernel shows in /proc/self/fd: every pipe, socket, FIFO and
 * /dev/shm file is named exactly as readlink names it; /proc files, pidfds
 * and character devices are left out, however many of them are open.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_RDWR, SYS_PIDFD_OPEN, check, makePipe, native } from '../../libc/libc';
import { O_CREAT } from '../../libc/posix-ipc';
import { makeSocketPair } from '../../libc/sockets';
import { findOtherHolders } from './holder-search';
import { spawn, type ChildProcess } from 'node:child_process';
import { Sampler } from '../sampler';
import { ownDescriptors } from './own-descriptors';

const opened: number[] = [];
const removed: string[] = [];

afterEach(() => {
  for (const fd of opened.splice(0)) native.close(fd);
  for (const path of removed.splice(0)) rmSync(path, { recursive: true, force: true });
});

function keep(fd: number): number {
  opened.push(check('open', fd));
  return fd;
}

/** readlink of every descriptor of this process, by number. */
function kernelLinks(): Map<number, string> {
  const links = new Map<number, string>();
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      links.set(Number(name), readlinkSync(`/proc/self/fd/${name}`));
    } catch {
      /* the directory listing's own descriptor, closed by now */
    }
  }
  return links;
}

describe('ownDescriptors', () => {
  it('names every pipe, socket, FIFO and /dev/shm file as readlink does, and none of hundreds of /proc files and pidfds', () => {
    const [pipeRead, pipeWrite] = makePipe();
    opened.push(pipeRead, pipeWrite);
    const [sockA, sockB] = makeSocketPair('stream');
    opened.push(sockA, sockB);
    const dir = mkdtempSync(join(tmpdir(), 'ipcscope-own-'));
    removed.push(dir);
    const fifo = join(dir, 'fifo');
    check('mkfifo', native.mkfifo(fifo, 0o600));
    const fifoFd = keep(native.open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0));
    const shmPath = `/dev/shm/ipcscope-own-${process.pid}`;
    removed.push(shmPath);
    const shmFd = keep(native.open(shmPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600));
    for (let i = 0; i < 300; i++) keep(native.open('/proc/self/stat', O_RDONLY | O_CLOEXEC, 0));
    for (let i = 0; i < 100; i++) keep(native.pidfdOpen(SYS_PIDFD_OPEN, process.pid, 0));

    const own = ownDescriptors();
    expect(own).not.toBeNull();
    const byFd = new Map(own!.map((d) => [d.fd, d.target]));
    const kernel = kernelLinks();
    for (const fd of [pipeRead, pipeWrite, sockA, sockB, fifoFd, shmFd]) expect(byFd.get(fd)).toBe(kernel.get(fd));
    expect(byFd.get(fifoFd)).toBe(fifo);
    // whatever it names, the kernel names alike; nothing it names lives in /proc or is an anonymous inode
    for (const [fd, target] of byFd) expect(kernel.get(fd)).toBe(target);
    for (const target of byFd.values()) expect(target.startsWith('/proc/') || target.startsWith('anon_inode:')).toBe(false);
    // every pipe and socket the kernel shows for this process is there
    for (const [fd, target] of kernel) if (target.startsWith('pipe:[') || target.startsWith('socket:[')) expect(byFd.get(fd)).toBe(target);
  });

  it("leaves out a Sampler's held /proc files and pidfds, and names a pipe that takes the number of one it let go", async () => {
    const sleepers: ChildProcess[] = [];
    const sampler = new Sampler({ fdRefreshMs: 200 });
    try {
      for (let i = 0; i < 40; i++) sleepers.push(spawn('sleep', ['30'], { stdio: 'ignore' }));
      const pids = sleepers.map((child) => child.pid!);
      sampler.sample({ pids });
      const held = [...kernelLinks()].filter(([, target]) => pids.some((pid) => target === `/proc/${pid}/stat`));
      expect(held.length).toBe(pids.length);
      // none of them is named, and every pipe and socket the kernel shows is
      let own = new Map(ownDescriptors()!.map((d) => [d.fd, d.target]));
      for (const [fd] of held) expect(own.has(fd)).toBe(false);
      for (const [fd, target] of kernelLinks()) if (target.startsWith('pipe:[') || target.startsWith('socket:[')) expect(own.get(fd)).toBe(target);
      // the sleepers exit: the sampler closes what it held for them, and new pipes may take those numbers
      for (const child of sleepers) child.kill('SIGKILL');
      await Promise.all(sleepers.map((child) => (child.exitCode !== null || child.signalCode !== null ? null : new Promise((r) => child.once('exit', r)))));
      sampler.sample({ pids: [] });
      sampler.sample({ pids });
      const freed = new Set(held.map(([fd]) => fd));
      const pipes: number[] = [];
      for (let i = 0; i < 20; i++) pipes.push(...makePipe());
      opened.push(...pipes);
      expect(pipes.some((fd) => freed.has(fd))).toBe(true);
      own = new Map(ownDescriptors()!.map((d) => [d.fd, d.target]));
      const kernel = kernelLinks();
      for (const fd of pipes) expect(own.get(fd)).toBe(kernel.get(fd));
    } finally {
      sampler.close();
      for (const child of sleepers) child.kill('SIGKILL');
    }
  });

  it('the holder search finds this process as a holder through it', () => {
    const [pipeRead, pipeWrite] = makePipe();
    opened.push(pipeRead, pipeWrite);
    const target = readlinkSync(`/proc/self/fd/${pipeRead}`);
    const found = findOtherHolders(new Set([target]), new Set());
    expect(found.get(target)).toEqual([
      { pid: process.pid, fd: pipeRead, access: 'r' },
      { pid: process.pid, fd: pipeWrite, access: 'w' },
    ]);
  });
});
