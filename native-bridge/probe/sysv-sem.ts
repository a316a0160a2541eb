/**
 * System V semaphore sets: the list from /proc/sysvipc/sem, each semaphore's
 * value (GETVAL), waiters for increase (GETNCNT) and for zero (GETZCNT), the
 * last operator (GETPID), and which scanned PIDs sit in semop (65) /
 * semtimedop (220) on the set (arg0 = semid, KERNEL-FACTS).
 */
import type { SemaphoreValue, SemSetObject } from '../model/snapshot-types';
import { GETNCNT, GETPID, GETVAL, GETZCNT, sysv } from '../libc/sysv';
import { check } from '../libc/libc';
import type { KindProbe, KindProbeResult, ProbeContext } from './probe-types';
import { sysvWaiters } from './sysv-blocked';
import { col, readSysvTable } from './sysvipc-table';

/** Values and waiter counts of every semaphore in the set; throws (EACCES, EIDRM, EINVAL) when unreadable. */
export function readSemaphores(semid: number, nsems: number): SemaphoreValue[] {
  const sems: SemaphoreValue[] = [];
  for (let num = 0; num < nsems; num++) {
    sems.push({
      value: check('semctl(GETVAL)', sysv.semctlInt(semid, num, GETVAL, 0)),
      waitingForIncrease: check('semctl(GETNCNT)', sysv.semctlInt(semid, num, GETNCNT, 0)),
      waitingForZero: check('semctl(GETZCNT)', sysv.semctlInt(semid, num, GETZCNT, 0)),
      lastPid: check('semctl(GETPID)', sysv.semctlInt(semid, num, GETPID, 0)),
    });
  }
  return sems;
}

function collect(ctx: ProbeContext): KindProbeResult {
  const objects: SemSetObject[] = [];
  const procs = [...ctx.processes.values()];
  for (const row of (ctx.readSysvTable ?? readSysvTable)('sem')) {
    const semid = col(row, 'semid');
    const waiting = sysvWaiters(procs, ['semop'], semid, 'sem');
    let semaphores: SemaphoreValue[] = [];
    try {
      semaphores = readSemaphores(semid, col(row, 'nsems'));
    } catch {
      /* another user's set without read permission, or removed meanwhile */
    }
    const inScope = ctx.wholeMachine || waiting.length > 0 || semaphores.some((s) => ctx.processes.has(s.lastPid));
    if (!inScope) continue;
    objects.push({
      id: `sem:${semid}`,
      kind: 'sem',
      holders: [],
      semid,
      key: col(row, 'key') >>> 0,
      owner: col(row, 'uid'),
      mode: col(row, 'perms') & 0o777,
      semaphores,
      waiting,
    });
  }
  return { objects, targets: new Map() };
}

export const sysvSemProbe: KindProbe = { name: 'sysv-sem', collect };
