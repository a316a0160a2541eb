/**
 * Which System V object a process blocked in msgsnd/msgrcv/semop waits on:
 * /proc/PID/syscall gives the number and arg0 = msqid / semid
 * (KERNEL-FACTS "Who is blocked": 69 msgsnd, 70 msgrcv, 220 semtimedop, 65 semop).
 */
import type { BlockedOp } from '../model/snapshot-types';
import { SYS_MSGRCV, SYS_MSGSND, SYS_SEMOP, SYS_SEMTIMEDOP } from '../libc/sysv';
import type { ScannedProcess } from './probe-types';

export interface SysvWait {
  op: Extract<BlockedOp, 'msgsnd' | 'msgrcv' | 'semop'>;
  syscall: string;
  /** "msg:<msqid>" or "sem:<semid>" */
  object: string;
  id: number;
}

export function blockedSysvObject(nr: number, args: readonly bigint[]): SysvWait | null {
  const arg0 = args[0];
  if (arg0 === undefined) return null;
  /* ids are ints; the kernel prints the register, so keep the low 32 bits */
  const id = Number(arg0 & 0xffffffffn) | 0;
  if (id < 0) return null;
  switch (nr) {
    case SYS_MSGSND:
      return { op: 'msgsnd', syscall: 'msgsnd', object: `msg:${id}`, id };
    case SYS_MSGRCV:
      return { op: 'msgrcv', syscall: 'msgrcv', object: `msg:${id}`, id };
    case SYS_SEMOP:
      return { op: 'semop', syscall: 'semop', object: `sem:${id}`, id };
    case SYS_SEMTIMEDOP:
      return { op: 'semop', syscall: 'semtimedop', object: `sem:${id}`, id };
    default:
      return null;
  }
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
