import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../../libc/libc';
import type { SocketKind } from '../../../libc/sockets';
import {
  acceptFrom,
  bindTo,
  connectTo,
  listenOn,
  makeSocketPair,
  recvBytes,
  sendBytes,
  socketInode,
  unixAddress,
  unixSocket,
} from '../../../libc/sockets';
import type { UnixSocketObject } from '../../../model/snapshot-types';
import { Sampler, WATCH_SAMPLER_OPTIONS, takeSnapshot } from '../../sampler';
import { closedAfterEach } from '../../testing/closed-after-each';
import { heldBySleep } from '../../testing/held-by-sleep';
import { contextFor, ssUnix } from '../../testing/socket-test-context';
import { PidfdTable } from '../../process/pidfd';
import { createUnixSocketProbe, dumpUnixSockets, queryUnixSocket, unixSocketProbe } from './unix-sockets';

const made = closedAfterEach();
const { children } = made;
let dir: string | null = null;

function track<T extends number | number[]>(fds: T): T {
  made.fds.push(...(Array.isArray(fds) ? fds : [fds]));
  return fds;
}

function tempDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'ipcscope-unix-'));
  return dir;
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function collectSelf(wholeMachine = false): Map<number, UnixSocketObject> {
  const { objects } = unixSocketProbe.collect(contextFor([process.pid], wholeMachine));
  return new Map(objects.map((o) => [(o as UnixSocketObject).inode, o as UnixSocketObject]));
}

const NETID: Record<SocketKind, string> = { stream: 'u_str', dgram: 'u_dgr', seqpacket: 'u_seq' };

