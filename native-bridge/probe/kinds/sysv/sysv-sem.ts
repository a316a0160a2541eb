/**
 * System V semaphore sets: the list from /proc/sysvipc/sem, each semaphore's
 * value (GETVAL), waiters for increase (GETNCNT) and for zero (GETZCNT), the
 * last operator (GETPID), and which scanned PIDs sit in semop (65) /
 * semtimedop (220) on the set (arg0 = semid, KERNEL-FACTS), in any thread.
 * A PID scope holds a set its processes last operated on or wait on: the
 * kernel keeps no other trace of who used a set (no creator PID in
 * /proc/sysvipc/sem, SEM_UNDO lists are not shown anywhere in /proc).
 */
import type { SemaphoreValue, SemSetObject } from '../../../model/snapshot-types';
import { GETNCNT, GETPID, GETVAL, GETZCNT, sysv } from '../../../libc/sysv';
import { check } from '../../../libc/libc';
import type { KindProbe, KindProbeResult, ProbeContext } from '../../probe-types';
import { sysvWaitersByObject, threadSysvWaiters } from '../../blocked/sysv-blocked';
import { readSemWaitOps } from './sem-wait-ops';
import { col, readSysvTable } from './sysvipc-table';
import { ownerNameOf } from '../../process/user-names';

/** Values and waiter counts of every semaphore in the set; throws (EACCES, EIDRM, EINVAL) when unreadable. */
function readSemaphores(semid: number, nsems: number): SemaphoreValue[] {
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

/**
 * Whether a scanned process last operated on some semaphore of the set (one
 * GETPID each, before the three other reads per semaphore). False when a
 * GETPID fails: the set would then be unreadable and left out anyway.
 */
function lastOperatedByScanned(ctx: ProbeContext, semid: number, nsems: number): boolean {
  let found = false;
  for (let num = 0; num < nsems; num++) {
    const pid = sysv.semctlInt(semid, num, GETPID, 0);
    if (pid < 0) return false;
    if (ctx.processes.has(pid)) found = true;
  }
  return found;
}

/** Whether the kernel counts some task waiting on the set (GETNCNT, GETZCNT per semaphore). */
function kernelCountsWaiters(semid: number, nsems: number): boolean {
  for (let num = 0; num < nsems; num++) {
    if (sysv.semctlInt(semid, num, GETNCNT, 0) > 0 || sysv.semctlInt(semid, num, GETZCNT, 0) > 0) return true;
  }
  return false;
}

function mergePids(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function collect(ctx: ProbeContext): KindProbeResult {
  const rows = (ctx.readSysvTable ?? readSysvTable)('sem');
  // no set on the machine (the usual watch tick): no waiters to look for
  if (rows.length === 0) return { objects: [], targets: new Map() };
  const objects: SemSetObject[] = [];
  const blocked = sysvWaitersByObject(ctx.processes.values());
  // other threads than the main one, read once per collect and only when some waiter is unaccounted for
  let threads: Map<string, { semop: number[] }> | null = null;
  const threadWaiters = (id: string): number[] => (threads ??= threadSysvWaiters(ctx.processes.values())).get(id)?.semop ?? [];
  for (const row of rows) {
    const semid = col(row, 'semid');
    const nsems = col(row, 'nsems');
    const id = `sem:${semid}`;
    let waiting = blocked.get(id)?.semop ?? [];
    /* scope first: the four semctl per semaphore only for sets in scope */
    let certain = ctx.wholeMachine || waiting.length > 0;
    if (!certain && !lastOperatedByScanned(ctx, semid, nsems)) {
      // nobody scanned operated last, no main thread waits: a scanned process's other thread may
      if (!kernelCountsWaiters(semid, nsems)) continue;
      waiting = threadWaiters(id);
      if (waiting.length === 0) continue;
      certain = true;
    }
    let semaphores: SemaphoreValue[] = [];
    try {
      semaphores = readSemaphores(semid, nsems);
    } catch {
      /* another user's set without read permission, or removed meanwhile: kept only when certainly in scope */
      if (!certain) continue;
    }
    /* the values just read decide, as they are what the object shows */
    if (!certain && !semaphores.some((s) => ctx.processes.has(s.lastPid))) continue;
    const counted = semaphores.reduce((n, s) => n + s.waitingForIncrease + s.waitingForZero, 0);
    if (counted > waiting.length) waiting = mergePids(waiting, threadWaiters(id));
    const waitOps = waiting.flatMap((pid) => {
      const p = ctx.processes.get(pid);
      return (p && readSemWaitOps(p, semid)) ?? [];
    });
    objects.push({
      ...(waitOps.length > 0 ? { waitOps } : {}),
      id,
      kind: 'sem',
      holders: [],
      semid,
      key: col(row, 'key') >>> 0,
      owner: col(row, 'uid'),
      ...ownerNameOf(col(row, 'uid')),
      mode: col(row, 'perms') & 0o777,
      semaphores,
      waiting,
    });
  }
  return { objects, targets: new Map() };
}

export const sysvSemProbe: KindProbe = { name: 'sysv-sem', sysvTable: 'sem', changedThrough: 'any process', collect };
