/**
 * Is a process asleep in a syscall right now? Read from the kernel:
 * /proc/PID/stat (state), /proc/PID/wchan, /proc/PID/syscall (number, then
 * arguments in hex). These describe the main thread, which is where an actor
 * runs its ops.
 */
import { parseStat, parseSyscall, parseWchan } from '../probe/process/proc-stat';
import { readProcFile } from './proc-read';

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

function readOrEmpty(path: string): string {
  return readProcFile(path) ?? '';
}

/** null when the process is gone; throws ProcReadError when /proc cannot be opened (EMFILE): that is not "gone". */
export function readKernelWait(pid: number): KernelWait | null {
  const stat = parseStat(readOrEmpty(`/proc/${pid}/stat`));
  if (!stat) return null;
  const wchan = parseWchan(readOrEmpty(`/proc/${pid}/wchan`));
  const { nr, args } = parseSyscall(readOrEmpty(`/proc/${pid}/syscall`));
  /* the descriptor is a C int: 0xffffffff... reads as -1, as the caller passed it */
  const arg0 = args[0] === undefined ? null : Number(BigInt.asIntN(32, args[0]));
  return { state: stat.state, wchan, syscallNr: nr, arg0 };
}

/** True when the kernel shows the process asleep in one of `syscalls` (on `fd`, when given). */
export function isAsleepIn(wait: KernelWait | null, syscalls: number[], fd?: number): boolean {
  if (!wait || (wait.state !== 'S' && wait.state !== 'D')) return false;
  if (!syscalls.includes(wait.syscallNr)) return false;
  return fd === undefined || wait.arg0 === fd;
}

/** True when the kernel shows the process stopped: by a signal (SIGSTOP, SIGTSTP: state T) or by a tracer (t). */
export function isStopped(wait: KernelWait): boolean {
  return wait.state === 'T' || wait.state === 't';
}