describe('unix socket probe against the kernel and ss', () => {
  it.each<SocketKind>(['stream', 'dgram', 'seqpacket'])('socketpair (%s) with queued bytes: queue equals ss Recv-Q, peers point at each other', (kind) => {
    const [a, b] = track(makeSocketPair(kind));
    const first = Buffer.from('first message, 31 bytes long...');
    const second = Buffer.from('second');
    sendBytes(a, first);
    sendBytes(a, second);
    const ia = socketInode(a);
    const ib = socketInode(b);

    const objects = collectSelf();
    const ss = ssUnix();
    const oa = objects.get(ia)!;
    const ob = objects.get(ib)!;
    expect(oa.peer).toBe(`unix:${ib}`);
    expect(ob.peer).toBe(`unix:${ia}`);
    expect(ob.type).toBe(kind);
    expect(ob.state).toBe('ESTAB');
    /* stream and seqpacket count every queued byte; a datagram socket reports its first datagram */
    expect(ob.queued).toBe(kind === 'dgram' ? first.length : first.length + second.length);
    for (const [o, inode, peerInode] of [
      [oa, ia, ib],
      [ob, ib, ia],
    ] as const) {
      const line = ss.get(inode)!;
      expect(line.fields[0]).toBe(NETID[kind]);
      expect(line.fields[1]).toBe(o.state);
      expect(Number(line.fields[2])).toBe(o.queued);
      expect(Number(line.fields[7])).toBe(peerInode);
      expect(line.line).toContain(`pid=${process.pid},fd=${o.holders[0]!.fd}`);
    }
    expect(ob.holders).toEqual([{ pid: process.pid, fd: b, access: 'rw' }]);

    /* the peek saw the head of the queue and consumed nothing */
    expect(Buffer.from(ob.peek!, 'base64').subarray(0, first.length).toString()).toBe(first.toString());
    expect(queryUnixSocket(ib)!.rqueue).toBe(ob.queued);
    expect(recvBytes(b, 100).toString()).toBe(kind === 'stream' ? first.toString() + second.toString() : first.toString());
  });

  it('listener with two pending clients: pending, backlog and ICONS as ss shows them; accept turns a client into a pair', () => {
    const path = join(tempDir(), 'listen.sock');
    const listener = track(unixSocket('stream'));
    bindTo(listener, unixAddress(path));
    listenOn(listener, 5);
    const c1 = track(unixSocket('stream'));
    const c2 = track(unixSocket('stream'));
    expect(connectTo(c1, unixAddress(path))).toBe(0);
    expect(connectTo(c2, unixAddress(path))).toBe(0);
    const [il, i1, i2] = [listener, c1, c2].map(socketInode) as [number, number, number];

    const raw = queryUnixSocket(il)!;
    expect(raw.icons.sort()).toEqual([i1, i2].sort());

    let objects = collectSelf();
    const ss = ssUnix();
    const ol = objects.get(il)!;
    expect(ol).toMatchObject({ state: 'LISTEN', path, pending: 2, backlog: 5, queued: null, peer: null });
    const line = ss.get(il)!;
    expect(line.fields.slice(1, 5)).toEqual(['LISTEN', '2', '5', path]);
    /* ss shows peer 0 for a client not yet accepted; we name the listener it waits in */
    expect(ss.get(i1)!.fields[7]).toBe('0');
    expect(objects.get(i1)!.peer).toBe(`unix:${il}`);
    expect(objects.get(i2)!.peer).toBe(`unix:${il}`);

    const server = track(acceptFrom(listener));
    const is = socketInode(server);
    objects = collectSelf();
    expect(objects.get(il)!.pending).toBe(1);
    expect(ssUnix().get(il)!.fields[2]).toBe('1');
    /* the first client in the queue is the one accepted; the accepted end carries the listener's path */
    expect(objects.get(is)).toMatchObject({ peer: `unix:${i1}`, path, state: 'ESTAB' });
    expect(objects.get(i1)!.peer).toBe(`unix:${is}`);
    expect(objects.get(i2)!.peer).toBe(`unix:${il}`);
  });

  it('bound path and abstract name are reported as ss prints them', () => {
    const path = join(tempDir(), 'dgram.sock');
    const abstractName = `@ipcscope-test-${process.pid}-${Date.now()}`;
    const bound = track(unixSocket('dgram'));
    const abstract = track(unixSocket('seqpacket'));
    bindTo(bound, unixAddress(path));
    bindTo(abstract, unixAddress(abstractName));
    const objects = collectSelf();
    const ss = ssUnix();
    const ob = objects.get(socketInode(bound))!;
    const oa = objects.get(socketInode(abstract))!;
    expect(ob).toMatchObject({ path, state: 'UNCONN', type: 'dgram', peer: null, queued: 0 });
    expect(oa).toMatchObject({ path: abstractName, type: 'seqpacket', state: 'UNCONN' });
    expect(ss.get(ob.inode)!.fields[4]).toBe(path);
    expect(ss.get(oa.inode)!.fields[4]).toBe(abstractName);
  });

  it('pid-scoped snapshot: sockets the scanned process holds, plus peers held elsewhere', async () => {
    const [mine, theirs] = track(makeSocketPair('stream'));
    const [other1, other2] = track(makeSocketPair('stream'));
    const it_ = socketInode(theirs);
    /* `sleep` holds `theirs` as its stdin: a real second process */
    const child = await heldBySleep(theirs, made);
    const im = socketInode(mine);

    const { objects, targets } = unixSocketProbe.collect(contextFor([child.pid!]));
    const byInode = new Map(objects.map((o) => [(o as UnixSocketObject).inode, o as UnixSocketObject]));
    expect(byInode.get(it_)!.holders).toEqual([{ pid: child.pid, fd: 0, access: 'rw' }]);
    expect(byInode.get(it_)!.peer).toBe(`unix:${im}`);
    /* the peer is held by this (unscanned) test process: reported, without holders we did not scan */
    expect(byInode.get(im)).toMatchObject({ peer: `unix:${it_}`, holders: [] });
    expect(targets.get(`socket:[${it_}]`)).toBe(`unix:${it_}`);
    /* a full PID-scoped snapshot looks up the unscanned far end's holders */
    const peer = takeSnapshot({ pids: [child.pid!] }).objects.find((o) => o.id === `unix:${im}`);
    expect(peer?.holders).toEqual([{ pid: process.pid, fd: mine, access: 'rw' }]);
    expect(byInode.has(socketInode(other1))).toBe(false);
    expect(byInode.has(socketInode(other2))).toBe(false);

    const whole = collectSelf(true);
    expect(whole.has(socketInode(other1))).toBe(true);
    expect(whole.get(it_)!.holders).toEqual([]);
  });

  it('peeks through the core\'s PidfdTable when given one', () => {
    const [a, b] = track(makeSocketPair('dgram'));
    sendBytes(a, Buffer.from('through a kept pidfd'));
    const pidfds = new PidfdTable();
    try {
      const probe = createUnixSocketProbe((pid, fd, use) => pidfds.borrow(pid, fd, use));
      const ob = probe.collect(contextFor([process.pid])).objects.find((o) => o.id === `unix:${socketInode(b)}`)!;
      expect(Buffer.from(ob.peek!, 'base64').toString()).toBe('through a kept pidfd');
    } finally {
      pidfds.close();
    }
    expect(recvBytes(b, 100).toString()).toBe('through a kept pidfd');
  });

  it('a watch Sampler re-asks the kernel as soon as a holder has run: bytes sent by an idle pair\'s writer show at once', async () => {
    const [left, right] = track(makeSocketPair('stream'));
    const [goRead, goWrite] = track(makeSocketPair('stream'));
    // the reader only sleeps; the writer waits for "go", then sends 3 bytes and sleeps
    const reader = spawn('sleep', ['30'], { stdio: [right, 'ignore', 'ignore'] });
    const writer = spawn('sh', ['-c', 'read _ <&3; printf abc; exec sleep 30'], { stdio: ['ignore', left, 'ignore', goRead] });
    children.push(reader, writer);
    await Promise.all([reader, writer].map((c) => new Promise((resolve) => c.once('spawn', resolve))));
    const inode = socketInode(right);
    const sampler = new Sampler({ ...WATCH_SAMPLER_OPTIONS, fdRefreshMs: 60_000 });
    const queued = (): number | null | undefined =>
      (sampler.sample({ pids: [reader.pid!, writer.pid!] }).objects.find((o) => o.id === `unix:${inode}`) as UnixSocketObject | undefined)?.queued;
    try {
      // both asleep: ticks reuse what the kernel said before
      for (let i = 0; i < 20 && queued() === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 5; i++) expect(queued()).toBe(0);
      sendBytes(goWrite, Buffer.from('go\n'));
      let seen: number | null | undefined = 0;
      for (let i = 0; i < 200 && seen !== 3; i++) {
        await new Promise((r) => setTimeout(r, 5));
        seen = queued();
      }
      expect(seen).toBe(3);
      expect(queued()).toBe(3);
    } finally {
      sampler.close();
    }
  });

  it('one dump lists the sockets this process holds', () => {
    const [a, b] = makeSocketPair('stream');
    try {
      const listed = new Set(dumpUnixSockets().map((e) => e.inode));
      expect(listed.has(socketInode(a))).toBe(true);
      expect(listed.has(socketInode(b))).toBe(true);
    } finally {
      native.close(a);
      native.close(b);
    }
  });
});
