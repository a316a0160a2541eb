import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InetSocketObject, UnixSocketObject } from '../../model/snapshot-types';
import { inetSocketProbe } from '../../probe/kinds/sockets/inet-sockets';
import { contextFor, ssInet, ssUnix } from '../../probe/testing/socket-test-context';
import { unixSocketProbe } from '../../probe/kinds/sockets/unix-sockets';
import { ActorTeam, type CallReply } from '../actor-host';
import { readKernelWait } from '../kernel-wait';

let team: ActorTeam | null = null;
let dir: string | null = null;

afterEach(async () => {
  await team?.dispose();
  team = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function fdOf(reply: CallReply): number {
  expect(reply.errno).toBeNull();
  expect(typeof reply.result).toBe('number');
  return reply.result!;
}

function unixObjects(pids: number[]): Map<string, UnixSocketObject> {
  return new Map(unixSocketProbe.collect(contextFor(pids)).objects.map((o) => [o.id, o as UnixSocketObject]));
}

function idOfFd(objects: Map<string, { holders: { pid: number; fd: number }[]; id: string }>, pid: number, fd: number): string {
  for (const o of objects.values()) if (o.holders.some((h) => h.pid === pid && h.fd === fd)) return o.id;
  throw new Error(`no socket held by ${pid}/${fd}`);
}

describe('socket ops in real actor processes, seen by the socket probes', () => {
  it('Unix stream server and client: accept and recv really sleep; queue, peers and holders as the kernel and ss show', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ipcscope-sockops-'));
    const path = join(dir, 'server.sock');
    team = await ActorTeam.start();
    const server = await team.spawn('server');
    const client = await team.spawn('client');
    const listener = fdOf(await server.call('socket', { family: 'unix', type: 'stream' }));
    expect((await server.call('bind', { fd: listener, path })).result).toBe(0);
    expect((await server.call('listen', { fd: listener, backlog: 4 })).result).toBe(0);

    const accepting = server.call('accept4', { fd: listener });
    expect(await server.watchBlocked('accept4', { fd: listener }, accepting)).toBe('blocked');
    expect(readKernelWait(server.pid)).toMatchObject({ wchan: '__skb_wait_for_more_packets', syscallNr: 288, arg0: listener });

    const sock = fdOf(await client.call('socket', { family: 'unix', type: 'stream' }));
    expect((await client.call('connect', { fd: sock, path })).result).toBe(0);
    const accepted = fdOf(await accepting);

    expect((await client.call('send', { fd: sock, text: 'queued for the server' })).result).toBe(21);
    const objects = unixObjects([server.pid, client.pid]);
    const serverEnd = objects.get(idOfFd(objects, server.pid, accepted))!;
    const clientEnd = objects.get(idOfFd(objects, client.pid, sock))!;
    expect(serverEnd).toMatchObject({ queued: 21, peer: clientEnd.id, path, state: 'ESTAB' });
    expect(clientEnd.peer).toBe(serverEnd.id);
    expect(Buffer.from(serverEnd.peek!, 'base64').toString()).toBe('queued for the server');
    const line = ssUnix().get(serverEnd.inode)!;
    expect(line.fields[2]).toBe('21');
    expect(line.line).toContain(`pid=${server.pid},fd=${accepted}`);

    const first = await server.call('recv', { fd: accepted, count: 64 });
    expect(Buffer.from(String(first.data?.bytes), 'base64').toString()).toBe('queued for the server');
    /* an empty queue: the server sleeps in recvfrom (45) inside unix_stream_read_generic */
    const waiting = server.call('recv', { fd: accepted, count: 64 });
    expect(await server.watchBlocked('recv', { fd: accepted }, waiting)).toBe('blocked');
    expect(readKernelWait(server.pid)).toMatchObject({ wchan: 'unix_stream_read_generic', syscallNr: 45, arg0: accepted });
    expect((await client.call('send', { fd: sock, text: 'wake' })).result).toBe(4);
    expect(Buffer.from(String((await waiting).data?.bytes), 'base64').toString()).toBe('wake');

    /* the client closes: the sleeping server gets EOF */
    const eof = server.call('recv', { fd: accepted, count: 64 });
    expect(await server.watchBlocked('recv', { fd: accepted }, eof)).toBe('blocked');
    expect((await client.call('close', { fd: sock })).result).toBe(0);
    expect((await eof).result).toBe(0);
  });

  it('a full Unix backlog: two clients pending, the third sleeps in connect until the server accepts', async () => {
    team = await ActorTeam.start();
    const server = await team.spawn('server');
    const clients = [await team.spawn('client-1'), await team.spawn('client-2'), await team.spawn('client-3')];
    const name = `@ipcscope-sockops-${process.pid}-${Date.now()}`;
    const listener = fdOf(await server.call('socket', { family: 'unix', type: 'stream' }));
    expect((await server.call('bind', { fd: listener, path: name })).result).toBe(0);
    expect((await server.call('listen', { fd: listener, backlog: 1 })).result).toBe(0);
    const fds: number[] = [];
    for (const c of clients) fds.push(fdOf(await c.call('socket', { family: 'unix', type: 'stream' })));
    expect((await clients[0]!.call('connect', { fd: fds[0], path: name })).result).toBe(0);
    expect((await clients[1]!.call('connect', { fd: fds[1], path: name })).result).toBe(0);
    /* the queue holds more than backlog 1 already: the kernel makes the third wait (connect, 42) */
    const third = clients[2]!.call('connect', { fd: fds[2], path: name });
    expect(await clients[2]!.watchBlocked('connect', { fd: fds[2] }, third)).toBe('blocked');
    expect(readKernelWait(clients[2]!.pid)).toMatchObject({ wchan: 'unix_wait_for_peer', syscallNr: 42, arg0: fds[2] });

    const objects = unixObjects([server.pid, ...clients.map((c) => c.pid)]);
    const l = objects.get(idOfFd(objects, server.pid, listener))!;
    expect(l).toMatchObject({ state: 'LISTEN', path: name, pending: 2, backlog: 1 });
    expect(ssUnix().get(l.inode)!.fields.slice(1, 5)).toEqual(['LISTEN', '2', '1', name]);
    expect(objects.get(idOfFd(objects, clients[0]!.pid, fds[0]!))!.peer).toBe(l.id);
    expect(objects.get(idOfFd(objects, clients[1]!.pid, fds[1]!))!.peer).toBe(l.id);

    expect((await server.call('accept4', { fd: listener })).result).toBeGreaterThan(0);
    expect((await third).result).toBe(0);
  });

  it('TCP echo on 127.0.0.1 between actors: holders, peers and queues as ss -tnpa shows them', async () => {
    team = await ActorTeam.start();
    const server = await team.spawn('server');
    const client = await team.spawn('client');
    const listener = fdOf(await server.call('socket', { family: 'inet', type: 'stream' }));
    const bound = await server.call('bind', { fd: listener, host: '127.0.0.1', port: 0 });
    const port = Number(bound.data?.port);
    expect(port).toBeGreaterThan(0);
    expect((await server.call('listen', { fd: listener, backlog: 8 })).result).toBe(0);
    const sock = fdOf(await client.call('socket', { family: 'inet', type: 'stream' }));
    expect((await client.call('connect', { fd: sock, host: '127.0.0.1', port })).result).toBe(0);
    const accepted = await server.call('accept4', { fd: listener });
    expect(accepted.data?.object).toMatch(/^tcp:\d+$/);
    expect((await client.call('send', { fd: sock, text: 'echo me' })).result).toBe(7);

    const { objects } = inetSocketProbe.collect(contextFor([server.pid, client.pid]));
    const byId = new Map(objects.map((o) => [o.id, o as InetSocketObject]));
    const serverEnd = byId.get(String(accepted.data?.object))!;
    const clientEnd = byId.get(idOfFd(byId, client.pid, sock))!;
    expect(serverEnd).toMatchObject({ queued: 7, peer: clientEnd.id, local: `127.0.0.1:${port}`, holders: [{ pid: server.pid, fd: accepted.result }] });
    expect(clientEnd.peer).toBe(serverEnd.id);
    const ss = ssInet('tcp');
    for (const o of [serverEnd, clientEnd]) {
      const line = ss.get(o.inode)!;
      expect(line.fields.slice(0, 5)).toEqual([o.state, String(o.queued), String(o.sendQueue), o.local, o.remote]);
      expect(line.line).toContain(`pid=${o.holders[0]!.pid},fd=${o.holders[0]!.fd}`);
    }
    /* echo it back */
    const got = await server.call('recv', { fd: accepted.result, count: 64 });
    expect((await server.call('send', { fd: accepted.result, data: String(got.data?.bytes) })).result).toBe(7);
    const back = await client.call('recv', { fd: sock, count: 64 });
    expect(Buffer.from(String(back.data?.bytes), 'base64').toString()).toBe('echo me');
  });

  it('bad arguments are refused before any syscall', async () => {
    team = await ActorTeam.start();
    const a = await team.spawn('solo');
    expect(await a.call('socket', { family: 'appletalk' })).toMatchObject({ result: -1, error: expect.stringContaining('family') });
    const fd = fdOf(await a.call('socket', { family: 'inet', type: 'dgram' }));
    expect(await a.call('bind', { fd, host: '300.1.1.1', port: 1 })).toMatchObject({ result: -1, error: expect.stringContaining('IPv4') });
    expect(await a.call('bind', { fd, host: '127.0.0.1', port: 70000 })).toMatchObject({ result: -1, error: expect.stringContaining('port') });
    expect(await a.call('recv', { fd, nonblock: true })).toMatchObject({ result: -1, errno: 'EAGAIN' });
  });
});
