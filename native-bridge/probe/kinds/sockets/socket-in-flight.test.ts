/**
 * Descriptors in flight in a Unix socket's queue (SCM_RIGHTS sent, not yet
 * received), as the unix probe reports them from the holder's fdinfo
 * `scm_fds`, checked against the kernel: the pipe's read end is held by no
 * descriptor in between, and a write to the pipe still succeeds.
 */
import { readlinkSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { receiveFds, sendFds } from '../../../actor/fd-passing';
import { native, O_CLOEXEC } from '../../../libc/libc';
import { makeSocketPair, socketInode } from '../../../libc/sockets';
import type { UnixSocketObject } from '../../../model/snapshot-types';
import { contextFor } from '../../testing/socket-test-context';
import { unixSocketProbe } from './unix-sockets';

const opened: number[] = [];
afterEach(() => {
  for (const fd of opened.splice(0)) native.close(fd);
});

function probeSelf(): Map<number, UnixSocketObject> {
  const { objects } = unixSocketProbe.collect(contextFor([process.pid]));
  return new Map(objects.map((o) => [(o as UnixSocketObject).inode, o as UnixSocketObject]));
}

const ownFdsOn = (target: string) => readdirSync('/proc/self/fd').filter((fd) => {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`) === target;
  } catch {
    return false;
  }
});

describe('descriptors in flight in a unix socket queue', () => {
  it('counts the passed read end while no descriptor holds it, and drops the count once it is received', () => {
    const [a, b] = makeSocketPair('stream');
    const fds = new Int32Array(2);
    expect(native.pipe2(fds, O_CLOEXEC)).toBe(0);
    const [r, w] = [fds[0]!, fds[1]!];
    opened.push(a, b, w);
    const target = readlinkSync(`/proc/self/fd/${r}`);

    sendFds(a, [r]);
    native.close(r);
    /* no descriptor anywhere in this process holds the read end; the write still finds a reader */
    expect(ownFdsOn(target)).toEqual([w].map(String));
    expect(native.write(w, new Uint8Array([0x68, 0x69]), 2)).toBe(2);

    const receiving = probeSelf().get(socketInode(b))!;
    expect(receiving.queued).toBe(1);
    expect(receiving.inFlightFds).toBe(1);
    expect(probeSelf().get(socketInode(a))!.inFlightFds).toBeUndefined();

    const [got] = receiveFds(b);
    opened.push(got!);
    expect(readlinkSync(`/proc/self/fd/${got}`)).toBe(target);
    const after = probeSelf().get(socketInode(b))!;
    expect([after.queued, after.inFlightFds]).toEqual([0, undefined]);
  });
});
