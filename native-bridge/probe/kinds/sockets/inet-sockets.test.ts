import { describe, expect, it } from 'vitest';
import { EAGAIN } from '../../../libc/errno';
import { lastErrno } from '../../../libc/libc';
import type { SockAddr } from '../../../libc/sockets';
import {
  AF_INET,
  AF_INET6,
  AF_NETLINK,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  SOCK_DGRAM,
  SOCK_STREAM,
  acceptFrom,
  bindTo,
  connectTo,
  inet4Address,
  inet6Address,
  listenOn,
  localPort,
  openSocket,
  recvBytes,
  sendBytes,
  sock,
  socketInode,
} from '../../../libc/sockets';
import type { InetSocketObject } from '../../../model/snapshot-types';
import { formatIpv6 } from './inet-address';
import { createInetSocketProbe, inetSocketProbe } from './inet-sockets';
import { closedAfterEach } from '../../testing/closed-after-each';
import { heldBySleep, sharedWithSleep } from '../../testing/held-by-sleep';
import { contextFor, ssInet, type SsLine } from '../../testing/socket-test-context';

const made = closedAfterEach();

function track(fd: number): number {
  made.fds.push(fd);
  return fd;
}

function collectSelf(wholeMachine = false): Map<number, InetSocketObject> {
  const { objects } = inetSocketProbe.collect(contextFor([process.pid], wholeMachine));
  return new Map(objects.map((o) => [(o as InetSocketObject).inode, o as InetSocketObject]));
}

const FAMILIES = [
  { name: 'IPv4', domain: AF_INET, host: '127.0.0.1', shown: '127.0.0.1', addr: inet4Address },
  { name: 'IPv6', domain: AF_INET6, host: '::1', shown: '[::1]', addr: inet6Address },
] as const;

function tcpListener(domain: number, addr: (host: string, port: number) => SockAddr, host: string, backlog: number): number {
  const fd = track(openSocket(domain, SOCK_STREAM));
  bindTo(fd, addr(host, 0));
  listenOn(fd, backlog);
  return fd;
}

/** Fills the peer's receive window: sends until the kernel says EAGAIN; returns the bytes accepted. */
function sendUntilFull(fd: number): number {
  const chunk = Buffer.alloc(65536, 0x61);
  let total = 0;
  for (;;) {
    const n = sock.send(fd, chunk, chunk.length, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      expect(lastErrno()).toBe(EAGAIN);
      return total;
    }
    total += n;
  }
}

/**
 * Loopback delivers in softirq context: right after a flood, bytes can be
 * counted both in the receiver's queue and as unacknowledged by the sender,
 * and while the receiver's memory is compacted its window reopens, so bytes
 * keep moving from the sender's queue to the receiver's for a while (seconds
 * on a loaded machine). Waits (at most 30 s) until the kernel's numbers add up
 * and hold still across an `ss` run: the probe's queues read the same before
 * and after it, so the probe and ss saw the same state.
 */
