/**
 * Is a process asleep in a syscall right now? Read from the kernel:
 * /proc/PID/stat (state), /proc/PID/wchan, /proc/PID/syscall (number, then
 * arguments in hex). These describe the main thread, which is where an actor
 * runs its ops.
 */
import { readFileSync } from 'node:fs';

export interface KernelWait {
  /** /proc/PID/stat state letter: S sleeping, D uninterruptible, R running, Z zombie ... */
  state: string;
  /** Kernel function the task sleeps in, "" when running or unreadable. */
  wchan: string;
  /** Syscall number, or -1 when running in user space ("running") or unreadable. */
  syscallNr: number;
  /** First syscall argument (the descriptor for read/write), null when unknown. */
  arg0: number | null;
}

/* epoll_wait 232, epoll_pwait 281, epoll_pwait2 441: an actor idling between commands */
export const IDLE_SYSCALLS = new Set([232, 281, 441]);

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** null when the process is gone. */
export function readKernelWait(pid: number): KernelWait | null {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  if (stat === '') return null;
  /* comm may hold spaces and parentheses: the state follows the last ')' */
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  const wchan = readOrEmpty(`/proc/${pid}/wchan`).trim();
  const fields = readOrEmpty(`/proc/${pid}/syscall`).trim().split(' ');
  const syscallNr = /^\d+$/.test(fields[0] ?? '') ? Number(fields[0]) : -1;
  const arg0 = syscallNr >= 0 && fields[1] ? Number(BigInt.asIntN(32, BigInt(fields[1]))) : null;
  return { state, wchan: wchan === '0' ? '' : wchan, syscallNr, arg0 };
}

/** True when the kernel shows the process asleep in one of `syscalls` (on `fd`, when given). */
export function isAsleepIn(wait: KernelWait | null, syscalls: number[], fd?: number): boolean {
  if (!wait || (wait.state !== 'S' && wait.state !== 'D')) return false;
  if (!syscalls.includes(wait.syscallNr)) return false;
  return fd === undefined || wait.arg0 === fd;
}
