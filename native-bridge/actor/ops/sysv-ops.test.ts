import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { MsgQueueObject, SemSetObject, ShmObject } from '../../model/snapshot-types';
import { IPC_RMID, msgStat, shmStat, sysv } from '../../libc/sysv';
import { takeSnapshot } from '../../probe/sampler';
import { ActorTeam } from '../actor-host';

let team: ActorTeam | null = null;
const shmids: number[] = [];
const msqids: number[] = [];
const semids: number[] = [];

afterEach(async () => {
  await team?.dispose();
  team = null;
  for (const id of shmids.splice(0)) sysv.shmctl(id, IPC_RMID, null);
  for (const id of msqids.splice(0)) sysv.msgctl(id, IPC_RMID, null);
  for (const id of semids.splice(0)) sysv.semctlInt(id, 0, IPC_RMID, 0);
});

function ipcsNattch(shmid: number): number | null {
  for (const line of execFileSync('ipcs', ['-m'], { encoding: 'utf8' }).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[1] === String(shmid)) return Number(f[5]);
  }
  return null;
}

function snapshotObject<T>(pids: number[], id: string): T | undefined {
  return takeSnapshot({ pids }).objects.find((o) => o.id === id) as T | undefined;
}

describe('System V actor ops, observed through the probe', () => {
  it('two actors attach and detach a segment: nattch 0->1->2->1->0, attached lists exactly them', async () => {
    team = await ActorTeam.start();
    const a = await team.spawn('a');
    const b = await team.spawn('b');
    const made = await a.call('shmget', { size: 4096 });
    const shmid = made.result!;
    expect(shmid).toBeGreaterThanOrEqual(0);
    shmids.push(shmid);
    const id = `shm:${shmid}`;
    const pids = [a.pid, b.pid];
    const step = (): { nattch: number; attached: number[] } => {
      const o = snapshotObject<ShmObject>(pids, id)!;
      expect(o.nattch).toBe(ipcsNattch(shmid));
      expect(o.nattch).toBe(shmStat(shmid).nattch);
      return { nattch: o.nattch, attached: o.attached };
    };

    expect(step()).toEqual({ nattch: 0, attached: [] });
    const atA = await a.call('shmat', { shmid });
    expect(atA.result).toBe(0);
    expect((await a.call('write-memory', { address: atA.data!.address, text: 'written by a' })).result).toBe(12);
    expect(step()).toEqual({ nattch: 1, attached: [a.pid] });
    const peek = snapshotObject<ShmObject>(pids, id)!.peek!;
    expect(Buffer.from(peek, 'base64').subarray(0, 12).toString()).toBe('written by a');

    expect((await b.call('shmat', { shmid, readonly: true })).result).toBe(0);
    expect(step()).toEqual({ nattch: 2, attached: [a.pid, b.pid].sort((x, y) => x - y) });
    expect((await a.call('shmdt', { shmid })).result).toBe(0);
    expect(step()).toEqual({ nattch: 1, attached: [b.pid] });
    expect((await b.call('shmdt', { shmid })).result).toBe(0);
    expect(step()).toEqual({ nattch: 0, attached: [] });
    expect(snapshotObject<ShmObject>(pids, id)!.lpid).toBe(b.pid);
  });

  it('an actor blocked in msgrcv is named as a waiting receiver until a sender wakes it', async () => {
    team = await ActorTeam.start();
    const reader = await team.spawn('reader');
    const writer = await team.spawn('writer');
    const msqid = (await writer.call('msgget', {})).result!;
    msqids.push(msqid);
    const pending = reader.call('msgrcv', { msqid });
    expect(await reader.watchBlocked('msgrcv', { msqid }, pending)).toBe('blocked');
    expect(reader.kernelWait()?.wchan).toBe('do_msgrcv');

    const snap = takeSnapshot({ pids: [reader.pid] });
    expect(snap.processes.find((p) => p.pid === reader.pid)?.blocked).toMatchObject({ op: 'msgrcv', wchan: 'do_msgrcv', object: `msg:${msqid}` });
    let q = snap.objects.find((o): o is MsgQueueObject => o.id === `msg:${msqid}`)!;
    expect(q).toMatchObject({ messages: 0, waitingReceivers: [reader.pid], waitingSenders: [] });

    expect((await writer.call('msgsnd', { msqid, type: 5, text: 'wake up' })).result).toBe(0);
    const got = await pending;
    expect(got).toMatchObject({ result: 7, data: { type: 5 } });
    expect(Buffer.from(String(got.data!.bytes), 'base64').toString()).toBe('wake up');
    q = snapshotObject<MsgQueueObject>([reader.pid, writer.pid], `msg:${msqid}`)!;
    expect(q).toMatchObject({ waitingReceivers: [], lastSender: writer.pid, lastReceiver: reader.pid });
    expect(msgStat(msqid)).toMatchObject({ lspid: writer.pid, lrpid: reader.pid });
  });

  it('an actor blocked in semop shows in GETNCNT and in waiting', async () => {
    team = await ActorTeam.start();
    const owner = await team.spawn('owner');
    const waiter = await team.spawn('waiter');
    const semid = (await owner.call('semget', { nsems: 2 })).result!;
    semids.push(semid);
    expect((await owner.call('semctl', { semid, num: 1, cmd: 'SETVAL', value: 3 })).result).toBe(0);
    const pending = waiter.call('semop', { semid, num: 0, op: -1 });
    expect(await waiter.watchBlocked('semop', { semid }, pending)).toBe('blocked');
    expect(waiter.kernelWait()?.wchan).toBe('__do_semtimedop');

    const snap = takeSnapshot({ pids: [waiter.pid] });
    expect(snap.processes.find((p) => p.pid === waiter.pid)?.blocked).toMatchObject({ op: 'semop', object: `sem:${semid}` });
    let set = snap.objects.find((o): o is SemSetObject => o.id === `sem:${semid}`)!;
    expect(set.waiting).toEqual([waiter.pid]);
    expect(set.semaphores).toEqual([
      { value: 0, waitingForIncrease: 1, waitingForZero: 0, lastPid: 0 },
      { value: 3, waitingForIncrease: 0, waitingForZero: 0, lastPid: owner.pid },
    ]);
    expect((await owner.call('semctl', { semid, num: 0, cmd: 'GETNCNT' })).result).toBe(1);

    expect((await owner.call('semop', { semid, num: 0, op: 1 })).result).toBe(0);
    expect((await pending).result).toBe(0);
    set = snapshotObject<SemSetObject>([waiter.pid, owner.pid], `sem:${semid}`)!;
    expect(set.waiting).toEqual([]);
    expect(set.semaphores[0]).toEqual({ value: 0, waitingForIncrease: 0, waitingForZero: 0, lastPid: waiter.pid });
  });

  it('an actor blocked in msgsnd on a full queue is named as a waiting sender', async () => {
    team = await ActorTeam.start();
    const writer = await team.spawn('writer');
    const msqid = (await writer.call('msgget', {})).result!;
    msqids.push(msqid);
    const qbytes = msgStat(msqid).qbytes;
    /* fill the queue to its byte limit (qbytes, 16384 by default) without blocking */
    for (let left = qbytes; left > 0; left -= Math.min(left, 8192)) {
      expect((await writer.call('msgsnd', { msqid, data: Buffer.alloc(Math.min(left, 8192)).toString('base64'), nowait: true })).result).toBe(0);
    }
    const pending = writer.call('msgsnd', { msqid, text: 'one more' });
    expect(await writer.watchBlocked('msgsnd', { msqid }, pending)).toBe('blocked');
    expect(writer.kernelWait()?.wchan).toBe('do_msgsnd');
    const q = snapshotObject<MsgQueueObject>([writer.pid], `msg:${msqid}`)!;
    expect(q).toMatchObject({ bytes: qbytes, maxBytes: qbytes, waitingSenders: [writer.pid], waitingReceivers: [] });
    sysv.msgctl(msqid, IPC_RMID, null);
    /* removing the queue wakes the sender with EIDRM */
    expect(await pending).toMatchObject({ result: -1, errno: 'EIDRM' });
  });
});
