import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../../libc/libc';
import { AF_INET, SOCK_STREAM, acceptFrom, bindTo, connectTo, inet4Address, listenOn, localPort, openSocket, socketInode } from '../../../libc/sockets';
import type { InetSocketObject } from '../../../model/snapshot-types';
import { contextFor } from '../../testing/socket-test-context';
import { inetSocketProbe } from './inet-sockets';

/*
 * A TCP listener that never accepts, and two clients that connect: the kernel
 * completes both handshakes and keeps the server sides in the listener's
 * accept queue (`ss -tln` Recv-Q 2), where no process holds them (`ss -tn`
 * lists the two server sides with no inode). The probe names the two clients
 * as the listener's queued connections, and each client's peer as that
 * listener's queue, not as a socket some process holds. Once one is
 * accepted, it is held (by this process) and leaves the queue.
 */

const opened: number[] = [];
const track = (fd: number): number => (opened.push(fd), fd);
afterEach(() => {
  for (const fd of opened.splice(0)) native.close(fd);
});

const collectSelf = (): Map<number, InetSocketObject> =>
  new Map(inetSocketProbe.collect(contextFor([process.pid], false)).objects.map((o) => [(o as InetSocketObject).inode, o as InetSocketObject]));

/** `ss -tn -e` lines for connections to or from 127.0.0.1:port: [local, peer, inode or 0]. */
function ssConnections(port: number): [string, string, number][] {
  const out = execFileSync('ss', ['-tnHe', 'state', 'established', `( sport = :${port} or dport = :${port} )`], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return [f[2]!, f[3]!, Number(/ino:(\d+)/.exec(l)?.[1] ?? 0)];
    });
}

describe('a TCP listener that never accepts', () => {
  it('lists the clients waiting in its accept queue as its queued connections, held by no process; the clients say so', () => {
    const listener = track(openSocket(AF_INET, SOCK_STREAM));
    bindTo(listener, inet4Address('127.0.0.1', 0));
    listenOn(listener, 8);
    const port = localPort(listener);
    const clients = [0, 1].map(() => {
      const fd = track(openSocket(AF_INET, SOCK_STREAM));
      expect(connectTo(fd, inet4Address('127.0.0.1', port))).toBe(0);
      return fd;
    });

    // the kernel: Recv-Q 2 on the listener; the two server sides established with no inode (no descriptor anywhere)
    const listenLine = execFileSync('ss', ['-tlnH', `( sport = :${port} )`], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(listenLine.slice(0, 3)).toEqual(['LISTEN', '2', '8']);
    const conns = ssConnections(port);
    const serverSides = conns.filter(([local]) => local.endsWith(`:${port}`));
    expect(serverSides).toHaveLength(2);
    for (const [, , inode] of serverSides) expect(inode).toBe(0);

    const il = socketInode(listener);
    const objects = collectSelf();
    const ol = objects.get(il)!;
    expect(ol).toMatchObject({ state: 'LISTEN', pending: 2, backlog: 8 });
    expect([...ol.acceptQueue!].sort()).toEqual(clients.map((fd) => `tcp:${socketInode(fd)}`).sort());
    for (const fd of clients) {
      const client = objects.get(socketInode(fd))!;
      expect(client).toMatchObject({ state: 'ESTAB', peer: `tcp:${il}`, peerInAcceptQueue: true });
      // the client side is held (by this process); nothing is claimed for its server side
      expect(client.holders.map((h) => h.pid)).toEqual([process.pid]);
    }
    // no object stands for a server side no process holds
    expect([...objects.values()].filter((o) => o.local.endsWith(`:${port}`) && o.state === 'ESTAB')).toEqual([]);

    // accepted: held now, out of the queue; the other still waits
    const server = track(acceptFrom(listener));
    const after = collectSelf();
    expect(after.get(il)!.pending).toBe(1);
    expect(after.get(il)!.acceptQueue).toHaveLength(1);
    const accepted = after.get(socketInode(server))!;
    expect(accepted.holders.map((h) => h.pid)).toEqual([process.pid]);
    const acceptedClient = after.get(Number(accepted.peer!.replace('tcp:', '')))!;
    expect(acceptedClient.peerInAcceptQueue).toBeUndefined();
    expect(after.get(il)!.acceptQueue).not.toContain(acceptedClient.id);
    expect(ssConnections(port).filter(([local, , inode]) => local.endsWith(`:${port}`) && inode === socketInode(server))).toHaveLength(1);
  });
});
