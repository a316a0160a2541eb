/**
 * A whole-machine Sampler leaves its own held /proc files unread in this
 * process's table, and still finds every pipe and socket this process holds,
 * as readlink names them, including one opened on a number a held file had
 * just before (the Sampler closed it when its process exited).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makePipe, native } from '../../libc/libc';
import { makeSocketPair } from '../../libc/sockets';
import { Sampler, WATCH_SAMPLER_OPTIONS } from '../sampler';
import { isHeldProcDescriptor } from './held-proc-descriptors';

const children: ChildProcess[] = [];
const opened: number[] = [];

afterEach(async () => {
  for (const fd of opened.splice(0)) native.close(fd);
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
});

/** This process's descriptors the kernel names as pipes or sockets, by number. */
function kernelIpcLinks(): Map<number, string> {
  const links = new Map<number, string>();
  for (const name of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${name}`);
      if (target.startsWith('pipe:[') || target.startsWith('socket:[')) links.set(Number(name), target);
    } catch {
      /* the listing's own descriptor, closed by now */
    }
  }
  return links;
}

function ownIpcFds(sampler: Sampler): Map<number, string> {
  const self = sampler.sample({ all: true }).processes.find((p) => p.pid === process.pid);
  if (!self) throw new Error('this process is missing from its own whole-machine sample');
  return new Map(self.fds.filter((fd) => fd.target.startsWith('pipe:[') || fd.target.startsWith('socket:[')).map((fd) => [fd.fd, fd.target]));
}

/** Polled, bounded generously: on a loaded machine a child may wait seconds for a CPU. */
async function until(what: string, check: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the /proc files a Sampler holds, in its own process table', () => {
  it('are marked while held, skipped, and their numbers found again once reused by a pipe', { timeout: 120_000 }, async () => {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(sleeper);
    const sleeperPid = sleeper.pid!;
    // fdRefreshMs 0: every tick reads every table in full, this process's too
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 0, parallel: false, readIo: true });
    try {
      const [pipeRead, pipeWrite] = makePipe();
      opened.push(pipeRead, pipeWrite);
      const [sockA, sockB] = makeSocketPair('stream');
      opened.push(sockA, sockB);
      await until('the sleeper to be seen', () => ownIpcFds(sampler).size > 0 && sampler.sample({ all: true }).processes.some((p) => p.pid === sleeperPid));

      // every marked number is a /proc file of this process (a held stat, fd directory, io ...)
      const marked = readdirSync('/proc/self/fd').map(Number).filter(isHeldProcDescriptor);
      expect(marked.length).toBeGreaterThan(20);
      for (const fd of marked) {
        let target = '';
        try {
          target = readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          /* closed by the sample just above: then it is no longer marked */
          expect(isHeldProcDescriptor(fd)).toBe(false);
          continue;
        }
        expect(target).toMatch(/^\/proc\//);
      }
      expect(ownIpcFds(sampler)).toEqual(kernelIpcLinks());

      // the sleeper exits: the Sampler closes what it held for it, and a pipe may take those numbers
      const heldForSleeper = readdirSync('/proc/self/fd')
        .map(Number)
        .filter((fd) => {
          try {
            return isHeldProcDescriptor(fd) && readlinkSync(`/proc/self/fd/${fd}`).startsWith(`/proc/${sleeperPid}/`);
          } catch {
            return false;
          }
        });
      expect(heldForSleeper.length).toBeGreaterThan(0);
      sleeper.kill('SIGKILL');
      await until('the sleeper to be reaped and forgotten', () => {
        sampler.sample({ all: true });
        return sleeper.exitCode !== null || sleeper.signalCode !== null ? heldForSleeper.every((fd) => !isHeldProcDescriptor(fd)) : false;
      });
      const reused: number[] = [];
      for (let i = 0; i < heldForSleeper.length; i++) {
        const [r, w] = makePipe();
        opened.push(r, w);
        reused.push(r, w);
      }
      // the lowest free numbers are the ones just released, unless another thread of this process took them first
      for (const fd of reused) expect(isHeldProcDescriptor(fd)).toBe(false);
      const seen = ownIpcFds(sampler);
      expect(seen).toEqual(kernelIpcLinks());
      for (const fd of reused) expect(seen.get(fd)).toMatch(/^pipe:\[/);
    } finally {
      sampler.close();
    }
    expect(readdirSync('/proc/self/fd').map(Number).filter(isHeldProcDescriptor)).toEqual([]);
  });
});
