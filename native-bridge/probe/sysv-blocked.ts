/**
 * Which System V object a process blocked in msgsnd/msgrcv/semop waits on:
 * /proc/PID/syscall gives the number and arg0 = msqid / semid
 * (KERNEL-FACTS "Who is blocked": 69 msgsnd, 70 msgrcv, 220 semtimedop, 65 semop).
 */
import type { BlockedOp } from '../model/snapshot-types';
import { describeSyscallWait } from './blocked';
import type { ScannedProcess } from './probe-types';

export interface SysvWait {
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

/** PIDs among the scanned processes blocked in one of `ops` on System V object `id`. */
export function sysvWaiters(processes: Iterable<ScannedProcess>, ops: readonly SysvWait['op'][], id: number, kind: 'msg' | 'sem'): number[] {
  const pids: number[] = [];
  for (const p of processes) {
    const wait = blockedSysvObject(p.syscallNr, p.syscallArgs);
    if (wait && wait.id === id && ops.includes(wait.op) && wait.object.startsWith(`${kind}:`)) pids.push(p.pid);
  }
  return pids.sort((a, b) => a - b);
}
