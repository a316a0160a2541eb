import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorTeam } from '../../../actor/actor-host';
import { until } from '../../../actor/kernel-test-helpers';
import { readKernelWait } from '../../../actor/kernel-wait';
import { IPC_RMID, sysv } from '../../../libc/sysv';
import type { MsgQueueObject } from '../../../model/snapshot-types';
import { takeSnapshot } from '../../sampler';

let team: ActorTeam | null = null;
const msqids: number[] = [];
afterEach(async () => {
  await team?.dispose();
  team = null;
  for (const id of msqids.splice(0)) sysv.msgctl(id, IPC_RMID, null);
});

/* arg3 of /proc/PID/syscall (msgrcv's msgtyp), as the kernel shows it, read as a signed long */
const msgtypOf = (pid: number): number => Number(BigInt.asIntN(64, BigInt(readFileSync(`/proc/${pid}/syscall`, 'utf8').trim().split(' ')[4]!)));

describe('the message-queue probe: the type a waiting receiver asked for', () => {
  it('reads msgtyp of each receiver asleep in msgrcv (type 2, and -3: lowest type up to 3) and drops it once they return', async () => {
    team = await ActorTeam.start();
    const [owner, two, upTo3] = [await team.spawn('owner'), await team.spawn('two'), await team.spawn('upto3')];
    const msqid = (await owner.call('msgget', {})).result!;
    msqids.push(msqid);
    const gotTwo = two.call('msgrcv', { msqid, type: 2, size: 64 });
    const gotLow = upTo3.call('msgrcv', { msqid, type: -3, size: 64 });
    await until(() => [two.pid, upTo3.pid].every((pid) => readKernelWait(pid)?.wchan === 'do_msgrcv'));
    /* a type-5 message wakes neither: 5 is not 2, and not at most 3 */
    expect((await owner.call('msgsnd', { msqid, type: 5, text: 'five' })).result).toBe(0);
    const pids = [owner.pid, two.pid, upTo3.pid];
    const queue = () => takeSnapshot({ pids }).objects.find((o): o is MsgQueueObject => o.id === `msg:${msqid}`)!;
    await until(() => queue().waitingReceivers.length === 2);
    const q = queue();
    expect(q.receiverTypes).toEqual({ [two.pid]: msgtypOf(two.pid), [upTo3.pid]: msgtypOf(upTo3.pid) });
    expect(q.receiverTypes).toEqual({ [two.pid]: 2, [upTo3.pid]: -3 });
    expect(q.messages).toBe(1);

    expect((await owner.call('msgsnd', { msqid, type: 1, text: 'one' })).result).toBe(0);
    expect((await gotLow).data).toMatchObject({ type: 1 });
    expect((await owner.call('msgsnd', { msqid, type: 2, text: 'two' })).result).toBe(0);
    expect((await gotTwo).data).toMatchObject({ type: 2 });
    const after = queue();
    expect(after.waitingReceivers).toEqual([]);
    expect(after.receiverTypes).toBeUndefined();
  });
});
