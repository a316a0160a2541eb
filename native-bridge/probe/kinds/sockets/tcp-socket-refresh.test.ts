/**
 * The whole-machine inet probe between TCP dumps: known sockets asked for one
 * by one show what the kernel (and ss) shows at that moment; a new socket, a
 * bound one no lookup finds and the periodic refresh bring a dump; and what it reports for
 * our sockets is what a fresh probe's full dump reports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../../libc/libc';
import { AF_INET, AF_INET6, SOCK_STREAM, acceptFrom, bindTo, connectTo, inet4Address, inet6Address, listenOn, localPort, openSocket, recvBytes, sendBytes, socketInode } from '../../../libc/sockets';
import type { InetSocketObject } from '../../../model/snapshot-types';
import { createInetSocketProbe } from './inet-sockets';
import { TCP_DUMP_REFRESH_MS } from './tcp-socket-refresh';
import { contextFor, ssInet } from '../../testing/socket-test-context';

const opened: number[] = [];
const children: ChildProcess[] = [];

function track(fd: number): number {
  opened.push(fd);
  return fd;
}

function closeTracked(fd: number): void {
  opened.splice(opened.indexOf(fd), 1);
  native.close(fd);
}

afterEach(async () => {
  for (const fd of opened.splice(0)) native.close(fd);
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
});

type Probe = ReturnType<typeof createInetSocketProbe>;

function collect(probe: Probe, pids = [process.pid]): Map<number, InetSocketObject> {
  const { objects } = probe.collect(contextFor(pids, true));
  return new Map(objects.map((o) => [(o as InetSocketObject).inode, o as InetSocketObject]));
}

/** Ours only: the machine's other sockets come and go with other tests. */
function ours(objects: Map<number, InetSocketObject>, inodes: number[]): (InetSocketObject | undefined)[] {
  return inodes.map((inode) => objects.get(inode));
}

describe('whole-machine TCP between dumps', () => {
  it('asks known sockets for their state and queues, dumps for a new socket, a bound one no lookup finds or one gone, and reports what a full dump reports', { timeout: 60_000 }, async () => {
    const dumps: string[] = [];
    const probe = createInetSocketProbe(undefined, (protocol) => dumps.push(protocol));
    const listener = track(openSocket(AF_INET, SOCK_STREAM));
    bindTo(listener, inet4Address('127.0.0.1', 0));
    listenOn(listener, 4);
    const port = localPort(listener);
    const client = track(openSocket(AF_INET, SOCK_STREAM));
    expect(connectTo(client, inet4Address('127.0.0.1', port))).toBe(0);
    const server = track(acceptFrom(listener));
    const [il, ic, is] = [listener, client, server].map(socketInode) as [number, number, number];

    collect(probe);
    expect(dumps.filter((p) => p === 'tcp')).toEqual(['tcp']);
    const tcpDumps = (): number => dumps.filter((p) => p === 'tcp').length;

    // bytes the server has not read: the next tick asks, and shows them as ss does
    sendBytes(client, Buffer.from('hello over loopback'));
    const queued = collect(probe);
    expect(tcpDumps()).toBe(1);
    expect(queued.get(is)).toMatchObject({ state: 'ESTAB', queued: 19, peer: `tcp:${ic}` });
    expect(Number(ssInet('tcp').get(is)?.fields[1])).toBe(19);
    expect(ours(queued, [il, ic, is])).toEqual(ours(collect(createInetSocketProbe()), [il, ic, is]));

    // a second client, not yet accepted: a new socket in our table, so a dump; it waits in the listener
    const second = track(openSocket(AF_INET6, SOCK_STREAM));
    bindTo(second, inet6Address('::', 0));
    const waiting = track(openSocket(AF_INET, SOCK_STREAM));
    expect(connectTo(waiting, inet4Address('127.0.0.1', port))).toBe(0);
    const iw = socketInode(waiting);
    const withWaiting = collect(probe);
    expect(tcpDumps()).toBe(2);
    expect(withWaiting.get(il)).toMatchObject({ state: 'LISTEN', pending: 1, backlog: 4 });
    expect(withWaiting.get(iw)).toMatchObject({ state: 'ESTAB', peer: `tcp:${il}` });
    expect(Number(ssInet('tcp').get(il)?.fields[1])).toBe(1);
    // the bound, unconnected IPv6 socket is in the dump (TCP_BOUND_INACTIVE, Linux 6.5+) but no lookup finds it: dumped while it is so
    const is2 = socketInode(second);
    expect(withWaiting.get(is2)).toMatchObject({ family: 'inet6', state: 'UNCONN' });
    collect(probe);
    expect(tcpDumps()).toBe(3);
    // once it listens, it is asked for like the others
    listenOn(second, 3);
    collect(probe);
    const steady = collect(probe);
    expect(tcpDumps()).toBe(4);
    expect(steady.get(is2)).toMatchObject({ state: 'LISTEN', backlog: 3 });
    expect(ours(steady, [il, ic, is, iw, is2])).toEqual(ours(collect(createInetSocketProbe()), [il, ic, is, iw, is2]));

    // the server reads what was sent and closes (unread bytes would make it a reset): its end lives on
    // in FIN-WAIT-2 with no inode (no descriptor reaches it), and still answers: no dump. The client sees the FIN
    expect(recvBytes(server, 100).toString()).toBe('hello over loopback');
    closeTracked(server);
    const afterClose = collect(probe);
    expect(tcpDumps()).toBe(4);
    expect(afterClose.has(is)).toBe(false);
    expect(afterClose.get(ic)?.state).toBe(ssInet('tcp').get(ic)?.fields[0]);
    expect(afterClose.get(ic)?.state).toBe('CLOSE-WAIT');
    expect(ours(afterClose, [il, ic, iw])).toEqual(ours(collect(createInetSocketProbe()), [il, ic, iw]));

    // a listener closed is gone at once (its query gets ENOENT): that tick dumps
    closeTracked(listener);
    const noListener = collect(probe);
    expect(tcpDumps()).toBe(5);
    expect(noListener.has(il)).toBe(false);
    expect(ssInet('tcp').has(il)).toBe(false);
  });

  it('a socket only an unseen process holds shows within the refresh period, by a dump', { timeout: 60_000 }, async () => {
    const dumps: string[] = [];
    const probe = createInetSocketProbe(undefined, (protocol) => dumps.push(protocol));
    collect(probe, []);
    const listener = track(openSocket(AF_INET, SOCK_STREAM));
    bindTo(listener, inet4Address('127.0.0.1', 0));
    listenOn(listener, 2);
    const il = socketInode(listener);
    /* held by a sleep this probe is not shown (an empty scan: the machine's other processes unseen) */
    const child = spawn('sleep', ['30'], { stdio: [listener, 'ignore', 'ignore'] });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    closeTracked(listener);
    const started = Date.now();
    const before = dumps.filter((p) => p === 'tcp').length;
    let seen: InetSocketObject | undefined;
    while (!(seen = collect(probe, []).get(il))) {
      expect(Date.now() - started).toBeLessThan(TCP_DUMP_REFRESH_MS + 5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toMatchObject({ state: 'LISTEN', backlog: 2 });
    expect(dumps.filter((p) => p === 'tcp').length).toBe(before + 1);
  });
});
