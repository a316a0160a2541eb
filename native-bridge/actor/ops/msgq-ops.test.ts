import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_RMID, msgStat, sysv } from '../../libc/sysv';
import { ActorTeam } from '../actor-host';
import { until } from '../kernel-test-helpers';
import { readKernelWait } from '../kernel-wait';

let team: ActorTeam | null = null;
const msqids: number[] = [];
afterEach(async () => {
  await team?.dispose();
  team = null;
  for (const id of msqids.splice(0)) sysv.msgctl(id, IPC_RMID, null);
});

/* `ipcs -q -i ID` prints "qbytes=N" among the queue's details */
const ipcsQbytes = (msqid: number): number => Number(/qbytes=(\d+)/.exec(execFileSync('ipcs', ['-q', '-i', String(msqid)], { encoding: 'utf8' }))![1]);

describe('message-queue actor ops', () => {
  it('msgctl-qbytes lowers msg_qbytes (IPC_SET) as ipcs shows it; msgsnd-sized past msgmax gets EINVAL from the kernel, and past the room left sleeps in do_msgsnd', async () => {
    team = await ActorTeam.start();
    const a = await team.spawn('a');
    const msqid = (await a.call('msgget', {})).result!;
    msqids.push(msqid);
    expect(ipcsQbytes(msqid)).toBe(Number(readFileSync('/proc/sys/kernel/msgmnb', 'utf8')));
    expect(await a.call('msgctl-qbytes', { msqid, qbytes: 30 })).toMatchObject({ result: 0 });
    expect(ipcsQbytes(msqid)).toBe(30);
    expect(msgStat(msqid).qbytes).toBe(30);

    const msgmax = Number(readFileSync('/proc/sys/kernel/msgmax', 'utf8'));
    expect(await a.call('msgsnd-sized', { msqid, size: msgmax + 1 })).toMatchObject({ result: -1, errno: 'EINVAL' });
    expect(await a.call('msgsnd-sized', { msqid, size: 20, fill: 'ab' })).toMatchObject({ result: 0 });
    expect(msgStat(msqid)).toMatchObject({ cbytes: 20, qnum: 1 });
    expect(await a.call('msgsnd-sized', { msqid, size: 20, nowait: true })).toMatchObject({ result: -1, errno: 'EAGAIN' });

    const asleep = a.call('msgsnd-sized', { msqid, size: 20 });
    await until(() => readKernelWait(a.pid)?.wchan === 'do_msgsnd');
    expect(readKernelWait(a.pid)).toMatchObject({ syscallNr: 69, arg0: msqid });
    sysv.msgctl(msqid, IPC_RMID, null);
    expect(await asleep).toMatchObject({ result: -1, errno: 'EIDRM' });
  });

  it('says which limit a bad argument breaks', async () => {
    team = await ActorTeam.start();
    const a = await team.spawn('a');
    expect(await a.call('msgctl-qbytes', { msqid: 0, qbytes: 1 << 20 })).toMatchObject({ result: -1, error: 'qbytes must be 0 to 65536 (got 1048576)' });
    expect(await a.call('msgsnd-sized', { msqid: 0, size: -1 })).toMatchObject({ result: -1, error: 'size must be 0 to 65536 (got -1)' });
  });
});
