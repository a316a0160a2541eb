import { afterEach, describe, expect, it } from 'vitest';
import { ActorTeam, type CallReply } from '../../../actor/actor-host';
import type { InetSocketObject, Snapshot, UnixSocketObject } from '../../../model/snapshot-types';
import { takeSnapshot } from '../../sampler';
import { ssInet, ssUnix } from '../../testing/socket-test-context';

let team: ActorTeam | null = null;

afterEach(async () => {
  await team?.dispose();
  team = null;
});

function fdOf(reply: CallReply): number {
  expect(reply.errno).toBeNull();
  return reply.result!;
}

function objectOfFd(snapshot: Snapshot, pid: number, fd: number): string {
  const entry = snapshot.processes.find((p) => p.pid === pid)?.fds.find((f) => f.fd === fd);
  expect(entry, `fd ${fd} of ${pid}`).toBeDefined();
  return entry!.object;
}

describe('sockets in a whole snapshot (probe core + socket probes)', () => {
  it('socketpair split between parent and child actors: each end has its holder and peer, and the child blocked in recv names its socket', async () => {
    team = await ActorTeam.start();
    const parent = await team.spawn('parent');
    const pair = await parent.call('socketpair', { type: 'seqpacket' });
    const [mine, theirs] = pair.data?.fds as number[];
    const { child } = await parent.spawnChild('child');
    expect((await parent.call('close', { fd: theirs })).result).toBe(0);
    expect((await child.call('close', { fd: mine })).result).toBe(0);
    const waiting = child.call('recv', { fd: theirs, count: 64 });
    expect(await child.watchBlocked('recv', { fd: theirs }, waiting)).toBe('blocked');

    const snapshot = takeSnapshot({ pids: [parent.pid, child.pid] });
    const parentEnd = objectOfFd(snapshot, parent.pid, mine!);
    const childEnd = objectOfFd(snapshot, child.pid, theirs!);
    const objects = new Map(snapshot.objects.map((o) => [o.id, o]));
    const p = objects.get(parentEnd) as UnixSocketObject;
    const c = objects.get(childEnd) as UnixSocketObject;
    expect(p).toMatchObject({ kind: 'unix', type: 'seqpacket', state: 'ESTAB', peer: childEnd, holders: [{ pid: parent.pid, fd: mine }] });
    expect(c).toMatchObject({ peer: parentEnd, queued: 0, holders: [{ pid: child.pid, fd: theirs }] });
    const blocked = snapshot.processes.find((x) => x.pid === child.pid)!.blocked;
    expect(blocked).toMatchObject({ syscall: 'recvfrom', fd: theirs, object: childEnd });
    expect(ssUnix().get(c.inode)!.fields[0]).toBe('u_seq');

    expect((await parent.call('send', { fd: mine, text: 'one record' })).result).toBe(10);
    expect(Buffer.from(String((await waiting).data?.bytes), 'base64').toString()).toBe('one record');
  });

  it('TCP server with a pending and an accepted client, scoped to the server: clients and peers come along', async () => {
    team = await ActorTeam.start();
    const server = await team.spawn('server');
    const early = await team.spawn('early-client');
    const late = await team.spawn('late-client');
    const listener = fdOf(await server.call('socket', { family: 'inet6', type: 'stream' }));
    const port = Number((await server.call('bind', { fd: listener, host: '::1', port: 0 })).data?.port);
    expect((await server.call('listen', { fd: listener, backlog: 3 })).result).toBe(0);
    const e = fdOf(await early.call('socket', { family: 'inet6', type: 'stream' }));
    expect((await early.call('connect', { fd: e, host: '::1', port })).result).toBe(0);
    const accepted = fdOf(await server.call('accept4', { fd: listener }));
    const l = fdOf(await late.call('socket', { family: 'inet6', type: 'stream' }));
    expect((await late.call('connect', { fd: l, host: '::1', port })).result).toBe(0);
    expect((await early.call('send', { fd: e, text: 'request' })).result).toBe(7);

    const snapshot = takeSnapshot({ pids: [server.pid] });
    const objects = new Map(snapshot.objects.map((o) => [o.id, o as InetSocketObject]));
    const listenerId = objectOfFd(snapshot, server.pid, listener);
    const acceptedId = objectOfFd(snapshot, server.pid, accepted);
    const lo = objects.get(listenerId)!;
    const ao = objects.get(acceptedId)!;
    expect(lo).toMatchObject({ kind: 'tcp', family: 'inet6', state: 'LISTEN', pending: 1, backlog: 3, local: `[::1]:${port}` });
    expect(ao).toMatchObject({ state: 'ESTAB', queued: 7, local: `[::1]:${port}` });
    expect(Buffer.from(ao.peek!, 'base64').toString()).toBe('request');
    /* the early client's socket is reported as the accepted end's peer, the late one as waiting in the listener */
    const earlyObj = objects.get(ao.peer!)!;
    expect(earlyObj.remote).toBe(ao.local);
    expect(earlyObj.peer).toBe(acceptedId);
    const lateObj = [...objects.values()].find((o) => o.peer === listenerId)!;
    expect(lateObj).toBeDefined();
    expect(lateObj.remote).toBe(`[::1]:${port}`);
    const ss = ssInet('tcp');
    expect(ss.get(lo.inode)!.fields.slice(0, 3)).toEqual(['LISTEN', '1', '3']);
    expect(ss.get(lateObj.inode)!.line).toContain(`pid=${late.pid},fd=${l}`);
    expect(ss.get(earlyObj.inode)!.line).toContain(`pid=${early.pid},fd=${e}`);
  });
});
