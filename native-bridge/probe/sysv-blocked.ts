/**
 * Which System V object a process blocked in msgsnd/msgrcv/semop waits on:
 * /proc/PID/syscall gives the number and arg0 = msqid / semid
 * (KERNEL-FACTS "Who is blocked": 69 msgsnd, 70 msgrcv, 220 semtimedop, 65 semop).
 */
import type { BlockedOp } from '../model/snapshot-types';
import { describeSyscallWait } from './blocked';
import type { ScannedProcess } from './probe-types';

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
