/**
 * Which System V object a process blocked in msgsnd/msgrcv/semop waits on:
 * /proc/PID/syscall gives the number and arg0 = msqid / semid
 * (KERNEL-FACTS "Who is blocked": 69 msgsnd, 70 msgrcv, 220 semtimedop, 65 semop).
 */
import type { BlockedOp } from '../../model/snapshot-types';
import { describeSyscallWait } from './blocked';
import { readdirSync, readFileSync } from 'node:fs';
import type { ScannedProcess } from '../probe-types';
import { parseSyscall } from '../process/proc-stat';

interface SysvWait {
  op: Extract<BlockedOp, 'msgsnd' | 'msgrcv' | 'semop'>;
  syscall: string;
  /** "msg:<msqid>" or "sem:<semid>" */
  object: string;
  id: number;
}

export function blockedSysvObject(nr: number, args: readonly bigint[]): SysvWait | null {
  // the one syscall table: blocked.ts
  const wait = describeSyscallWait(nr, args, () => null);
  if ((wait.op !== 'msgsnd' && wait.op !== 'msgrcv' && wait.op !== 'semop') || wait.object === null) return null;
  const id = Number(wait.object.slice(wait.object.indexOf(':') + 1));
  return id < 0 ? null : { op: wait.op, syscall: wait.syscall, object: wait.object, id };
}

/** PIDs blocked on one System V object, by operation, in ascending order. */
interface SysvWaiters {
  msgsnd: number[];
  msgrcv: number[];
  semop: number[];
}

/**
 * Object id ("msg:<msqid>", "sem:<semid>", as blocked.ts names them) -> the
 * scanned PIDs blocked on it: one pass over the processes per collect,
 * instead of one per table row.
 */
export function sysvWaitersByObject(processes: Iterable<ScannedProcess>): Map<string, SysvWaiters> {
  const byObject = new Map<string, SysvWaiters>();
  for (const p of processes) {
    const wait = describeSyscallWait(p.syscallNr, p.syscallArgs, () => null);
    if ((wait.op !== 'msgsnd' && wait.op !== 'msgrcv' && wait.op !== 'semop') || wait.object === null) continue;
    let waiters = byObject.get(wait.object);
    if (!waiters) {
      waiters = { msgsnd: [], msgrcv: [], semop: [] };
      byObject.set(wait.object, waiters);
    }
    waiters[wait.op].push(p.pid);
  }
  for (const w of byObject.values()) for (const pids of [w.msgsnd, w.msgrcv, w.semop]) pids.sort((a, b) => a - b);
  return byObject;
}

/**
 * The same, for the other threads of the given processes: /proc/PID/syscall
 * describes the main thread only, and a worker thread asleep in semop or
 * msgrcv while the main thread sits in pthread_join is a waiter too
 * (/proc/PID/task/TID/syscall, KERNEL-FACTS). One directory listing per
 * process and one read per extra thread: asked only when the kernel's waiter
 * counts say some waiter was not found among the main threads.
 */
export function threadSysvWaiters(processes: Iterable<ScannedProcess>): Map<string, SysvWaiters> {
  const byObject = new Map<string, SysvWaiters>();
  for (const p of processes) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p.pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      if (tid === String(p.pid)) continue;
      let text: string;
      try {
        text = readFileSync(`/proc/${p.pid}/task/${tid}/syscall`, 'latin1');
      } catch {
        continue;
      }
      const { nr, args } = parseSyscall(text);
      const wait = blockedSysvObject(nr, args);
      if (!wait) continue;
      let waiters = byObject.get(wait.object);
      if (!waiters) {
        waiters = { msgsnd: [], msgrcv: [], semop: [] };
        byObject.set(wait.object, waiters);
      }
      if (!waiters[wait.op].includes(p.pid)) waiters[wait.op].push(p.pid);
    }
  }
  return byObject;
}