async function settledWithSs(
  sockets: number[],
  done: (objects: Map<number, InetSocketObject>) => boolean,
): Promise<{ objects: Map<number, InetSocketObject>; ss: Map<number, SsLine> }> {
  const queues = (objects: Map<number, InetSocketObject>): string =>
    JSON.stringify(sockets.map((inode) => [objects.get(inode)?.queued, objects.get(inode)?.sendQueue]));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const before = collectSelf();
    const ss = ssInet('tcp');
    const after = collectSelf();
    const still = queues(before) === queues(after) && done(after);
    if (still || Date.now() > deadline) return { objects: after, ss };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('inet socket probe against the kernel and ss', () => {
  it.each(FAMILIES)('TCP echo-style pair on $name loopback: states, queues and peers equal ss -tnpa', async (family) => {
    const listener = tcpListener(family.domain, family.addr, family.host, 7);
    const port = localPort(listener);
    const client = track(openSocket(family.domain, SOCK_STREAM));
    expect(connectTo(client, family.addr(family.host, port))).toBe(0);
    const server = track(acceptFrom(listener));
    const request = Buffer.from('ping '.repeat(20));
    sendBytes(client, request);
    /* the server never reads its request and floods the client, whose window fills: both queues are non-zero */
    const flooded = sendUntilFull(server);
    expect(flooded).toBeGreaterThan(0);
    const [il, ic, is] = [listener, client, server].map(socketInode) as [number, number, number];

    const { objects, ss } = await settledWithSs([il, ic, is], (o) => o.get(ic)!.queued! + o.get(is)!.sendQueue! === flooded);
    const ol = objects.get(il)!;
    const oc = objects.get(ic)!;
    const os = objects.get(is)!;
    expect(ol).toMatchObject({ kind: 'tcp', state: 'LISTEN', pending: 0, backlog: 7, local: `${family.shown}:${port}`, peer: null });
    expect(oc.peer).toBe(`tcp:${is}`);
    expect(os.peer).toBe(`tcp:${ic}`);
    expect(os.queued).toBe(request.length);
    expect(oc.queued).toBeGreaterThan(0);
    expect(os.sendQueue).toBeGreaterThan(0);
    expect(oc.queued! + os.sendQueue!).toBe(flooded);
    expect(os.local).toBe(oc.remote);
    expect(os.remote).toBe(oc.local);
    for (const o of [ol, oc, os]) {
      const line = ss.get(o.inode)!;
      expect(line, `ss line for ${o.id}`).toBeDefined();
      const [state, recvQ, sendQ, local, remote] = line.fields;
      expect(state).toBe(o.state);
      expect(Number(recvQ)).toBe(o.state === 'LISTEN' ? o.pending : o.queued);
      expect(Number(sendQ)).toBe(o.state === 'LISTEN' ? o.backlog : o.sendQueue);
      expect(local).toBe(o.local);
      expect(remote).toBe(o.remote);
      expect(line.line).toContain(`pid=${process.pid},fd=${o.holders[0]!.fd}`);
    }
    expect(Buffer.from(os.peek!, 'base64').toString()).toBe(request.toString());
    expect(recvBytes(server, 1000).toString()).toBe(request.toString());
  });

  it('TCP listener with two pending clients: pending 2 and backlog as ss shows; clients wait in the listener', () => {
    const listener = tcpListener(AF_INET, inet4Address, '127.0.0.1', 5);
    const port = localPort(listener);
    const clients = [0, 1].map(() => {
      const fd = track(openSocket(AF_INET, SOCK_STREAM));
      expect(connectTo(fd, inet4Address('127.0.0.1', port))).toBe(0);
      return fd;
    });
    const il = socketInode(listener);
    const objects = collectSelf();
    const line = ssInet('tcp').get(il)!;
    expect(objects.get(il)).toMatchObject({ state: 'LISTEN', pending: 2, backlog: 5, queued: null });
    expect(line.fields.slice(0, 3)).toEqual(['LISTEN', '2', '5']);
    for (const fd of clients) expect(objects.get(socketInode(fd))).toMatchObject({ state: 'ESTAB', peer: `tcp:${il}` });

    /* after accept, the client's peer is the accepted socket */
    const server = track(acceptFrom(listener));
    const after = collectSelf();
    expect(after.get(il)!.pending).toBe(1);
    const accepted = after.get(socketInode(server))!;
    expect(after.get(socketInode(accepted.peer === `tcp:${socketInode(clients[0]!)}` ? clients[0]! : clients[1]!))!.peer).toBe(accepted.id);
  });

  it('UDP socket with a queued datagram: Recv-Q as ss shows it, peeked without consuming', () => {
    const receiver = track(openSocket(AF_INET, SOCK_DGRAM));
    bindTo(receiver, inet4Address('127.0.0.1', 0));
    const sender = track(openSocket(AF_INET, SOCK_DGRAM));
    const datagram = Buffer.from('one datagram');
    const to = inet4Address('127.0.0.1', localPort(receiver));
    expect(sock.sendto(sender, datagram, datagram.length, 0, to.bytes, to.length)).toBe(datagram.length);

    const ir = socketInode(receiver);
    const or = collectSelf().get(ir)!;
    const line = ssInet('udp').get(ir)!;
    expect(or).toMatchObject({ kind: 'udp', family: 'inet', state: 'UNCONN', local: `127.0.0.1:${localPort(receiver)}`, remote: '0.0.0.0:*', peer: null });
    /* UDP's receive queue counts memory (skb truesize), not payload: more than the 12 bytes sent */
    expect(or.queued).toBeGreaterThan(datagram.length);
    expect(line.fields.slice(0, 5)).toEqual([or.state, String(or.queued), String(or.sendQueue), or.local, or.remote]);
    expect(Buffer.from(or.peek!, 'base64').toString()).toBe(datagram.toString());
    expect(recvBytes(receiver, 100).toString()).toBe(datagram.toString());
    expect(collectSelf().get(ir)!.queued).toBe(0);
  });

  it('connected UDP pair on ::1: peers point at each other', () => {
    const a = track(openSocket(AF_INET6, SOCK_DGRAM));
    const b = track(openSocket(AF_INET6, SOCK_DGRAM));
    bindTo(a, inet6Address('::1', 0));
    bindTo(b, inet6Address('::1', 0));
    expect(connectTo(a, inet6Address('::1', localPort(b)))).toBe(0);
    expect(connectTo(b, inet6Address('::1', localPort(a)))).toBe(0);
    const objects = collectSelf();
    const [ia, ib] = [socketInode(a), socketInode(b)];
    expect(objects.get(ia)).toMatchObject({ family: 'inet6', state: 'ESTAB', peer: `udp:${ib}`, remote: `[::1]:${localPort(b)}` });
    expect(objects.get(ib)!.peer).toBe(`udp:${ia}`);
    expect(ssInet('udp').get(ia)!.fields[4]).toBe(`[::1]:${localPort(b)}`);
  });

  it('an IPv4 client of a dual-stack [::] listener is matched to its accepted end', () => {
    const listener = tcpListener(AF_INET6, inet6Address, '::', 3);
    const port = localPort(listener);
    const client = track(openSocket(AF_INET, SOCK_STREAM));
    expect(connectTo(client, inet4Address('127.0.0.1', port))).toBe(0);
    const ic = socketInode(client);
    expect(collectSelf().get(ic)!.peer).toBe(`tcp:${socketInode(listener)}`);
    const server = track(acceptFrom(listener));
    const objects = collectSelf();
    expect(objects.get(socketInode(server))).toMatchObject({ family: 'inet6', local: `[::ffff:127.0.0.1]:${port}`, peer: `tcp:${ic}` });
    expect(objects.get(ic)!.peer).toBe(`tcp:${socketInode(server)}`);
  });

  it('pid-scoped and whole-machine views: unscanned sockets only in the whole-machine one', async () => {
    const a = track(openSocket(AF_INET, SOCK_DGRAM));
    const b = track(openSocket(AF_INET6, SOCK_STREAM));
    bindTo(a, inet4Address('127.0.0.1', 0));
    bindTo(b, inet6Address('::1', 0));
    listenOn(b, 2);
    const [ia, ib] = [socketInode(a), socketInode(b)];
    /* the scoped process holds one unrelated socket, so the probe does dump, and must still leave a and b out */
    const unrelated = track(openSocket(AF_INET, SOCK_DGRAM));
    bindTo(unrelated, inet4Address('127.0.0.1', 0));
    const iu = socketInode(unrelated);
    const child = await heldBySleep(unrelated, made);
    const scoped = inetSocketProbe.collect(contextFor([child.pid!]));
    expect(scoped.objects.map((o) => o.id)).toEqual([`udp:${iu}`]);
    expect(scoped.objects.some((o) => o.id === `udp:${ia}` || o.id === `tcp:${ib}`)).toBe(false);
    const whole = inetSocketProbe.collect(contextFor([], true));
    const ids = new Map(whole.objects.map((o) => [o.id, o]));
    expect(ids.get(`udp:${ia}`)).toMatchObject({ holders: [], state: 'UNCONN' });
    expect(ids.get(`tcp:${ib}`)).toMatchObject({ holders: [], state: 'LISTEN', backlog: 2 });
    expect(whole.targets.get(`socket:[${ib}]`)).toBe(`tcp:${ib}`);
  });

  it('a pid-scoped probe that dumps only the protocol its held sockets were listed under reports what a full dump does', async () => {
    const probe = createInetSocketProbe();
    const listener = tcpListener(AF_INET, inet4Address, '127.0.0.1', 4);
    const il = socketInode(listener);
    const client = track(openSocket(AF_INET, SOCK_STREAM));
    expect(connectTo(client, inet4Address('127.0.0.1', localPort(listener)))).toBe(0);
    const child = await heldBySleep(listener, made);
    /* first sample: the listener is in no earlier dump, so TCP and UDP are both dumped */
    const first = probe.collect(contextFor([child.pid!]));
    expect(new Map(first.objects.map((o) => [o.id, o])).get(`tcp:${il}`)).toMatchObject({ state: 'LISTEN', pending: 1, backlog: 4 });
    expect(first.objects.find((o) => o.id === `tcp:${socketInode(client)}`)).toMatchObject({ peer: `tcp:${il}`, holders: [] });
    /* later samples know it as TCP: the same objects, from the TCP dump alone */
    expect(probe.collect(contextFor([child.pid!])).objects).toEqual(first.objects);
  });

  it('held sockets no dump lists are asked what they are: a netlink socket costs no dump, an unbound TCP socket the TCP pair only', async () => {
    const dumps: string[] = [];
    const probe = createInetSocketProbe(undefined, (protocol) => dumps.push(protocol));
    const netlink = await heldBySleep(track(openSocket(AF_NETLINK, SOCK_DGRAM, 0 /* NETLINK_ROUTE */)), made);
    expect(probe.collect(contextFor([netlink.pid!])).objects).toEqual([]);
    expect(probe.collect(contextFor([netlink.pid!])).objects).toEqual([]);
    expect(dumps).toEqual([]);
    /* socket() only: in no hash table, so no dump lists it until it is bound */
    const tcp = track(openSocket(AF_INET, SOCK_STREAM));
    const holder = await sharedWithSleep(tcp, made);
    expect(probe.collect(contextFor([holder.pid!])).objects).toEqual([]);
    expect(dumps).toEqual(['tcp']);
    bindTo(tcp, inet4Address('127.0.0.1', 0));
    listenOn(tcp, 3);
    const inode = socketInode(tcp);
    expect(ssInet('tcp').get(inode)?.fields[0]).toBe('LISTEN');
    expect(probe.collect(contextFor([holder.pid!])).objects).toMatchObject([
      { id: `tcp:${inode}`, state: 'LISTEN', backlog: 3, holders: [{ pid: holder.pid, fd: 0 }] },
    ]);
    expect(dumps).toEqual(['tcp', 'tcp']);
  });

  it('formats IPv6 like inet_ntop', () => {
    const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
    expect(formatIpv6(bytes('00000000000000000000000000000001'))).toBe('::1');
    expect(formatIpv6(bytes('00000000000000000000000000000000'))).toBe('::');
    expect(formatIpv6(bytes('00000000000000000000ffff7f000001'))).toBe('::ffff:127.0.0.1');
    expect(formatIpv6(bytes('fe800000000000000000000000000001'))).toBe('fe80::1');
    expect(formatIpv6(bytes('20010db8000000010000000000000001'))).toBe('2001:db8:0:1::1');
    expect(formatIpv6(bytes('20010db8000100010001000100010001'))).toBe('2001:db8:1:1:1:1:1:1');
  });
});
