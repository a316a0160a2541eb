import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../../libc/libc';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, SETVAL, SYS_SEMOP, SYS_SEMTIMEDOP, sysv } from '../../../libc/sysv';
import type { SemSetObject } from '../../../model/snapshot-types';
import { parseSyscall } from '../../process/proc-stat';
import { buildTestContext } from '../../testing/ipc-test-context';
import { type ScriptChild, spawnScript, stopChild, waitForSyscall } from '../../testing/ipc-test-children';
import { readSemWaitOps } from './sem-wait-ops';
import { sysvSemProbe } from './sysv-sem';

/* ipcs -s -i ID: semnum value ncount zcount pid, one row per semaphore */
function ipcsCounts(semid: number): { ncount: number; zcount: number }[] {
  return execFileSync('ipcs', ['-s', '-i', String(semid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length === 5 && f.every((c) => /^\d+$/.test(c)))
    .map((f) => ({ ncount: Number(f[2]), zcount: Number(f[3]) }));
}

/* A child that sleeps in one semop call with these operations. */
function semopWaiter(semid: number, ops: [num: number, op: number][]): Promise<ScriptChild> {
  return spawnScript(`
    const semop = lib.func('int semop(int id, const uint8_t *sops, size_t nsops)');
    const sops = new Uint8Array(${6 * ops.length});
    const dv = new DataView(sops.buffer);
    ${ops.map(([num, op], i) => `dv.setUint16(${i * 6}, ${num}, true); dv.setInt16(${i * 6 + 2}, ${op}, true);`).join('\n')}
    console.log('ready');
    console.log('semop', semop(${semid}, sops, ${ops.length}));
    keepAlive();
  `);
}

describe('the operations a process asleep in semop asked for', () => {
  const created: number[] = [];
  const children: ScriptChild[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopChild(c);
    for (const id of created.splice(0)) sysv.semctlInt(id, 0, IPC_RMID, 0);
  });

  it('reads each waiter\'s sembufs from its memory: which semaphore, wait for zero or to take; they agree with ipcs -s -i', async () => {
    const semid = check('semget', sysv.semget(IPC_PRIVATE, 3, IPC_CREAT | 0o600));
    created.push(semid);
    check('semctl(SETVAL)', sysv.semctlInt(semid, 0, SETVAL, 1));
    const take = await semopWaiter(semid, [[1, -1]]);
    const zero = await semopWaiter(semid, [[0, 0]]);
    // two operations in one call: 0 on semaphore 2 passes (it is 0), -2 on semaphore 1 sleeps
    const both = await semopWaiter(semid, [
      [2, 0],
      [1, -2],
    ]);
    children.push(take, zero, both);
    for (const c of [take, zero, both]) await waitForSyscall(c.pid, [SYS_SEMTIMEDOP, SYS_SEMOP]);

    const obj = sysvSemProbe.collect(buildTestContext([take.pid, zero.pid, both.pid])).objects.find((o): o is SemSetObject => o.id === `sem:${semid}`)!;
    expect(obj.waiting).toEqual([take.pid, zero.pid, both.pid].sort((a, b) => a - b));
    expect(obj.waitOps).toEqual(
      expect.arrayContaining([
        { pid: take.pid, num: 1, op: -1 },
        { pid: zero.pid, num: 0, op: 0 },
        { pid: both.pid, num: 2, op: 0 },
        { pid: both.pid, num: 1, op: -2 },
      ]),
    );
    expect(obj.waitOps).toHaveLength(4);
    // the single-operation waiters are where ipcs counts them
    const counts = ipcsCounts(semid);
    expect(counts[0]).toEqual({ ncount: 0, zcount: 1 });
    expect(counts[1]!.ncount).toBe(2);

    // the pointer and count are the ones /proc/PID/syscall shows (arg1, arg2)
    const { nr, args } = parseSyscall(readFileSync(`/proc/${take.pid}/syscall`, 'latin1'));
    expect(readSemWaitOps({ pid: take.pid, syscallNr: nr, syscallArgs: args }, semid)).toEqual([{ pid: take.pid, num: 1, op: -1 }]);
    // another set's id, or a process not in semop: nothing
    expect(readSemWaitOps({ pid: take.pid, syscallNr: nr, syscallArgs: args }, semid + 1)).toBeNull();
    expect(readSemWaitOps({ pid: take.pid, syscallNr: 0, syscallArgs: args }, semid)).toBeNull();
  });
});
