import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { SemSetObject } from '../../../model/snapshot-types';
import { IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, SETVAL, SYS_SEMOP, SYS_SEMTIMEDOP, encodeSembufs, sysv } from '../../../libc/sysv';
import { check } from '../../../libc/libc';
import { buildTestContext } from '../../testing/ipc-test-context';
import { type ScriptChild, spawnScript, stopChild, waitForSyscall, wchanOf } from '../../testing/ipc-test-children';
import { blockedSysvObject } from '../../blocked/sysv-blocked';
import { sysvSemProbe } from './sysv-sem';

/* ipcs -s -i ID ends with one row per semaphore: semnum value ncount zcount pid */
function ipcsSem(semid: number): { value: number; ncount: number; zcount: number; pid: number }[] {
  const out = execFileSync('ipcs', ['-s', '-i', String(semid)], { encoding: 'utf8' });
  const rows: { value: number; ncount: number; zcount: number; pid: number }[] = [];
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length === 5 && f.every((c) => /^\d+$/.test(c))) {
      rows.push({ value: Number(f[1]), ncount: Number(f[2]), zcount: Number(f[3]), pid: Number(f[4]) });
    }
  }
  return rows;
}

function probeSem(pids: number[], semid: number): SemSetObject | undefined {
  return sysvSemProbe.collect(buildTestContext(pids)).objects.find((o): o is SemSetObject => o.id === `sem:${semid}`);
}

/* A child that prints ready, then sleeps in semop(sem `num`, op `op`). */
function semopWaiter(semid: number, num: number, op: number): Promise<ScriptChild> {
  return spawnScript(`
    const semop = lib.func('int semop(int id, const uint8_t *sops, size_t nsops)');
    const sops = new Uint8Array(6);
    const dv = new DataView(sops.buffer);
    dv.setUint16(0, ${num}, true); dv.setInt16(2, ${op}, true); dv.setInt16(4, 0, true);
    console.log('ready');
    console.log('semop', semop(${semid}, sops, 1));
    keepAlive();
  `);
}

describe('sysvSemProbe', () => {
  const created: number[] = [];
  const children: ScriptChild[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await stopChild(c);
    for (const id of created.splice(0)) sysv.semctlInt(id, 0, IPC_RMID, 0);
  });

  it('reads values, waiter counts and sempid as ipcs -s -i does, and names the blocked PIDs', async () => {
    const semid = check('semget', sysv.semget(IPC_PRIVATE, 3, IPC_CREAT | 0o600));
    created.push(semid);
    check('semctl(SETVAL)', sysv.semctlInt(semid, 0, SETVAL, 2));
    check('semctl(SETVAL)', sysv.semctlInt(semid, 2, SETVAL, 5));
    check('semop', sysv.semop(semid, encodeSembufs([{ num: 2, op: -1, flags: IPC_NOWAIT }]), 1));

    let obj = probeSem([process.pid], semid)!;
    expect(obj.semaphores.map((s) => s.value)).toEqual([2, 0, 4]);
    expect(obj.semaphores[2]!.lastPid).toBe(process.pid);
    expect(obj.waiting).toEqual([]);

    /* one waits for semaphore 1 to increase, another for semaphore 0 to reach zero */
    const inc = await semopWaiter(semid, 1, -1);
    children.push(inc);
    const zero = await semopWaiter(semid, 0, 0);
    children.push(zero);
    const line = await waitForSyscall(inc.pid, [SYS_SEMTIMEDOP, SYS_SEMOP]);
    await waitForSyscall(zero.pid, [SYS_SEMTIMEDOP, SYS_SEMOP]);
    expect(wchanOf(inc.pid)).toBe('__do_semtimedop');

    obj = probeSem([inc.pid, zero.pid], semid)!;
    expect(obj.waiting).toEqual([inc.pid, zero.pid].sort((a, b) => a - b));
    expect(obj.semaphores.map((s) => [s.value, s.waitingForIncrease, s.waitingForZero])).toEqual([
      [2, 0, 1],
      [0, 1, 0],
      [4, 0, 0],
    ]);
    expect(obj.semaphores.map((s) => ({ value: s.value, ncount: s.waitingForIncrease, zcount: s.waitingForZero, pid: s.lastPid }))).toEqual(
      ipcsSem(semid),
    );
    const nr = Number(line.split(' ')[0]);
    expect(blockedSysvObject(nr, line.split(' ').slice(1).map((a) => BigInt(a)))).toMatchObject({ op: 'semop', object: `sem:${semid}` });

    /* releasing: post semaphore 1; the waiter takes it and becomes its sempid */
    check('semop', sysv.semop(semid, encodeSembufs([{ num: 1, op: 1 }]), 1));
    for (let i = 0; i < 200 && !inc.lines.includes('semop 0'); i++) await new Promise((r) => setTimeout(r, 10));
    obj = probeSem([inc.pid, zero.pid], semid)!;
    expect(obj.waiting).toEqual([zero.pid]);
    expect(obj.semaphores[1]).toMatchObject({ value: 0, waitingForIncrease: 0, lastPid: inc.pid });
  });

  it('a PID-scoped snapshot leaves out sets the PIDs never touched', async () => {
    const semid = check('semget', sysv.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o600));
    created.push(semid);
    const other = await spawnScript(`keepAlive(); console.log('ready');`);
    children.push(other);
    expect(probeSem([other.pid], semid)).toBeUndefined();
    const whole = sysvSemProbe.collect(buildTestContext([], { wholeMachine: true }));
    expect(whole.objects.some((o) => o.id === `sem:${semid}`)).toBe(true);
  });
});
