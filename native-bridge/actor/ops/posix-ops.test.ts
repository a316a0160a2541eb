import { afterEach, describe, expect, it } from 'vitest';
import type { MqueueObject, PosixShmObject } from '../../model/snapshot-types';
import { posix } from '../../libc/posix-ipc';
import { takeSnapshot } from '../../probe/sampler';
import { ActorTeam } from '../actor-host';

let team: ActorTeam | null = null;
const shmNames: string[] = [];
const mqNames: string[] = [];

afterEach(async () => {
  await team?.dispose();
  team = null;
  for (const n of shmNames.splice(0)) posix.shmUnlink(n);
  for (const n of mqNames.splice(0)) posix.mqUnlink(n);
});

const uniqueName = (): string => `/ipcscope-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

describe('POSIX actor ops, observed through the probe', () => {
  it('shm_open + mmap in a parent, descriptor inherited by its child: two holders, one mapper', async () => {
    team = await ActorTeam.start();
    const parent = await team.spawn('parent');
    const name = uniqueName();
    const opened = await parent.call('shm_open', { name });
    const fd = opened.result!;
    expect(fd).toBeGreaterThanOrEqual(0);
    shmNames.push(name);
    expect((await parent.call('ftruncate', { fd, size: 4096 })).result).toBe(0);
    const mapped = await parent.call('mmap', { fd, size: 4096 });
    expect(mapped.result).toBe(0);
    expect((await parent.call('write-memory', { address: mapped.data!.address, text: 'posix' })).result).toBe(5);
    const { child } = await parent.spawnChild('child');

    const snap = takeSnapshot({ pids: [parent.pid, child.pid] });
    const obj = snap.objects.find((o): o is PosixShmObject => o.id === `posix_shm:${name}`)!;
    expect(obj).toMatchObject({ size: 4096, attached: [parent.pid] });
    expect(obj.holders.map((h) => [h.pid, h.fd, h.access])).toEqual(
      [
        [parent.pid, fd, 'rw'],
        [child.pid, fd, 'rw'],
      ].sort((x, y) => Number(x[0]) - Number(y[0])),
    );
    const childFd = snap.processes.find((p) => p.pid === child.pid)!.fds.find((f) => f.fd === fd);
    expect(childFd?.object).toBe(`posix_shm:${name}`);
  });

  it('an actor blocked in mq_receive sleeps in wq_sleep; the queue shows its attributes and holders', async () => {
    team = await ActorTeam.start();
    const sender = await team.spawn('sender');
    const name = uniqueName();
    const mqd = (await sender.call('mq_open', { name, maxMessages: 4, messageSize: 128 })).result!;
    expect(mqd).toBeGreaterThanOrEqual(0);
    mqNames.push(name);
    const receiver = await team.spawn('receiver');
    const rfd = (await receiver.call('mq_open', { name, create: false, access: 'r' })).result!;
    expect(rfd).toBeGreaterThanOrEqual(0);
    const pending = receiver.call('mq_receive', { fd: rfd, size: 128 });
    expect(await receiver.watchBlocked('mq_receive', { fd: rfd }, pending)).toBe('blocked');
    expect(receiver.kernelWait()).toMatchObject({ wchan: 'wq_sleep', syscallNr: 243, arg0: rfd });

    const snap = takeSnapshot({ pids: [sender.pid, receiver.pid] });
    const q = snap.objects.find((o): o is MqueueObject => o.id === `mqueue:${name}`)!;
    expect(snap.processes.find((p) => p.pid === receiver.pid)?.blocked).toMatchObject({ op: 'mq_receive', fd: rfd, object: `mqueue:${name}` });
    expect(q).toMatchObject({ messages: 0, maxMessages: 4, messageSize: 128, queued: 0 });
    expect(q.holders.map((h) => [h.pid, h.access]).sort()).toEqual(
      [
        [sender.pid, 'rw'],
        [receiver.pid, 'r'],
      ].sort(),
    );

    expect((await sender.call('mq_send', { fd: mqd, text: 'ping', priority: 3 })).result).toBe(0);
    const got = await pending;
    expect(got).toMatchObject({ result: 4, data: { priority: 3 } });
    expect(Buffer.from(String(got.data!.bytes), 'base64').toString()).toBe('ping');
  });
});
