/**
 * When a whole-machine Sampler reads its kernel-wide sources again
 * (kind-cadence.ts), against what the kernel shows: a socket that changes
 * while no process holding one runs (this test process is the engine, left
 * out) is shown as read before the change, never as read after it, and read
 * again within the re-check period; a holder that runs has the socket read
 * again at the very next sample; PID scopes read at every sample and say
 * nothing of when.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeFd, makePipe } from '../libc/libc';
import { makeSocketPair, sendBytes } from '../libc/sockets';
import type { Snapshot, UnixSocketObject } from '../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS } from './sampler';
import { closedAfterEach } from './testing/closed-after-each';
import { until } from './testing/until';

const RECHECK_MS = 400;
/** The app's observation options; the children are never cold (checked at every sample), the sources re-read every 0.4 s. */
const OPTIONS = { ...WATCH_SAMPLER_OPTIONS, peekBytes: 0, coldAfterMs: 600_000, coldRecheckMs: RECHECK_MS };

const { children, samplers, fds } = closedAfterEach();

function startChild(command: string, args: string[], stdio: [number | 'ignore', number | 'ignore']): ChildProcess & { pid: number } {
  const child = spawn(command, args, { stdio: [stdio[0], stdio[1], 'ignore'] });
  children.push(child);
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  return child as ChildProcess & { pid: number };
}

/** The inode of `pid`'s descriptor `fd`, from its /proc link ("socket:[991]"). */
function socketInodeOf(pid: number, fd: number): number {
  return Number(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))![1]);
}

/** A socket pair whose other end is a sleeping child's stdin (it never reads), and a whole-machine Sampler. */
function sleeperOnSocket(): { mine: number; sleeper: ChildProcess & { pid: number }; inode: number; sampler: Sampler } {
  const [mine, theirs] = makeSocketPair('stream');
  fds.push(mine);
  const sleeper = startChild('sleep', ['1000'], [theirs, 'ignore']);
  closeFd(theirs);
  const inode = socketInodeOf(sleeper.pid, 0);
  const sampler = new Sampler(OPTIONS);
  samplers.push(sampler);
  return { mine, sleeper, inode, sampler };
}

function unixSocket(frame: Snapshot, inode: number): UnixSocketObject | undefined {
  return frame.objects.find((o): o is UnixSocketObject => o.kind === 'unix' && o.inode === inode);
}

describe('whole-machine frames read kernel-wide sources again when a process that can change them ran, and say when they were read', () => {
  it('bytes queued by this engine alone show within the re-check period, never under a read claimed after them', { timeout: 120_000 }, async () => {
    const { mine, inode, sampler } = sleeperOnSocket();
    await until('the sleeper\'s socket listed empty', () => unixSocket(sampler.sample({ all: true }), inode)?.queued === 0);

    const before = Date.now();
    expect(sendBytes(mine, Buffer.from('twelve bytes'))).toBe(12);
    const after = Date.now();
    const seen = await until('a frame showing the 12 bytes', () => {
      const frame = sampler.sample({ all: true });
      const socket = unixSocket(frame, inode)!;
      expect(socket.checkedAt).toBeDefined();
      expect(socket.checkedAt!).toBeLessThanOrEqual(frame.takenAt);
      expect(frame.takenAt - socket.checkedAt!).toBeLessThan(RECHECK_MS);
      if (socket.queued === 12) return { frame, socket };
      // still the old reading: it was taken before the bytes were sent, and says so
      expect(socket.queued).toBe(0);
      expect(socket.checkedAt!).toBeLessThanOrEqual(after);
      return undefined;
    });
    // read after the bytes were sent: the reading it shows is no older than the send
    expect(seen.socket.checkedAt!).toBeGreaterThanOrEqual(before);
  });

  it('a holder that runs has the sources read again at the next sample', { timeout: 120_000 }, async () => {
    const [mine, theirs] = makeSocketPair('stream');
    fds.push(mine);
    const [input, feed] = makePipe();
    fds.push(feed);
    // cat copies what the test writes into its stdin pipe onto its stdout, a socket whose other end is ours
    const cat = startChild('cat', [], [input, theirs]);
    closeFd(input);
    closeFd(theirs);
    const inode = socketInodeOf(cat.pid, 1);
    const sampler = new Sampler(OPTIONS);
    samplers.push(sampler);
    await until('cat\'s socket listed', () => unixSocket(sampler.sample({ all: true }), inode) !== undefined);
    const mineInode = socketInodeOf(process.pid, mine);
    const quiet = sampler.sample({ all: true });
    expect(unixSocket(quiet, mineInode)?.queued).toBe(0);

    writeSync(feed, 'seven b');
    // the kernel shows the bytes at our end: cat ran, and holds a socket
    await until('the bytes at our end', () => {
      const frame = sampler.sample({ all: true });
      const socket = unixSocket(frame, mineInode)!;
      if (socket.queued !== 7) return undefined;
      expect(socket.checkedAt).toBe(frame.takenAt);
      return socket;
    });
  });

  it('a PID scope reads its sockets at every sample and carries no reading time', async () => {
    const { mine, sleeper, inode, sampler } = sleeperOnSocket();
    const scope = { pids: [sleeper.pid] };
    await until('the socket listed', () => unixSocket(sampler.sample(scope), inode) !== undefined);
    sendBytes(mine, Buffer.from('abc'));
    const frame = sampler.sample(scope);
    expect(unixSocket(frame, inode)).toMatchObject({ queued: 3 });
    expect(unixSocket(frame, inode)!.checkedAt).toBeUndefined();
  });
});
