import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../../libc/libc';
import { AF_INET, SOCK_DGRAM, bindTo, inet4Address, makeSocketPair, openSocket, socketInode } from '../../../libc/sockets';
import { dumpInetSockets } from './inet-sockets';
import { contextFor } from '../../testing/socket-test-context';
import { dumpUnixSockets, queryUnixSockets, unixSocketProbe } from './unix-sockets';

const opened: number[] = [];

afterEach(() => {
  for (const fd of opened.splice(0)) native.close(fd);
});

describe('sock_diag dumps at scale', () => {
  it('2000 Unix sockets: every one listed with its peer, by one dump and by the whole-machine collect', () => {
    const inodes = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const [a, b] = makeSocketPair(i % 2 === 0 ? 'stream' : 'dgram');
      opened.push(a, b);
      const [ia, ib] = [socketInode(a), socketInode(b)];
      inodes.set(ia, ib);
      inodes.set(ib, ia);
    }
    const entries = dumpUnixSockets();
    const byInode = new Map(entries.map((e) => [e.inode, e]));
    for (const [inode, peer] of inodes) expect(byInode.get(inode)?.peer).toBe(peer);

    // the whole-machine collect names every one of them too (speed is npm run bench's business, not a test's)
    const ctx = contextFor([process.pid], true, { peekBytes: 0 });
    const ids = new Set(unixSocketProbe.collect(ctx).objects.map((o) => o.id));
    for (const inode of inodes.keys()) expect(ids.has(`unix:${inode}`)).toBe(true);
  });

  it('300 Unix sockets asked by inode in batched datagrams: each answered as the dump lists it; a closed one left out', () => {
    const asked: number[] = [];
    for (let i = 0; i < 150; i++) {
      const [a, b] = makeSocketPair(i % 2 === 0 ? 'stream' : 'seqpacket');
      opened.push(a, b);
      asked.push(socketInode(a), socketInode(b));
    }
    const [gone, peerOfGone] = makeSocketPair('stream');
    opened.push(peerOfGone);
    const goneInode = socketInode(gone);
    native.close(gone);
    asked.splice(100, 0, goneInode);

    const found = new Map<number, ReturnType<typeof dumpUnixSockets>[number]>();
    queryUnixSockets(asked, found);
    const dumped = new Map(dumpUnixSockets().map((e) => [e.inode, e]));
    expect(found.has(goneInode)).toBe(false);
    expect(dumped.has(goneInode)).toBe(false);
    expect(found.size).toBe(asked.length - 1);
    for (const inode of asked) if (inode !== goneInode) expect(found.get(inode)).toEqual(dumped.get(inode));
  });

  it('500 UDP sockets: every one listed by the IPv4 dump', () => {
    const inodes = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const fd = openSocket(AF_INET, SOCK_DGRAM);
      opened.push(fd);
      bindTo(fd, inet4Address('127.0.0.1', 0));
      inodes.add(socketInode(fd));
    }
    const listed = new Set(dumpInetSockets('udp').map((e) => e.inode));
    for (const inode of inodes) expect(listed.has(inode)).toBe(true);
  });
});
